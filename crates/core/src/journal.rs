//! The crawl's journal: every admitted URL and every finished record, as they happen, so that
//! a crawl stopped half way (Ctrl-C, `--deadline-s`) still accounts for every URL it took on.
//!
//! The frontier tells the journal of each URL it admits and each record it is handed. With an
//! output, each record is written as one JSON line the moment it is finished, not at the end
//! (buffered: it reaches the output at the owner's next [`Journal::flush`], or at the close).
//! [`Journal::close`] stops the crawl from taking new URLs and turns every URL admitted but not
//! finished into a `cancelled` record, so the output still has exactly one line per URL.
//!
//! A journal writes one of two kinds of line ([`Lines`]): a bare record per line, for a user
//! (`shootout crawl --json`), or the child protocol's `{"admitted": URL}` and `{"record": …}`
//! lines (docs/protocol.md), for a contestant's child process streaming a crawl to the parent.

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::record::{FetchError, PageRecord};

/// How a crawl's records fared: what its totals line reports.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Records in all.
    pub records: usize,
    /// Records with an error.
    pub failed: usize,
    /// The kinds of those errors (`status`, `timeout`, …), each once.
    pub kinds: BTreeSet<&'static str>,
}

impl Tally {
    /// Counts one more record.
    pub fn add(&mut self, record: &PageRecord) {
        self.records += 1;
        if let Some(e) = &record.error {
            self.failed += 1;
            self.kinds.insert(e.kind());
        }
    }

    /// The tally of `records`.
    pub fn of(records: &[PageRecord]) -> Tally {
        let mut t = Tally::default();
        records.iter().for_each(|r| t.add(r));
        t
    }
}

/// What a [`Journal`] writes to its output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lines {
    /// One record per line, as a user reads them.
    Records,
    /// The child protocol's lines: `{"admitted": URL}` as each URL is admitted, and
    /// `{"record": RECORD}` as each is finished (docs/protocol.md).
    Protocol,
}

/// Where records go as they are finished. See the [module docs](self).
pub struct Journal {
    closed: AtomicBool,
    lines: Lines,
    /// Whether every record is written out and none kept: see [`Journal::take`].
    hands_on: bool,
    state: Mutex<State>,
}

struct State {
    /// Admitted, not yet finished: URL → admission order.
    pending: HashMap<String, u64>,
    admissions: u64,
    tally: Tally,
    /// The records themselves, if asked to keep them (not when they are written out).
    kept: Option<Vec<PageRecord>>,
    out: Option<Box<dyn Write + Send>>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (finished, pending) = self.progress();
        write!(f, "Journal {{ finished: {finished}, pending: {pending} }}")
    }
}

impl Journal {
    /// A journal that writes each record to `out` as a JSON line (if given), and keeps a
    /// copy of each if `keep` (to print them sorted at the end, for example).
    pub fn new(out: Option<Box<dyn Write + Send>>, keep: bool) -> Journal {
        Journal::writing(Lines::Records, out, keep)
    }

    /// A journal that writes `lines` to `out` (if given), and keeps a copy of each record if
    /// `keep`.
    pub fn writing(lines: Lines, out: Option<Box<dyn Write + Send>>, keep: bool) -> Journal {
        Journal {
            closed: AtomicBool::new(false),
            lines,
            hands_on: out.is_some() && !keep,
            state: Mutex::new(State {
                pending: HashMap::new(),
                admissions: 0,
                tally: Tally::default(),
                kept: keep.then(Vec::new),
                out,
            }),
        }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// `url` (as its `Url` serialises) was admitted: it is owed a record.
    pub fn admitted(&self, url: &str) {
        let mut s = self.state();
        s.admissions += 1;
        let order = s.admissions;
        s.pending.insert(url.to_owned(), order);
        if self.lines == Lines::Protocol {
            s.emit(&Line::Admitted(url));
        }
    }

    /// Takes a finished record from a crawl ([`Journal::finished`]), and gives it back if the
    /// crawl is to keep it as well: always, unless this journal writes every record out and
    /// keeps none. That is a child's streamed crawl, whose parent keeps each record it reads:
    /// there the child holds a record only until its line is written, rather than a second
    /// copy of every record until the crawl ends (on a crawl of 26,858 pages, heaptrack put
    /// those records and their strings at about 7 MiB of the child's heap; docs/results.md,
    /// "The crawl at its floor").
    pub fn take(&self, record: PageRecord) -> Option<PageRecord> {
        self.finished(&record);
        (!self.hands_on).then_some(record)
    }

    /// A record is finished: written out at once. After [`Journal::close`], it is dropped:
    /// its URL already has its `cancelled` record.
    pub fn finished(&self, record: &PageRecord) {
        if self.is_closed() {
            return;
        }
        let mut s = self.state();
        s.pending.remove(&record.url);
        s.add(self.lines, record);
    }

    /// Hands what was written so far to the output. Call it now and then (the crawl command
    /// does, every 100 ms), so that a reader sees each record soon after its page is done.
    pub fn flush(&self) {
        self.state().flush();
    }

    /// Whether the crawl was stopped.
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::Acquire)
    }

    /// Records finished so far, and URLs admitted but not finished.
    pub fn progress(&self) -> (usize, usize) {
        let s = self.state();
        (s.tally.records, s.pending.len())
    }

    /// Stops the crawl: no new URL is admitted, every URL still owed a record gets a
    /// `cancelled` one (`why` says what stopped it). Returns the tally of every record, and
    /// the records if they were kept.
    pub fn close(&self, why: &str) -> (Tally, Vec<PageRecord>) {
        self.close_with(|| FetchError::Cancelled(why.to_owned()))
    }

    /// Stops the crawl because the contestant itself failed: every URL still owed a record
    /// gets an `internal` one that says why (`why`), so nothing is lost.
    pub fn close_failed(&self, why: &str) -> (Tally, Vec<PageRecord>) {
        self.close_with(|| FetchError::Internal(why.to_owned()))
    }

    fn close_with(&self, error: impl Fn() -> FetchError) -> (Tally, Vec<PageRecord>) {
        self.closed.store(true, Ordering::Release);
        let mut s = self.state();
        let mut owed: Vec<(u64, String)> = s.pending.drain().map(|(u, o)| (o, u)).collect();
        owed.sort_unstable();
        for (_, url) in owed {
            let record = PageRecord::failed(url, error());
            s.add(self.lines, &record);
        }
        s.flush();
        (s.tally.clone(), s.kept.clone().unwrap_or_default())
    }

    /// The crawl ended by itself with `records`: writes any of them the journal was not
    /// handed on the way (a contestant may add one at the very end), so every URL is written
    /// exactly once.
    pub fn complete(&self, records: &[PageRecord]) {
        let mut s = self.state();
        for r in records {
            if s.pending.remove(&r.url).is_some() {
                s.write(self.lines, r);
            }
        }
        s.flush();
    }
}

