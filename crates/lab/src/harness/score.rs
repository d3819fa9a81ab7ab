//! Scoring: a run's records verified, its wall time set against the ideal, as a [`Row`].

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;
use shootout_core::driver::Reactor;
use shootout_core::files::Cache;
use shootout_core::ideal::{Bound, Ideal};
use shootout_core::job::Job;
use shootout_core::knobs::Shape;
use shootout_core::latency::{self, Latency, Tail};
use shootout_core::load::Load;
use shootout_core::pitfall::Offload;
use shootout_core::verify::verify;
use shootout_core::{Family, Knobs, Scenario, Strategy};

use super::runner::ChildRun;
use super::truth::{Floor, Truth};
use crate::registry::Contestant;

/// The version of [`Row`]'s JSON, on every row as `"schema"`. 1 was the first to carry it;
/// 2 measures a run by the median of its repetitions (`reps`). A row without it is from
/// before, one measurement a run, and reads the same.
pub const SCHEMA: u32 = 2;

/// What a [`Row`] stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RowKind {
    /// One run, in one process.
    Run,
    /// The run with the median wall time of several runs of one job, with their spread.
    Median,
}

/// The knobs a row was asked to run with: the point of a sweep. A contestant may use fewer
/// (the sequential baseline is held to C = 1, T = 1); [`Row::threads`] and
/// [`Row::concurrency`] say what it really used.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Point {
    /// N.
    pub pages: usize,
    /// L, in ms.
    pub latency_ms: u64,
    /// S, in KiB.
    pub page_kb: usize,
    /// C.
    pub concurrency: usize,
    /// T.
    pub threads: usize,
    /// For `load` rows only: the rate, duration, spacing and queue.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub load: Option<Load>,
    /// The site's slow pages and stall, where it had any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub shape: Option<Shape>,
}

impl Point {
    /// The point `knobs` describe.
    pub fn of(knobs: &Knobs) -> Point {
        Point {
            pages: knobs.pages,
            latency_ms: knobs.latency_ms,
            page_kb: knobs.page_kb,
            concurrency: knobs.concurrency,
            threads: knobs.threads,
            load: None,
            shape: (!knobs.shape.is_plain()).then_some(knobs.shape),
        }
    }

    /// The point of a run of `scenario` with `knobs`: the load knobs only where they apply.
    pub fn of_run(scenario: Scenario, knobs: &Knobs) -> Point {
        Point {
            load: (scenario == Scenario::Load).then_some(knobs.load),
            ..Point::of(knobs)
        }
    }
}

