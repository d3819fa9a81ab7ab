//! `shootout report`: runs the suite, writes every run to results.jsonl as it ends, renders
//! the page, and regenerates the tables of a Markdown file.

use std::fs::File;
use std::io::{BufWriter, Write as _};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use shootout_core::knobs::available_threads;
use shootout_lab::harness::{self, Row};
use shootout_lab::{registry, rounds};
use shootout_report::machine::Machine;
use shootout_report::page;
use shootout_report::suite::{self, Record, Size, StepResult};

use crate::flags;

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Where to write results.jsonl and index.html (made if missing).
    #[arg(long, default_value = "target/report", value_name = "DIR")]
    pub out: PathBuf,
    /// The smaller suite: smaller pages and waits, C up to 100 (under 2 minutes on 2
    /// cores, with --runs 2). For a first look, and for CI.
    #[arg(long)]
    pub quick: bool,
    /// Runs per entry [default: 5, or 2 with --quick].
    #[arg(long, value_parser = flags::at_least_one::<usize>)]
    pub runs: Option<usize>,
    /// Also replace the generated part of this Markdown file (between its `<!-- report:begin`
    /// and `<!-- report:end -->` lines) with the suite's tables; `just results` passes
    /// docs/results.md. Left alone if the report is stopped early.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Kill a run (or a single-core reference) after this many seconds.
    #[arg(long, value_parser = flags::at_least_one::<u64>, default_value_t = 600)]
    pub limit_s: u64,
}

/// A placeholder page, written first: it proves --out is writable before any run, and says
/// what is going on to whoever opens it early.
const RUNNING: &str = "<!doctype html><meta charset=utf-8><title>shootout report</title>\
<p>The report is running; this page is replaced when it ends (or is stopped).</p>\n";

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let size = if args.quick { Size::Quick } else { Size::Full };
    let runs = args.runs.unwrap_or(if args.quick { 2 } else { 5 });
    // Everything that can be refused is, before the first run.
    let markdown = match &args.markdown {
        Some(path) => Some(checked_markdown(path)?),
        None => None,
    };
    let (jsonl_path, html_path) = (args.out.join("results.jsonl"), args.out.join("index.html"));
    let mut jsonl = open_out(&args.out, &jsonl_path, &html_path)?;

    let (contestants, missing) = registry::available();
    for line in &missing {
        println!("{line}");
    }
    let steps = suite::suite(size, available_threads());
    let plans: Vec<_> = steps.iter().map(|s| s.plan(&contestants)).collect();
    let command = command_line(args, runs);
    let machine = Machine::here(size, runs, command, steps.clone());
    serde_json::to_writer(&mut jsonl, &machine)?;
    writeln!(jsonl)?;
    jsonl.flush()?;

    // The bar moves by each run's guessed seconds; its rate, and so the time left, is real.
    let guess = |s: &suite::Step, e: &harness::Entry| (suite::guess_secs(e, s) * 1e3) as u64;
    let total: u64 = steps
        .iter()
        .zip(&plans)
        .map(|(s, (entries, _))| entries.iter().map(|e| guess(s, e)).sum::<u64>())
        .zip(&steps)
        .map(|(ms, s)| ms * s.runs.unwrap_or(runs) as u64)
        .sum::<u64>();
    let runs_total: usize = plans
        .iter()
        .zip(&steps)
        .map(|((e, _), s)| e.len() * s.runs.unwrap_or(runs))
        .sum();
    println!(
        "shootout report: {} suite, {} steps, {runs_total} runs ({runs} per entry) on {} core(s); writing {}",
        if args.quick { "quick" } else { "full" },
        steps.len(),
        available_threads(),
        args.out.display()
    );
    let bar = ProgressBar::new(total.max(1)).with_style(
        ProgressStyle::with_template(
            "{spinner} [{bar:30}] {percent:>3}% {msg}  {elapsed_precise} elapsed, about {left} left",
        )
        .expect("the progress template is valid")
        .progress_chars("=> ")
        // The rate over the whole report so far, not indicatif's recent one: steps differ
        // (a slow C = 10,000 wave, then fast parses), and a recent rate swings with them.
        .with_key(
            "left",
            |state: &indicatif::ProgressState, w: &mut dyn std::fmt::Write| {
                let done = state.fraction() as f64;
                let _ = if done > 0.01 {
                    let secs = state.elapsed().as_secs_f64() * (1.0 - done) / done;
                    write!(w, "{}", indicatif::HumanDuration(Duration::from_secs_f64(secs)))
                } else {
                    write!(w, "…")
                };
            },
        ),
    );
    let settings = rounds::Settings {
        seed: 42,
        jitter_ms: 0,
        server_threads: None,
        quirks: false,
        limit: Duration::from_secs(args.limit_s),
        rounds: runs,
        budget: rounds::DEFAULT_BUDGET,
    };
    harness::stop_on_ctrl_c();
    let started = Instant::now();
    let mut results: Vec<StepResult> = Vec::new();
    let mut stopped = None;
    for (step, (entries, skipped)) in steps.iter().zip(&plans) {
        let knobs = step.knobs();
        let settings = rounds::Settings {
            rounds: step.runs.unwrap_or(settings.rounds),
            ..settings.clone()
        };
        let server = rounds::start_site(&knobs, &settings, !step.scenario.serves())?;
        let mut weight = 0;
        let outcome = rounds::scenario(
            &server,
            step.scenario,
            &knobs,
            usize::MAX,
            entries,
            &settings,
            |event| {
                match event {
                    rounds::Event::Start(entry) => {
                        weight = guess(step, entry);
                        bar.set_message(format!(
                            "{}: {}",
                            step.id,
                            entry.label(step.scenario, step.several_strategies())
                        ));
                    }
                    rounds::Event::Tick => bar.tick(),
                    rounds::Event::Done(row) => {
                        write_row(&mut jsonl, &step.id, row)?;
                        bar.inc(weight);
                    }
                }
                Ok(())
            },
        )?;
        for median in &outcome.medians {
            write_row(&mut jsonl, &step.id, median)?;
        }
        let mut notes = skipped.clone();
        notes.extend(outcome.notes.iter().map(|n| n.trim().to_owned()));
        let interrupted = outcome.interrupted;
        results.push(StepResult {
            step: step.clone(),
            runs: outcome.runs,
            notes,
            complete: !interrupted,
        });
        if interrupted {
            stopped = Some(format!("stopped by Ctrl-C during {}", step.id));
            break;
        }
    }
    bar.finish_and_clear();

    let html = page::render(&machine, &results, stopped.as_deref())?;
    std::fs::write(&html_path, html)
        .with_context(|| format!("--out {}: cannot write index.html", args.out.display()))?;
    let done: usize = results.iter().flat_map(|r| &r.runs).map(Vec::len).sum();
    let failures: Vec<String> = results
        .iter()
        .flat_map(|r| r.medians().into_iter().map(move |m| (r.step.id.clone(), m)))
        .filter(|(_, m)| m.is_failure())
        .map(|(id, m)| format!("{id}: {} ({})", m.contestant, m.problems.join("; ")))
        .collect();
    println!(
        "{done} runs in {:.0} s: {} and {}",
        started.elapsed().as_secs_f64(),
        jsonl_path.display(),
        html_path.display()
    );
    if let Some(why) = stopped {
        eprintln!(
            "interrupted ({why}): {done} of {runs_total} runs kept in {}; the page shows them{}",
            jsonl_path.display(),
            if markdown.is_some() {
                ", and the Markdown file was left as it was"
            } else {
                ""
            }
        );
        return Ok(ExitCode::from(130));
    }
    if let Some((path, doc)) = markdown {
        let generated = page::markdown(&machine, &results)?;
        let updated = page::splice(&doc, &generated).with_context(|| path.display().to_string())?;
        std::fs::write(&path, updated)
            .with_context(|| format!("--markdown {}: cannot write it", path.display()))?;
        println!("regenerated the tables of {}", path.display());
    }
    if !failures.is_empty() {
        bail!("some runs were not verified: {}", failures.join(" · "));
    }
    Ok(ExitCode::SUCCESS)
}

