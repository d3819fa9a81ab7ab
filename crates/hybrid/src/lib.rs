//! The hybrid contestant: each kind of work where it belongs.
//!
//! The articles' answer to "CPU-bound work blocks the event loop" is to move the CPU work
//! elsewhere. Here the event loop is tokio (T workers), doing only I/O, and the CPU work goes
//! to a rayon pool (T threads) built for exactly that; each parse reports back to its waiting
//! task over a `tokio::sync::oneshot`. Compared with tokio's `spawn_blocking`, rayon's pool is
//! sized to the cores, not to the number of blocking calls, and balances by work stealing.
//!
//! # Layout
//!
//! - `sleep.rs`, `download.rs`: no CPU work, so they are tokio's own (re-used, not copied);
//! - `offload.rs`: run a closure on the rayon pool and await its result;
//! - `scrape.rs`: fetch on tokio, parse through `offload`;
//! - `crawl.rs`: tokio's crawl loop (re-used), with every parse through `offload`;
//! - `parse.rs`: the whole batch as one rayon `par_iter`, awaited from async code.
//! - `files` and `write`: tokio's own (`tokio::fs`: a checksum is no work for rayon).

mod crawl;
mod offload;
mod parse;
mod scrape;

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

/// The HTTP client (the same engine the tokio contestant uses).
pub type Client = AsyncClient<TokioRuntime>;

/// The hybrid contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Hybrid;

impl Model for Hybrid {
    fn name(&self) -> &'static str {
        "hybrid"
    }

    fn about(&self) -> &'static str {
        "tokio for I/O (T workers) + rayon for parsing (T threads), joined by oneshot channels"
    }

    fn family(&self) -> Family {
        Family::Hybrid
    }

    /// Its event loop is tokio's, and its way of parsing is the `rayon` variant: the fix the
    /// pitfall's other variants are measured against, built in.
    fn pitfall_variants(&self) -> &'static [Offload] {
        &[Offload::Rayon]
    }

    fn file_api(&self) -> &'static str {
        "tokio::fs::read on hybrid's tokio runtime (spawn_blocking: a hop to its blocking pool of T threads per call); a checksum is no work for rayon"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(knobs.threads)
            // Nothing here calls spawn_blocking (DNS for a host name aside): parsing goes to
            // rayon. Keep the blocking pool small all the same.
            .max_blocking_threads(knobs.threads)
            .enable_all()
            .build()
            .map_err(|e| SetupError::new(self.name(), e))?;
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(knobs.threads)
            .thread_name(|i| format!("hybrid-rayon-{i}"))
            .build()
            .map_err(|e| SetupError::new(self.name(), e))?;
        let client = Arc::new(AsyncClient::new(
            TokioRuntime::new(runtime.handle().clone()),
            knobs,
        ));
        Ok(Box::new(HybridRunner {
            runtime,
            pool: Arc::new(pool),
            client,
            concurrency: knobs.concurrency,
            extract: knobs.extract,
        }))
    }
}

struct HybridRunner {
    runtime: tokio::runtime::Runtime,
    pool: Arc<rayon::ThreadPool>,
    client: Arc<Client>,
    concurrency: usize,
    extract: Strategy,
}

impl Runner for HybridRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        self.runtime
            .block_on(shootout_tokio::sleep::sleep(n, wait, self.concurrency))
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.runtime.block_on(shootout_tokio::download::download(
            self.client.clone(),
            urls,
            self.concurrency,
        ))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.runtime.block_on(scrape::scrape(
            self.client.clone(),
            self.pool.clone(),
            urls,
            self.concurrency,
            self.extract,
        ))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        self.runtime.block_on(crawl::crawl(
            self.client.clone(),
            self.pool.clone(),
            root,
            spec,
            self.concurrency,
            self.extract,
        ))
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        self.runtime
            .block_on(shootout_tokio::files::files(paths, self.concurrency))
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        self.runtime.block_on(shootout_tokio::write::write(
            paths,
            source.into(),
            fsync,
            self.concurrency,
        ))
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        self.runtime
            .block_on(parse::parse(&self.pool, pages, self.extract))
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        // No CPU work: tokio's open loop, on hybrid's own runtime.
        self.runtime.block_on(shootout_tokio::load::load(
            self.client.clone(),
            plan.clone(),
        ))
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        // tokio's pitfall, on hybrid's own runtime and rayon pool.
        Some(self.runtime.block_on(shootout_tokio::pitfall::pitfall(
            self.client.clone(),
            self.pool.clone(),
            urls,
            self.concurrency,
            offload,
            self.extract,
        )))
    }
}