/// One leaderboard row (and one `--json` object).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// [`SCHEMA`].
    pub schema: u32,
    /// One run, or the median of several.
    pub kind: RowKind,
    /// For a run of a job repeated with `--runs K`: which round it was, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub round: Option<usize>,
    /// Contestant name.
    pub contestant: String,
    /// Its family.
    pub family: Family,
    /// Scenario name.
    pub scenario: Scenario,
    /// For `pitfall`: where the parsing went.
    pub variant: Option<Offload>,
    /// For `files`: whether the files were evicted from the page cache (`cold`) or read once
    /// (`warm`) before the run.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<Cache>,
    /// For `write`: whether each file was flushed with `fsync` before it was closed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fsync: Option<bool>,
    /// For `files`: the share of the set's pages in the page cache just before the run
    /// started, in percent, as `mincore` counted them: 0 for a cold run whose eviction
    /// worked, 100 for a warm one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resident_pct: Option<f64>,
    /// For `files`: (wall − ideal) / N, in µs: what each file cost over the bare read loop
    /// (the thread-pool hop, or the ring submission, and the runtime's own work).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overhead_us_per_file: Option<f64>,
    /// How pages were parsed; `None` for scenarios that parse nothing, and for a program that
    /// parses with its own library ([`Row::parser`]).
    pub extractor: Option<Strategy>,
    /// For a program with its own HTML parser, in a scenario that parses: which
    /// (`BeautifulSoup and lxml`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parser: Option<&'static str>,
    /// Threads T the contestant really used.
    pub threads: usize,
    /// Concurrency C the contestant really used.
    pub concurrency: usize,
    /// The driver its I/O went through: `io_uring`, `epoll` (or the OS's readiness
    /// reactor), or `blocking`.
    pub driver: Reactor,
    /// Why the driver is a fallback, when it is (compio on epoll when io_uring is refused).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub driver_fallback: Option<String>,
    /// Records returned.
    pub records: usize,
    /// Records that carry an error (404s included; for `load`, overloads and timeouts too).
    pub errors: usize,
    /// For `load`: requests refused because C were in flight and Q waiting.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub overloads: Option<usize>,
    /// For `load`: requests that timed out (a timeout after they fell due).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timeouts: Option<usize>,
    /// For `load`: responses received per second of wall time (the asked rate is in
    /// `point.load.rate`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub achieved_per_s: Option<f64>,
    /// Wall time of the scenario, or `None` if the run crashed.
    pub wall_s: Option<f64>,
    /// For a median row: the fastest wall time of the runs it summarises (crashed runs aside).
    pub wall_min_s: Option<f64>,
    /// For a median row: the slowest wall time of the runs it summarises (crashed runs aside).
    pub wall_max_s: Option<f64>,
    /// The ideal time: the larger of the two bounds.
    pub ideal_s: f64,
    /// Which bound decided the ideal: `latency` or `cpu`.
    pub bound: Bound,
    /// wall / ideal (1.00 is the limit); `None` when the ideal is zero or the run failed.
    pub wall_over_ideal: Option<f64>,
    /// Records per second of wall time.
    pub pages_per_s: Option<f64>,
    /// CPU time (user + system) of the contestant's process during the scenario.
    pub cpu_s: Option<f64>,
    /// CPU time of the embedded server's threads while the contestant's process ran (its set-up
    /// included, in which the server is idle): what serving cost, on the same cores. `None`
    /// where no server ran, or threads have no CPU clocks.
    pub server_cpu_s: Option<f64>,
    /// Peak resident memory of the contestant's process, in MiB.
    pub peak_rss_mb: Option<f64>,
    /// Each request's latency, from when it was due to when its record was ready
    /// (crates/core/src/latency.rs), binned into an HdrHistogram: percentiles and the whole
    /// histogram. Every repetition of the run is binned into one histogram (a median row
    /// carries its median run's). `None` where nothing was fetched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub latency: Option<Tail>,
    /// From due to the body's end, where parsing comes after it (`scrape`, `crawl`,
    /// `pitfall`): [`Row::latency`] less the wait for a parser and the parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body_latency: Option<Tail>,
    /// For `pitfall`: every heartbeat's lateness in one HdrHistogram, as [`Row::latency`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub heartbeat: Option<Tail>,
    /// For `pitfall`: the worst heartbeat lag, in ms.
    pub heartbeat_max_ms: Option<f64>,
    /// For `pitfall`: the 99th-percentile heartbeat lag, in ms.
    pub heartbeat_p99_ms: Option<f64>,
    /// Whether the records matched ground truth (in every run, when repeated).
    pub verified: bool,
    /// What was wrong, if anything.
    pub problems: Vec<String>,
    /// How many runs this row summarises (the median one is shown).
    pub runs: usize,
    /// How many times its process measured the scenario (the median repetition is shown);
    /// every repetition's records were verified.
    pub reps: usize,
    /// The knobs asked for.
    pub point: Point,
    /// What the runtime said about itself (an interpreter's version and GIL, say), as its
    /// child reported it.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub runtime: BTreeMap<String, serde_json::Value>,
}

impl Row {
    /// Whether this row fails the command: a wrong answer from a strategy that is meant to be
    /// right. The `naive` strategy is run to be caught; its ✗ is the lesson, not a failure.
    pub fn is_failure(&self) -> bool {
        !self.verified && self.extractor.is_none_or(Strategy::is_sound)
    }
}

