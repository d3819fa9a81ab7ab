//! The job a Python child reads (JSON on stdin) and the lines it answers with, and the
//! measured run that reports the child's own numbers.

use std::time::Duration;

use anyhow::bail;
use serde::{Deserialize, Serialize};
use shootout_core::pitfall::{LagStats, Offload};
use shootout_core::{CrawlSpec, Knobs, Page, PageRecord, Scenario};
use url::Url;

use crate::harness::job::{Inputs, Job, Timed};
use crate::harness::process::supervise;

use super::interpreter::{command, interpreter};

/// One job, as the Python side reads it.
#[derive(Serialize)]
pub(super) struct PyJob<'a> {
    pub(super) contestant: &'a str,
    pub(super) scenario: Scenario,
    pub(super) knobs: &'a Knobs,
    pub(super) urls: Vec<&'a str>,
    pub(super) pages: Vec<PyPage<'a>>,
    pub(super) root: Option<&'a str>,
    pub(super) max_pages: usize,
    pub(super) max_depth: Option<usize>,
    pub(super) prefix: Option<&'a str>,
    pub(super) robots: bool,
    pub(super) offload: Option<Offload>,
    pub(super) stream: bool,
}

#[derive(Serialize)]
pub(super) struct PyPage<'a> {
    url: &'a str,
    /// The synthetic site's pages are UTF-8; a page that is not would fail verification.
    body: std::borrow::Cow<'a, str>,
}

impl<'a> PyJob<'a> {
    pub(super) fn new(contestant: &'a str, scenario: Scenario, knobs: &'a Knobs) -> PyJob<'a> {
        PyJob {
            contestant,
            scenario,
            knobs,
            urls: Vec::new(),
            pages: Vec::new(),
            root: None,
            max_pages: 0,
            max_depth: None,
            prefix: None,
            robots: false,
            offload: None,
            stream: false,
        }
    }

    pub(super) fn urls(mut self, urls: &'a [Url]) -> Self {
        self.urls = urls.iter().map(Url::as_str).collect();
        self
    }

    pub(super) fn pages(mut self, pages: &'a [Page]) -> Self {
        self.pages = pages
            .iter()
            .map(|p| PyPage {
                url: &p.url,
                body: String::from_utf8_lossy(&p.body),
            })
            .collect();
        self
    }

    pub(super) fn crawl(mut self, root: &'a Url, spec: &'a CrawlSpec) -> Self {
        self.root = Some(root.as_str());
        self.max_pages = spec.max_pages;
        self.max_depth = spec.max_depth;
        self.prefix = spec.prefix.as_deref();
        self.robots = spec.robots.is_some();
        self
    }
}

/// One line from the Python side.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
pub(super) enum Line {
    Admitted(String),
    Record(PageRecord),
    Result(PyResult),
}

/// What the last Python child of this process measured around its scenario: wall, CPU and
/// peak memory. `shootout crawl` reports these rather than its own clock, which would include
/// starting the interpreter and importing the libraries (about half a second).
pub(super) static LAST_COST: std::sync::Mutex<Option<(Duration, Duration, u64)>> =
    std::sync::Mutex::new(None);

/// The wall time, CPU time and peak memory the last Python child measured, if one ran.
pub fn last_cost() -> Option<(Duration, Duration, u64)> {
    *LAST_COST.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a Python child measured: a Rust child's [`Timed`], in seconds.
#[derive(Deserialize)]
pub(super) struct PyResult {
    pub(super) records: Vec<PageRecord>,
    wall_s: f64,
    cpu_s: f64,
    peak_rss: u64,
    lags_s: Option<Vec<f64>>,
}

/// Seconds from Python as a `Duration` (a clock read twice can differ by a hair below zero).
pub(super) fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

impl PyResult {
    pub(super) fn lags(&self) -> Option<Vec<Duration>> {
        self.lags_s
            .as_ref()
            .map(|l| l.iter().copied().map(secs).collect())
    }

    /// Wall time, CPU time and peak memory.
    pub(super) fn cost(&self) -> (Duration, Duration, u64) {
        (secs(self.wall_s), secs(self.cpu_s), self.peak_rss)
    }

    pub(super) fn timed(self) -> Timed {
        let heartbeat = self.lags().as_deref().map(LagStats::of);
        let (wall, cpu, peak_rss) = self.cost();
        Timed {
            wall,
            cpu,
            peak_rss,
            heartbeat,
            records: self.records,
            // The row takes the contestant's own (see `Contestant::driver` above).
            driver: None,
        }
    }
}

/// The result line of a Python child's output.
pub(super) fn result_of(stdout: &[u8]) -> anyhow::Result<PyResult> {
    for line in stdout.split(|&b| b == b'\n').rev() {
        if let Ok(Line::Result(r)) = serde_json::from_slice(line) {
            return Ok(r);
        }
    }
    bail!("the Python child printed no result line")
}

/// Runs `job` in a Python child, as `run_child` (harness/child.rs) runs a Rust one: the
/// inputs are built here, the child measures itself, and it is killed after `limit`.
pub fn run_measured(job: &Job, limit: Duration, tick: impl FnMut()) -> anyhow::Result<Timed> {
    let interpreter = interpreter()?;
    let inputs = Inputs::build(job)?;
    let spec;
    let py = PyJob::new(&job.contestant, job.scenario, &job.knobs);
    let py = match &inputs {
        Inputs::Sleep(..) => py,
        Inputs::Download(urls) | Inputs::Scrape(urls) => py.urls(urls),
        Inputs::Pitfall(urls, offload) => PyJob {
            offload: Some(*offload),
            ..py.urls(urls)
        },
        Inputs::Parse(pages) => py.pages(pages),
        Inputs::Crawl(root, max) => {
            spec = CrawlSpec::pages(*max);
            py.crawl(root, &spec)
        }
    };
    let stdout = supervise(
        command(&interpreter.path),
        Some(serde_json::to_vec(&py)?),
        limit,
        tick,
    )?;
    Ok(result_of(&stdout)?.timed())
}

// ---------------------------------------------------------------------------------------------
// The in-process runner: tests and `shootout crawl`
