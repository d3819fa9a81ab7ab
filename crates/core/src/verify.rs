//! Checking a contestant's records against ground truth.
//!
//! "Verified, not assumed": the synthetic site knows the right record for every URL, so every
//! run is checked, and a contestant that is fast but wrong is reported as wrong.

use std::collections::{HashMap, HashSet};
use std::fmt;

use crate::record::{FetchError, PageRecord};

/// Which fields of a record the scenario promises.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fields {
    /// Only that the URL completed (the `sleep` scenario).
    Completion,
    /// Status, size, error kind and a file's checksum (`download` and `files` parse nothing).
    Transfer,
    /// Everything, title and link count included.
    Full,
}

/// What a correct run must produce.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// The correct record for every URL that may appear.
    pub records: Vec<PageRecord>,
    /// Which fields are compared.
    pub fields: Fields,
    /// How many records a correct run yields: `records.len()`, or fewer for a capped crawl,
    /// where a subset of that size is acceptable if it could have been crawled (see `graph`).
    pub count: usize,
    /// For crawls: where the crawl starts and what links to what. Every recorded URL but the
    /// root must be linked from a page the same run recorded, so a capped crawl cannot pass by
    /// returning any subset of the site of the right size.
    pub graph: Option<CrawlGraph>,
    /// For the open loop (`load`): a request may end as an `overload` or a `timeout` in place
    /// of its truth. Past capacity an open loop refuses and times out requests by design; the
    /// row counts them, and every other record must still be right.
    pub open_loop: bool,
}

/// The link graph of a crawlable site, in the URLs records carry.
#[derive(Clone, Debug, Default)]
pub struct CrawlGraph {
    /// The URL the crawl starts from.
    pub root: String,
    /// For each page that is parsed (2xx HTML), the URLs it links to.
    pub links: HashMap<String, Vec<String>>,
}

impl Expectation {
    /// Every record in `records` must appear exactly once.
    pub fn exact(records: Vec<PageRecord>, fields: Fields) -> Self {
        let count = records.len();
        Expectation {
            records,
            fields,
            count,
            graph: None,
            open_loop: false,
        }
    }
}

/// The outcome of a check: `ok`, or the first few problems found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Verdict {
    /// How many problems were found in all.
    pub problem_count: usize,
    /// The first problems, for display.
    pub problems: Vec<String>,
}

impl Verdict {
    const SHOWN: usize = 5;

    /// Whether the run was correct.
    pub fn ok(&self) -> bool {
        self.problem_count == 0
    }

