//! Ground truth: what a correct run of a job yields, and the inputs of its ideal time.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use shootout_core::files::{Cache, FileSet, file_record};
use shootout_core::page::sleep_record;
use shootout_core::verify::{Expectation, Fields};
use shootout_core::{Knobs, Scenario, Strategy};
use shootout_site::Site;

/// What a correct run of a job produces, and the inputs of its ideal time.
pub struct Truth {
    /// The records a correct run yields.
    pub expectation: Expectation,
    /// Requests per level (one level, except for crawls).
    pub levels: Vec<usize>,
    /// How long the scenario's parsing takes on one core, measured here.
    pub single_core: Duration,
    /// The share of the site's pages the scenario parses: none for `sleep` and `download`,
    /// part of them for a capped crawl.
    parsed: f64,
    /// For `files` and `write`: the bare loop's fastest time over the set, by what it did and
    /// how many at once, measured in calibration ([`Truth::set_disk`]).
    disk: BTreeMap<(Floor, usize), Duration>,
}

/// What a bare loop that bounds a `files` or `write` run did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Floor {
    /// Read the set, in this cache state.
    Read(Cache),
    /// Wrote N files, with or without `fsync`.
    Write {
        /// Whether each file was flushed with `fsync`.
        fsync: bool,
    },
}

impl Floor {
    /// The floor that bounds a run of `job`, if it is a `files` or `write` job.
    pub fn of(job: &shootout_core::Job) -> Option<Floor> {
        match job.scenario {
            Scenario::Files => Some(Floor::Read(job.files.as_ref()?.cache?)),
            Scenario::Write => Some(Floor::Write {
                fsync: job.knobs.fsync,
            }),
            _ => None,
        }
    }
}

impl std::fmt::Display for Floor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Floor::Read(cache) => write!(f, "read, {cache}"),
            Floor::Write { fsync: false } => f.write_str("write"),
            Floor::Write { fsync: true } => f.write_str("write, fsync"),
        }
    }
}

impl Truth {
    /// Sets [`Truth::single_core`] from a new reference, the single-core time to extract every
    /// HTML page of the site (a faster one, measured in a later round).
    pub fn set_single_core(&mut self, whole_site: Duration) {
        self.single_core = whole_site.mul_f64(self.parsed);
    }

    /// Keeps `wall`, a bare loop's time (`floor`) over the whole set with `in_flight` at once,
    /// if it is the fastest yet.
    pub fn set_disk(&mut self, floor: Floor, in_flight: usize, wall: Duration) {
        let best = self.disk.entry((floor, in_flight)).or_insert(wall);
        *best = (*best).min(wall);
    }

    /// The `files` (or `write`) floor of a run with `concurrency` reads (or writes) in flight
    /// on `threads` threads: the fastest bare loop over the set doing the same (in the same
    /// cache state) with at most that many in flight (run with `threads` and with
    /// `concurrency` threads; on two cores, more threads than cores can be faster warm, so
    /// both are tried and the faster kept).
    /// Zero where none was measured: then the row has no ideal, and says so.
    pub fn disk_floor(&self, floor: Floor, concurrency: usize, threads: usize) -> Duration {
        floors(concurrency, threads)
            .into_iter()
            .filter_map(|k| self.disk.get(&(floor, k)).copied())
            .min()
            .unwrap_or(Duration::ZERO)
    }
}

/// The reads in flight the bare loop is measured at for a run of `concurrency` reads in flight
/// on `threads` threads: min(T, C) and C.
pub fn floors(concurrency: usize, threads: usize) -> Vec<usize> {
    let mut k = vec![threads.min(concurrency).max(1), concurrency.max(1)];
    k.dedup();
    k
}

/// The truth of a `files` run over `set`: each file's size and checksum, as written. Its ideal
/// is the bare read's ([`Truth::set_disk`]), measured as the rounds run.
pub fn files_truth(set: &FileSet) -> Truth {
    disk_truth(set, set.sums().iter().copied().enumerate(), |i| set.path(i))
}

/// The truth of a `write` run of `n` files from `set`'s source: each written file's size and
/// checksum. (The parent also reads every file back after the run: `FileSet::check_writes`.)
pub fn write_truth(set: &FileSet, n: usize) -> Truth {
    disk_truth(set, set.write_sums(n).into_iter().enumerate(), |i| {
        set.write_path(i)
    })
}

