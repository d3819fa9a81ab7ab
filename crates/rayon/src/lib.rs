//! The rayon contestant: data parallelism with `par_iter`, the counterpart of `Pool.map`.
//!
//! rayon's pool is built for CPU work: one thread per core, work stealing so that idle cores
//! take work from busy ones. A thread blocked on a socket is a core's worth of pool doing
//! nothing, so blocking I/O does not belong on it. This contestant therefore builds two pools,
//! never the global one (which sizes itself from `RAYON_NUM_THREADS` or the core count):
//!
//! - a CPU pool of exactly T threads, where every parse runs;
//! - an I/O pool of exactly C threads, where the blocking client runs: C threads, C requests
//!   in flight. Using rayon for I/O works, but each in-flight request costs a whole thread,
//!   and a `par_iter` over a batch waits for its slowest request: see `crawl.rs`.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate:
//!
//! - `sleep.rs`, `download.rs`: `par_iter` on the I/O pool;
//! - `scrape.rs`: fetch everything on the I/O pool, then parse everything on the CPU pool;
//! - `crawl.rs`: level by level, in batches of C pages, each batch a fetch `par_iter` and a
//!   parse `par_iter`;
//! - `parse.rs`: `par_iter` on the CPU pool.
//! - `files.rs`, `write.rs`: `par_iter` of `std::fs` calls on the I/O pool (a blocked read
//!   holds a thread, as a blocked GET does).

mod crawl;
mod download;
mod files;
mod load;
mod parse;
mod scrape;
mod sleep;
mod write;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use rayon::ThreadPool;
use shootout_core::load::{LoadRun, Plan};
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// The rayon contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rayon;

impl Model for Rayon {
    fn name(&self) -> &'static str {
        "rayon"
    }

    fn about(&self) -> &'static str {
        "rayon par_iter (Pool.map): T-thread pool for parsing, a separate C-thread pool for blocking I/O"
    }

    fn family(&self) -> Family {
        Family::Parallel
    }

    fn max_concurrency(&self) -> (usize, &'static str) {
        // Measured, 100 ms waits, 2 cores: C = 1,000 ran at 3.2× its ideal, C = 2,000 at 20×,
        // and C = 10,000 took 476 s, 4,764× (docs/results.md).
        (
            1000,
            "its I/O pool is one OS thread per request in flight, and rayon's idle threads spin \
             looking for work",
        )
    }

    fn file_api(&self) -> &'static str {
        "std::fs::read in a par_iter on the C-thread I/O pool (each read blocks a pool thread)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let pool = |threads: usize, name: &'static str| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(move |i| format!("rayon-{name}-{i}"))
                .build()
                .map_err(|e| {
                    SetupError::new("rayon", format!("{name} pool of {threads} threads: {e}"))
                })
        };
        Ok(Box::new(RayonRunner {
            cpu: pool(knobs.threads, "cpu")?,
            io: pool(knobs.concurrency, "io")?,
            client: BlockingClient::new(knobs, knobs.concurrency),
            extract: knobs.extract,
        }))
    }
}

struct RayonRunner {
    cpu: ThreadPool,
    io: ThreadPool,
    client: BlockingClient,
    extract: Strategy,
}

impl Runner for RayonRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        sleep::sleep(&self.io, n, wait)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        download::download(&self.io, &self.client, urls)
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        scrape::scrape(&self.io, &self.cpu, &self.client, urls, self.extract)
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        crawl::crawl(&self.io, &self.cpu, &self.client, root, spec, self.extract)
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        files::files(&self.io, paths)
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        write::write(&self.io, paths, source, fsync)
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        parse::parse(&self.cpu, pages, self.extract)
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        load::load(&self.io, &self.client, plan)
    }
}
