//! The crossbeam contestant: a pipeline of stages, each a set of threads, joined by bounded
//! channels.
//!
//! ```text
//!  feeder ──jobs (C)──▶ C fetch threads ──fetched (2T)──▶ T parse threads ──done (C)──▶ collector
//! ```
//!
//! Each stage does one kind of work with its own thread count: C threads wait on the network,
//! T threads parse on the cores. The channels are *bounded*, so a fast stage cannot run ahead
//! of a slow one and pile up bodies in memory: when the parse stage falls behind, `fetched`
//! fills up, and the fetch threads wait (back-pressure). `select!` lets the collector hand out
//! work and take in results in one loop, with a stall timeout, without deadlocking on a full
//! channel.
//!
//! The threads are `std::thread::scope` threads (crossbeam's own scope predates std's and
//! is no longer needed); the channels are `crossbeam-channel`, which, unlike `std::sync::mpsc`,
//! has multiple consumers, so a stage's threads share one receiver without a lock.
//!
//! # Layout
//!
//! - `pipeline.rs`: the three-stage pipeline every scenario uses;
//! - `sleep.rs`, `download.rs`, `scrape.rs`, `parse.rs`: the pipeline with each scenario's
//!   fetch and parse steps;
//! - `crawl.rs`: the same stages in a loop, the collector owning the frontier and feeding
//!   newly found URLs back in;
//! - `files.rs`, `write.rs`: `std::fs` on the C fetch threads (a read's checksum on the T
//!   parse threads).

mod crawl;
mod download;
mod files;
mod load;
mod parse;
mod pipeline;
mod scrape;
mod sleep;
mod write;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use shootout_core::load::{LoadRun, Plan};
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// The crossbeam contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Crossbeam;

impl Model for Crossbeam {
    fn name(&self) -> &'static str {
        "crossbeam"
    }

    fn about(&self) -> &'static str {
        "a fetch (C threads) -> parse (T threads) -> collect pipeline on bounded crossbeam channels"
    }

    fn family(&self) -> Family {
        Family::Parallel
    }

    fn max_concurrency(&self) -> (usize, &'static str) {
        // Measured: 10,000 threads of 100 ms waits took 1-2 s to start, schedule and join on
        // 2 cores (docs/results.md); past that the OS, not the model, is what is measured.
        (
            10_000,
            "its fetch stage is one OS thread per request in flight",
        )
    }

    fn file_api(&self) -> &'static str {
        "std::fs::read on C fetch threads, the checksum on T parse threads"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        Ok(Box::new(CrossbeamRunner {
            client: BlockingClient::new(knobs, knobs.concurrency),
            stages: pipeline::Stages {
                fetchers: knobs.concurrency,
                parsers: knobs.threads,
                // No result can take longer than the request timeout; past that plus a margin,
                // the collector stops waiting and records what is missing.
                stall: knobs.timeout() + Duration::from_secs(10),
            },
            extract: knobs.extract,
        }))
    }
}

struct CrossbeamRunner {
    client: BlockingClient,
    stages: pipeline::Stages,
    extract: Strategy,
}

impl Runner for CrossbeamRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        sleep::sleep(&self.stages, n, wait)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        download::download(&self.stages, &self.client, urls)
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        scrape::scrape(&self.stages, &self.client, urls, self.extract)
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        crawl::crawl(&self.stages, &self.client, root, spec, self.extract)
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        files::files(&self.stages, paths)
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        write::write(&self.stages, paths, source, fsync)
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        parse::parse(&self.stages, pages, self.extract)
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        load::load(&self.client, plan)
    }
}