/// Makes `dir` and opens results.jsonl in it, after writing the placeholder page: an
/// unwritable --out costs one line, before any run.
fn open_out(dir: &Path, jsonl: &Path, html: &Path) -> anyhow::Result<BufWriter<File>> {
    let refuse =
        |e: std::io::Error| anyhow::anyhow!("--out {}: cannot write there ({e})", dir.display());
    std::fs::create_dir_all(dir).map_err(refuse)?;
    std::fs::write(html, RUNNING).map_err(refuse)?;
    Ok(BufWriter::new(File::create(jsonl).map_err(refuse)?))
}

/// The Markdown file, read, with its markers checked and its writability proven.
fn checked_markdown(path: &Path) -> anyhow::Result<(PathBuf, String)> {
    let doc = std::fs::read_to_string(path)
        .with_context(|| format!("--markdown {}: cannot read it", path.display()))?;
    page::splice(&doc, "").with_context(|| format!("--markdown {}", path.display()))?;
    std::fs::OpenOptions::new()
        .append(true)
        .open(path)
        .with_context(|| format!("--markdown {}: cannot write it", path.display()))?;
    Ok((path.to_owned(), doc))
}

/// One row of results.jsonl, flushed: a stopped report keeps every finished run.
fn write_row(out: &mut BufWriter<File>, step: &str, row: &Row) -> anyhow::Result<()> {
    serde_json::to_writer(&mut *out, &Record { step, row })?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

/// The command as a reader would type it again.
fn command_line(args: &ReportArgs, runs: usize) -> String {
    let mut cmd = format!("shootout report --out {}", args.out.display());
    if args.quick {
        cmd.push_str(" --quick");
    }
    cmd.push_str(&format!(" --runs {runs}"));
    if let Some(md) = &args.markdown {
        cmd.push_str(&format!(" --markdown {}", md.display()));
    }
    cmd
}