fn disk_truth(
    set: &FileSet,
    sums: impl Iterator<Item = (usize, u32)>,
    path: impl Fn(usize) -> std::path::PathBuf,
) -> Truth {
    let len = set.spec().kib * 1024;
    let records = sums
        .map(|(i, sum)| file_record(&path(i), len, sum))
        .collect();
    Truth {
        expectation: Expectation::exact(records, Fields::Transfer),
        levels: Vec::new(),
        single_core: Duration::ZERO,
        parsed: 0.0,
        disk: BTreeMap::new(),
    }
}

/// Only the records a correct run of `scenario` with `knobs` on `site` yields (a crawl capped
/// at `max_pages`), without measuring anything (for tests and benches, which need no ideal
/// time).
pub fn expectation(
    site: &Site,
    scenario: Scenario,
    knobs: &Knobs,
    max_pages: usize,
) -> Expectation {
    truth(site, scenario, knobs, max_pages, Duration::ZERO).expectation
}

/// The ground truth of `scenario` with `knobs` on `site` (a crawl capped at `max_pages`; N
/// waits of `sleep` from the knobs, since its site is empty) from the site's
/// generator, with `single_core`, the single-core time to extract the scenario's HTML pages
/// ([`Site::html_pages`]): the rounds measure it in a child (`shootout __calibrate`),
/// [`calibrate`] measures it in this process.
pub fn truth(
    site: &Site,
    scenario: Scenario,
    knobs: &Knobs,
    max_pages: usize,
    single_core: Duration,
) -> Truth {
    let n = knobs.pages;
    let (expectation, levels, parsed) = match scenario {
        Scenario::Sleep => (
            Expectation::exact((0..n).map(sleep_record).collect(), Fields::Completion),
            vec![n],
            0.0,
        ),
        Scenario::Download => (site.expect_pages(Fields::Transfer), vec![n], 0.0),
        Scenario::Scrape | Scenario::Pitfall => (site.expect_pages(Fields::Full), vec![n], 1.0),
        Scenario::Crawl => {
            let (expectation, levels) = site.expect_crawl(max_pages);
            // A capped crawl parses only part of the site.
            let share =
                (expectation.count as f64 / expectation.records.len().max(1) as f64).min(1.0);
            (expectation, levels, share)
        }
        Scenario::Parse => (site.expect_parse(), Vec::new(), 1.0),
        // A set of files is not the site's: its truth is `files_truth`'s (or `write_truth`'s).
        // Here, no record is expected, so a run scored against this truth cannot pass.
        Scenario::Files | Scenario::Write => (
            Expectation::exact(Vec::new(), Fields::Transfer),
            Vec::new(),
            0.0,
        ),
        // The open loop's ideal is its schedule's (the last request due, then held L), which
        // the job carries: see `score::ideal_of`.
        Scenario::Load => (
            site.expect_load(knobs.load.schedule().len()),
            Vec::new(),
            0.0,
        ),
    };
    // Heavy pages weigh more as the server serves them (crates/site/src/shape.rs).
    let mut expectation = expectation;
    shootout_site::shape::reshape(&mut expectation, site, &knobs.shape);
    let mut truth = Truth {
        expectation,
        levels,
        single_core: Duration::ZERO,
        parsed,
        disk: BTreeMap::new(),
    };
    truth.set_single_core(single_core);
    truth
}

/// Single-core time to extract every body with `extract`: the fastest of many passes (at
/// least 3, and until 0.5 s have been spent, at most 1,000), so a cold cache, a context switch
/// or a burst of contention on a shared VM does not inflate the ideal. The ideal is a lower
/// bound, so the fastest pass is the right one: the runs it divides are each the median of
/// their own repetitions, and do at least this work per page (they also build each record).
pub fn calibrate(bodies: &[Bytes], extract: Strategy) -> Duration {
    extract.warm_up();
    let started = Instant::now();
    let mut best = Duration::MAX;
    for pass in 0..shootout_core::job::MAX_REPETITIONS {
        if pass >= 3 && started.elapsed() > Duration::from_millis(500) {
            break;
        }
        let start = Instant::now();
        for b in bodies {
            std::hint::black_box(extract.extract(b));
        }
        best = best.min(start.elapsed());
    }
    if bodies.is_empty() {
        Duration::ZERO
    } else {
        best
    }
}