    fn push(&mut self, problem: String) {
        self.problem_count += 1;
        if self.problems.len() < Self::SHOWN {
            self.problems.push(problem);
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ok() {
            return f.write_str("verified");
        }
        write!(
            f,
            "{} problem(s): {}",
            self.problem_count,
            self.problems.join("; ")
        )?;
        if self.problem_count > self.problems.len() {
            f.write_str("; …")?;
        }
        Ok(())
    }
}

/// Compares `actual` with `expected`: one record per URL, no URL twice, no unknown URL,
/// no missing URL, and every promised field equal (errors compare by kind, since the detail
/// text differs between HTTP engines).
pub fn verify(actual: &[PageRecord], expected: &Expectation) -> Verdict {
    let mut v = Verdict::default();
    let truth: HashMap<&str, &PageRecord> = expected
        .records
        .iter()
        .map(|r| (r.url.as_str(), r))
        .collect();
    let mut seen = HashSet::new();
    for got in actual {
        if !seen.insert(got.url.as_str()) {
            v.push(format!(
                "{} has more than one record (fetched twice?)",
                got.url
            ));
            continue;
        }
        match truth.get(got.url.as_str()) {
            None => v.push(format!("{} was not expected", got.url)),
            Some(_) if expected.open_loop && refused(got) => {}
            Some(want) => {
                if let Some(diff) = difference(got, want, expected.fields) {
                    v.push(format!("{}: {diff}", got.url));
                }
            }
        }
    }
    if let Some(graph) = &expected.graph {
        // Every page the run recorded could only have been found through a page it fetched.
        let reachable: HashSet<&str> = actual
            .iter()
            .filter_map(|r| graph.links.get(r.url.as_str()))
            .flatten()
            .map(String::as_str)
            .chain([graph.root.as_str()])
            .collect();
        for got in actual {
            if truth.contains_key(got.url.as_str()) && !reachable.contains(got.url.as_str()) {
                v.push(format!(
                    "{} is linked from no page this crawl fetched (how was it found?)",
                    got.url
                ));
            }
        }
    }
    if seen.len() < expected.count {
        let mut missing: Vec<&str> = truth
            .keys()
            .copied()
            .filter(|u| !seen.contains(u))
            .collect();
        missing.sort_unstable();
        let shown = missing
            .iter()
            .take(3)
            .copied()
            .collect::<Vec<_>>()
            .join(", ");
        v.push(format!(
            "{} record(s) missing of {} (e.g. {shown})",
            expected.count - seen.len(),
            expected.count
        ));
    } else if seen.len() > expected.count {
        v.push(format!(
            "{} records, expected {} (page cap exceeded?)",
            seen.len(),
            expected.count
        ));
    }
    v
}

/// Whether an open-loop request was refused or timed out (see [`Expectation::open_loop`]).
fn refused(got: &PageRecord) -> bool {
    matches!(
        got.error,
        Some(FetchError::Overload(_) | FetchError::Timeout(_))
    )
}

fn difference(got: &PageRecord, want: &PageRecord, fields: Fields) -> Option<String> {
    if fields == Fields::Completion {
        return None;
    }
    let got_kind = got.error.as_ref().map(|e| e.kind());
    let want_kind = want.error.as_ref().map(|e| e.kind());
    if got_kind != want_kind {
        return Some(match &got.error {
            Some(e) => format!(
                "got error '{e}', expected {}",
                want_kind.unwrap_or("success")
            ),
            None => format!("succeeded, expected a {} error", want_kind.unwrap_or("?")),
        });
    }
    if got.status != want.status {
        return Some(format!(
            "status {:?}, expected {:?}",
            got.status, want.status
        ));
    }
    if got.size != want.size {
        return Some(format!("size {}, expected {}", got.size, want.size));
    }
    // A file's bytes (`files`); no other record carries one.
    if got.checksum != want.checksum {
        let hex = |c: Option<u32>| c.map_or_else(|| "none".to_owned(), |c| format!("{c:08x}"));
        return Some(format!(
            "checksum {}, expected {}",
            hex(got.checksum),
            hex(want.checksum)
        ));
    }
    if got.final_url != want.final_url {
        return Some(format!(
            "redirected to {:?}, expected {:?}",
            got.final_url, want.final_url
        ));
    }
    if fields == Fields::Full {
        if got.title != want.title {
            return Some(format!("title {:?}, expected {:?}", got.title, want.title));
        }
        if got.links != want.links {
            return Some(format!("{} links, expected {}", got.links, want.links));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::FetchError;

    fn rec(url: &str, links: usize) -> PageRecord {
        PageRecord {
            url: url.into(),
            status: Some(200),
            title: Some("t".into()),
            links,
            size: 10,
            error: None,
            final_url: None,
            latency: None,
            checksum: None,
        }
    }

    #[test]
    fn a_correct_run_passes() {
        let want = Expectation::exact(vec![rec("a", 1), rec("b", 2)], Fields::Full);
        assert!(verify(&[rec("b", 2), rec("a", 1)], &want).ok());
    }

    #[test]
    fn every_kind_of_wrong_is_caught() {
        let want = Expectation::exact(vec![rec("a", 1), rec("b", 2)], Fields::Full);
        let wrong_links = verify(&[rec("a", 1), rec("b", 3)], &want);
        assert_eq!(wrong_links.problem_count, 1);
        assert!(wrong_links.problems[0].contains("3 links, expected 2"));
        assert!(!verify(&[rec("a", 1)], &want).ok(), "missing record");
        assert!(
            !verify(&[rec("a", 1), rec("a", 1), rec("b", 2)], &want).ok(),
            "duplicate"
        );
        assert!(
            !verify(&[rec("a", 1), rec("b", 2), rec("c", 0)], &want).ok(),
            "unknown URL"
        );
        let failed = PageRecord::failed("b", FetchError::Timeout(1));
        assert!(
            !verify(&[rec("a", 1), failed], &want).ok(),
            "error instead of success"
        );
    }

    #[test]
    fn transfer_checks_ignore_parsed_fields_but_not_size() {
        let want = Expectation::exact(vec![rec("a", 1)], Fields::Transfer);
        let mut got = rec("a", 0);
        got.title = None;
        assert!(verify(std::slice::from_ref(&got), &want).ok());
        got.size = 11;
        assert!(!verify(&[got], &want).ok());
    }

    #[test]
    fn capped_crawls_accept_a_crawlable_subset_of_the_right_size() {
        let mut want =
            Expectation::exact(vec![rec("a", 1), rec("b", 2), rec("c", 3)], Fields::Full);
        want.count = 2;
        // a links to b and c; b and c link nowhere. The crawl starts at a.
        want.graph = Some(CrawlGraph {
            root: "a".into(),
            links: HashMap::from([("a".into(), vec!["b".into(), "c".into()])]),
        });
        assert!(verify(&[rec("c", 3), rec("a", 1)], &want).ok());
        assert!(verify(&[rec("a", 1), rec("b", 2)], &want).ok());
        assert!(!verify(&[rec("c", 3)], &want).ok());
        assert!(!verify(&[rec("a", 1), rec("b", 2), rec("c", 3)], &want).ok());
        // The right size, every record right, but b and c cannot be found without a.
        let v = verify(&[rec("b", 2), rec("c", 3)], &want);
        assert!(!v.ok());
        assert!(v.problems[0].contains("linked from no page"), "{v}");
    }
}
