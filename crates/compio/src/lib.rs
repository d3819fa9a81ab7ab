//! The compio contestant: thread-per-core on a completion reactor (io_uring).
//!
//! Every other async contestant is *work-stealing on a readiness reactor*: one runtime, T
//! worker threads that take tasks from each other, and epoll telling them which sockets are
//! ready to read. This one is the other design engineers weigh against tokio:
//!
//! - **T cores, each its own runtime.** T threads ([`cores`]), each with its own compio
//!   runtime, its own io_uring ring, its own HTTP client and its own connections. A task is
//!   spawned on one core and never leaves it, so tasks need not be `Send`, and nothing is
//!   locked between cores.
//! - **Work is split up front** ([`split`]): C and the input list are dealt to the cores
//!   before anything starts; a crawl's frontier is split by URL hash, one shard per core,
//!   with no coordinator (crawl.rs). No core takes over another's work.
//! - **The kernel owns the buffers.** A read is handed to the kernel with its buffer and
//!   completes later, so hyper's lent buffers go through the owned-buffer adapter in
//!   [`shootout_http::completion`], at the cost of one copy per read.
//! - **CPU work stays on the core**: a page is parsed by the core that fetched it, inline.
//!   The pitfall scenario measures what that costs the core's other tasks.
//!
//! # Why compio, and not monoio or glommio
//!
//! All three are thread-per-core on io_uring. compio is actively released (0.19.2 in August
//! 2026), builds on stable Rust, names the driver it runs on (`Runtime::driver_type`), has a
//! poll-driver fallback for kernels that refuse io_uring, and its own HTTP client (cyper)
//! already drives hyper over it, so the lab's shared hyper engine can too. monoio has the same
//! model and a legacy epoll driver, but its last release (0.2.4) is from August 2024;
//! glommio's needs a recent kernel and has no fallback at all. The lab's comparison needs a
//! runtime a reader can still choose today, on the machine they have.
//!
//! # The driver, named
//!
//! [`driver`] decides io_uring or the fallback before any core starts, names the reason when
//! it falls back, and every row shows the driver each core's runtime reports.
//! `SHOOTOUT_COMPIO_DRIVER=poll` forces the fallback; `=io_uring` refuses to run without it.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate, plus the thread-per-core
//! machinery:
//!
//! - `sleep.rs`: a task per wait on each core's own timer, each core holding its share of C;
//! - `download.rs`: a task per URL on the core's own client;
//! - `scrape.rs`: like download, parsing inline on the core that fetched the page;
//! - `crawl.rs`: a frontier shard per core, links sent to the core that owns them;
//! - `parse.rs`: each core parses its pages, one after another;
//! - `files.rs`, `write.rs`: a task per file on `compio::fs`, each step (openat, statx, read
//!   or write, close) submitted to the core's ring, no thread hop;
//! - `pitfall.rs`: scrape with a heartbeat on every core, parsing inline, after a blocking
//!   `std::thread::sleep`, on compio's blocking pool, or on a rayon pool of T threads;
//! - [`cores`], [`split`], [`driver`]: the cores, how work is dealt to them, and the driver.

pub mod cores;
mod crawl;
mod download;
pub mod driver;
mod files;
mod load;
mod parse;
mod pitfall;
mod scrape;
mod sleep;
pub mod split;
mod write;

mod bounded;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::load::{LoadRun, Plan as LoadPlan, Slots};
use shootout_core::page::task_failed;
use shootout_core::pitfall::{Offload, PitfallRun};
use shootout_core::{
    CrawlSpec, Driver, Family, Knobs, Model, Page, PageRecord, Runner, SetupError,
};
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;
use url::Url;

use crate::cores::Cores;
use crate::driver::Plan;
use crate::split::{active, gather, round_robin, shares};

pub use crate::driver::DRIVER_ENV;

/// The HTTP client of one core.
pub type Client = AsyncClient<CompioRuntime>;

/// The compio contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Compio;

impl Model for Compio {
    fn name(&self) -> &'static str {
        "compio"
    }

    fn about(&self) -> &'static str {
        "compio thread-per-core: T threads, each its own io_uring runtime and connections, \
         work dealt up front (no stealing), parsing inline"
    }

    fn family(&self) -> Family {
        Family::Async
    }

    fn pitfall_variants(&self) -> &'static [Offload] {
        &Offload::ALL
    }

    fn driver(&self) -> Result<Driver, String> {
        Plan::here().map(|plan| driver::named(plan.driver_type, plan.fallback))
    }

    fn file_api(&self) -> &'static str {
        "compio::fs: openat, statx, read and close each submitted to the core's io_uring (on the poll fallback, a hop to compio's thread pool)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let plan = Plan::here().map_err(|e| SetupError::new(self.name(), e))?;
        let cores = Cores::start(self.name(), knobs, plan)?;
        let rayon = shootout_core::pitfall::offload_pool(self.name(), knobs)?;
        Ok(Box::new(CompioRunner {
            cores,
            rayon: Arc::new(rayon),
            // Cores with a share of C; with C < T the others get no I/O work.
            active: active(knobs.concurrency, knobs.threads),
        }))
    }
}