/// The run with the median wall time of several runs of one job (the lower middle one of an
/// even count), as a [`RowKind::Median`] row with the fastest and slowest wall; it is verified
/// only if every run was, and it carries every distinct problem of every run, in the order
/// first seen. A crashed run sorts last. `None` for no runs.
pub fn median(rows: &mut [Row]) -> Option<Row> {
    rows.sort_by(|a, b| {
        a.wall_s
            .unwrap_or(f64::MAX)
            .total_cmp(&b.wall_s.unwrap_or(f64::MAX))
    });
    let mut row = rows.get(rows.len().checked_sub(1)? / 2)?.clone();
    row.kind = RowKind::Median;
    row.round = None;
    let walls = || rows.iter().filter_map(|r| r.wall_s);
    row.wall_min_s = walls().reduce(f64::min);
    row.wall_max_s = walls().reduce(f64::max);
    row.verified = rows.iter().all(|r| r.verified);
    row.problems = Vec::new();
    for problem in rows.iter().flat_map(|r| &r.problems) {
        // Runs of one job often repeat a problem, not always next to each other.
        if !row.problems.contains(problem) {
            row.problems.push(problem.clone());
        }
    }
    row.runs = rows.len();
    Some(row)
}

/// Sets `row` (a run or a median of `contestant` on `job`) against the ideal of `truth` again:
/// its ideal, the bound that decided it and wall / ideal. The rounds measure the single-core
/// reference again in every round and keep the fastest, and a median row is set against that
/// one (see `rounds::scenario`).
pub fn rescore(row: &mut Row, contestant: Contestant, job: &Job, truth: &Truth) {
    let ideal = ideal_of(contestant, job, truth, &row.runtime);
    row.ideal_s = ideal.time().as_secs_f64();
    row.bound = ideal.bound_by();
    row.wall_over_ideal = row
        .wall_s
        .filter(|_| row.ideal_s > 0.0)
        .map(|wall_s| wall_s / row.ideal_s);
    row.overhead_us_per_file = overhead_per_file(job, row.wall_s, row.ideal_s);
}

/// For `files`: (wall − ideal) / N in µs, where both are known.
fn overhead_per_file(job: &Job, wall_s: Option<f64>, ideal_s: f64) -> Option<f64> {
    let files = job.files.as_ref()?;
    let n = files.paths.len();
    wall_s
        .filter(|_| ideal_s > 0.0 && n > 0)
        .map(|wall| (wall - ideal_s) / n as f64 * 1e6)
}

/// The ideal of `contestant` on `job`. `runtime` is what its run said about itself: threads
/// that run Python under a GIL the run reported on have one core between them
/// ([`Contestant::cpu_threads`]), whatever T is; the harness keeps no table of interpreters.
fn ideal_of(
    contestant: Contestant,
    job: &Job,
    truth: &Truth,
    runtime: &BTreeMap<String, serde_json::Value>,
) -> Ideal {
    if let Some(last) = open_loop_end(job) {
        // Open loop: no run ends before its last request falls due and is held L.
        return Ideal {
            latency_bound: last + job.knobs.latency(),
            cpu_bound: Duration::ZERO,
            disk_bound: Duration::ZERO,
        };
    }
    if let Some(floor) = Floor::of(job) {
        // Reading (or writing): no run can read these files, cold or warm as they were (or
        // write them), faster than the bare loop with as many in flight (`Truth::disk_floor`).
        let eff = contestant.effective(&job.knobs);
        return Ideal::disk(truth.disk_floor(floor, eff.concurrency, eff.threads));
    }
    let eff = contestant.effective(&job.knobs);
    // More threads than cores cannot parse faster than one per core.
    let parallel = contestant
        .cpu_threads(&job.knobs, runtime)
        .min(shootout_core::knobs::available_threads());
    Ideal::new(
        &truth.levels,
        eff.concurrency,
        job.knobs.latency(),
        truth.single_core,
        parallel,
    )
}

/// When an open-loop (`load`) job's last request falls due, from the start; `None` for the
/// other scenarios.
fn open_loop_end(job: &Job) -> Option<Duration> {
    (job.scenario == Scenario::Load)
        .then(|| job.due_us.as_ref()?.last().copied())
        .flatten()
        .map(Duration::from_micros)
}

