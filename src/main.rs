//! The `shootout` command: the tour, single runs, crawling any site, and the embedded server.
//!
//! Run with: `cargo run --release` (the tour), or `cargo run --release -- --help`.

mod cli;
mod crawl;

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Parser;
use clap::error::ErrorKind;
use indicatif::{ProgressBar, ProgressStyle};
use shootout::harness::{self, Job, Row};
use shootout::{registry, report};
use shootout_core::knobs::available_threads;
use shootout_core::{Contestant, Knobs, Scenario, Strategy};
use shootout_site::{Content, FaultSite, Server, ServerConfig, SiteSpec};

use crate::cli::{Cli, Cmd, MeasureArgs, RunArgs, ServeArgs, TourArgs};

// One allocator for every contestant, since each runs in a child process of this binary: the
// system's, tuned in `shootout::alloc`, or mimalloc with `--features mimalloc`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    shootout::alloc::tune();
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
        shootout::python::choose(path.clone());
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
        Some(Cmd::Serve(args)) => serve(&args),
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
    let knobs = checked_knobs(m, &contestants)?;
    if !m.json {
        println!(
            "shootout tour: {} scenarios × {} contestants on {} core(s), each run in its own process ({} allocator).",
            Scenario::ALL.len(),
            contestants.len(),
            available_threads(),
            shootout::alloc::NAME
        );
    }
    skip_note(python_missing.as_deref(), m.json);
    let all_ok = measure(&Scenario::ALL, &knobs, usize::MAX, m, |scenario| {
        let mut runs = harness::runs_for(scenario, &contestants, &m.knobs.extract);
        // With the default strategies, `parse` also shows one run of the naive byte scan:
        // faster than either, and marked wrong.
        if scenario == Scenario::Parse && m.knobs.extract.is_empty() {
            runs.extend(registry::find("sequential").map(|c| harness::Entry {
                contestant: c,
                offload: None,
                extract: Strategy::Naive,
            }));
        }
        runs
    })?;
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
  wall      time the scenario took, set-up excluded
  ideal     the fastest possible: max(waiting, computing). Waiting: ceil(N/C)·L, or for a
            crawl max over depth k of (k + ceil(N≥k/C))·L. Computing: single-core parse time / T
  ×ideal    wall / ideal: 1.00 is the limit; the sequential baseline is held to C=1, T=1
  cpu       user+system CPU time of the contestant's own process during the scenario
  peak mem  peak resident memory of the contestant's process
  verified  ✓ every record matched the site's ground truth; ✗ something was wrong (listed)
  extract   how pages were parsed: dom builds the tree, stream reads the tokens, naive scans
            the bytes (fast, and wrong on purpose)
Try: shootout run download --pages 200 --concurrency 50   ·   shootout list   ·   shootout --help";

