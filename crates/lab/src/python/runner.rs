//! A scenario run in a Python child for callers that run contestants in-process
//! (`shootout crawl`, the test bodies).

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;
use std::time::Duration;

use anyhow::{Context, bail};
use shootout_core::pitfall::{Offload, PitfallRun};
use shootout_core::{CrawlSpec, FetchError, Journal, Knobs, Page, PageRecord, Runner, Scenario};
use url::Url;

use crate::harness::process::crash_cause;

use super::interpreter::{Interpreter, command};
use super::protocol::{LAST_COST, Line, PyJob, PyResult};

/// Runs each scenario in a Python child and returns its records. Used where a Rust
/// contestant runs in-process (`shootout crawl`, the test bodies); the measured harness uses
/// [`run_measured`] instead, so that the child's own measurements are reported.
pub(super) struct PythonRunner {
    pub(super) interpreter: &'static Interpreter,
    pub(super) contestant: &'static str,
    pub(super) knobs: Knobs,
}

impl PythonRunner {
    /// Runs `job`, telling `journal` of every admitted URL and finished record as the lines
    /// arrive. If the child fails, every URL it took on and did not finish gets an
    /// `internal` record naming why, so nothing is lost.
    fn call(
        &self,
        job: &PyJob<'_>,
        inputs: &[&str],
        journal: Option<&Journal>,
    ) -> (Vec<PageRecord>, Option<Vec<Duration>>) {
        let mut streamed = Vec::new();
        let mut admitted: Vec<String> = Vec::new();
        match self.stream(job, journal, &mut admitted, &mut streamed) {
            Ok(result) => {
                *LAST_COST.lock().unwrap_or_else(|e| e.into_inner()) = Some(result.cost());
                let lags = result.lags();
                let records = if job.stream { streamed } else { result.records };
                (records, lags)
            }
            Err(e) => {
                let done: HashSet<String> = streamed.iter().map(|r| r.url.clone()).collect();
                let why = format!("python child failed: {e:#}");
                let lost: Vec<PageRecord> = inputs
                    .iter()
                    .map(|u| (*u).to_owned())
                    .chain(admitted)
                    .filter(|u| !done.contains(u))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .map(|u| PageRecord::failed(u, FetchError::Internal(why.clone())))
                    .collect();
                if let Some(j) = journal {
                    lost.iter().for_each(|r| j.finished(r));
                }
                streamed.extend(lost);
                (streamed, None)
            }
        }
    }

    fn stream(
        &self,
        job: &PyJob<'_>,
        journal: Option<&Journal>,
        admitted: &mut Vec<String>,
        streamed: &mut Vec<PageRecord>,
    ) -> anyhow::Result<PyResult> {
        let mut child = command(&self.interpreter.path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", self.interpreter.path.display()))?;
        let input = serde_json::to_vec(job)?;
        let mut pipe = child.stdin.take().context("the child's stdin")?;
        let feeder = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let mut err_pipe = child.stderr.take().context("the child's stderr")?;
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err_pipe.read_to_string(&mut text);
            text
        });
        let mut result = None;
        let out = BufReader::new(child.stdout.take().context("the child's stdout")?);
        for line in out.lines() {
            match serde_json::from_str::<Line>(&line?) {
                Ok(Line::Admitted(url)) => {
                    if let (Some(j), Ok(u)) = (journal, Url::parse(&url)) {
                        j.admitted(&u);
                    }
                    admitted.push(url);
                }
                Ok(Line::Record(r)) => {
                    if let Some(j) = journal {
                        j.finished(&r);
                    }
                    streamed.push(r);
                }
                Ok(Line::Result(r)) => result = Some(r),
                Err(e) => bail!("the Python child printed a line that is not JSON: {e}"),
            }
        }
        let _ = feeder.join();
        let status = child.wait()?;
        let stderr = stderr.join().unwrap_or_default();
        if !status.success() {
            bail!("exited with {status}: {}", crash_cause(&stderr));
        }
        result.context("the Python child printed no result line")
    }

    fn run(&self, job: PyJob<'_>, inputs: &[&str]) -> Vec<PageRecord> {
        self.call(&job, inputs, None).0
    }

    fn job(&self, scenario: Scenario) -> PyJob<'_> {
        PyJob::new(self.contestant, scenario, &self.knobs)
    }
}

pub(super) fn strs(urls: &[Url]) -> Vec<&str> {
    urls.iter().map(Url::as_str).collect()
}

impl Runner for PythonRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        // The Python side reads N and L from the knobs, as the Rust contestants are given them.
        let knobs = Knobs {
            pages: n,
            latency_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            ..self.knobs.clone()
        };
        let names: Vec<String> = (0..n).map(|i| format!("sleep:{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.run(PyJob::new(self.contestant, Scenario::Sleep, &knobs), &names)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.run(self.job(Scenario::Download).urls(urls), &strs(urls))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.run(self.job(Scenario::Scrape).urls(urls), &strs(urls))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        let job = PyJob {
            stream: true,
            ..self.job(Scenario::Crawl).crawl(root, spec)
        };
        self.call(&job, &[root.as_str()], spec.journal.as_deref()).0
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        self.run(self.job(Scenario::Parse).pages(pages), &urls)
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        let job = PyJob {
            offload: Some(offload),
            ..self.job(Scenario::Pitfall).urls(urls)
        };
        let (records, lags) = self.call(&job, &strs(urls), None);
        Some(PitfallRun {
            records,
            lags: lags.unwrap_or_default(),
        })
    }
}
