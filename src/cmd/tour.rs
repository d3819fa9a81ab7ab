//! `shootout tour` (and `shootout` alone): every scenario, every contestant, at small
//! defaults, with a guide to reading the tables.

use anyhow::bail;
use clap::Args;
use shootout_core::Scenario;
use shootout_core::knobs::available_threads;
use shootout_lab::{harness, registry};

use crate::cli::MeasureArgs;
use crate::sink;
use crate::sweep::{checked_points, sweep};

#[derive(Args, Debug)]
pub struct TourArgs {
    #[command(flatten)]
    pub measure: MeasureArgs,
}

pub fn run(args: &TourArgs) -> anyhow::Result<()> {
    let m = &args.measure;
    let (contestants, missing) = registry::available();
    let points = checked_points(m, &contestants, false)?;
    let mut sink = sink::chosen(m.json);
    sink.prose(&format!(
        "shootout tour: {} scenarios × {} contestants on {} core(s), each run in its own process ({} allocator).",
        Scenario::ALL.len(),
        contestants.len(),
        available_threads(),
        shootout_lab::alloc::NAME
    ));
    for line in &missing {
        sink.note(line);
    }
    let (all_ok, _) = sweep(
        &Scenario::ALL,
        &points,
        &contestants,
        usize::MAX,
        m,
        sink.as_mut(),
        |scenario, fit| {
            let mut runs = harness::runs_for(scenario, fit, &m.knobs.extract);
            // With the default strategies, `parse` also shows one run of the naive byte scan:
            // faster than either, and marked wrong.
            if scenario == Scenario::Parse && m.knobs.extract.is_empty() {
                runs.extend(harness::naive_entry());
            }
            runs
        },
    )?;
    sink.prose(READING_GUIDE);
    if !all_ok {
        bail!("some runs were not verified (see ✗ above)");
    }
    Ok(())
}

const READING_GUIDE: &str = "
How to read this:
  driver    what the I/O went through: epoll (a readiness reactor: tokio, smol, async-std),
            io_uring (a completion reactor: compio), or blocking (threads in their own read);
            a * marks a fallback, and the line under the table says why
  wall      time the scenario took, set-up excluded; a scenario shorter than --budget-ms is
            repeated in its process and its median repetition shown (with --runs K: the median
            run's, between the fastest, min, and the slowest, max)
  ideal     the fastest possible: max(waiting, computing). Waiting: ceil(N/C)·L, or for a
            crawl max over depth k of (k + ceil(N≥k/C))·L. Computing: single-core parse time / T.
            Reading (files) or writing (write): a bare std::fs loop over the same files, as
            many at once
  ×ideal    wall / ideal: 1.00 is the limit; the sequential baseline is held to C=1, T=1
  p99       99th percentile of each request's latency (taken up to record), from a histogram
            of every request; in load, from when each request was due (a stall or a queue
            counts for every request it delayed); p50 to max and the histogram: --json
  cpu       user+system CPU time of the contestant's own process during the scenario
  srv cpu   CPU time of the embedded server's threads meanwhile: it shares the same cores,
            so cpu + srv cpu is what the machine spent, and cpu alone what the client costs
  peak mem  peak resident memory of the contestant's process
  cache     files: cold (evicted from this machine's page cache before the run, and checked)
            or warm (read once before it); cached: how much of the set was in memory at the start
  µs/file over  files: (wall − ideal) / N, what each file API costs per file over the bare loop:
            tokio::fs, async-fs and aiofiles hop to a thread pool per call; compio submits to
            io_uring; the thread pools call std::fs themselves
  fsync     write: whether each file was flushed to the disk before it was closed (--fsync)
  verified  ✓ every record matched the site's ground truth; ✗ something was wrong (listed)
  extract   how pages were parsed: dom builds the tree, stream (lol_html) and tokenize (the
            lab's own tokeniser, the default) read the tokens, naive scans the bytes (fast,
            and wrong on purpose)
Try: shootout run download --pages 200 --concurrency 50   ·   shootout run load -l 10 -c 50
     --rate 500,1000,2000,4000   ·   shootout list   ·   shootout --help";
