//! The Python rows: each one's wall against the best verified Rust row of its scenario.

use super::chart::{Axis, Bar, bars};
use super::table::Table;
use super::{Part, in_section, is_python, opt, sorted};
use crate::leaderboard::row_label;
use crate::suite::{Section, StepResult, spread};
use shootout_lab::label::human_secs;

/// The Python rows: each one's wall against the best verified Rust row of its scenario.
pub(super) fn python(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let mut bars_of = Vec::new();
    let mut table = Table::new(&[
        "scenario",
        "Python row",
        "interpreter",
        "median wall (min – max)",
        "best Rust row",
        "its wall",
        "× slower",
        "peak mem",
        "verified",
    ]);
    // The interpreter and the spread are text: wrapped, the table fits a 1,200-px page even
    // with the longest row names (python-threads beside tokio-current-thread).
    table.wrap = vec![2, 3];
    for r in in_section(results, Section::Scenarios) {
        let several = r.step.several_strategies();
        let medians = r.medians();
        let best = sorted(
            medians
                .iter()
                .filter(|m| !is_python(m) && m.verified)
                .cloned()
                .collect(),
        )
        .into_iter()
        .next();
        let Some((best, best_wall)) = best.and_then(|b| b.wall_s.map(|w| (b, w))) else {
            continue;
        };
        for (m, runs) in r.entries().into_iter().filter(|(m, _)| is_python(m)) {
            let Some((low, value, high)) = spread(runs.iter().filter_map(|x| x.wall_s)) else {
                continue;
            };
            let name = row_label(&m, false);
            bars_of.push(Bar {
                label: format!("{}: {name}", r.step.scenario),
                value: value / best_wall,
                low: low / best_wall,
                high: high / best_wall,
                verified: Some(m.verified),
            });
            table.rows.push(vec![
                r.step.scenario.to_string(),
                name,
                // As the run reported it: the version, and whether its GIL was on.
                shootout_lab::label::interpreter(&m.runtime).unwrap_or_else(|| "—".into()),
                format!(
                    "{} ({} – {})",
                    human_secs(value),
                    human_secs(low),
                    human_secs(high)
                ),
                row_label(&best, several),
                human_secs(best_wall),
                format!("{:.1}×", value / best_wall),
                opt(m.peak_rss_mb, |x| format!("{x:.1} MiB")),
                if m.verified {
                    "✓".into()
                } else {
                    "✗".into()
                },
            ]);
        }
    }
    if bars_of.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "python".into(),
        "Python beside Rust".into(),
    ));
    parts.push(Part::Text(
        "The articles' own programs (python/), run and verified like the rest, at the scenario \
         section's knobs. Each bar is a Python row's wall over the best verified Rust row of the \
         same scenario; the dashed line is parity. BeautifulSoup parses, whatever the strategy; \
         python-pool's memory adds up its worker processes (an upper bound). Each row names the \
         interpreter it ran on and whether its GIL was on, as that run reported it."
            .into(),
    ));
    parts.push(Part::chart(
        bars(
            "Python rows: wall / best Rust wall, per scenario",
            "times the best Rust row's wall, log scale: each bar runs from parity (1×, dashed) to the median; whiskers span the fastest and slowest run",
            &bars_of,
            Axis::LogFromOne,
        )?,
        "Median of the runs; whiskers span the fastest and slowest.".into(),
    ));
    parts.push(Part::Table(table));
    Ok(())
}
