//! A Rust contestant's side of the protocol (docs/protocol.md): `shootout __child` reads one
//! job on stdin, runs the model it names in this process ([`time_here`]), and answers in JSON
//! lines. `shootout __calibrate` measures the single-core reference the same way, so the
//! reference and the runs it divides are measured under the same conditions (a fresh process,
//! not the parent that holds the server and a larger heap).

use std::io::{BufWriter, Read, Write};
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::Context;
use bytes::Bytes;
use shootout_core::job::{Done, Inputs, Job, JobError, Line, MAX_REPETITIONS};
use shootout_core::load::Plan;
use shootout_core::usage::Usage;
use shootout_core::{Journal, Lines, Model, PageRecord, Scenario};

use super::truth::calibrate;
use crate::registry;

/// The hidden subcommand that runs a Rust contestant's job.
pub const CHILD_COMMAND: &str = "__child";

/// The hidden subcommand that measures a job's single-core reference.
pub const CALIBRATE_COMMAND: &str = "__calibrate";

/// The exit status for a job that cannot be run: malformed, or not one this contestant runs.
pub const BAD_JOB: u8 = 2;

/// `shootout __child`: runs the job on stdin and answers on stdout. A job that cannot be run
/// gets one line on stderr and exit status 2; a contestant that fails otherwise, status 1.
pub fn child_main() -> ExitCode {
    finish(serve())
}

/// `shootout __calibrate`: the single-core parse time of the job's pages, as a `done` line
/// whose wall time is the fastest pass on the fastest core (no records).
pub fn calibrate_main() -> ExitCode {
    finish(serve_calibration())
}

fn finish(result: anyhow::Result<()>) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            if e.downcast_ref::<JobError>().is_some() {
                ExitCode::from(BAD_JOB)
            } else {
                ExitCode::FAILURE
            }
        }
    }
}

/// The job on stdin.
fn read_job() -> anyhow::Result<Job> {
    let mut text = Vec::new();
    std::io::stdin()
        .read_to_end(&mut text)
        .context("cannot read the job from stdin")?;
    Ok(Job::from_json(&text)?)
}

