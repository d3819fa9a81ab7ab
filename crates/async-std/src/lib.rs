//! The async-std contestant: every scenario as async-std would have you write it.
//!
//! **async-std is discontinued upstream**; its maintainers point users to smol, on whose
//! pieces (async-executor, async-io, blocking) it was built. It stays in the shootout because
//! plenty of existing code still uses it, and because comparing it with smol shows how much
//! of a runtime is shared plumbing.
//!
//! async-std has one global runtime with a std-like API (`async_std::task::spawn`,
//! `async_std::net`, `async_std::task::sleep`). Its thread count is fixed when the runtime is
//! first used, from `ASYNC_STD_THREAD_COUNT`, and may then grow up to 4× that under blocking.
//! To pin it to exactly T threads, this crate configures the executor underneath
//! (async-global-executor) *before* async-std's first use, with min = max = T. That can
//! happen once per process: a second runner asking for a different T is refused, not faked.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate:
//!
//! - `sleep.rs`: a task per wait on `task::sleep`, a `Semaphore` bounding how many exist;
//! - `download.rs`: a task per URL on the shared hyper engine, joined in order;
//! - `scrape.rs`: like download, then `spawn_blocking` to parse on the blocking pool;
//! - `crawl.rs`: a coordinator with a queue and a channel, C pages in flight;
//! - `parse.rs`: `spawn_blocking` per page, on a blocking pool capped at T threads;
//! - `files.rs`, `write.rs`: a task per file on `async_std::fs`, a `spawn_blocking` hop to that
//!   pool per call (epoll cannot wait on a file);
//! - `pitfall.rs`: scrape with a heartbeat task alongside, parsing inline, after a blocking
//!   `std::thread::sleep`, on `spawn_blocking`, or on a rayon pool of T threads.

mod bounded;
mod crawl;
mod download;
mod files;
mod load;
mod parse;
mod pitfall;
mod scrape;
mod sleep;
mod write;

use std::future::Future;
use std::num::NonZeroUsize;
use std::panic::AssertUnwindSafe;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use futures_lite::FutureExt;
use shootout_core::load::{LoadRun, Plan};
use shootout_core::page::task_failed;
use shootout_core::pitfall::{Offload, PitfallRun};
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::adapters::AsyncStdRuntime;
use shootout_http::engine::AsyncClient;
use url::Url;

/// The HTTP client every async-std scenario shares.
pub type Client = AsyncClient<AsyncStdRuntime>;

/// The async-std contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct AsyncStd;

/// The thread count the global executor was started with, in this process.
static PINNED_THREADS: OnceLock<usize> = OnceLock::new();

impl Model for AsyncStd {
    fn name(&self) -> &'static str {
        "async-std"
    }

    fn about(&self) -> &'static str {
        "async-std's global runtime pinned to T threads, parsing on task::spawn_blocking"
    }

    fn caveat(&self) -> Option<&'static str> {
        Some(
            "async-std is discontinued upstream (its maintainers recommend smol); kept because existing code still uses it",
        )
    }

    fn family(&self) -> Family {
        Family::Async
    }

    fn pitfall_variants(&self) -> &'static [Offload] {
        &Offload::ALL
    }

    fn file_api(&self) -> &'static str {
        "async_std::fs::read (spawn_blocking: a hop to the blocking crate's pool of T threads per call)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let threads = *PINNED_THREADS.get_or_init(|| {
            // Must run before async-std's first use; afterwards the config is ignored.
            async_global_executor::init_with_config(
                async_global_executor::GlobalExecutorConfig::default()
                    .with_min_threads(knobs.threads)
                    .with_max_threads(knobs.threads),
            );
            knobs.threads
        });
        if threads != knobs.threads {
            return Err(SetupError::new(
                self.name(),
                format!(
                    "its global runtime already runs {threads} threads in this process and cannot be resized to {}",
                    knobs.threads
                ),
            ));
        }
        // spawn_blocking uses the `blocking` crate's pool (500 threads by default); cap it at T.
        blocking::set_max_blocking_threads(
            NonZeroUsize::new(knobs.threads).unwrap_or(NonZeroUsize::MIN),
        );
        let rayon = shootout_core::pitfall::offload_pool(self.name(), knobs)?;
        Ok(Box::new(AsyncStdRunner {
            rayon: Arc::new(rayon),
            client: Arc::new(AsyncClient::new(AsyncStdRuntime, knobs)),
            concurrency: knobs.concurrency,
            extract: knobs.extract,
        }))
    }
}

struct AsyncStdRunner {
    rayon: Arc<rayon::ThreadPool>,
    client: Arc<Client>,
    concurrency: usize,
    extract: Strategy,
}

impl Runner for AsyncStdRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        async_std::task::block_on(sleep::sleep(n, wait, self.concurrency))
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        async_std::task::block_on(download::download(
            self.client.clone(),
            urls,
            self.concurrency,
        ))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        async_std::task::block_on(scrape::scrape(
            self.client.clone(),
            urls,
            self.concurrency,
            self.extract,
        ))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        async_std::task::block_on(crawl::crawl(
            self.client.clone(),
            root,
            spec,
            self.concurrency,
            self.extract,
        ))
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        async_std::task::block_on(files::files(paths, self.concurrency))
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        async_std::task::block_on(write::write(paths, source.into(), fsync, self.concurrency))
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        async_std::task::block_on(parse::parse(pages, self.extract))
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        async_std::task::block_on(load::load(self.client.clone(), plan.clone()))
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        Some(async_std::task::block_on(pitfall::pitfall(
            self.client.clone(),
            self.rayon.clone(),
            urls,
            self.concurrency,
            offload,
            self.extract,
        )))
    }
}

/// Runs `task`, turning a panic into a record. An async-std `JoinHandle` re-raises its task's
/// panic in whoever awaits it (tokio hands back a `JoinError` instead), so the catch happens
/// inside the task.
async fn contained(url: impl AsRef<str>, task: impl Future<Output = PageRecord>) -> PageRecord {
    AssertUnwindSafe(task)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| task_failed(url.as_ref(), "panicked"))
}
