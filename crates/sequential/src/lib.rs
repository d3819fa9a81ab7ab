//! The sequential baseline: one thing at a time, the "before" picture.
//!
//! Every wait happens in line: N downloads of L each take N·L, however idle the CPU is. The
//! other contestants are measured against the same scenarios, so this crate is the reference
//! for what "no concurrency" costs.
//!
//! # Layout
//!
//! One file per scenario, with the same name in every contestant crate, so any two crates can
//! be read side by side:
//!
//! - `sleep.rs`: N timer waits, one after another (`time.sleep` in a loop);
//! - `download.rs`: N GETs, one after another;
//! - `scrape.rs`: GET and parse, one page after another;
//! - `crawl.rs`: a breadth-first crawl driven by a `VecDeque`;
//! - `parse.rs`: parse N in-memory pages on one core.
//! - `files.rs`, `write.rs`: `std::fs::read` and `std::fs` writes, one file after another (each
//!   call blocks the only thread).

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

use shootout_core::load::{LoadRun, Plan};
use shootout_core::model::Effective;
use shootout_core::{
    CrawlSpec, Family, Knobs, Model, Page, PageRecord, Runner, SetupError, Strategy,
};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// The sequential contestant.
#[derive(Clone, Copy, Debug, Default)]
pub struct Sequential;

impl Model for Sequential {
    fn name(&self) -> &'static str {
        "sequential"
    }

    fn about(&self) -> &'static str {
        "one request at a time on one thread (std + ureq): the baseline everything waits in"
    }

    fn family(&self) -> Family {
        Family::Sequential
    }

    /// One request in flight and one core, whatever the knobs say: that is the baseline.
    fn effective(&self, _knobs: &Knobs) -> Effective {
        Effective {
            concurrency: 1,
            threads: 1,
        }
    }

    fn file_api(&self) -> &'static str {
        "std::fs::read, one file at a time (each read blocks the only thread)"
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        Ok(Box::new(SequentialRunner {
            // One thread, so one keep-alive connection is all it can use.
            client: BlockingClient::new(knobs, 1),
            extract: knobs.extract,
        }))
    }
}

struct SequentialRunner {
    client: BlockingClient,
    extract: Strategy,
}

impl Runner for SequentialRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        sleep::sleep(n, wait)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        download::download(&self.client, urls)
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        scrape::scrape(&self.client, urls, self.extract)
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        crawl::crawl(&self.client, root, spec, self.extract)
    }

    fn files(&self, paths: &[PathBuf]) -> Vec<PageRecord> {
        files::files(paths)
    }

    fn write_files(&self, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
        write::write(paths, source, fsync)
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        parse::parse(pages, self.extract)
    }

    fn load(&self, plan: &Arc<Plan>) -> LoadRun {
        load::load(&self.client, plan)
    }
}
