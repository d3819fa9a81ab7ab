//! The std-threads contestant: plain OS threads, nothing but the standard library.
//!
//! This is the articles' "threading for I/O", and it is also what `multiprocessing` becomes in
//! a language without a GIL: Rust threads run Rust code truly in parallel, so the same threads
//! that wait on sockets also parse on every core. No second process, no pickling.
//!
//! # Layout
//!
//! One file per scenario, named as in every other contestant crate:
//!
//! - `pool.rs`: the one tool every scenario uses: N jobs on W scoped worker threads that pull
//!   the next index from a shared atomic counter and send records back over `mpsc`;
//! - `gate.rs`: a counting semaphore from a `Mutex` and a `Condvar`, so that at most T of the
//!   C threads parse at once;
//! - `sleep.rs`, `download.rs`, `scrape.rs`: that pool with W = C (a thread per request in
//!   flight: a waiting thread is a whole thread), parsing through the gate;
//! - `crawl.rs`: C workers fed by a shared `mpsc` job channel, a coordinator owning the frontier,
//!   parsing through the gate;
//! - `parse.rs`: that pool with W = T, the threads borrowing the pages without copying them.
//! - `files.rs`, `write.rs`: that pool with W = C, each thread blocking in `std::fs`.

mod crawl;
mod download;
mod files;
mod gate;
mod load;
mod parse;
mod pool;
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

/// The std-threads contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Threads;

impl Model for Threads {
    fn name(&self) -> &'static str {
        "threads"
    }

    fn about(&self) -> &'static str {
        "std only: C scoped threads for I/O, T for parsing, mpsc for results (no GIL, so both run in parallel)"
    }

    fn family(&self) -> Family {
        Family::Parallel
    }

    fn max_concurrency(&self) -> (usize, &'static str) {
        // Measured: 10,000 threads of 100 ms waits took 1-2 s to start, schedule and join on
        // 2 cores (docs/results.md); past that the OS, not the model, is what is measured.
        (10_000, "it runs one OS thread per request in flight")
    }

    fn file_api(&self) -> &'static str {
        "std::fs::read on C threads (each read blocks its own thread)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        Ok(Box::new(ThreadsRunner {
            // One agent for all threads, keeping up to C connections alive for reuse.
            client: BlockingClient::new(knobs, knobs.concurrency),
            concurrency: knobs.concurrency,
            threads: knobs.threads,
            parsing: gate::Gate::new(knobs.threads),
            extract: knobs.extract,
        }))
    }
}

struct ThreadsRunner {
    client: BlockingClient,
    concurrency: usize,
    threads: usize,
    parsing: gate::Gate,
    extract: Strategy,
}

impl Runner for ThreadsRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        sleep::sleep(n, wait, self.concurrency)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        download::download(&self.client, urls, self.concurrency)
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        scrape::scrape(
            &self.client,
            urls,
            self.concurrency,
            &self.parsing,
            self.extract,
        )
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        crawl::crawl(
            &self.client,
            root,
            spec,
            self.concurrency,
            &self.parsing,
            self.extract,
        )
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        files::files(paths, self.concurrency)
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        write::write(paths, source, fsync, self.concurrency)
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        parse::parse(pages, self.threads, self.extract)
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        load::load(&self.client, plan)
    }
}
