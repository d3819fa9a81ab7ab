//! One scenario at one point, every entry in rounds: the loop `run`, `tour` and `report`
//! share.
//!
//! The site is started once per point (its pages depend on N and S, its latency on L), the
//! single-core reference is measured per strategy (again each round, the fastest kept), and
//! every entry then runs once per round, each run in a child process of its own, scored as it
//! ends.

use std::time::Duration;

use anyhow::Context;
use shootout_core::files::{Cache, FileSet, Residency};
use shootout_core::knobs::available_threads;
use shootout_core::{Job, Knobs, Scenario, Strategy};
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

use crate::harness::runner::{self, Event as ChildEvent};
use crate::harness::{self, Entry, Floor, Row, Workdir};
use crate::registry::Contestant;

/// How the site behaves and how each run is carried out: the same at every point.
#[derive(Clone, Debug)]
pub struct Settings {
    /// The synthetic site's seed.
    pub seed: u64,
    /// Up to this many extra milliseconds per response, fixed per path by the seed.
    pub jitter_ms: u64,
    /// The embedded server's worker threads [default: every core].
    pub server_threads: Option<usize>,
    /// Whether the site serves (and the inputs include) its quirk pages.
    pub quirks: bool,
    /// A run (or a reference) still going after this long is killed and recorded as failed.
    pub limit: Duration,
    /// How many times each entry runs, round after round.
    pub rounds: usize,
    /// How long each run's process measures its scenario, repeating it (see
    /// [`shootout_core::Job::budget_s`]).
    pub budget: Duration,
}

/// Each run's measuring budget unless `--budget-ms` says otherwise: long against scheduling
/// noise (a 10 ms slice), short enough that the tour stays quick. A scenario that takes longer
/// runs once.
pub const DEFAULT_BUDGET: Duration = Duration::from_millis(200);

/// The longest budget `--budget-ms` takes: a minute a run.
pub const MAX_BUDGET: Duration = Duration::from_secs(60);

/// Starts the synthetic site for `knobs`; with `sleep_only`, an empty one (nobody fetches a
/// page in `sleep` or `files`).
pub fn start_site(knobs: &Knobs, settings: &Settings, sleep_only: bool) -> anyhow::Result<Server> {
    let pages = if sleep_only { 0 } else { knobs.pages };
    Knobs::check_memory(pages, knobs.page_kb)?;
    Ok(Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages,
            page_kb: knobs.page_kb,
            seed: settings.seed,
            quirks: settings.quirks,
            links: 0,
        }),
        port: 0,
        latency: knobs.latency(),
        jitter: Duration::from_millis(settings.jitter_ms),
        threads: settings.server_threads.unwrap_or_else(available_threads),
        tls: false,
        shape: knobs.shape,
    })?)
}

