//! The `shootout` command: the tour, single runs, crawling any site, and the embedded server.
//!
//! Run with: `cargo run --release` (the tour), or `cargo run --release -- --help`.

mod cli;
mod crawl;
mod report_cmd;
mod serve;

use report_cmd::report as report_cmd;

use std::io::Write as _;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use clap::error::ErrorKind;
use indicatif::{ProgressBar, ProgressStyle};
use shootout_core::knobs::available_threads;
use shootout_core::{Contestant, Knobs, Scenario, Strategy};
use shootout_lab::harness::{self, Row};
use shootout_lab::{measure, registry};
use shootout_report::leaderboard;

use crate::cli::{Cli, Cmd, MeasureArgs, RunArgs, TourArgs};

// One allocator for every contestant, since each runs in a child process of this binary: the
// system's, tuned in `shootout_lab::alloc`, or mimalloc with `--features mimalloc`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    shootout_lab::alloc::tune();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A bad value gets one line that names the value and what was expected (clap's
        // message), like every other bad input; anything else (help, a missing argument and
        // its usage) is clap's own output.
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::InvalidValue | ErrorKind::ValueValidation
            ) =>
        {
            let message = e.to_string();
            eprintln!(
                "{}",
                message.lines().next().unwrap_or("error: invalid value")
            );
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    if let Some(path) = &cli.python {
        shootout_lab::python::choose(path.clone());
    }
    let result = match cli.command {
        // No command: the tour, with every default exactly as `shootout tour` has them.
        None => match Cli::parse_from(["shootout", "tour"]).command {
            Some(Cmd::Tour(args)) => tour(&args),
            _ => unreachable!("`shootout tour` parses as the tour command"),
        },
        Some(Cmd::Tour(args)) => tour(&args),
        Some(Cmd::Run(args)) => run(&args),
        Some(Cmd::Crawl(args)) => return finish(crawl::crawl(&args)),
        Some(Cmd::Serve(args)) => serve::serve(&args),
        Some(Cmd::Report(args)) => return finish(report_cmd(&args)),
        Some(Cmd::Compare(args)) => {
            shootout_report::compare::compare(&args.a, &args.b).map(|table| print!("{table}"))
        }
        Some(Cmd::List) => {
            list();
            Ok(())
        }
        Some(Cmd::Child { job }) => harness::child_main(&job),
    };
    finish(result.map(|()| ExitCode::SUCCESS))
}

/// The exit status of a command: its own, or 1 with its error on one line.
fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(status) => status,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn tour(args: &TourArgs) -> anyhow::Result<()> {
    let m = &args.measure;
    let (contestants, python_missing) = registry::available();
    let points = checked_points(m, &contestants, false)?;
    if !m.json {
        println!(
            "shootout tour: {} scenarios × {} contestants on {} core(s), each run in its own process ({} allocator).",
            Scenario::ALL.len(),
            contestants.len(),
            available_threads(),
            shootout_lab::alloc::NAME
        );
    }
    skip_note(python_missing.as_deref(), m.json);
    let all_ok = measure(
        &Scenario::ALL,
        &points,
        &contestants,
        usize::MAX,
        m,
        |scenario, fit| {
            let mut runs = harness::runs_for(scenario, fit, &m.knobs.extract);
            // With the default strategies, `parse` also shows one run of the naive byte scan:
            // faster than either, and marked wrong.
            if scenario == Scenario::Parse && m.knobs.extract.is_empty() {
                runs.extend(registry::naive_entry());
            }
            runs
        },
    )?;
    if !m.json {
        println!("{}", READING_GUIDE);
    }
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
  wall      time the scenario took, set-up excluded (with --runs K: the median run's, between
            the fastest, min, and the slowest, max)
  ideal     the fastest possible: max(waiting, computing). Waiting: ceil(N/C)·L, or for a
            crawl max over depth k of (k + ceil(N≥k/C))·L. Computing: single-core parse time / T
  ×ideal    wall / ideal: 1.00 is the limit; the sequential baseline is held to C=1, T=1
  cpu       user+system CPU time of the contestant's own process during the scenario
  srv cpu   CPU time of the embedded server's threads meanwhile: it shares the same cores,
            so cpu + srv cpu is what the machine spent, and cpu alone what the client costs
  peak mem  peak resident memory of the contestant's process
  verified  ✓ every record matched the site's ground truth; ✗ something was wrong (listed)
  extract   how pages were parsed: dom builds the tree, stream (lol_html) and tokenize (the
            lab's own tokeniser, the default) read the tokens, naive scans the bytes (fast,
            and wrong on purpose)
Try: shootout run download --pages 200 --concurrency 50   ·   shootout list   ·   shootout --help";

fn run(args: &RunArgs) -> anyhow::Result<()> {
    let m = &args.measure;
    let contestants = select(&args.contestants, m.json)?;
    let points = checked_points(m, &contestants, !args.contestants.is_empty())?;
    let max_pages = args.max_pages.unwrap_or(usize::MAX);
    if max_pages == 0 {
        bail!("--max-pages must be at least 1");
    }
    let all_ok = measure(
        &[args.scenario],
        &points,
        &contestants,
        max_pages,
        m,
        |scenario, fit| harness::runs_for(scenario, fit, &m.knobs.extract),
    )?;
    if !all_ok {
        bail!("some runs were not verified (see ✗ above)");
    }
    Ok(())
}

fn select(names: &[String], json: bool) -> anyhow::Result<Vec<&'static dyn Contestant>> {
    if names.is_empty() {
        let (all, python_missing) = registry::available();
        skip_note(python_missing.as_deref(), json);
        return Ok(all);
    }
    names
        .iter()
        .map(|n| {
            let c = registry::find(n.trim()).with_context(|| {
                format!("unknown contestant '{n}' (known: {})", registry::names())
            })?;
            // A Python contestant asked for by name needs its interpreter: say so now, in
            // one line, rather than with a ✗ row later.
            if shootout_lab::python::is_python(c.name()) {
                shootout_lab::python::interpreter().with_context(|| c.name().to_owned())?;
            }
            Ok(c)
        })
        .collect()
}

