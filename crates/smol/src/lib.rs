//! The smol contestant: every scenario as smol would have you write it.
//!
//! smol is small on purpose: an `Executor` you run on threads of your choosing, a reactor
//! (`async-io`) and a blocking pool (`blocking`). Its global executor (`smol::spawn`) runs on a
//! single thread unless told otherwise, so this contestant builds its own `Executor` and runs
//! it on exactly T threads, as the fairness rules require.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate:
//!
//! - `sleep.rs`: a task per wait on `Timer::after`, a `Semaphore` bounding how many exist;
//! - `download.rs`: a task per URL on the shared hyper engine, joined in order;
//! - `scrape.rs`: like download, then `unblock` to parse on the blocking pool;
//! - `crawl.rs`: a coordinator with a queue and a channel, C pages in flight;
//! - `parse.rs`: `unblock` per page, on a blocking pool capped at T threads;
//! - `files.rs`, `write.rs`: a task per file on `smol::fs` (async-fs), an `unblock` hop to
//!   that pool per call (epoll cannot wait on a file);
//! - `pitfall.rs`: scrape with a heartbeat task alongside, parsing inline, after a blocking
//!   `std::thread::sleep`, on `unblock`, or on a rayon pool of T threads.

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
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use futures_lite::FutureExt;
use shootout_core::load::{LoadRun, Plan};
use shootout_core::page::task_failed;
use shootout_core::pitfall::{Offload, PitfallRun};
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::adapters::SmolRuntime;
use shootout_http::engine::AsyncClient;
use smol::Executor;
use url::Url;

/// The HTTP client every smol scenario shares.
pub type Client = AsyncClient<SmolRuntime>;

/// The smol contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Smol;

impl Model for Smol {
    fn name(&self) -> &'static str {
        "smol"
    }

    fn about(&self) -> &'static str {
        "smol Executor on T threads (its global one has 1), parsing on blocking::unblock"
    }

    fn family(&self) -> Family {
        Family::Async
    }

    fn pitfall_variants(&self) -> &'static [Offload] {
        &Offload::ALL
    }

    fn file_api(&self) -> &'static str {
        "smol::fs::read, the async-fs crate (unblock: a hop to the blocking crate's pool of T threads per call)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        // The blocking pool (shared by smol::unblock) defaults to 500 threads; cap it at T.
        blocking::set_max_blocking_threads(
            NonZeroUsize::new(knobs.threads).unwrap_or(NonZeroUsize::MIN),
        );
        let executor = Arc::new(Executor::new());
        // Each worker runs the executor until the stop channel closes (when the runner drops).
        let (stop, stopped) = smol::channel::bounded::<()>(1);
        let workers = (0..knobs.threads)
            .map(|i| {
                let (executor, stopped) = (executor.clone(), stopped.clone());
                std::thread::Builder::new()
                    .name(format!("smol-worker-{i}"))
                    .spawn(move || {
                        // `recv` fails once the sender is dropped: that is the stop signal.
                        let _ = smol::block_on(executor.run(stopped.recv()));
                    })
            })
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| SetupError::new(self.name(), e))?;
        let rayon = shootout_core::pitfall::offload_pool(self.name(), knobs)?;
        let client = Arc::new(AsyncClient::new(SmolRuntime::new(executor.clone()), knobs));
        Ok(Box::new(SmolRunner {
            executor,
            client,
            rayon: Arc::new(rayon),
            concurrency: knobs.concurrency,
            extract: knobs.extract,
            stop: Some(stop),
            workers,
        }))
    }
}

struct SmolRunner {
    executor: Arc<Executor<'static>>,
    client: Arc<Client>,
    rayon: Arc<rayon::ThreadPool>,
    concurrency: usize,
    extract: Strategy,
    stop: Option<smol::channel::Sender<()>>,
    workers: Vec<JoinHandle<()>>,
}

impl SmolRunner {
    /// Drives `future` on this thread; the tasks it spawns run on the T workers.
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        smol::block_on(future)
    }
}

impl Runner for SmolRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        self.block_on(sleep::sleep(&self.executor, n, wait, self.concurrency))
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.block_on(download::download(
            &self.executor,
            self.client.clone(),
            urls,
            self.concurrency,
        ))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.block_on(scrape::scrape(
            &self.executor,
            self.client.clone(),
            urls,
            self.concurrency,
            self.extract,
        ))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        self.block_on(crawl::crawl(
            &self.executor,
            self.client.clone(),
            root,
            spec,
            self.concurrency,
            self.extract,
        ))
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        self.block_on(files::files(&self.executor, paths, self.concurrency))
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        self.block_on(write::write(
            &self.executor,
            paths,
            source.into(),
            fsync,
            self.concurrency,
        ))
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        self.block_on(parse::parse(pages, self.extract))
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        self.block_on(load::load(
            &self.executor,
            self.client.clone(),
            plan.clone(),
        ))
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        Some(self.block_on(pitfall::pitfall(
            &self.executor,
            self.client.clone(),
            self.rayon.clone(),
            urls,
            self.concurrency,
            offload,
            self.extract,
        )))
    }
}

impl Drop for SmolRunner {
    fn drop(&mut self) {
        // Closing the channel ends every worker's `executor.run`.
        drop(self.stop.take());
        for w in self.workers.drain(..) {
            let _ = w.join();
        }
    }
}

/// Runs `task`, turning a panic into a record. A smol `Task` re-raises its panic in whoever
/// awaits it (tokio hands back a `JoinError` instead), so the catch happens inside the task.
async fn contained(url: impl AsRef<str>, task: impl Future<Output = PageRecord>) -> PageRecord {
    AssertUnwindSafe(task)
        .catch_unwind()
        .await
        .unwrap_or_else(|_| task_failed(url.as_ref(), "panicked"))
}