fn serve() -> anyhow::Result<()> {
    let job = read_job()?;
    let model = registry::find(&job.contestant)
        .and_then(registry::Contestant::model)
        .ok_or_else(|| JobError::UnknownContestant(job.contestant.clone()))?;
    let out = std::io::stdout();
    // A streamed crawl writes its lines as it goes, through the journal; the rest are written
    // after the clock stops, so the timed region holds no serialising.
    let journal = (job.stream && job.scenario == Scenario::Crawl).then(|| {
        let sink = BufWriter::with_capacity(64 * 1024, std::io::stdout());
        Arc::new(Journal::writing(
            Lines::Protocol,
            Some(Box::new(sink)),
            false,
        ))
    });
    let timed = match &journal {
        Some(j) => with_flushing(j, || time_here(model, &job, Some(j.clone())))?,
        None => time_here(model, &job, None)?,
    };
    let mut out = BufWriter::new(out.lock());
    // A load run's refusals, made into records one at a time as they are written, from the
    // plan the run used.
    let mut refused = timed.refused.into_iter();
    let plan = timed.plan;
    let mut refusals = |out: &mut BufWriter<_>| -> anyhow::Result<()> {
        let (Some(plan), Some(indices)) = (&plan, refused.next()) else {
            return Ok(());
        };
        for i in indices {
            serde_json::to_writer(&mut *out, &Line::Record(plan.overload(i as usize)))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    };
    let mut repetitions = timed.repetitions.into_iter();
    match (&journal, repetitions.next()) {
        // Any record the journal was not handed on the way (a contestant may add one at the
        // very end), so every URL has exactly one line.
        (Some(j), Some(first)) => j.complete(&first),
        (None, Some(first)) => {
            write_records(&mut out, first)?;
            refusals(&mut out)?;
        }
        (_, None) => {}
    }
    // Every later repetition's records too, each after its marker: the parent verifies all.
    for (k, records) in repetitions.enumerate() {
        serde_json::to_writer(&mut out, &Line::Repetition(k + 2))?;
        out.write_all(b"\n")?;
        write_records(&mut out, records)?;
        refusals(&mut out)?;
    }
    serde_json::to_writer(&mut out, &Line::Done(timed.done))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}

fn write_records(out: &mut impl Write, records: Vec<PageRecord>) -> anyhow::Result<()> {
    for r in records {
        serde_json::to_writer(&mut *out, &Line::Record(r))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// Runs `work` while a thread hands the journal's lines on every 100 ms, so a reader sees
/// each record soon after its page is done, without a system call per page.
fn with_flushing<T>(journal: &Arc<Journal>, work: impl FnOnce() -> T) -> T {
    let (done, stop) = mpsc::channel::<()>();
    let flusher = {
        let journal = journal.clone();
        std::thread::spawn(move || {
            while let Err(mpsc::RecvTimeoutError::Timeout) =
                stop.recv_timeout(Duration::from_millis(100))
            {
                journal.flush();
            }
        })
    };
    let out = work();
    drop(done);
    let _ = flusher.join();
    out
}

/// What a run in this process produced.
#[derive(Debug)]
pub struct Timed {
    /// Each repetition's records, one per input, in the order they ran.
    pub repetitions: Vec<Vec<PageRecord>>,
    /// For `load`: each repetition's refused requests, by index (their records are made as
    /// they are written out), and the plan they index.
    pub refused: Vec<Vec<u32>>,
    /// For `load`: the plan the run used.
    pub plan: Option<Arc<Plan>>,
    /// What was measured around the scenario (its median repetition).
    pub done: Done,
}

/// One measured repetition.
struct Repetition {
    wall: Duration,
    cpu: Duration,
    lags: Option<Vec<Duration>>,
}

/// Runs `job` on `model` in this process: set-up first (the runtime, the inputs), then the
/// clock runs around the scenario only, repeated until it has been measured
/// [`Job::budget_s`] (once, at least); the median repetition is the one reported. A scenario
/// that fetches gets a fresh runner (runtime and client) per repetition, so each one connects
/// as the first did. A streamed crawl tells `journal` of every admitted URL and finished
/// record, and runs once.
pub fn time_here(
    model: &dyn Model,
    job: &Job,
    journal: Option<Arc<Journal>>,
) -> anyhow::Result<Timed> {
    let mut inputs = job.inputs()?;
    let unsupported = |what: String| JobError::Unsupported {
        contestant: model.name().to_owned(),
        what,
    };
    if let Inputs::Pitfall(_, offload) = &inputs
        && !model.pitfall_variants().contains(offload)
    {
        return Err(unsupported(format!("the pitfall variant {offload}")).into());
    }
    let streamed = journal.is_some();
    if let Inputs::Crawl(_, spec) = &mut inputs {
        spec.journal = journal;
    }
    let mut runner = model.prepare(&job.knobs)?;
    // Build the extractor's lazily compiled selectors now, not on the first timed page.
    job.knobs.extract.warm_up();
    // `parse` is pure CPU work and cheap to repeat: run it once untimed, so the timed run
    // measures parsing, not the first-touch page faults of a fresh process and of fresh
    // per-thread allocator arenas. Its ideal (see `calibrate`) is measured warm as well.
    if job.scenario == Scenario::Parse {
        std::hint::black_box(inputs.run(runner.as_ref()));
    }
    // Asked of the runtime that will run, not guessed from its name.
    let driver = runner.driver().or_else(|| model.driver().ok());
    let budget = if streamed {
        Duration::ZERO
    } else {
        shootout_core::job::secs(job.budget_s)
    };
    let mut measured = Vec::new();
    let mut repetitions = Vec::new();
    let mut refused = Vec::new();
    let mut spent = Duration::ZERO;
    loop {
        if job.scenario.fetches() && !measured.is_empty() {
            // Each repetition does the first one's work: connecting included. The runner's
            // client keeps its connections open, so a second repetition on it would measure
            // warm connections, and a contestant slow enough to run once would be measured
            // cold beside a fast one measured warm. So a fetching scenario gets a fresh
            // runtime and client per repetition, built (and the old one dropped) off the clock.
            drop(runner);
            runner = model.prepare(&job.knobs)?;
        }
        let before = Usage::now();
        let start = Instant::now();
        let ran = inputs.run(runner.as_ref());
        let wall = start.elapsed();
        let after = Usage::now();
        let ran = ran.ok_or_else(|| unsupported(format!("the {} scenario", job.scenario)))?;
        measured.push(Repetition {
            wall,
            cpu: after.cpu.saturating_sub(before.cpu),
            lags: ran.lags,
        });
        repetitions.push(ran.records);
        refused.push(ran.refused);
        spent += wall;
        if spent >= budget || measured.len() >= MAX_REPETITIONS {
            break;
        }
    }
    // Tear the runtime down outside the timed region.
    drop(runner);
    let peak_rss = Usage::now().peak_rss;
    let reps = measured.len();
    // The median by wall time (the lower middle of an even count), with its own CPU and lags.
    measured.sort_by_key(|r| r.wall);
    let median = measured.swap_remove((reps - 1) / 2);
    let plan = match &inputs {
        Inputs::Load(plan) => Some(plan.clone()),
        _ => None,
    };
    Ok(Timed {
        repetitions,
        refused,
        plan,
        done: Done {
            wall_s: median.wall.as_secs_f64(),
            cpu_s: median.cpu.as_secs_f64(),
            reps,
            peak_rss,
            driver,
            lags_s: median
                .lags
                .map(|l| l.iter().map(Duration::as_secs_f64).collect()),
            runtime: Default::default(),
        },
    })
}

fn serve_calibration() -> anyhow::Result<()> {
    let job = read_job()?;
    let pages = job
        .pages
        .as_ref()
        .ok_or(JobError::Missing {
            scenario: job.scenario,
            field: "pages",
        })?
        .read()?;
    let bodies: Vec<Bytes> = pages.into_iter().map(|p| p.body).collect();
    let extract = job.knobs.extract;
    // The fastest core's time: pin to each allowed CPU in turn (see `pin_to_cpu`).
    let best = match shootout_core::usage::allowed_cpus() {
        Some(cpus) if cpus.len() > 1 => cpus
            .into_iter()
            .filter(|&c| shootout_core::usage::pin_to_cpu(c))
            .map(|_| calibrate(&bodies, extract))
            .min()
            .unwrap_or_else(|| calibrate(&bodies, extract)),
        _ => calibrate(&bodies, extract),
    };
    let usage = Usage::now();
    let done = Done {
        wall_s: best.as_secs_f64(),
        cpu_s: usage.cpu.as_secs_f64(),
        peak_rss: usage.peak_rss,
        ..Done::default()
    };
    let mut out = std::io::stdout().lock();
    serde_json::to_writer(&mut out, &Line::Done(done))?;
    out.write_all(b"\n")?;
    out.flush()?;
    Ok(())
}