/// Scores a run: verifies its records and sets it against the ideal time. A run that ended
/// without its closing line keeps the records it wrote: they are counted, and the row says
/// what happened.
pub fn score(contestant: Contestant, job: &Job, truth: &Truth, run: ChildRun) -> Row {
    let eff = contestant.effective(&job.knobs);
    let runtime = run
        .end
        .as_ref()
        .map(|d| d.runtime.clone())
        .unwrap_or_default();
    let ideal = ideal_of(contestant, job, truth, &runtime);
    let ideal_s = ideal.time().as_secs_f64();
    let parses = job.scenario.parses();
    let mut row = Row {
        schema: SCHEMA,
        kind: RowKind::Run,
        round: None,
        contestant: contestant.name().to_owned(),
        family: contestant.family(),
        scenario: job.scenario,
        variant: job.offload,
        cache: job.files.as_ref().and_then(|f| f.cache),
        fsync: (job.scenario == Scenario::Write).then_some(job.knobs.fsync),
        resident_pct: None,
        overhead_us_per_file: None,
        extractor: contestant.extractor(job.knobs.extract).filter(|_| parses),
        parser: contestant.parser().filter(|_| parses),
        threads: eff.threads,
        concurrency: eff.concurrency,
        // Until the run says what it ran on: the contestant's own answer for this machine.
        driver: Reactor::None,
        driver_fallback: None,
        records: run.records.len(),
        errors: run.records.iter().filter(|r| !r.is_ok()).count(),
        overloads: None,
        timeouts: None,
        achieved_per_s: None,
        wall_s: None,
        wall_min_s: None,
        wall_max_s: None,
        ideal_s,
        bound: ideal.bound_by(),
        wall_over_ideal: None,
        pages_per_s: None,
        cpu_s: None,
        server_cpu_s: None,
        peak_rss_mb: None,
        latency: None,
        body_latency: None,
        heartbeat: None,
        heartbeat_max_ms: None,
        heartbeat_p99_ms: None,
        verified: false,
        problems: Vec::new(),
        runs: 1,
        reps: 1,
        point: Point::of_run(job.scenario, &job.knobs),
        runtime: BTreeMap::new(),
    };
    let reported = run.end.as_ref().ok().and_then(|d| d.driver.clone());
    if let Some(d) = reported.or_else(|| contestant.driver().ok()) {
        (row.driver, row.driver_fallback) = (d.name, d.fallback);
    }
    match run.end {
        Err(e) => row.problems.push(match run.records.len() {
            0 => e.to_string(),
            n => format!("{e} (after {n} records)"),
        }),
        Ok(done) => {
            let mut verdict = verify(&run.records, &truth.expectation);
            // Every repetition is verified, but a program that is wrong is usually wrong the
            // same way each time: say so once, with a count, rather than once per repetition
            // (a wrong 1 ms row repeats 200 times). The first repetition that differs is shown.
            let first = (verdict.problem_count, verdict.problems.clone());
            let (mut same, mut differing, mut shown) = (0, 0, None);
            for (k, later) in run.repeated.iter().enumerate() {
                let again = verify(later, &truth.expectation);
                if again.ok() {
                    continue;
                }
                verdict.problem_count += again.problem_count;
                if (again.problem_count, &again.problems) == (first.0, &first.1) {
                    same += 1;
                } else if shown.is_none() {
                    shown = Some(format!("repetition {}: {again}", k + 2));
                } else {
                    differing += 1;
                }
            }
            if same > 0 {
                verdict.problems.push(format!(
                    "{same} of the {} later repetitions: the same problems",
                    run.repeated.len()
                ));
            }
            verdict.problems.extend(shown);
            if differing > 0 {
                verdict
                    .problems
                    .push(format!("{differing} more repetitions with other problems"));
            }
            // Each repetition it ran is owed its records, after its marker.
            let sent = 1 + run.repeated.len();
            if done.reps != sent {
                row.problems.push(format!(
                    "said it measured {} repetitions, and sent the records of {sent}",
                    done.reps
                ));
            }
            row.reps = done.reps;
            let wall = done.wall();
            let wall_s = wall.as_secs_f64();
            row.wall_s = Some(wall_s);
            row.wall_over_ideal = (ideal_s > 0.0).then(|| wall_s / ideal_s);
            row.overhead_us_per_file = overhead_per_file(job, Some(wall_s), ideal_s);
            row.pages_per_s = (wall_s > 0.0).then(|| run.records.len() as f64 / wall_s);
            if job.scenario == Scenario::Load {
                let kind = |k: &str| {
                    run.records
                        .iter()
                        .filter(|r| r.error.as_ref().is_some_and(|e| e.kind() == k))
                        .count()
                };
                let (overloads, timeouts) = (kind("overload"), kind("timeout"));
                let answered = run.records.len() - overloads - timeouts;
                row.overloads = Some(overloads);
                row.timeouts = Some(timeouts);
                row.achieved_per_s = (wall_s > 0.0).then(|| answered as f64 / wall_s);
            }
            row.cpu_s = Some(done.cpu().as_secs_f64());
            row.peak_rss_mb = Some(done.peak_rss as f64 / (1024.0 * 1024.0));
            if let Some(lags) = done.lags() {
                match Tail::of(lags.iter().map(|&d| latency::micros(d))) {
                    Ok(Some(h)) => {
                        row.heartbeat_max_ms = Some(h.max_ms);
                        row.heartbeat_p99_ms = Some(h.p99_ms);
                        row.heartbeat = Some(h);
                    }
                    Ok(None) => row.problems.push("the heartbeat never ticked".into()),
                    Err(e) => row.problems.push(e.to_string()),
                }
            }
            // Binned here, after the child's clock stopped: its hot path only stamped them.
            let all = || run.records.iter().chain(run.repeated.iter().flatten());
            let lat =
                |f: fn(&Latency) -> u64| Tail::of(all().filter_map(|r| r.latency.as_ref().map(f)));
            match (lat(|l| l.ready_us), lat(|l| l.body_us)) {
                (Ok(ready), Ok(body)) => {
                    if job.scenario.parses() {
                        row.body_latency = body;
                    }
                    row.latency = ready;
                }
                (Err(e), _) | (_, Err(e)) => row.problems.push(e.to_string()),
            }
            row.runtime = done.runtime;
            // An open loop cannot end before its last request fell due; it may end before
            // that request's L is up, if it was refused.
            let bound = open_loop_end(job).unwrap_or(ideal.latency_bound);
            let too_fast = under_the_latency_bound(wall, bound);
            row.verified = verdict.ok() && too_fast.is_none() && row.problems.is_empty();
            row.problems.extend(verdict.problems);
            row.problems.extend(too_fast);
        }
    }
    row
}

