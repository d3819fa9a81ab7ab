//! Running one contestant on one scenario, and scoring the run.
//!
//! The flow of a measured run:
//!
//! 1. the parent starts the site ([`shootout_site::Server`]) and computes the [`Truth`]:
//!    the expected records, the crawl's levels and the single-core parse time;
//! 2. it re-invokes its own binary as a child ([`run_child`]) for each contestant, so CPU time
//!    and peak memory are that contestant's alone, not the server's or an earlier run's;
//! 3. the child ([`time_here`]) builds the runner and the inputs, *then* starts the clock, runs
//!    one scenario, stops the clock and reports records, wall, CPU and peak RSS;
//! 4. the parent verifies the records and scores the run against the ideal ([`score`]).
//!
//! Tests and benches call [`time_here`] or [`Inputs`] directly, in-process.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use shootout_core::ideal::Ideal;
use shootout_core::measure::Usage;
use shootout_core::page::sleep_record;
use shootout_core::pitfall::{LagStats, Offload};
use shootout_core::verify::{Expectation, Fields, verify};
use shootout_core::{Contestant, Knobs, Page, PageRecord, Runner, Scenario, Strategy};
use shootout_site::{Site, SiteSpec, input_urls};
use url::Url;

use crate::registry;

/// Everything a (child) process needs to run one contestant on one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    /// The contestant's registry name.
    pub contestant: String,
    /// The scenario.
    pub scenario: Scenario,
    /// The knobs, the same for every contestant.
    pub knobs: Knobs,
    /// The synthetic site's seed.
    pub seed: u64,
    /// The crawl's page cap.
    pub max_pages: usize,
    /// The site's root URL.
    pub base_url: String,
    /// For `pitfall`: where the parsing goes.
    #[serde(default)]
    pub offload: Option<Offload>,
    /// Whether the synthetic site serves its quirk pages (see `shootout_site::QUIRKS`).
    #[serde(default)]
    pub quirks: bool,
}

impl Job {
    /// The spec of the synthetic site this job runs against.
    pub fn site_spec(&self) -> SiteSpec {
        SiteSpec {
            pages: self.knobs.pages,
            page_kb: self.knobs.page_kb,
            seed: self.seed,
            quirks: self.quirks,
        }
    }
}

/// A scenario's inputs, built before the clock starts.
pub enum Inputs {
    /// `sleep`: how many waits, and how long each.
    Sleep(usize, Duration),
    /// `download`: the page URLs.
    Download(Vec<Url>),
    /// `scrape`: the page URLs.
    Scrape(Vec<Url>),
    /// `crawl`: the root and the page cap.
    Crawl(Url, usize),
    /// `parse`: the pages, in memory.
    Parse(Vec<Page>),
    /// `pitfall`: the page URLs and where the parsing goes.
    Pitfall(Vec<Url>, Offload),
}

/// What running a scenario produced.
pub struct Ran {
    /// One record per input.
    pub records: Vec<PageRecord>,
    /// For `pitfall`: the lateness of every heartbeat tick.
    pub lags: Option<Vec<Duration>>,
}

impl Inputs {
    /// Builds the inputs of `job`. For `parse` this generates the pages, which is why it
    /// happens before timing starts.
    pub fn build(job: &Job) -> anyhow::Result<Inputs> {
        let base =
            Url::parse(&job.base_url).with_context(|| format!("bad base URL {}", job.base_url))?;
        let n = job.knobs.pages;
        let urls = || input_urls(&base, &job.site_spec());
        Ok(match job.scenario {
            Scenario::Sleep => Inputs::Sleep(n, job.knobs.latency()),
            Scenario::Download => Inputs::Download(urls()),
            Scenario::Scrape => Inputs::Scrape(urls()),
            Scenario::Crawl => Inputs::Crawl(base, job.max_pages),
            Scenario::Parse => {
                Inputs::Parse(Site::generate(job.site_spec(), &base).pages_in_memory())
            }
            Scenario::Pitfall => Inputs::Pitfall(
                urls(),
                job.offload
                    .context("the pitfall scenario needs a variant")?,
            ),
        })
    }