/// The one line that says the Python rows are skipped, and why (on stderr with --json, so
/// stdout stays JSON).
fn skip_note(python_missing: Option<&str>, json: bool) {
    if let Some(why) = python_missing {
        let line = format!("python rows skipped: {why}");
        if json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    }
}

/// The points of `tour` or `run`, once every value that can be refused up front has been:
/// the knobs themselves, the site's and the harness's settings, and (when the contestants
/// were `named`) a C past what one of them can measure anything at. Before anything is built
/// or printed, so a bad value costs one line, not a hang.
fn checked_points(
    m: &MeasureArgs,
    contestants: &[&dyn Contestant],
    named: bool,
) -> anyhow::Result<Vec<Knobs>> {
    let points = m.knobs.points()?;
    check_server(m.site.jitter_ms, m.site.server_threads)?;
    if m.harness.limit_s == 0 {
        bail!("--limit-s must be at least 1");
    }
    if m.harness.runs == 0 {
        bail!("--runs must be at least 1");
    }
    if named {
        for knobs in &points {
            for c in contestants {
                check_concurrency(*c, knobs.concurrency)?;
            }
        }
    }
    // A driver that cannot run here (io_uring required and refused, or a bad
    // SHOOTOUT_COMPIO_DRIVER) is refused in one line, before any run.
    for c in contestants {
        c.driver()
            .map_err(|e| anyhow::anyhow!("{}: {e}", c.name()))?;
    }
    Ok(points)
}

/// Refuses a C past what `contestant` can measure anything at (one OS thread per request in
/// flight, for some).
fn check_concurrency(contestant: &dyn Contestant, concurrency: usize) -> anyhow::Result<()> {
    let (limit, why) = contestant.max_concurrency();
    if concurrency > limit {
        bail!(
            "--concurrency {concurrency} is over the limit of {limit} for {}: {why} (leave it out with --contestants)",
            contestant.name()
        );
    }
    Ok(())
}

/// The embedded server's limits, shared with `serve`: jitter is a latency, and the server's
/// threads a pool like any other.
fn check_server(jitter_ms: u64, threads: Option<usize>) -> anyhow::Result<()> {
    if jitter_ms > Knobs::MAX_LATENCY_MS {
        bail!(
            "--jitter-ms {jitter_ms} is over the limit of {}",
            Knobs::MAX_LATENCY_MS
        );
    }
    if let Some(t) = threads {
        if t == 0 {
            bail!("--server-threads must be at least 1");
        }
        if t as u64 > Knobs::MAX_THREADS {
            bail!(
                "--server-threads {t} is over the limit of {}",
                Knobs::MAX_THREADS
            );
        }
    }
    Ok(())
}

/// The settings `--seed`, `--jitter-ms`, … give every point.
fn settings(how: &MeasureArgs) -> measure::Settings {
    measure::Settings {
        seed: how.site.seed,
        jitter_ms: how.site.jitter_ms,
        server_threads: how.site.server_threads,
        quirks: how.site.quirks,
        limit: Duration::from_secs(how.harness.limit_s),
        rounds: how.harness.runs.max(1),
    }
}

