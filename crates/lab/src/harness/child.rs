//! The child-process protocol: the parent re-invokes its own binary with a [`ChildTask`],
//! so every run's CPU time and peak memory are its own.

use std::io::Write;
use std::process::Command;
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use shootout_core::Scenario;
use shootout_site::Site;
use url::Url;

use super::job::{Job, Timed, time_here};
use super::process::supervise;
use super::truth::calibrate;
use crate::registry;

/// The hidden subcommand the parent re-invokes itself with.
pub const CHILD_COMMAND: &str = "__child";

/// What a child process is asked to do.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub enum ChildTask {
    /// Time one contestant on one job; answers with a [`Timed`].
    Run(Job),
    /// Measure the single-core parse time of the job's pages; answers with a `Duration`.
    /// Done in a child like every contestant, so the reference and the runs it divides are
    /// measured under the same conditions (the parent holds the server and a larger heap).
    Calibrate(Job),
}

/// The child's side: runs the task given as JSON and prints its result as JSON.
pub fn child_main(task_json: &str) -> anyhow::Result<()> {
    let task: ChildTask = serde_json::from_str(task_json).context("malformed child task")?;
    // Buffered: stdout is line-buffered, and a 100,000-record answer is one long line.
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match task {
        ChildTask::Run(job) => {
            let contestant = registry::find(&job.contestant)
                .with_context(|| format!("unknown contestant '{}'", job.contestant))?;
            serde_json::to_writer(&mut out, &time_here(contestant, &job)?)?;
        }
        ChildTask::Calibrate(job) => {
            let base = Url::parse(&job.base_url).context("bad base URL")?;
            let site = Site::generate(job.site_spec(), &base);
            let bodies = site.html_bodies(job.scenario == Scenario::Crawl);
            // The fastest core's time: pin to each allowed CPU in turn (see `pin_to_cpu`).
            let best = match shootout_core::measure::allowed_cpus() {
                Some(cpus) if cpus.len() > 1 => cpus
                    .into_iter()
                    .filter(|&c| shootout_core::measure::pin_to_cpu(c))
                    .map(|_| calibrate(&bodies, job.knobs.extract))
                    .min()
                    .unwrap_or_else(|| calibrate(&bodies, job.knobs.extract)),
                _ => calibrate(&bodies, job.knobs.extract),
            };
            serde_json::to_writer(&mut out, &best)?;
        }
    }
    out.flush()?;
    Ok(())
}

/// Measures the single-core parse time of `job`'s pages in a child process (see
/// [`ChildTask::Calibrate`]), killed after `limit` like any run; zero for scenarios that parse
/// nothing.
pub fn calibrate_in_child(job: &Job, limit: Duration) -> anyhow::Result<Duration> {
    if matches!(job.scenario, Scenario::Sleep | Scenario::Download) {
        return Ok(Duration::ZERO);
    }
    run_child_task(&ChildTask::Calibrate(job.clone()), limit, || {})
}

/// Runs `job` in a child process of this same binary, calling `tick` while it runs (for the
/// progress bar). A child that crashes, hangs past `limit` or prints garbage is an error that
/// names what happened, never a silently missing row.
pub fn run_child(job: &Job, limit: Duration, tick: impl FnMut()) -> anyhow::Result<Timed> {
    // A Python contestant's child is the Python program itself, measuring itself as ours do.
    if crate::python::is_python(&job.contestant) {
        return crate::python::run_measured(job, limit, tick);
    }
    run_child_task(&ChildTask::Run(job.clone()), limit, tick)
}

fn run_child_task<T: serde::de::DeserializeOwned>(
    task: &ChildTask,
    limit: Duration,
    tick: impl FnMut(),
) -> anyhow::Result<T> {
    let exe = std::env::current_exe().context("cannot find the shootout binary to re-invoke")?;
    let mut command = Command::new(exe);
    command.arg(CHILD_COMMAND).arg(serde_json::to_string(task)?);
    let stdout = supervise(command, None, limit, tick)?;
    serde_json::from_slice(&stdout).context("child printed no valid result")
}