    /// Runs the scenario on `runner`: the timed part. `None` if the runner does not run this
    /// scenario (only `pitfall` is optional: it needs an event loop).
    pub fn run(&self, runner: &dyn Runner) -> Option<Ran> {
        let records = |records| {
            Some(Ran {
                records,
                lags: None,
            })
        };
        match self {
            Inputs::Sleep(n, wait) => records(runner.sleep(*n, *wait)),
            Inputs::Download(urls) => records(runner.download(urls)),
            Inputs::Scrape(urls) => records(runner.scrape(urls)),
            Inputs::Crawl(root, max) => records(runner.crawl(root, *max)),
            Inputs::Parse(pages) => records(runner.parse(pages)),
            Inputs::Pitfall(urls, offload) => runner.pitfall(urls, *offload).map(|p| Ran {
                records: p.records,
                lags: Some(p.lags),
            }),
        }
    }
}

/// What one timed run produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Timed {
    /// The records, one per input.
    pub records: Vec<PageRecord>,
    /// Wall-clock time of the scenario alone.
    pub wall: Duration,
    /// CPU time (user + system, all threads) spent during the scenario.
    pub cpu: Duration,
    /// Peak resident memory of the process, in bytes.
    pub peak_rss: u64,
    /// For `pitfall`: the heartbeat's lag statistics.
    pub heartbeat: Option<LagStats>,
}

/// Runs `job` in this process: set-up first, then the clock runs around the scenario only.
pub fn time_here(contestant: &dyn Contestant, job: &Job) -> anyhow::Result<Timed> {
    job.knobs.validate()?;
    let runner = contestant.prepare(&job.knobs)?;
    let inputs = Inputs::build(job)?;
    // Build the extractor's lazily compiled selectors now, not on the first timed page.
    job.knobs.extract.warm_up();
    // `parse` is pure CPU work and cheap to repeat: run it once untimed, so the timed run
    // measures parsing, not the first-touch page faults of a fresh process and of fresh
    // per-thread allocator arenas. Its ideal (see `calibrate`) is measured warm as well.
    if job.scenario == Scenario::Parse {
        std::hint::black_box(inputs.run(runner.as_ref()));
    }
    let before = Usage::now();
    let start = Instant::now();
    let ran = inputs.run(runner.as_ref());
    let wall = start.elapsed();
    let after = Usage::now();
    // Tear the runtime down outside the timed region.
    drop(runner);
    let ran = ran.with_context(|| {
        format!(
            "{} does not run the {} scenario",
            contestant.name(),
            job.scenario
        )
    })?;
    Ok(Timed {
        records: ran.records,
        wall,
        cpu: after.cpu.saturating_sub(before.cpu),
        peak_rss: after.peak_rss,
        heartbeat: ran.lags.as_deref().map(LagStats::of),
    })
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
    run_child_task(&ChildTask::Run(job.clone()), limit, tick)
}

fn run_child_task<T: serde::de::DeserializeOwned>(
    task: &ChildTask,
    limit: Duration,
    mut tick: impl FnMut(),
) -> anyhow::Result<T> {
    let exe = std::env::current_exe().context("cannot find the shootout binary to re-invoke")?;
    let mut child = Command::new(exe)
        .arg(CHILD_COMMAND)
        .arg(serde_json::to_string(task)?)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("cannot start a child process")?;
    // Drain both pipes on their own threads, so a chatty child never blocks on a full pipe.
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!("hung: no result after {:.0} s, killed", limit.as_secs_f64());
        }
        tick();
        std::thread::sleep(Duration::from_millis(20));
    };
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "crashed ({status}): {}",
            crash_cause(&String::from_utf8_lossy(&stderr))
        );
    }
    serde_json::from_slice(&stdout).context("child printed no valid result")
}