/// At each point, starts the site and runs every entry `plan` gives for each scenario (from
/// the contestants within their C limit there) in a child process; prints a leaderboard per
/// scenario and point, or a JSON row per run (and, with --runs K, one median row per entry);
/// and says whether every run was verified (a `naive` run is expected to be wrong and does
/// not count). `points` come from [`checked_points`].
fn measure<'a>(
    scenarios: &[Scenario],
    points: &[Knobs],
    contestants: &[&'a dyn Contestant],
    max_pages: usize,
    how: &MeasureArgs,
    plan: impl Fn(Scenario, &[&'a dyn Contestant]) -> Vec<harness::Entry<'a>>,
) -> anyhow::Result<bool> {
    let settings = settings(how);
    // From here on, Ctrl-C keeps what finished rather than losing the scenario's table.
    harness::stop_on_ctrl_c();
    let mut all_ok = true;
    for knobs in points {
        let (fit, skipped) = measure::within_limits(contestants, knobs.concurrency);
        for note in skipped {
            if how.json {
                eprintln!("{note}");
            } else {
                println!("{note}");
            }
        }
        if fit.is_empty() {
            continue;
        }
        // `sleep` needs no site: do not generate N pages nobody will fetch.
        let sleep_only = scenarios.iter().all(|s| *s == Scenario::Sleep);
        let server = measure::start_site(knobs, &settings, sleep_only)?;
        for &scenario in scenarios {
            let runs = plan(scenario, &fit);
            if runs.is_empty() {
                if !how.json {
                    println!(
                        "\n{scenario}: skipped, no selected contestant has an event loop to block"
                    );
                }
                continue;
            }
            let several = runs.iter().any(|r| r.extract != runs[0].extract);
            let bar = ProgressBar::new((runs.len() * settings.rounds) as u64).with_style(
                ProgressStyle::with_template(
                    "{spinner} {prefix:>9} [{bar:20}] {pos}/{len} {msg} {elapsed}",
                )
                .expect("the progress template is valid")
                .progress_chars("=> "),
            );
            bar.set_prefix(scenario.name());
            let outcome = measure::scenario(
                &server,
                scenario,
                knobs,
                max_pages,
                &runs,
                &settings,
                |event| {
                    match event {
                        measure::Event::Start(entry) => {
                            bar.set_message(entry.label(scenario, several));
                        }
                        measure::Event::Tick => bar.tick(),
                        measure::Event::Done(row) => {
                            // A JSON row is final as soon as its run ends: write it then, so
                            // an interrupted run keeps every row it finished.
                            if how.json {
                                let mut out = std::io::stdout().lock();
                                serde_json::to_writer(&mut out, row)?;
                                writeln!(out)?;
                                out.flush()?;
                            }
                            bar.inc(1);
                        }
                    }
                    Ok(())
                },
            )?;
            bar.finish_and_clear();
            all_ok &= !outcome.medians.iter().any(Row::is_failure);
            if how.json && settings.rounds > 1 {
                let mut out = std::io::stdout().lock();
                for r in &outcome.medians {
                    serde_json::to_writer(&mut out, r)?;
                    writeln!(out)?;
                }
            } else if !how.json && !outcome.medians.is_empty() {
                print!(
                    "{}",
                    leaderboard::leaderboard(scenario, knobs, max_pages, &outcome.medians)
                );
            }
            if outcome.interrupted {
                let done = outcome.done();
                bail!(
                    "interrupted (Ctrl-C) during {scenario}: {done} of {} runs of it finished{}",
                    runs.len() * settings.rounds,
                    if done > 0 { ", shown above" } else { "" }
                );
            }
            for note in outcome.notes {
                eprintln!("{note}");
            }
        }
    }
    Ok(all_ok)
}

fn list() {
    println!("Contestants (driver: what their I/O goes through on this machine):");
    for c in registry::all() {
        let driver = match c.driver() {
            Ok(d) => d.to_string(),
            Err(e) => format!("none: {e}"),
        };
        println!(
            "  {:<22} {:<11} {}",
            c.name(),
            c.family().to_string(),
            c.about()
        );
        println!("  {:<22} {:<11} driver: {driver}", "", "");
        if let Some(caveat) = c.caveat() {
            println!("  {:<22} {:<11} note: {caveat}", "", "");
        }
    }
    match shootout_lab::python::interpreter() {
        Ok(p) => println!(
            "  {:<22} {:<11} ready: {} ({}, from {})",
            "",
            "",
            p.versions,
            p.path.display(),
            p.from
        ),
        Err(e) => println!("  {:<22} {:<11} not ready: {e:#}", "", ""),
    }
    println!("\nScenarios:");
    for s in Scenario::ALL {
        println!("  {:<10} {}", s.name(), s.about());
    }
    println!("\nExtraction strategies (--extract):");
    for s in Strategy::ALL {
        println!("  {:<10} {}", s.name(), s.about());
    }
}