/// How far under its latency bound a run may finish before it is reported wrong: timers and
/// the two clocks involved are good to well under a millisecond, so 1% (at least 1 ms) is
/// measurement, and anything faster is a run that did not wait.
pub const LATENCY_TOLERANCE: f64 = 0.01;

/// A problem if `wall` is under the latency bound. Every response is held L by the server (or
/// every wait takes L), so no correct run can finish sooner: a run that does skipped waits,
/// and its records alone cannot show it.
fn under_the_latency_bound(wall: Duration, bound: Duration) -> Option<String> {
    let slack = bound
        .mul_f64(LATENCY_TOLERANCE)
        .max(Duration::from_millis(1));
    (wall + slack < bound).then(|| {
        format!(
            "finished in {}, under the latency bound of {}: it cannot have waited L for every \
             request",
            crate::label::human_secs(wall.as_secs_f64()),
            crate::label::human_secs(bound.as_secs_f64())
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use shootout_core::PageRecord;
    use shootout_core::job::Done;
    use shootout_core::page::sleep_record;
    use shootout_site::{Site, SiteSpec};
    use url::Url;

    use super::*;
    use crate::harness::runner::ChildError;
    use crate::harness::truth::truth;

    /// A sleep job of `n` waits of 100 ms, C = 10, and its truth.
    fn sleep_job(n: usize) -> (Job, Truth) {
        let knobs = Knobs {
            pages: n,
            latency_ms: 100,
            concurrency: 10,
            ..Knobs::default()
        };
        let job = Job::new("tokio", Scenario::Sleep, knobs.clone());
        let origin = Url::parse("http://127.0.0.1:1/").expect("a valid URL");
        let site = Site::generate(
            SiteSpec {
                pages: n,
                page_kb: 1,
                seed: 1,
                quirks: false,
                links: 0,
            },
            &origin,
        );
        let truth = truth(&site, Scenario::Sleep, &knobs, usize::MAX, Duration::ZERO);
        (job, truth)
    }

    fn timed(job: &Job, wall: Duration) -> ChildRun {
        ChildRun {
            records: (0..job.knobs.pages).map(sleep_record).collect(),
            repeated: Vec::new(),
            end: Ok(Done {
                wall_s: wall.as_secs_f64(),
                ..Done::default()
            }),
        }
    }

    #[test]
    fn a_run_faster_than_its_latency_bound_is_wrong() {
        // 40 waits of 100 ms, 10 at a time: no correct run ends before 400 ms.
        let (job, truth) = sleep_job(40);
        let tokio = crate::registry::find("tokio").expect("tokio is registered");
        let fair = score(tokio, &job, &truth, timed(&job, Duration::from_millis(402)));
        assert!(fair.verified, "{:?}", fair.problems);
        let measured = score(tokio, &job, &truth, timed(&job, Duration::from_millis(398)));
        assert!(
            measured.verified,
            "1% under is timer noise: {:?}",
            measured.problems
        );
        // The right records, but too soon: it cannot have waited.
        let skipped = score(tokio, &job, &truth, timed(&job, Duration::from_millis(150)));
        assert!(!skipped.verified);
        assert!(
            skipped.problems[0].contains("under the latency bound of 400.0 ms"),
            "{:?}",
            skipped.problems
        );
    }

    #[test]
    fn a_child_that_broke_off_keeps_its_records_counted() {
        let (job, truth) = sleep_job(40);
        let tokio = crate::registry::find("tokio").expect("tokio is registered");
        let mut run = timed(&job, Duration::from_millis(402));
        run.records.truncate(7);
        run.end = Err(ChildError::HalfLine("{\"record\": {\"url".into()));
        let row = score(tokio, &job, &truth, run);
        assert!(!row.verified);
        assert_eq!(row.records, 7);
        assert_eq!(row.wall_s, None);
        assert_eq!(
            row.problems,
            ["stopped half way through a line: {\"record\": {\"url (after 7 records)"]
        );
    }

    #[test]
    fn every_repetition_is_verified_and_owed_its_records() {
        let (job, truth) = sleep_job(40);
        let tokio = crate::registry::find("tokio").expect("tokio is registered");
        let repeated = |reps: usize, later: Vec<Vec<PageRecord>>| ChildRun {
            repeated: later,
            end: Ok(Done {
                wall_s: 0.402,
                reps,
                ..Done::default()
            }),
            ..timed(&job, Duration::from_millis(402))
        };
        let right = timed(&job, Duration::ZERO).records;
        let fair = score(tokio, &job, &truth, repeated(3, vec![right.clone(); 2]));
        assert!(fair.verified, "{:?}", fair.problems);
        assert_eq!(fair.reps, 3);

        // The third repetition lost a record: the row is wrong, and says which repetition.
        let mut short = right.clone();
        short.pop();
        let lost = score(
            tokio,
            &job,
            &truth,
            repeated(3, vec![right.clone(), short.clone()]),
        );
        assert!(!lost.verified);
        assert!(
            lost.problems
                .iter()
                .any(|p| p.starts_with("repetition 3: ")),
            "{:?}",
            lost.problems
        );

        // Wrong the same way in all 200 repetitions: every one is counted, and said once.
        let mut always = repeated(200, vec![short.clone(); 199]);
        always.records = short.clone();
        let always = score(tokio, &job, &truth, always);
        assert!(!always.verified);
        assert_eq!(
            always.problems.len(),
            2,
            "the first repetition's problems, then one line for the rest: {:?}",
            always.problems
        );
        assert!(
            always.problems[0].starts_with("1 record(s) missing of 40"),
            "{:?}",
            always.problems
        );
        assert_eq!(
            always.problems[1],
            "199 of the 199 later repetitions: the same problems"
        );

        // Three repetitions claimed, the records of two sent.
        let missing = score(tokio, &job, &truth, repeated(3, vec![right]));
        assert!(!missing.verified);
        assert_eq!(
            missing.problems,
            ["said it measured 3 repetitions, and sent the records of 2"]
        );
    }

    #[test]
    fn median_of_nothing_is_none() {
        assert!(median(&mut []).is_none());
    }
}