/// The line of a crashed child's stderr that says why: a panic's location and message (not
/// the "run with RUST_BACKTRACE=1" note after it), or else the last line that is not a note.
fn crash_cause(stderr: &str) -> String {
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

/// What a correct run of a job produces, and the inputs of its ideal time.
pub struct Truth {
    /// The records a correct run yields.
    pub expectation: Expectation,
    /// Requests per level (one level, except for crawls).
    pub levels: Vec<usize>,
    /// How long the scenario's parsing takes on one core, measured here.
    pub single_core: Duration,
}

/// Only the records a correct run of `job` yields, without measuring anything (for tests and
/// benches, which need no ideal time).
pub fn expectation(site: &Site, job: &Job) -> Expectation {
    truth_with(site, job, |_| Duration::ZERO).expectation
}

/// One run a scenario's leaderboard holds: a contestant, its `pitfall` variant (if any) and
/// the extraction strategy.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    /// Who runs.
    pub contestant: &'a dyn Contestant,
    /// For `pitfall`: where the parsing goes.
    pub offload: Option<Offload>,
    /// How pages are parsed (ignored by scenarios that parse nothing).
    pub extract: Strategy,
}

impl Entry<'_> {
    /// The job for this entry: `template` with this contestant, variant and strategy.
    pub fn job(&self, template: &Job) -> Job {
        Job {
            contestant: self.contestant.name().to_owned(),
            offload: self.offload,
            knobs: Knobs {
                extract: self.extract,
                ..template.knobs.clone()
            },
            ..template.clone()
        }
    }

    /// `tokio`, `tokio / inline`, `tokio / stream`: as much as tells this entry apart.
    pub fn label(&self, scenario: Scenario, several_strategies: bool) -> String {
        crate::report::run_label(
            self.contestant.name(),
            self.offload,
            (scenario.parses() && several_strategies).then_some(self.extract),
        )
    }
}

/// Every run a scenario holds: one per contestant and strategy, except in `pitfall`, where
/// each contestant with an event loop runs once per variant (and strategy) and the others sit
/// out. A scenario that parses nothing runs once per contestant, whatever the strategies.
pub fn runs_for<'a>(
    scenario: Scenario,
    contestants: &[&'a dyn Contestant],
    strategies: &[Strategy],
) -> Vec<Entry<'a>> {
    let strategies = match strategies {
        [] => scenario.default_strategies(),
        [first, ..] if !scenario.parses() => std::slice::from_ref(first),
        all => all,
    };
    let mut runs = Vec::new();
    for &contestant in contestants {
        let variants: Vec<Option<Offload>> = if scenario == Scenario::Pitfall {
            contestant
                .pitfall_variants()
                .iter()
                .copied()
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        for &offload in &variants {
            for &extract in strategies {
                runs.push(Entry {
                    contestant,
                    offload,
                    extract,
                });
            }
        }
    }
    runs
}

/// Computes the ground truth of `job` from the site's generator, with the single-core parse
/// time of the scenario's pages measured by `calibrate` (the CLI measures it in a child
/// process, with [`calibrate_in_child`]; [`calibrate`] does it in this one).
pub fn truth_with(site: &Site, job: &Job, calibrate: impl FnOnce(&[Bytes]) -> Duration) -> Truth {
    let n = job.knobs.pages;
    match job.scenario {
        Scenario::Sleep => Truth {
            expectation: Expectation::exact((0..n).map(sleep_record).collect(), Fields::Completion),
            levels: vec![n],
            single_core: Duration::ZERO,
        },
        Scenario::Download => Truth {
            expectation: site.expect_pages(Fields::Transfer),
            levels: vec![n],
            single_core: Duration::ZERO,
        },
        Scenario::Scrape | Scenario::Pitfall => Truth {
            expectation: site.expect_pages(Fields::Full),
            levels: vec![n],
            single_core: calibrate(&site.html_bodies(false)),
        },
        Scenario::Crawl => {
            let (expectation, levels) = site.expect_crawl(job.max_pages);
            let bodies = site.html_bodies(true);
            // A capped crawl parses only part of the site.
            let share =
                (expectation.count as f64 / expectation.records.len().max(1) as f64).min(1.0);
            let single_core = calibrate(&bodies).mul_f64(share);
            Truth {
                expectation,
                levels,
                single_core,
            }
        }
        Scenario::Parse => Truth {
            expectation: site.expect_parse(),
            levels: Vec::new(),
            single_core: calibrate(&site.html_bodies(false)),
        },
    }
}

