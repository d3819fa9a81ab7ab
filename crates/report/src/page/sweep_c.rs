//! The C sweeps: pages/s against C for sleep and download, and what a wait in flight costs in
//! memory.

use shootout_core::Scenario;

use plotters::prelude::IntoLogRange as _;

use super::chart::{Series, lines};
use super::table::Table;
use super::{Part, in_section, opt, push};
use crate::suite::{Section, StepResult};

/// The C sweeps: pages/s against C for sleep and download, and sleep's peak memory.
pub(super) fn sweep_c(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::SweepC);
    if steps.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "sweep-c".into(),
        "Concurrency: pages/s against C".into(),
    ));
    parts.push(Part::Text(
        "One wave of N = C requests (at least 20), each held L = 20 ms: the ideal rate is C / L \
         (the dashed line), and where a line leaves it is what C tasks or threads cost. The \
         sequential baselines ignore C and sit out; a contestant sits out the points past its \
         limit of C. Cells are median pages/s; ✗ marks a run that was wrong."
            .into(),
    ));
    let mut memory = Vec::new();
    for scenario in [Scenario::Sleep, Scenario::Download] {
        let of: Vec<&&StepResult> = steps
            .iter()
            .filter(|r| r.step.scenario == scenario)
            .collect();
        let Some(first) = of.first() else { continue };
        let cs: Vec<usize> = of.iter().map(|r| r.step.point.concurrency).collect();
        let mut head = vec!["contestant".to_owned()];
        head.extend(cs.iter().map(|c| format!("C={c}")));
        let mut table = Table {
            head,
            rows: Vec::new(),
            wrap: Vec::new(),
        };
        let mut rss_table = table.like();
        let mut rate: Vec<Series> = Vec::new();
        let mut rss: Vec<Series> = Vec::new();
        let mut ideal = Series {
            name: "ideal: C / L".into(),
            points: Vec::new(),
        };
        for (i, r) in of.iter().enumerate() {
            let c = r.step.point.concurrency as f64;
            let medians = r.medians();
            if let Some(m) = medians.iter().find(|m| m.ideal_s > 0.0) {
                ideal
                    .points
                    .push((c, r.step.point.pages as f64 / m.ideal_s));
            }
            for m in medians {
                if let (true, Some(x)) = (m.verified, m.pages_per_s) {
                    push(&mut rate, &m.contestant, (c, x));
                }
                if let Some(mem) = m.peak_rss_mb {
                    push(&mut rss, &m.contestant, (c, mem));
                    rss_table.put(&m.contestant, i, format!("{mem:.1} MiB"));
                }
                let cell = format!(
                    "{}{}",
                    opt(m.pages_per_s, |x| format!("{x:.0}")),
                    if m.verified { "" } else { " ✗" }
                );
                table.put(&m.contestant, i, cell);
            }
        }
        let x_hi = *cs.iter().max().unwrap_or(&1) as f64 * 1.3;
        let y_hi = rate
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(ideal.points.iter().map(|p| p.1))
            .fold(1.0, f64::max)
            * 2.0;
        parts.push(Part::Heading(
            3,
            format!("sweep-c-{scenario}"),
            format!("{scenario}: pages/s against C"),
        ));
        parts.push(Part::Command(format!(
            "shootout run {scenario} -c {} -l 20 -s 4 -n C (at least 20) --runs K",
            cs.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )));
        parts.push(Part::chart(
            lines(
                &format!("{scenario}: pages/s against C"),
                ("C, requests in flight", (0.8..x_hi).log_scale()),
                ("pages/s", (1.0..y_hi).log_scale()),
                &rate,
                Some(&ideal),
            )?,
            format!(
                "Median pages/s per point, verified runs only; log scales. T = {}.",
                first.step.point.threads
            ),
        ));
        parts.push(Part::Table(table));
        if scenario == Scenario::Sleep {
            let mems = || rss.iter().flat_map(|s| s.points.iter().map(|p| p.1));
            let y_hi = mems().fold(8.0, f64::max) * 1.5;
            let y_lo = mems().fold(f64::MAX, f64::min).min(y_hi / 2.0) * 0.7;
            memory.push(Part::chart(
                lines(
                    "sleep: peak memory against C",
                    ("C, waits in flight", (0.8..x_hi).log_scale()),
                    ("peak RSS, MiB", (y_lo..y_hi).log_scale()),
                    &rss,
                    None,
                )?,
                "Peak resident memory of the contestant's process in the sleep sweep (the median \
                 run's). A task costs bytes; an OS thread costs a stack page or two and its \
                 bookkeeping."
                    .into(),
            ));
            memory.push(Part::Table(rss_table));
            memory.push(Part::Table(per_task_table(&rss)));
        }
    }
    if !memory.is_empty() {
        parts.push(Part::Heading(
            2,
            "memory".into(),
            "Memory per task and per thread".into(),
        ));
        parts.extend(memory);
    }
    Ok(())
}

/// What one more wait in flight cost: the growth of peak memory from the smallest C to the
/// largest, over the waits added.
fn per_task_table(rss: &[Series]) -> Table {
    let mut t = Table::new(&[
        "contestant",
        "from C",
        "to C",
        "peak mem grew by",
        "KiB per wait in flight",
    ]);
    for s in rss {
        let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else {
            continue;
        };
        if last.0 <= first.0 {
            continue;
        }
        let grew = last.1 - first.1;
        t.rows.push(vec![
            s.name.clone(),
            format!("{:.0}", first.0),
            format!("{:.0}", last.0),
            format!("{grew:.1} MiB"),
            format!("{:.2}", grew * 1024.0 / (last.0 - first.0)),
        ]);
    }
    t
}