struct CompioRunner {
    cores: Cores,
    rayon: Arc<rayon::ThreadPool>,
    active: usize,
}

impl Runner for CompioRunner {
    fn driver(&self) -> Option<Driver> {
        Some(self.cores.driver().clone())
    }

    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        let parts = round_robin(std::iter::repeat_n((), n), self.active);
        let answers = self.cores.scatter(parts, move |core, waits| {
            sleep::sleep(waits, wait, core.share)
        });
        gather(n, answers, |i| format!("sleep:{i}"))
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        let parts = round_robin(urls.iter().cloned(), self.active);
        let answers = self.cores.scatter(parts, download::download);
        gather(urls.len(), answers, |i| urls[i].to_string())
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        let parts = round_robin(urls.iter().cloned(), self.active);
        let answers = self.cores.scatter(parts, scrape::scrape);
        gather(urls.len(), answers, |i| urls[i].to_string())
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        let parts = crawl::parts(root, spec, self.active);
        let answers = self.cores.scatter(parts, crawl::crawl);
        let lost = answers.iter().filter(|a| a.is_none()).count();
        let mut records: Vec<PageRecord> = answers.into_iter().flatten().flatten().collect();
        if lost > 0 {
            // A core's orchestration panicked (page tasks catch their own): its shard's
            // records are gone, so say so rather than return a crawl that looks whole.
            records.push(task_failed(
                root.as_str(),
                format!("{lost} core(s) panicked"),
            ));
        }
        records
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        // Dealt as URLs are: each core reads its share through its own ring, with its share
        // of C in flight.
        let parts = round_robin(paths.iter().cloned(), self.active);
        let answers = self.cores.scatter(parts, files::files);
        gather(paths.len(), answers, |i| {
            paths[i].to_string_lossy().into_owned()
        })
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        let source: Arc<[u8]> = source.into();
        let parts = round_robin(paths.iter().cloned(), self.active);
        let answers = self.cores.scatter(parts, move |core, part| {
            write::write(core, part, source.clone(), fsync)
        });
        gather(paths.len(), answers, |i| {
            paths[i].to_string_lossy().into_owned()
        })
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        // Every core parses: CPU work has no share of C to wait for. Each core owns its pages
        // (a runtime's task is `'static`): clones, two reference counts each, no body copied.
        let parts = round_robin(pages.iter().cloned(), self.cores.count());
        let answers = self.cores.scatter(parts, |core, pages| {
            let extract = core.extract;
            async move { parse::parse(pages, extract) }
        });
        gather(pages.len(), answers, |i| pages[i].url.to_string())
    }

    fn load(&self, plan: &Arc<LoadPlan>) -> LoadRun {
        // Dealt round-robin, as every list is: core k sends every `active`-th request, so
        // each core is asked R / active a second. Q is split as C is.
        let offsets = plan.due.iter().copied();
        let queues = shares(plan.queue, self.active);
        let start = Instant::now();
        let parts = round_robin(offsets, self.active)
            .into_iter()
            .zip(queues)
            .map(|(requests, queue)| load::Part {
                plan: plan.clone(),
                requests,
                start,
                queue,
            })
            .collect();
        let answers = self.cores.scatter(parts, load::load);
        // A core that did not answer leaves its requests unseen: `finish` gives each an
        // `internal` record.
        let mut slots = Slots::new(plan.len());
        for (records, refused) in answers.into_iter().flatten() {
            for (i, record) in records {
                slots.set(i, record, plan);
            }
            for i in refused {
                slots.refuse(i);
            }
        }
        slots.finish(plan)
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        let parts = round_robin(urls.iter().cloned(), self.active);
        let pool = self.rayon.clone();
        let answers = self.cores.scatter(parts, move |core, urls| {
            pitfall::pitfall(core, urls, offload, pool.clone())
        });
        let mut lags = Vec::new();
        let records = answers
            .into_iter()
            .map(|answer| {
                answer.map(|(records, core_lags)| {
                    lags.extend(core_lags);
                    records
                })
            })
            .collect();
        Some(PitfallRun {
            records: gather(urls.len(), records, |i| urls[i].to_string()),
            lags,
        })
    }
}

/// What a compio task's failure was, for its record.
fn join_error(e: &compio::runtime::JoinError) -> &'static str {
    match e {
        compio::runtime::JoinError::Cancelled => "cancelled",
        compio::runtime::JoinError::Panicked(_) => "panicked",
    }
}
