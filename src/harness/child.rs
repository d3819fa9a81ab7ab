//! The child-process protocol: the parent re-invokes its own binary with a [`ChildTask`],
//! so every run's CPU time and peak memory are its own.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use shootout_core::Scenario;
use shootout_site::Site;
use url::Url;

use super::job::{Job, Timed, time_here};
use super::truth::calibrate;
use crate::registry;

/// Set when the user asks to stop (Ctrl-C; see [`stop_on_ctrl_c`]): the child in progress is
/// killed and callers keep the runs that finished.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl-C (SIGINT) set [`INTERRUPTED`] instead of ending the process at once, so a
/// command can print what it finished. A second Ctrl-C is handled the same way; the command
/// stops at its next check. A no-op outside Unix.
pub fn stop_on_ctrl_c() {
    #[cfg(unix)]
    {
        extern "C" fn on_sigint(_: libc::c_int) {
            INTERRUPTED.store(true, Ordering::SeqCst);
        }
        let handler: extern "C" fn(libc::c_int) = on_sigint;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

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

/// Runs `command` as a measured child: writes `stdin` to it (if any), calls `tick` while it
/// runs, kills it on Ctrl-C ([`INTERRUPTED`]) or after `limit`, and returns its stdout. A
/// child that fails is an error naming why: its panic, or the last line of its stderr (for a
/// Python child, the traceback's last line).
pub fn supervise(
    mut command: Command,
    stdin: Option<Vec<u8>>,
    limit: Duration,
    mut tick: impl FnMut(),
) -> anyhow::Result<Vec<u8>> {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {:?}", command.get_program()))?;
    // Write stdin on its own thread, and drain both pipes on theirs, so neither side ever
    // blocks on a full pipe.
    let feeder = stdin.map(|bytes| {
        let pipe = child.stdin.take();
        std::thread::spawn(move || {
            if let Some(mut p) = pipe {
                // A child that exits early closes its end; its exit status says why.
                let _ = p.write_all(&bytes);
            }
        })
    });
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            bail!("interrupted");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!("hung: no result after {:.0} s, killed", limit.as_secs_f64());
        }
        tick();
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "crashed ({status}): {}",
            crash_cause(&String::from_utf8_lossy(&stderr))
        );
    }
    Ok(stdout)
}

/// The line of a crashed child's stderr that says why: a panic's location and message (not
/// the "run with RUST_BACKTRACE=1" note after it), or else the last line that is not a note.
pub(crate) fn crash_cause(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    if let Some(i) = lines.iter().position(|l| l.contains(" panicked at ")) {
        let at = &lines[i][lines[i].find("panicked at").unwrap_or(0)..];
        let message = lines.get(i + 1).copied().unwrap_or("");
        return format!("{} {message}", at.trim_end_matches(':'))
            .trim()
            .to_owned();
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.is_empty() && !l.starts_with("note: "))
        .map_or_else(|| "no message".to_owned(), |l| (*l).to_owned())
}

/// Reads a child's pipe to the end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_is_reported_by_its_panic_not_the_backtrace_note() {
        let stderr = "thread 'main' panicked at crates/x/src/lib.rs:10:5:\n\
                      index out of bounds: the len is 0 but the index is 3\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            crash_cause(stderr),
            "panicked at crates/x/src/lib.rs:10:5 index out of bounds: the len is 0 but the index is 3"
        );
        assert_eq!(
            crash_cause("error: out of memory\n\n"),
            "error: out of memory"
        );
        assert_eq!(crash_cause(""), "no message");
    }
}