/// Single-core time to extract every body with `extract`: the best of several passes (at
/// least 3, and until 0.5 s have been spent, at most 20), so a cold cache, a context switch or
/// a burst of contention on a shared VM does not inflate the ideal. The ideal is a lower
/// bound, so the fastest pass is the right one.
pub fn calibrate(bodies: &[Bytes], extract: Strategy) -> Duration {
    extract.warm_up();
    let started = Instant::now();
    let mut best = Duration::MAX;
    for pass in 0..20 {
        if pass >= 3 && started.elapsed() > Duration::from_millis(500) {
            break;
        }
        let start = Instant::now();
        for b in bodies {
            std::hint::black_box(extract.extract(b));
        }
        best = best.min(start.elapsed());
    }
    if bodies.is_empty() {
        Duration::ZERO
    } else {
        best
    }
}

/// One leaderboard row (and one `--json` object).
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    /// Contestant name.
    pub contestant: String,
    /// Its family.
    pub family: String,
    /// Scenario name.
    pub scenario: Scenario,
    /// For `pitfall`: where the parsing went.
    pub variant: Option<Offload>,
    /// How pages were parsed; `None` for scenarios that parse nothing.
    pub extractor: Option<Strategy>,
    /// Threads T the contestant really used.
    pub threads: usize,
    /// Concurrency C the contestant really used.
    pub concurrency: usize,
    /// Records returned.
    pub records: usize,
    /// Records that carry an error (404s included).
    pub errors: usize,
    /// Wall time of the scenario, or `None` if the run crashed.
    pub wall_s: Option<f64>,
    /// The ideal time: the larger of the two bounds.
    pub ideal_s: f64,
    /// Which bound decided the ideal: `latency` or `cpu`.
    pub bound: &'static str,
    /// wall / ideal (1.00 is the limit); `None` when the ideal is zero or the run failed.
    pub wall_over_ideal: Option<f64>,
    /// Records per second of wall time.
    pub pages_per_s: Option<f64>,
    /// CPU time (user + system) of the contestant's process during the scenario.
    pub cpu_s: Option<f64>,
    /// Peak resident memory of the contestant's process, in MiB.
    pub peak_rss_mb: Option<f64>,
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
}

impl Row {
    /// Whether this row fails the command: a wrong answer from a strategy that is meant to be
    /// right. The `naive` strategy is run to be caught; its ✗ is the lesson, not a failure.
    pub fn is_failure(&self) -> bool {
        !self.verified && self.extractor.is_none_or(Strategy::is_sound)
    }
}

