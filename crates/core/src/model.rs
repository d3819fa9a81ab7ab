//! The interface every concurrency model implements.
//!
//! A [`Model`] describes itself and builds a [`Runner`]: its runtime, pool and HTTP client,
//! all made *before* the clock starts. The child process a run gets then times one `Runner`
//! method. (The lab's registry lists every contestant: these Rust models, and programs in
//! other languages that speak the same protocol, described by data.)

use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use url::Url;

use crate::driver::{self, Driver};
use crate::knobs::Knobs;
use crate::load::{LoadRun, Plan};
use crate::page::Page;
use crate::pitfall::{Offload, PitfallRun};
use crate::record::PageRecord;
use crate::scope::CrawlSpec;
pub use crate::setup::SetupError;

/// Which family a contestant belongs to; decides its HTTP engine. Rows carry it (as
/// `"sequential"`, `"async"`, …), and the report groups rows by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Family {
    /// One thing at a time: the "before" picture.
    Sequential,
    /// Concurrency on an async runtime, over the shared hyper engine.
    Async,
    /// Parallelism on OS threads, over the shared blocking (ureq) engine.
    Parallel,
    /// Async I/O with CPU work on a parallel pool.
    Hybrid,
    /// The Python programs the lab's lessons start from (python/), run as child processes
    /// over requests and aiohttp.
    Python,
}

impl fmt::Display for Family {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Family::Sequential => "sequential",
            Family::Async => "async",
            Family::Parallel => "parallel",
            Family::Hybrid => "hybrid",
            Family::Python => "python",
        })
    }
}

/// The concurrency and parallelism a contestant really uses under given knobs; the ideal-time
/// model is computed from these, so a contestant is never measured against a limit it cannot
/// reach by design (the sequential baseline has C = 1 and T = 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Effective {
    /// The most requests in flight at once.
    pub concurrency: usize,
    /// The threads that can parse at the same time.
    pub threads: usize,
}

/// A concurrency model taking part in the shootout, compiled into it.
pub trait Model: Send + Sync {
    /// The short name used on the command line (`sequential`, `tokio`, …).
    fn name(&self) -> &'static str;
    /// One line for `shootout list`: what this contestant shows.
    fn about(&self) -> &'static str;
    /// The family, which decides the HTTP engine.
    fn family(&self) -> Family;
    /// A warning a user should see next to the name (for example "discontinued upstream").
    fn caveat(&self) -> Option<&'static str> {
        None
    }
    /// The largest concurrency C this contestant measures anything at, and why. Tasks are
    /// cheap, so the default is the knob's own limit; a contestant with one OS thread per
    /// request in flight has a lower one, and a C past it is refused before anything starts.
    fn max_concurrency(&self) -> (usize, &'static str) {
        (usize::MAX, "")
    }
    /// The `pitfall` variants it runs: every async runtime runs all of them; contestants
    /// without an event loop have no loop to block, and run none.
    fn pitfall_variants(&self) -> &'static [Offload] {
        &[]
    }
    /// The concurrency and threads it really uses with these knobs.
    fn effective(&self, knobs: &Knobs) -> Effective {
        Effective {
            concurrency: knobs.concurrency,
            threads: knobs.threads,
        }
    }
    /// The driver its I/O will go through here. The default is fixed by the family: the
    /// OS's readiness reactor for the async runtimes (mio and polling both use epoll on
    /// Linux), none for threads that block. A contestant whose driver is decided at run time
    /// (compio: io_uring, or epoll when io_uring is refused) finds out here, the same way
    /// `prepare` does, and its runner reports what really ran ([`Runner::driver`]).
    /// An error is a driver it cannot run on here, in one line (then `prepare` fails too).
    fn driver(&self) -> Result<Driver, String> {
        Ok(Driver::preferred(match self.family() {
            Family::Sequential | Family::Parallel => driver::BLOCKING,
            Family::Async | Family::Hybrid | Family::Python => driver::READINESS,
        }))
    }
    /// What its `files` scenario reads through, and what that does underneath, for
    /// `shootout list` and the docs: `tokio::fs::read (spawn_blocking: a hop to the blocking
    /// pool per call)`.
    fn file_api(&self) -> &'static str;
    /// Builds the runtime, pools and client for these knobs. Called outside the timed region.
    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError>;
}

/// A ready-to-go contestant: one method per scenario, each returning exactly one record per
/// input (per admitted URL, for a crawl). Every method must return, never panic, whatever the
/// server does.
pub trait Runner {
    /// The driver this runner's runtime says it runs on, when the runtime can be asked (compio
    /// reports the driver it built); `None` when it is fixed by the contestant
    /// ([`Model::driver`]).
    fn driver(&self) -> Option<Driver> {
        None
    }
    /// `n` simulated downloads, each a timer wait of `wait`, at most C at once.
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord>;
    /// GET every URL; record status and size.
    fn download(&self, urls: &[Url]) -> Vec<PageRecord>;
    /// GET and parse every URL.
    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord>;
    /// Crawl from `root` within `spec` (same origin, each URL once, at most `spec.max_pages`
    /// URLs), handing every finished page to a [`Frontier`](crate::Frontier) made from `spec`.
    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord>;
    /// Parse every in-memory page.
    fn parse(&self, pages: &[Page]) -> Vec<PageRecord>;
    /// Read every file whole, at most C at once, through the runtime's own file API, each
    /// into its record ([`crate::files::record`]): its size and checksum, or an `io` error.
    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord>;
    /// Write every file of `paths`, at most C at once, through the runtime's own file API:
    /// file i holds [`crate::files::write_content`]`(source, i)`, made on the clock, and is
    /// flushed with `fsync` before it is closed if `fsync` says; its record is
    /// [`crate::files::written`]'s.
    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord>;
    /// Scrape every URL with a heartbeat task on the same runtime, parsing as `offload`
    /// says. `None` for a contestant without an event loop.
    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        let _ = (urls, offload);
        None
    }
    /// The open-loop scenario: each request of `plan` sent when it falls due (as soon as a
    /// connection is free, if C are in flight), one record per request, in schedule order: a
    /// response, a `timeout` a timeout after it fell due, or an `overload` if it fell due
    /// with C in flight and Q waiting ([`crate::load`]), held as its index ([`LoadRun`]).
    fn load(&self, plan: &Arc<Plan>) -> LoadRun;
}