/// What happens during [`scenario`], for a progress bar and for rows written as they come.
pub enum Event<'a> {
    /// A run of this entry starts.
    Start(&'a Entry),
    /// Still running (about every 100 ms).
    Tick,
    /// A run ended and was scored (a [`RowKind::Run`](crate::harness::RowKind::Run) row).
    Done(&'a Row),
}

/// Every run of one scenario at one point.
pub struct Outcome {
    /// Per entry, in plan order: its runs, in round order.
    pub runs: Vec<Vec<Row>>,
    /// Per entry that ran at least once: the median run with the spread of all of them.
    pub medians: Vec<Row>,
    /// Lines to print after the table (a reference that could not be measured).
    pub notes: Vec<String>,
    /// Whether Ctrl-C stopped it; the runs that finished are kept.
    pub interrupted: bool,
}

impl Outcome {
    /// How many runs finished.
    pub fn done(&self) -> usize {
        self.runs.iter().map(Vec::len).sum()
    }
}

/// Runs every entry of `plan` on `scenario` against `server`, `settings.rounds` times in
/// rounds (every entry once, then again), so that a slow minute on a shared machine costs
/// every contestant a run rather than one contestant all of its runs.
pub fn scenario(
    server: &Server,
    scenario: Scenario,
    knobs: &Knobs,
    max_pages: usize,
    plan: &[Entry],
    settings: &Settings,
    mut on: impl FnMut(Event<'_>) -> anyhow::Result<()>,
) -> anyhow::Result<Outcome> {
    let site = server.site().context("the synthetic site is missing")?;
    let mut outcome = Outcome {
        runs: vec![Vec::with_capacity(settings.rounds); plan.len()],
        medians: Vec::new(),
        notes: Vec::new(),
        interrupted: false,
    };
    if plan.is_empty() {
        return Ok(outcome);
    }
    // Every input file is written here before any clock starts, and removed with it.
    let dir = Workdir::new().with_context(|| {
        format!(
            "cannot make a directory for the jobs' input files in {}",
            std::env::temp_dir().display()
        )
    })?;
    let mut template = harness::site_job(site, scenario, knobs, max_pages, &dir)
        .context("cannot write the jobs' input files")?;
    template.budget_s = settings.budget.as_secs_f64();
    // The ground truth is the same for every strategy; the single-core reference (the
    // CPU-bound ideal) is not, and is measured per strategy, in a child process like every
    // contestant. It is measured again at the start of every later round and the fastest kept:
    // on a shared VM a core can run at two speeds for seconds at a time (docs/results.md,
    // "Numbers you can trust"), and one reference taken in the slow one would put every row
    // of the step under its ideal.
    let mut strategies: Vec<Strategy> = plan.iter().map(|r| r.extract).collect();
    strategies.sort_unstable();
    strategies.dedup();
    // Per strategy: the fastest reference so far (for the whole site) and the truth set by it.
    let mut truths: Vec<(Strategy, Duration, harness::Truth)> = Vec::new();
    for &extract in &strategies {
        // Without its reference a row still runs and is still verified; only the CPU bound
        // of its ideal is missing, and the table says so.
        let single_core = single_core(site, scenario, knobs, extract, &dir, settings.limit)
            .unwrap_or_else(|e| {
                outcome.notes.push(format!(
                    "  note: the single-core reference for {extract} failed ({e:#}), so those \
                     rows' ideal is the latency bound alone"
                ));
                Duration::ZERO
            });
        let truth = harness::truth(site, scenario, knobs, max_pages, single_core);
        truths.push((extract, single_core, truth));
    }
    let jobs: Vec<Job> = plan.iter().map(|entry| entry.job(&template)).collect();
    // `files` and `write`: the truth is the set's, and the ideal the bare loop's, measured
    // every round.
    let floors: Vec<(Floor, usize)> = match dir.files() {
        Some(set) => {
            for (_, _, truth) in &mut truths {
                *truth = if scenario == Scenario::Write {
                    harness::write_truth(set, knobs.pages)
                } else {
                    harness::files_truth(set)
                };
            }
            disk_floors(plan, &jobs)
        }
        None => Vec::new(),
    };
    'rounds: for round in 1..=settings.rounds.max(1) {
        if let Some(set) = dir.files() {
            for &(floor, in_flight) in &floors {
                match bare(set, floor, in_flight, knobs.pages) {
                    Ok(wall) => {
                        for (_, _, truth) in &mut truths {
                            truth.set_disk(floor, in_flight, wall);
                        }
                    }
                    Err(e) => {
                        let note = format!(
                            "  note: the bare loop ({floor}, {in_flight} at once) failed \
                             ({e:#}), so rows it would bound have no ideal"
                        );
                        if !outcome.notes.contains(&note) {
                            outcome.notes.push(note);
                        }
                    }
                }
            }
        }
        if round > 1 {
            for (extract, best, truth) in &mut truths {
                // A reference that failed once is left out (its note says so); a later
                // failure keeps the one already measured.
                if best.is_zero() {
                    continue;
                }
                if let Ok(again) =
                    single_core(site, scenario, knobs, *extract, &dir, settings.limit)
                    && again < *best
                {
                    *best = again;
                    truth.set_single_core(again);
                }
            }
        }
        for ((entry, job), runs) in plan.iter().zip(&jobs).zip(&mut outcome.runs) {
            on(Event::Start(entry))?;
            let truth = truth_for(&truths, entry.extract);
            let mut tick_error = None;
            // `files`: the cache state the entry names, made (and counted) off the clock;
            // `write`: an empty directory to write into.
            let resident = match (dir.files(), entry.cache) {
                (Some(set), Some(cache)) => Some(
                    set_cache(set, cache, knobs.threads)
                        .context("cannot set the page cache for the files")?,
                ),
                (Some(set), None) => {
                    set.clear_writes_for(knobs.pages)
                        .context("cannot empty the directory the files are written to")?;
                    None
                }
                _ => None,
            };
            let served_before = server.cpu();
            // The stall, if any, comes at the same time into every run.
            server.new_run();
            let ran = runner::run(entry.contestant, job, settings.limit, |event| {
                if let ChildEvent::Tick = event
                    && let Err(e) = on(Event::Tick)
                {
                    tick_error.get_or_insert(e);
                }
                None
            });
            let served = server
                .cpu()
                .zip(served_before)
                .map(|(after, before)| after.saturating_sub(before).as_secs_f64());
            if let Some(e) = tick_error {
                return Err(e);
            }
            // Ctrl-C: the run in progress is not a result (its child was stopped). Stop here
            // and keep the runs that finished.
            if harness::interrupted() {
                outcome.interrupted = true;
                break 'rounds;
            }
            let mut row = harness::score(entry.contestant, job, truth, ran);
            // `write`: what is on the disk, not what the records say, read back off the clock
            // (the next run's set-up moves the files aside).
            if let (Scenario::Write, Some(set)) = (scenario, dir.files()) {
                let wrong = set.check_writes(knobs.pages);
                if !wrong.is_empty() {
                    row.verified = false;
                    row.problems.extend(wrong);
                }
            }
            // sleep fetches nothing: its server idles, and a zero would only be noise.
            row.server_cpu_s = served.filter(|_| job.scenario.fetches());
            row.round = (settings.rounds > 1).then_some(round);
            row.resident_pct = resident.map(|r| r.percent());
            on(Event::Done(&row))?;
            runs.push(row);
        }
    }
    // An entry has no row only if a Ctrl-C came before its first run.
    // A run was set against the fastest reference measured before it; its median is set
    // against the fastest of the step.
    for ((entry, job), runs) in plan.iter().zip(&jobs).zip(&outcome.runs) {
        let mut runs = runs.clone();
        if let Some(mut median) = harness::median(&mut runs) {
            let truth = truth_for(&truths, entry.extract);
            harness::rescore(&mut median, entry.contestant, job, truth);
            outcome.medians.push(median);
        }
    }
    Ok(outcome)
}

/// The bare loops a `files` or `write` plan's ideals need: for each job's [`Floor`], the
/// numbers in flight [`harness::truth::floors`] names for its contestant's C and T.
fn disk_floors(plan: &[Entry], jobs: &[Job]) -> Vec<(Floor, usize)> {
    let mut floors: Vec<(Floor, usize)> = plan
        .iter()
        .zip(jobs)
        .filter_map(|(entry, job)| {
            let eff = entry.contestant.effective(&job.knobs);
            // With fsync, a bare loop is no floor here: the disk's flush time depends on what
            // else is queued, and on this lab's VM a bare loop of 10,000 fsynced files took
            // 2.3 s where a contestant took 0.58 s. Those rows get no ideal, and say why.
            let floor = Floor::of(job).filter(|f| *f != Floor::Write { fsync: true })?;
            Some(
                harness::truth::floors(eff.concurrency, eff.threads)
                    .into_iter()
                    .map(move |k| (floor, k)),
            )
        })
        .flatten()
        .collect();
    floors.sort_unstable();
    floors.dedup();
    floors
}

/// The bare loop of `floor` over `set`, `in_flight` at once: [`bare_read`], or the fastest of
/// three bare writes of `n` files (each into an emptied directory).
fn bare(set: &FileSet, floor: Floor, in_flight: usize, n: usize) -> anyhow::Result<Duration> {
    match floor {
        Floor::Read(cache) => bare_read(set, cache, in_flight),
        Floor::Write { fsync } => {
            let mut best = Duration::MAX;
            for _ in 0..3 {
                best = best.min(set.bare_write(n, in_flight, fsync)?);
            }
            Ok(best)
        }
    }
}

/// Puts `set` in the page cache state `cache`: evicted (cold), or read once on `threads`
/// threads (warm). Returns what `mincore` then counts resident.
fn set_cache(set: &FileSet, cache: Cache, threads: usize) -> anyhow::Result<Residency> {
    match cache {
        Cache::Cold => Ok(set.evict()?),
        Cache::Warm => {
            set.bare_read(threads)?;
            Ok(set.residency()?)
        }
    }
}

/// The bare read loop's time over `set` in state `cache` with `in_flight` reads: the fastest
/// of 3 passes, each after an eviction, cold; warm, of at least 3 passes (until 0.3 s were
/// spent, at most 100), as the single-core reference is taken (a lower bound: the fastest). A pass that finds a wrong checksum is
/// an error: the disk itself is not giving back what was written.
fn bare_read(set: &FileSet, cache: Cache, in_flight: usize) -> anyhow::Result<Duration> {
    let started = std::time::Instant::now();
    let mut best = Duration::MAX;
    for pass in 0..100 {
        if pass >= 3 && started.elapsed() > Duration::from_millis(300) {
            break;
        }
        // Warm stays warm from pass to pass; cold is evicted before its one pass.
        if pass == 0 || cache == Cache::Cold {
            set_cache(set, cache, in_flight)?;
        }
        let read = set.bare_read(in_flight)?;
        anyhow::ensure!(
            read.wrong == 0,
            "{} files read back with the wrong checksum",
            read.wrong
        );
        best = best.min(read.wall);
        // A cold pass costs an eviction and a wait on the disk: three are enough.
        if cache == Cache::Cold && pass >= 2 {
            break;
        }
    }
    Ok(best)
}

/// The truth of `extract`'s rows.
fn truth_for(
    truths: &[(Strategy, Duration, harness::Truth)],
    extract: Strategy,
) -> &harness::Truth {
    truths
        .iter()
        .find(|(s, _, _)| *s == extract)
        .map(|(_, _, truth)| truth)
        .expect("a truth was computed for every strategy in the plan")
}

/// The single-core time to extract `scenario`'s pages with `extract`, measured in a child
/// (`shootout __calibrate`) killed after `limit` like any run; zero for a scenario that
/// parses nothing.
fn single_core(
    site: &shootout_site::Site,
    scenario: Scenario,
    knobs: &Knobs,
    extract: Strategy,
    dir: &Workdir,
    limit: Duration,
) -> anyhow::Result<Duration> {
    let Some(job) = harness::calibration_job(site, scenario, knobs, extract, dir)? else {
        return Ok(Duration::ZERO);
    };
    let command = runner::calibration_command().map_err(anyhow::Error::msg)?;
    let ran = runner::supervise(command, &job, limit, |_| None);
    Ok(ran.end?.wall())
}

/// The contestants that can run at C = `concurrency`, and a note for each that cannot (one
/// OS thread per request in flight, for some).
pub fn within_limits(
    contestants: &[Contestant],
    concurrency: usize,
) -> (Vec<Contestant>, Vec<String>) {
    let mut fit = Vec::new();
    let mut notes = Vec::new();
    for &c in contestants {
        let (limit, why) = c.max_concurrency();
        if concurrency > limit {
            notes.push(format!(
                "{} skipped at C={concurrency}: over its limit of {limit} ({why})",
                c.name()
            ));
        } else {
            fit.push(c);
        }
    }
    (fit, notes)
}