/// The run with the median wall time of several runs of one job (the lower middle one of an
/// even count); it is verified only if every run was, and it carries every distinct problem of
/// every run, in the order first seen. A crashed run sorts last. `None` for no runs.
pub fn median(rows: &mut [Row]) -> Option<Row> {
    rows.sort_by(|a, b| {
        a.wall_s
            .unwrap_or(f64::MAX)
            .total_cmp(&b.wall_s.unwrap_or(f64::MAX))
    });
    let mut row = rows.get(rows.len().checked_sub(1)? / 2)?.clone();
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

/// Scores a run: verifies its records and sets it against the ideal time.
pub fn score(
    contestant: &dyn Contestant,
    job: &Job,
    truth: &Truth,
    run: anyhow::Result<Timed>,
) -> Row {
    let eff = contestant.effective(&job.knobs);
    // More threads than cores cannot parse faster than one per core.
    let parallel = eff.threads.min(shootout_core::knobs::available_threads());
    let ideal = Ideal::new(
        &truth.levels,
        eff.concurrency,
        job.knobs.latency(),
        truth.single_core,
        parallel,
    );
    let ideal_s = ideal.time().as_secs_f64();
    let mut row = Row {
        contestant: contestant.name().to_owned(),
        family: contestant.family().to_string(),
        scenario: job.scenario,
        variant: job.offload,
        extractor: job.scenario.parses().then_some(job.knobs.extract),
        threads: eff.threads,
        concurrency: eff.concurrency,
        records: 0,
        errors: 0,
        wall_s: None,
        ideal_s,
        bound: ideal.bound_by(),
        wall_over_ideal: None,
        pages_per_s: None,
        cpu_s: None,
        peak_rss_mb: None,
        heartbeat_max_ms: None,
        heartbeat_p99_ms: None,
        verified: false,
        problems: Vec::new(),
        runs: 1,
    };
    match run {
        Err(e) => row.problems.push(format!("{e:#}")),
        Ok(t) => {
            let verdict = verify(&t.records, &truth.expectation);
            let wall = t.wall.as_secs_f64();
            row.records = t.records.len();
            row.errors = t.records.iter().filter(|r| !r.is_ok()).count();
            row.wall_s = Some(wall);
            row.wall_over_ideal = (ideal_s > 0.0).then(|| wall / ideal_s);
            row.pages_per_s = (wall > 0.0).then(|| t.records.len() as f64 / wall);
            row.cpu_s = Some(t.cpu.as_secs_f64());
            row.peak_rss_mb = Some(t.peak_rss as f64 / (1024.0 * 1024.0));
            row.heartbeat_max_ms = t.heartbeat.map(|h| h.max_ms);
            row.heartbeat_p99_ms = t.heartbeat.map(|h| h.p99_ms);
            let too_fast = under_the_latency_bound(t.wall, ideal.latency_bound);
            row.verified = verdict.ok() && too_fast.is_none();
            row.problems = verdict.problems;
            row.problems.extend(too_fast);
        }
    }
    row
}

/// How far under its latency bound a run may finish before it is reported wrong: timers and
/// the two clocks involved are good to well under a millisecond, so 1% (at least 1 ms) is
/// measurement, and anything faster is a run that did not wait.
const LATENCY_TOLERANCE: f64 = 0.01;

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
            crate::report::human_secs(wall.as_secs_f64()),
            crate::report::human_secs(bound.as_secs_f64())
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row of a download run, for tests.
    pub(crate) fn row(wall_s: Option<f64>, verified: bool, problems: &[&str]) -> Row {
        Row {
            contestant: "tokio".into(),
            family: "async".into(),
            scenario: Scenario::Download,
            variant: None,
            extractor: None,
            threads: 2,
            concurrency: 10,
            records: 1,
            errors: 0,
            wall_s,
            ideal_s: 1.0,
            bound: "latency",
            wall_over_ideal: None,
            pages_per_s: None,
            cpu_s: None,
            peak_rss_mb: None,
            heartbeat_max_ms: None,
            heartbeat_p99_ms: None,
            verified,
            problems: problems.iter().map(|p| p.to_string()).collect(),
            runs: 1,
        }
    }

    /// A sleep job of `n` waits of 100 ms, C = 10, and its truth.
    fn sleep_job(n: usize) -> (Job, Truth) {
        let job = Job {
            contestant: "tokio".into(),
            scenario: Scenario::Sleep,
            knobs: Knobs {
                pages: n,
                latency_ms: 100,
                concurrency: 10,
                ..Knobs::default()
            },
            seed: 1,
            max_pages: usize::MAX,
            base_url: "http://127.0.0.1:1/".into(),
            offload: None,
            quirks: false,
        };
        let origin = Url::parse(&job.base_url).expect("a valid URL");
        let site = Site::generate(
            SiteSpec {
                pages: n,
                page_kb: 1,
                seed: 1,
                quirks: false,
            },
            &origin,
        );
        let truth = truth_with(&site, &job, |_| Duration::ZERO);
        (job, truth)
    }

    fn timed(job: &Job, wall: Duration) -> anyhow::Result<Timed> {
        Ok(Timed {
            records: (0..job.knobs.pages).map(sleep_record).collect(),
            wall,
            cpu: Duration::ZERO,
            peak_rss: 0,
            heartbeat: None,
        })
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

    #[test]
    fn median_of_nothing_is_none() {
        assert!(median(&mut []).is_none());
    }

    #[test]
    fn median_takes_the_middle_run_and_every_distinct_problem() {
        let mut rows = [
            row(Some(3.0), false, &["a", "b"]),
            row(None, false, &["crashed"]),
            row(Some(1.0), false, &["b"]),
            row(Some(2.0), true, &[]),
            row(Some(4.0), false, &["a"]),
        ];
        let m = median(&mut rows).expect("five runs have a median");
        assert_eq!(m.wall_s, Some(3.0), "the crashed run sorts last");
        assert!(!m.verified, "one wrong run makes the row wrong");
        assert_eq!(m.runs, 5);
        // `a` is repeated, but not next to itself in run order: it must still appear once.
        assert_eq!(m.problems, ["b", "a", "crashed"]);
    }
}
