//! The loop `tour` and `run` share: at each point of a sweep, start the site and run every
//! scenario's entries in rounds ([`shootout_lab::rounds`]), with a progress bar, handing
//! every row to the sink.

use std::time::Duration;

use anyhow::bail;
use indicatif::{ProgressBar, ProgressStyle};
use shootout_core::{Knobs, Scenario};
use shootout_lab::harness::{self, Entry, Row};
use shootout_lab::registry::Contestant;
use shootout_lab::rounds;

use crate::cli::MeasureArgs;
use crate::flags;
use crate::sink::Sink;

/// The points of `tour` or `run`, once every value that can be refused up front has been: the
/// sweep's size, and (when the contestants were `named`) a C past what one of them can
/// measure anything at, or a driver one of them cannot run on here. Before anything is built
/// or printed, so a bad value costs one line, not a hang. (Each flag's own value was checked
/// as it was parsed.)
pub fn checked_points(
    m: &MeasureArgs,
    contestants: &[Contestant],
    named: bool,
) -> anyhow::Result<Vec<Knobs>> {
    let mut points = m.knobs.points()?;
    for knobs in &mut points {
        knobs.shape = m.site.shape();
    }
    if named {
        for knobs in &points {
            for c in contestants {
                flags::concurrency_within_limit(*c, knobs.concurrency)
                    .map_err(|e| anyhow::anyhow!("{e} (leave it out with --contestants)"))?;
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

/// The settings `--seed`, `--jitter-ms`, … give every point.
fn settings(how: &MeasureArgs) -> rounds::Settings {
    rounds::Settings {
        seed: how.site.seed,
        jitter_ms: how.site.jitter_ms,
        server_threads: how.site.server_threads,
        quirks: how.site.quirks,
        limit: Duration::from_secs(how.harness.limit_s),
        rounds: how.harness.runs,
        budget: Duration::from_millis(how.harness.budget_ms),
    }
}

/// At each point, starts the site and runs every entry `plan` gives for each scenario (from
/// the contestants within their C limit there), each in a child process, writing rows and
/// leaderboards to `sink`; says whether every run was verified (a `naive` run is expected to
/// be wrong and does not count), and returns every median row. `points` come from [`checked_points`].
pub fn sweep(
    scenarios: &[Scenario],
    points: &[Knobs],
    contestants: &[Contestant],
    max_pages: usize,
    how: &MeasureArgs,
    sink: &mut dyn Sink,
    plan: impl Fn(Scenario, &[Contestant]) -> Vec<Entry>,
) -> anyhow::Result<(bool, Vec<Row>)> {
    let settings = settings(how);
    let mut medians = Vec::new();
    // From here on, Ctrl-C keeps what finished rather than losing the scenario's table.
    harness::stop_on_ctrl_c();
    let mut all_ok = true;
    for knobs in points {
        let (fit, skipped) = rounds::within_limits(contestants, knobs.concurrency);
        for note in skipped {
            sink.note(&note);
        }
        if fit.is_empty() {
            continue;
        }
        // `sleep` and `files` need no site: do not generate N pages nobody will fetch.
        let sleep_only = scenarios.iter().all(|s| !s.serves());
        let server = rounds::start_site(knobs, &settings, sleep_only)?;
        for &scenario in scenarios {
            let runs = plan(scenario, &fit);
            if runs.is_empty() {
                sink.note(&format!(
                    "\n{scenario}: skipped, no selected contestant has an event loop to block"
                ));
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
            let outcome = rounds::scenario(
                &server,
                scenario,
                knobs,
                max_pages,
                &runs,
                &settings,
                |event| {
                    match event {
                        rounds::Event::Start(entry) => {
                            bar.set_message(entry.label(scenario, several));
                        }
                        rounds::Event::Tick => bar.tick(),
                        rounds::Event::Done(row) => {
                            sink.run(row)?;
                            bar.inc(1);
                        }
                    }
                    Ok(())
                },
            )?;
            bar.finish_and_clear();
            all_ok &= !outcome.medians.iter().any(Row::is_failure);
            sink.scenario(
                scenario,
                knobs,
                max_pages,
                &outcome.medians,
                settings.rounds,
            )?;
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
            medians.extend(outcome.medians);
        }
    }
    Ok((all_ok, medians))
}
