//! The T sweep: each contestant's parse speedup over the sequential baseline at T = 1.

use super::chart::{Series, lines};
use super::table::Table;
use super::{Part, in_section, push};
use crate::suite::{Section, StepResult};
use shootout_lab::label::human_secs;

/// The T sweep: each contestant's speedup over the sequential baseline at T = 1, per strategy.
pub(super) fn sweep_t(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::SweepT);
    let Some(first) = steps.first() else {
        return Ok(());
    };
    let ts: Vec<usize> = steps.iter().map(|r| r.step.point.threads).collect();
    let cores = *ts.iter().max().unwrap_or(&1) as f64;
    parts.push(Part::Heading(
        2,
        "sweep-t".into(),
        "Parallelism: parse speedup against T".into(),
    ));
    parts.push(Part::Text(format!(
        "{} pages of {} KiB in memory, parsed by every Rust contestant with T threads. Speedup \
         is the sequential baseline's median wall at T = 1 over the contestant's median wall; \
         the dashed line is the ideal, T. Cells: speedup (over the contestant's slowest to \
         fastest run; its median wall). The sequential baseline is held to T = 1 at every \
         point, so its cells past T = 1 show how far the machine's speed drifted between steps; \
         on a shared VM that drift, not the runtime, is often most of the difference at T = 1.",
        first.step.point.pages, first.step.point.page_kb
    )));
    for &strategy in &first.step.strategies {
        let baseline = steps
            .iter()
            .flat_map(|r| r.medians())
            .find(|m| m.contestant == "sequential" && m.extractor == Some(strategy) && m.verified)
            .and_then(|m| m.wall_s);
        let Some(baseline) = baseline else { continue };
        let mut head = vec!["contestant".to_owned()];
        head.extend(ts.iter().map(|t| format!("T={t}")));
        let mut table = Table {
            head,
            rows: Vec::new(),
            wrap: Vec::new(),
        };
        let mut series: Vec<Series> = Vec::new();
        for (i, r) in steps.iter().enumerate() {
            let t = r.step.point.threads as f64;
            for m in r
                .medians()
                .into_iter()
                .filter(|m| m.extractor == Some(strategy))
            {
                let Some(wall) = m.wall_s.filter(|_| m.verified) else {
                    table.put(&m.contestant, i, "✗".into());
                    continue;
                };
                if m.contestant != "sequential" {
                    push(&mut series, &m.contestant, (t, baseline / wall));
                }
                // The spread of the speedup: the baseline's median over this entry's slowest
                // and fastest runs.
                let (lo, hi) = (
                    m.wall_max_s.map_or(1.0, |w| baseline / w),
                    m.wall_min_s.map_or(1.0, |w| baseline / w),
                );
                table.put(
                    &m.contestant,
                    i,
                    format!(
                        "{:.2}× ({lo:.2}–{hi:.2}; {})",
                        baseline / wall,
                        human_secs(wall)
                    ),
                );
            }
        }
        let ideal = Series {
            name: "ideal: T".into(),
            points: ts.iter().map(|&t| (t as f64, t as f64)).collect(),
        };
        parts.push(Part::Heading(
            3,
            format!("sweep-t-{strategy}"),
            format!("parse with {strategy}"),
        ));
        parts.push(Part::Command(format!(
            "shootout run parse -n {} -s {} -t {} --extract {strategy} --runs K",
            first.step.point.pages,
            first.step.point.page_kb,
            ts.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )));
        parts.push(Part::chart(
            lines(
                &format!("parse with {strategy}: speedup over sequential against T"),
                ("T, threads", 0.8..cores + 0.2),
                ("speedup", 0.0..cores * 1.3 + 0.2),
                &series,
                Some(&ideal),
            )?,
            "Median of the runs at each T, verified runs only.".into(),
        ));
        parts.push(Part::Table(table));
    }
    Ok(())
}