fn run(args: &RunArgs) -> anyhow::Result<()> {
    let m = &args.measure;
    let contestants = select(&args.contestants, m.json)?;
    let knobs = checked_knobs(m, &contestants)?;
    let max_pages = args.max_pages.unwrap_or(usize::MAX);
    if max_pages == 0 {
        bail!("--max-pages must be at least 1");
    }
    let all_ok = measure(&[args.scenario], &knobs, max_pages, m, |scenario| {
        harness::runs_for(scenario, &contestants, &m.knobs.extract)
    })?;
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
            if shootout::python::is_python(c.name()) {
                shootout::python::interpreter().with_context(|| c.name().to_owned())?;
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

/// The knobs of `tour` or `run`, once every value that can be refused up front has been:
/// the knobs themselves, the site's and the harness's settings, and a C past what one of
/// `contestants` can measure anything at. Before anything is built or printed, so a bad value
/// costs one line, not a hang.
fn checked_knobs(m: &MeasureArgs, contestants: &[&dyn Contestant]) -> anyhow::Result<Knobs> {
    let knobs = m.knobs.knobs()?;
    check_server(m.site.jitter_ms, m.site.server_threads)?;
    if m.harness.limit_s == 0 {
        bail!("--limit-s must be at least 1");
    }
    if m.harness.runs == 0 {
        bail!("--runs must be at least 1");
    }
    for c in contestants {
        check_concurrency(*c, knobs.concurrency)?;
    }
    Ok(knobs)
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

/// Starts the site, runs every entry `plan` gives for each scenario in a child process,
/// prints a leaderboard (or JSON rows) per scenario, and says whether every run was verified
/// (a `naive` run is expected to be wrong and does not count). `knobs` come from
/// [`checked_knobs`].
fn measure<'a>(
    scenarios: &[Scenario],
    knobs: &Knobs,
    max_pages: usize,
    how: &MeasureArgs,
    plan: impl Fn(Scenario) -> Vec<harness::Entry<'a>>,
) -> anyhow::Result<bool> {
    // `sleep` needs no site: do not generate N pages nobody will fetch.
    let site_pages = if scenarios.iter().all(|s| *s == Scenario::Sleep) {
        0
    } else {
        knobs.pages
    };
    Knobs::check_memory(site_pages, knobs.page_kb)?;
    // From here on, Ctrl-C keeps what finished rather than losing the scenario's table.
    harness::stop_on_ctrl_c();
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: site_pages,
            page_kb: knobs.page_kb,
            seed: how.site.seed,
            quirks: how.site.quirks,
        }),
        port: 0,
        latency: knobs.latency(),
        jitter: Duration::from_millis(how.site.jitter_ms),
        threads: how.site.server_threads.unwrap_or_else(available_threads),
        tls: false,
    })?;
    let site = server.site().context("the synthetic site is missing")?;
    let mut all_ok = true;
    for &scenario in scenarios {
        let template = Job {
            contestant: String::new(),
            scenario,
            knobs: knobs.clone(),
            seed: how.site.seed,
            max_pages,
            base_url: server.base_url().to_string(),
            offload: None,
            quirks: how.site.quirks,
        };
        let runs = plan(scenario);
        if runs.is_empty() {
            if !how.json {
                println!(
                    "\n{scenario}: skipped, no selected contestant has an event loop to block"
                );
            }
            continue;
        }
        // The ground truth is the same for every strategy; the single-core reference (the
        // CPU-bound ideal) is not, and is measured per strategy, in a child process like every
        // contestant.
        let mut strategies: Vec<Strategy> = runs.iter().map(|r| r.extract).collect();
        strategies.sort_unstable();
        strategies.dedup();
        let several = strategies.len() > 1;
        let limit = Duration::from_secs(how.harness.limit_s);
        let mut truths = Vec::new();
        let mut notes = Vec::new();
        for &extract in &strategies {
            let job = harness::Entry {
                contestant: runs[0].contestant,
                offload: None,
                extract,
            }
            .job(&template);
            // Without its reference a row still runs and is still verified; only the CPU
            // bound of its ideal is missing, and the table says so.
            let single_core = harness::calibrate_in_child(&job, limit).unwrap_or_else(|e| {
                notes.push(format!(
                    "  note: the single-core reference for {extract} failed ({e:#}), so those \
                     rows' ideal is the latency bound alone"
                ));
                Duration::ZERO
            });
            truths.push((extract, harness::truth_with(site, &job, |_| single_core)));
        }
        let rounds = how.harness.runs.max(1);
        let bar = ProgressBar::new((runs.len() * rounds) as u64).with_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:>9} [{bar:20}] {pos}/{len} {msg} {elapsed}",
            )
            .expect("the progress template is valid")
            .progress_chars("=> "),
        );
        bar.set_prefix(scenario.name());
        let jobs: Vec<Job> = runs.iter().map(|entry| entry.job(&template)).collect();
        // With --runs K, every entry runs once per round, round after round, rather than K
        // times in a row: a slow minute on a shared machine then costs every contestant a
        // run, not one contestant all of its runs.
        let mut scored: Vec<Vec<Row>> = vec![Vec::with_capacity(rounds); runs.len()];
        'rounds: for _ in 0..rounds {
            for ((entry, job), scores) in runs.iter().zip(&jobs).zip(&mut scored) {
                bar.set_message(entry.label(scenario, several));
                let truth = &truths
                    .iter()
                    .find(|(s, _)| *s == entry.extract)
                    .expect("a truth was computed for every strategy in the plan")
                    .1;
                let ran = harness::run_child(job, limit, || bar.tick());
                // Ctrl-C: the run in progress is not a result (its child was killed, or got
                // the signal too). Stop here and keep the runs that finished.
                if harness::INTERRUPTED.load(Ordering::SeqCst) {
                    break 'rounds;
                }
                let row = harness::score(entry.contestant, job, truth, ran);
                // With one run per entry, a JSON row is final as soon as its run ends: write
                // it then, so an interrupted run keeps every row it finished.
                if how.json && rounds == 1 {
                    let mut out = std::io::stdout().lock();
                    serde_json::to_writer(&mut out, &row)?;
                    writeln!(out)?;
                    out.flush()?;
                }
                scores.push(row);
                bar.inc(1);
            }
        }
        // An entry has no row only if a Ctrl-C came before its first run.
        let rows: Vec<Row> = scored
            .iter_mut()
            .filter_map(|s| harness::median(s))
            .collect();
        bar.finish_and_clear();
        all_ok &= !rows.iter().any(Row::is_failure);
        if how.json && rounds > 1 {
            let mut out = std::io::stdout().lock();
            for r in &rows {
                serde_json::to_writer(&mut out, r)?;
                writeln!(out)?;
            }
        } else if !how.json && !rows.is_empty() {
            print!("{}", report::leaderboard(scenario, knobs, max_pages, &rows));
        }
        if harness::INTERRUPTED.load(Ordering::SeqCst) {
            let done: usize = scored.iter().map(Vec::len).sum();
            bail!(
                "interrupted (Ctrl-C) during {scenario}: {done} of {} runs of it finished{}",
                runs.len() * rounds,
                if done > 0 { ", shown above" } else { "" }
            );
        }
        for note in notes {
            eprintln!("{note}");
        }
    }
    Ok(all_ok)
}

fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    // The same limits as a measured run's site, with the same flag names.
    Knobs {
        pages: args.pages,
        latency_ms: args.latency_ms,
        page_kb: args.page_kb,
        threads: args.threads.unwrap_or_else(available_threads),
        ..Knobs::default()
    }
    .validate()?;
    check_server(args.jitter_ms, None)?;
    if args.dir.is_none() {
        Knobs::check_memory(args.pages, args.page_kb)?;
    }
    if args.faults {
        return serve_faults(args);
    }
    let content = match &args.dir {
        Some(d) => Content::Dir(d.clone()),
        None => Content::Synthetic(SiteSpec {
            pages: args.pages,
            page_kb: args.page_kb,
            seed: args.seed,
            quirks: args.quirks,
        }),
    };
    let server = Server::start(ServerConfig {
        content,
        port: args.port,
        latency: Duration::from_millis(args.latency_ms),
        jitter: Duration::from_millis(args.jitter_ms),
        threads: args.threads.unwrap_or_else(available_threads),
        tls: args.tls,
    })
    .map_err(|e| with_port_hint(e, args.port))?;
    match &args.dir {
        Some(d) => println!(
            "serving {} at {} (latency {} ms)",
            d.display(),
            server.base_url(),
            args.latency_ms
        ),
        None => println!(
            "serving a synthetic site of {} pages of {} KiB at {} (latency {} ms)",
            args.pages,
            args.page_kb,
            server.base_url(),
            args.latency_ms
        ),
    }
    if let Some(pem) = server.ca_pem() {
        print_ca(args, server.addr().port(), pem)?;
    }
    println!("press Ctrl-C to stop");
    server.wait();
    Ok(())
}

/// A server that could not start, with a hint where a fixed port may be the reason.
fn with_port_hint(e: shootout_site::server::ServeError, port: u16) -> anyhow::Error {
    let hint = if port != 0 {
        " (use --port 0 for any free port)"
    } else {
        ""
    };
    anyhow::anyhow!("{e}{hint}")
}

/// `serve --faults`: the fault site, each page failing its own way (docs/scenarios.md).
fn serve_faults(args: &ServeArgs) -> anyhow::Result<()> {
    let site = FaultSite::start(args.port, args.tls).map_err(|e| with_port_hint(e, args.port))?;
    println!(
        "serving the fault site ({} faulty pages, listed on its index) at {}",
        shootout_site::FAULTS.len(),
        site.base_url()
    );
    if let Some(pem) = site.ca_pem() {
        print_ca(args, site.base_url().port().unwrap_or(args.port), pem)?;
    }
    println!("press Ctrl-C to stop");
    site.wait();
    Ok(())
}

/// Writes a `--tls` server's CA certificate where `crawl --ca-cert` can read it.
fn print_ca(args: &ServeArgs, port: u16, pem: &str) -> anyhow::Result<()> {
    let path = args
        .cert_out
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("shootout-ca-{port}.pem")));
    std::fs::write(&path, pem).with_context(|| {
        format!(
            "--cert-out {}: cannot write the CA certificate",
            path.display()
        )
    })?;
    println!(
        "CA certificate: {} (crawl with --ca-cert {})",
        path.display(),
        path.display()
    );
    Ok(())
}

fn list() {
    println!("Contestants:");
    for c in registry::all() {
        println!(
            "  {:<22} {:<11} {}",
            c.name(),
            c.family().to_string(),
            c.about()
        );
        if let Some(caveat) = c.caveat() {
            println!("  {:<22} {:<11} note: {caveat}", "", "");
        }
    }
    match shootout::python::interpreter() {
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
