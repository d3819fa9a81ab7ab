//! The tokio contestants: every scenario as tokio would have you write it.
//!
//! Two contestants share this code and differ only in the runtime they build:
//!
//! - `tokio`: the multi-thread runtime with exactly T worker threads, work-stealing tasks
//!   between them;
//! - `tokio-current-thread`: one thread runs every task. I/O still overlaps (concurrency),
//!   but no two tasks ever run at the same instant (no parallelism). Parsing still goes to the
//!   blocking pool, so it is the I/O side that is single-threaded.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate:
//!
//! - `sleep.rs`: a task per wait, a `Semaphore` bounding how many exist at once;
//! - `download.rs`: a task per URL on the shared hyper engine, joined in order;
//! - `scrape.rs`: like download, then `spawn_blocking` to parse off the async workers;
//! - `crawl.rs`: a coordinator with a queue and an `mpsc` channel, C pages in flight;
//! - `parse.rs`: `spawn_blocking` per page on a blocking pool of T threads;
//! - `files.rs`, `write.rs`: a task per file on `tokio::fs`, which is a `spawn_blocking` hop
//!   to that pool per call (epoll cannot wait on a file);
//! - `pitfall.rs`: scrape with a heartbeat task alongside, parsing inline, after a blocking
//!   `std::thread::sleep`, on `spawn_blocking`, or on a rayon pool of T threads;
//! - `load.rs`: the open loop: a dispatcher on tokio's timer spawns each request as it falls
//!   due.
//!
//! The HTTP client is [`shootout_http::engine::AsyncClient`] over tokio's `TcpStream`, the same
//! engine async-std and smol use, so the runtime is the only variable.
//!
//! [`lessons`] holds no code: it is the asyncio mistakes Rust refuses to compile, as
//! compile-fail doctests.

// Public so that the hybrid contestant (tokio + rayon) can reuse the scenarios that have no
// CPU work, and the bounded fan-out, instead of copying them.
pub mod bounded;
pub mod crawl;
pub mod download;
pub mod files;
pub mod lessons;
pub mod load;
pub mod parse;
pub mod pitfall;
pub mod scrape;
pub mod sleep;
pub mod write;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use shootout_core::load::{LoadRun, Plan};
use shootout_core::pitfall::{Offload, PitfallRun};
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use url::Url;

/// The HTTP client every tokio scenario shares.
pub type Client = AsyncClient<TokioRuntime>;

/// Which tokio scheduler to build.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flavor {
    /// `Builder::new_multi_thread()` with `worker_threads(T)`.
    MultiThread,
    /// `Builder::new_current_thread()`: every task on the calling thread.
    CurrentThread,
}

/// A tokio contestant.
#[derive(Clone, Copy, Debug)]
pub struct Tokio {
    flavor: Flavor,
}

/// tokio's multi-thread runtime, pinned to T workers.
pub static TOKIO: Tokio = Tokio {
    flavor: Flavor::MultiThread,
};

/// tokio's current-thread runtime.
pub static TOKIO_CURRENT_THREAD: Tokio = Tokio {
    flavor: Flavor::CurrentThread,
};

impl Model for Tokio {
    fn name(&self) -> &'static str {
        match self.flavor {
            Flavor::MultiThread => "tokio",
            Flavor::CurrentThread => "tokio-current-thread",
        }
    }

    fn about(&self) -> &'static str {
        match self.flavor {
            Flavor::MultiThread => {
                "tokio multi-thread runtime, T workers, a task per page, parsing on spawn_blocking"
            }
            Flavor::CurrentThread => {
                "tokio on one thread: waits still overlap (concurrency without parallelism)"
            }
        }
    }

    fn family(&self) -> Family {
        Family::Async
    }

    fn pitfall_variants(&self) -> &'static [Offload] {
        &Offload::ALL
    }

    fn file_api(&self) -> &'static str {
        // The current-thread runtime has a blocking pool too, of T threads: its files run there.
        "tokio::fs::read (spawn_blocking: a hop to the blocking pool of T threads per call)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let mut builder = match self.flavor {
            Flavor::MultiThread => {
                let mut b = tokio::runtime::Builder::new_multi_thread();
                // Exactly T workers; tokio would otherwise start one per core.
                b.worker_threads(knobs.threads);
                b
            }
            Flavor::CurrentThread => tokio::runtime::Builder::new_current_thread(),
        };
        let runtime = builder
            // The blocking pool is where parsing runs; cap it at T too (tokio's default is 512).
            .max_blocking_threads(knobs.threads)
            .enable_all()
            .build()
            .map_err(|e| SetupError::new(self.name(), e))?;
        let client = Arc::new(AsyncClient::new(
            TokioRuntime::new(runtime.handle().clone()),
            knobs,
        ));
        let rayon = shootout_core::pitfall::offload_pool(self.name(), knobs)?;
        Ok(Box::new(TokioRunner {
            runtime,
            client,
            rayon: Arc::new(rayon),
            concurrency: knobs.concurrency,
            extract: knobs.extract,
        }))
    }
}

struct TokioRunner {
    runtime: tokio::runtime::Runtime,
    client: Arc<Client>,
    rayon: Arc<rayon::ThreadPool>,
    concurrency: usize,
    extract: Strategy,
}

impl Runner for TokioRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        self.runtime
            .block_on(sleep::sleep(n, wait, self.concurrency))
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.runtime.block_on(download::download(
            self.client.clone(),
            urls,
            self.concurrency,
        ))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.runtime.block_on(scrape::scrape(
            self.client.clone(),
            urls,
            self.concurrency,
            self.extract,
        ))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        self.runtime.block_on(crawl::crawl(
            self.client.clone(),
            root,
            spec,
            self.concurrency,
            self.extract,
        ))
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        self.runtime.block_on(files::files(paths, self.concurrency))
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        self.runtime
            .block_on(write::write(paths, source.into(), fsync, self.concurrency))
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        self.runtime.block_on(parse::parse(pages, self.extract))
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        self.runtime
            .block_on(load::load(self.client.clone(), plan.clone()))
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        Some(self.runtime.block_on(pitfall::pitfall(
            self.client.clone(),
            self.rayon.clone(),
            urls,
            self.concurrency,
            offload,
            self.extract,
        )))
    }
}