/// A protocol line, borrowed: what [`Lines::Protocol`] writes.
#[derive(serde::Serialize)]
#[serde(rename_all = "lowercase")]
enum Line<'a> {
    Admitted(&'a str),
    Record(&'a PageRecord),
}

impl State {
    /// Writes, counts and (if asked) keeps a finished record.
    fn add(&mut self, lines: Lines, record: &PageRecord) {
        self.write(lines, record);
        self.tally.add(record);
        if let Some(kept) = &mut self.kept {
            kept.push(record.clone());
        }
    }

    fn write(&mut self, lines: Lines, record: &PageRecord) {
        match lines {
            Lines::Records => self.emit(record),
            Lines::Protocol => self.emit(&Line::Record(record)),
        }
    }

    /// Writes one JSON line.
    fn emit(&mut self, line: &impl serde::Serialize) {
        let Some(out) = &mut self.out else { return };
        // Not flushed here: a flush per record is a system call per page, on the crawl's
        // coordinator. The owner flushes on a timer ([`Journal::flush`]), and closing flushes.
        let ok = serde_json::to_writer(&mut *out, line).is_ok() && out.write_all(b"\n").is_ok();
        // A closed pipe (`| head`) is the reader's choice: stop writing, keep crawling.
        if !ok {
            self.out = None;
        }
    }

    fn flush(&mut self) {
        if let Some(out) = &mut self.out {
            let _ = out.flush();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use url::Url;

    use super::*;

    /// A writer the test can read back.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("lock").extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_record_written_out_and_kept_by_no_one_is_held_once() {
        let record = || PageRecord::failed("http://h/a", FetchError::Status(404));
        // A child's streamed crawl: the line is the only copy the child holds.
        let out = Shared::default();
        let streams = Journal::writing(Lines::Protocol, Some(Box::new(out.clone())), false);
        streams.admitted("http://h/a");
        assert_eq!(streams.take(record()), None);
        streams.flush();
        let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("utf-8");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains(r#"{"record":{"url":"http://h/a""#), "{text}");
        assert_eq!(streams.progress(), (1, 0));
        // Kept by the journal too, or written nowhere: the crawl keeps its own.
        let keeps = Journal::new(Some(Box::new(Shared::default())), true);
        assert_eq!(keeps.take(record()), Some(record()));
        let silent = Journal::new(None, false);
        assert_eq!(silent.take(record()), Some(record()));
        assert_eq!((keeps.progress(), silent.progress()), ((1, 0), (1, 0)));
    }

    #[test]
    fn every_admitted_url_is_written_once_even_when_cut_short() {
        let out = Shared::default();
        let j = Journal::new(Some(Box::new(out.clone())), true);
        let url = |p: &str| Url::parse(&format!("http://h/{p}")).expect("url");
        for p in ["a", "b", "c"] {
            j.admitted(url(p).as_str());
        }
        j.finished(&PageRecord::failed("http://h/a", FetchError::Status(404)));
        assert_eq!(j.progress(), (1, 2));
        let (tally, all) = j.close("interrupted");
        // Too late: b already has its cancelled record.
        j.finished(&PageRecord::failed("http://h/b", FetchError::Status(404)));
        j.complete(&all);
        let text = String::from_utf8(out.0.lock().expect("lock").clone()).expect("utf-8");
        let lines: Vec<PageRecord> = text
            .lines()
            .map(|l| serde_json::from_str(l).expect("a record per line"))
            .collect();
        let kinds: Vec<(&str, &str)> = lines
            .iter()
            .map(|r| {
                (
                    r.url.as_str(),
                    r.error.as_ref().map_or("ok", FetchError::kind),
                )
            })
            .collect();
        assert_eq!(
            kinds,
            [
                ("http://h/a", "status"),
                ("http://h/b", "cancelled"),
                ("http://h/c", "cancelled")
            ]
        );
        assert_eq!(all.len(), 3);
        assert_eq!(tally, Tally::of(&all));
        assert_eq!((tally.records, tally.failed), (3, 3));
        assert_eq!(
            tally.kinds.iter().copied().collect::<Vec<_>>(),
            ["cancelled", "status"]
        );
    }
}
