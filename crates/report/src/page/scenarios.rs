//! The page's first section: every scenario's ×ideal bars, its table, and the pitfall's lag.

use shootout_core::Scenario;
use shootout_lab::harness::Row;

use super::chart::{Axis, Bar, bars};
use super::table::Table;
use super::{Part, in_section, is_python, opt, sorted, verdict};
use crate::leaderboard::row_label;
use crate::machine::Machine;
use crate::suite::{Section, StepResult, spread};
use shootout_lab::label::human_secs;

/// The table of a scenario: every median row, with the spread of its runs as wall / ideal.
fn scenario_table(rows: &[Row], with_strategy: bool) -> Table {
    let mut t = Table::new(&[
        "contestant",
        "T / C",
        "driver",
        "median wall",
        "ideal",
        "×ideal (min – max)",
        "latency ms: p50 · p90 · p99 · p99.9 · max",
        "pages/s",
        "cpu",
        "server cpu",
        "peak mem",
        "verified",
    ]);
    for r in rows {
        let ratio = |w: Option<f64>| {
            opt(w.filter(|_| r.ideal_s > 0.0), |w| {
                format!("{:.2}", w / r.ideal_s)
            })
        };
        t.rows.push(vec![
            row_label(r, with_strategy),
            format!("{} / {}", r.threads, r.concurrency),
            crate::leaderboard::driver_cell(r),
            // The spread of wall is the spread of ×ideal, beside it.
            opt(r.wall_s, human_secs),
            human_secs(r.ideal_s),
            format!(
                "{} ({} – {})",
                ratio(r.wall_s),
                ratio(r.wall_min_s),
                ratio(r.wall_max_s)
            ),
            r.latency.as_ref().map_or_else(
                || "—".to_owned(),
                |l| {
                    [l.p50_ms, l.p90_ms, l.p99_ms, l.p999_ms, l.max_ms]
                        .map(|v| format!("{v:.1}"))
                        .join(" · ")
                },
            ),
            opt(r.pages_per_s, |x| format!("{x:.0}")),
            opt(r.cpu_s, human_secs),
            opt(r.server_cpu_s, human_secs),
            opt(r.peak_rss_mb, |x| format!("{x:.1} MiB")),
            verdict(r),
        ]);
    }
    t
}

/// A bar of wall / ideal for a median row.
fn ratio_bar(r: &Row, with_strategy: bool) -> Option<Bar> {
    let ideal = r.ideal_s;
    let value = r.wall_over_ideal?;
    Some(Bar {
        label: row_label(r, with_strategy),
        value,
        low: r.wall_min_s.map_or(value, |w| w / ideal),
        high: r.wall_max_s.map_or(value, |w| w / ideal),
        verified: Some(r.verified),
    })
}

/// Per scenario: wall / ideal bars for the Rust rows, the pitfall's lag, and every row's numbers.
pub(super) fn scenarios(
    machine: &Machine,
    results: &[StepResult],
    parts: &mut Vec<Part>,
) -> anyhow::Result<()> {
    let steps = in_section(results, Section::Scenarios);
    if steps.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "scenarios".into(),
        "Every scenario: wall against the ideal".into(),
    ));
    parts.push(Part::Text(
        "The ideal is the larger of the waiting bound, ceil(N/C)·L, and the computing bound, \
         single-core parse time / T; 1.00 is the limit. The charts show the Rust rows; the \
         tables show every row, the Python ones included."
            .into(),
    ));
    for r in steps {
        let step = &r.step;
        parts.push(Part::Heading(3, step.id.clone(), step.scenario.to_string()));
        parts.push(Part::Command(step.command(machine.runs)));
        let medians = r.medians();
        if medians.is_empty() {
            parts.push(Part::Text(
                "Not run: the report stopped before this step.".into(),
            ));
            continue;
        }
        let several = step.several_strategies();
        // The chart shows wall / ideal, so it ranks by that: the baselines, held to C = 1 and
        // T = 1, are measured against their own (longer) ideal.
        let mut bars_of: Vec<Bar> = medians
            .iter()
            .filter(|m| !is_python(m))
            .filter_map(|m| ratio_bar(m, several))
            .collect();
        bars_of.sort_by(|a, b| {
            b.verified
                .cmp(&a.verified)
                .then(a.value.total_cmp(&b.value))
        });
        parts.push(Part::chart(
            bars(
                &format!("{}: wall / ideal (1.00 is the limit)", step.scenario),
                "×ideal: each bar runs from the ideal (1.00, dashed) to the median; whiskers span the fastest and slowest run",
                &bars_of,
                Axis::FromOne,
            )?,
            format!(
                "{}. Whiskers span the fastest and slowest of {} run(s); ✓ verified against the \
                 site's ground truth, ✗ wrong.",
                crate::leaderboard::knobs_line(
                    step.scenario,
                    &step.knobs(),
                    usize::MAX,
                    &step.strategies
                ),
                machine.runs
            ),
        ));
        if step.scenario == Scenario::Pitfall {
            pitfall(r, several, parts)?;
        }
        let fallbacks = crate::leaderboard::fallback_note(medians.iter())
            + &crate::leaderboard::program_notes(step.scenario, medians.iter());
        parts.push(Part::Table(scenario_table(&sorted(medians), several)));
        for line in fallbacks.lines() {
            parts.push(Part::Text(line.trim().to_owned()));
        }
        if !r.complete {
            parts.push(Part::Text(
                "Incomplete: the report stopped during this step.".into(),
            ));
        }
        for note in &r.notes {
            parts.push(Part::Text(note.trim().to_owned()));
        }
    }
    Ok(())
}

/// The heartbeat's worst lag per pitfall variant: median of the runs, min–max whiskers.
fn pitfall(r: &StepResult, several: bool, parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let mut table = Table::new(&[
        "contestant / parsing",
        "worst lag, median",
        "min – max",
        "p99 lag (median run)",
    ]);
    let mut lag_bars = Vec::new();
    for (m, runs) in r.entries() {
        let Some((low, value, high)) = spread(runs.iter().filter_map(|x| x.heartbeat_max_ms))
        else {
            continue;
        };
        table.rows.push(vec![
            row_label(&m, several),
            format!("{value:.1} ms"),
            format!("{low:.1} – {high:.1} ms"),
            opt(m.heartbeat_p99_ms, |x| format!("{x:.1} ms")),
        ]);
        if !is_python(&m) {
            lag_bars.push(Bar {
                label: row_label(&m, several),
                value,
                low,
                high,
                verified: None,
            });
        }
    }
    if lag_bars.is_empty() {
        return Ok(());
    }
    parts.push(Part::chart(
        bars(
            "pitfall: the heartbeat's worst lag per variant",
            "worst heartbeat lag, ms (median of runs, fastest–slowest whiskers)",
            &lag_bars,
            Axis::FromZero,
        )?,
        "How late a 10 ms heartbeat woke, worst tick of each run. Parsing inline or sleeping on \
         the event loop stalls every other task; spawn-blocking and rayon keep it on time."
            .into(),
    ));
    parts.push(Part::Table(table));
    Ok(())
}
