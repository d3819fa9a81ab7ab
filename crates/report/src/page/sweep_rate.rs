//! Latency under load: the open loop's p99 against its rate (the hockey stick), each
//! contestant's capacity at the objective, the percentile spectrum at one rate, and the tails
//! with slow pages beside those without.

use plotters::prelude::IntoLogRange as _;
use shootout_core::latency::Tail;
use shootout_lab::harness::Row;
use shootout_lab::label::human_secs;

use super::chart::{Series, lines};
use super::table::Table;
use super::{Part, in_section, push};
use crate::latency::{CAPACITY_HEAD, capacity_rows, default_slo_ms};
use crate::suite::{SKEW_RATE, Section, StepResult};

/// The percentiles the spectrum draws, as HdrHistogram's plots do: evenly spaced in "nines".
const SPECTRUM: [f64; 9] = [0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 0.9995, 0.9999];

/// `q` as a count of nines: 0.9 is 1, 0.99 is 2 (the x axis of a percentile spectrum).
fn nines(q: f64) -> f64 {
    -(1.0 - q).log10()
}

fn ms(v: f64) -> String {
    human_secs(v / 1e3)
}

/// The section.
pub(super) fn sweep_rate(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::SweepRate);
    let plain: Vec<&&StepResult> = steps
        .iter()
        .filter(|r| r.step.point.shape.is_none())
        .collect();
    let Some(first) = plain.first() else {
        return Ok(());
    };
    let latency_ms = first.step.point.latency_ms;
    let slo = default_slo_ms(latency_ms);
    parts.push(Part::Heading(
        2,
        "latency".into(),
        "Latency under load: p99 against the rate".into(),
    ));
    parts.push(Part::Text(format!(
        "The open loop (`load`): requests fall due at a fixed rate for {} s, whatever happened \
         to the earlier ones, against the site with L = {latency_ms} ms and at most C = {} in \
         flight; each is timed from when it was due, so a stall or a queue counts for every \
         request it delayed. One run per rate: each is thousands of timed requests. The \
         one-at-a-time contestants sit out (their queue is the whole story at these rates; \
         the scenario section's load row shows it). A cell is p99 (p50); refused requests \
         (C in flight and Q waiting) and timeouts are counted beside it.",
        first
            .step
            .point
            .load
            .map_or(0.0, |l| l.duration_ms as f64 / 1e3),
        first.step.point.concurrency
    )));
    parts.push(Part::Command(first.step.command(1).replace(
        &format!("--rate {}", first.step.point.load.map_or(0.0, |l| l.rate)),
        &format!(
            "--rate {}",
            plain
                .iter()
                .filter_map(|r| r.step.point.load.map(|l| l.rate.to_string()))
                .collect::<Vec<_>>()
                .join(",")
        ),
    )));
    let rates: Vec<f64> = plain
        .iter()
        .filter_map(|r| r.step.point.load.map(|l| l.rate))
        .collect();
    let mut head = vec!["contestant".to_owned()];
    head.extend(rates.iter().map(|r| format!("{r}/s")));
    let mut table = Table {
        head,
        rows: Vec::new(),
        wrap: Vec::new(),
    };
    let mut p99: Vec<Series> = Vec::new();
    let mut rows: Vec<Row> = Vec::new();
    for (i, r) in plain.iter().enumerate() {
        let rate = rates[i];
        for m in r.medians() {
            if let Some(t) = &m.latency {
                if m.verified {
                    push(&mut p99, &m.contestant, (rate, t.p99_ms));
                }
                let lost = m.overloads.unwrap_or(0) + m.timeouts.unwrap_or(0);
                table.put(
                    &m.contestant,
                    i,
                    format!(
                        "{} ({}){}{}",
                        ms(t.p99_ms),
                        ms(t.p50_ms),
                        if lost > 0 {
                            format!(", {lost} lost")
                        } else {
                            String::new()
                        },
                        if m.verified { "" } else { " ✗" }
                    ),
                );
            }
            rows.push(m);
        }
    }
    let ideal = Series {
        name: format!("ideal: L = {latency_ms} ms"),
        points: rates.iter().map(|&r| (r, latency_ms as f64)).collect(),
    };
    let y_hi = p99
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(latency_ms as f64 * 2.0, f64::max)
        * 1.5;
    let (x_lo, x_hi) = (
        rates.first().copied().unwrap_or(1.0) * 0.8,
        rates.last().copied().unwrap_or(1.0) * 1.25,
    );
    parts.push(Part::chart(
        lines(
            "load: p99 latency against the rate (the hockey stick)",
            ("requests/s (log)", (x_lo..x_hi).log_scale()),
            (
                "p99, ms from due (log)",
                ((latency_ms as f64 * 0.8).max(0.1)..y_hi).log_scale(),
            ),
            &p99,
            Some(&ideal),
        )?,
        format!(
            "Each line is one contestant's p99 at each rate, verified runs only; the dashed line \
             is the server's hold L, the least any request can take. Where a line turns up, \
             the contestant has stopped keeping up. The objective below is p99 ≤ 2·L + 5 ms \
             = {slo:.0} ms."
        ),
    ));
    parts.push(Part::Table(table));

    let mut cap = Table::new(&CAPACITY_HEAD);
    cap.rows = capacity_rows(&rows, None);
    parts.push(Part::Heading(
        3,
        "capacity".into(),
        format!("Capacity at p99 ≤ {slo:.0} ms"),
    ));
    parts.push(Part::Text(
        "The highest swept rate each contestant carried with every request answered and its \
         p99 within the objective, and the first rate at which that broke."
            .into(),
    ));
    parts.push(Part::Table(cap));

    spectrum(&plain, parts)?;
    skew(&steps, parts);
    Ok(())
}

/// The percentile spectrum at the sweep's middle rate: latency against the percentile, in
/// nines, from each row's whole histogram (HdrHistogram's own chart).
fn spectrum(plain: &[&&StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let Some(r) = plain.get(plain.len() / 2) else {
        return Ok(());
    };
    let rate = r.step.point.load.map_or(0.0, |l| l.rate);
    let mut series = Vec::new();
    let mut y_hi: f64 = 1.0;
    let mut y_lo = f64::MAX;
    for m in r.medians().into_iter().filter(|m| m.verified) {
        let Some(h) = m.latency.as_ref().and_then(|t| t.decode().ok()) else {
            continue;
        };
        let points: Vec<(f64, f64)> = SPECTRUM
            .iter()
            .map(|&q| {
                let v = h.highest_equivalent(h.value_at_quantile(q)) as f64 / 1e3;
                (nines(q), v)
            })
            .collect();
        for p in &points {
            y_hi = y_hi.max(p.1);
            y_lo = y_lo.min(p.1);
        }
        series.push(Series {
            name: m.contestant.clone(),
            points,
        });
    }
    if series.is_empty() {
        return Ok(());
    }
    parts.push(Part::chart(
        lines(
            &format!("load at {rate}/s: latency by percentile"),
            (
                "percentile, in nines (1 = 90%, 2 = 99%, 3 = 99.9%, 4 = 99.99%)",
                nines(0.45)..nines(0.99995),
            ),
            ("ms from due (log)", (y_lo * 0.9..y_hi * 1.3).log_scale()),
            &series,
            None,
        )?,
        format!(
            "Each row's whole histogram at {rate}/s, as HdrHistogram plots it: the median on the \
             left, the worst requests on the right. A histogram holds every request of the \
             run; results.jsonl has each in HdrHistogram's interchange form (`latency.hist`)."
        ),
    ));
    Ok(())
}

/// The skew step beside the same rate without it: p50, p90, p99 and p99.9.
fn skew(steps: &[&StepResult], parts: &mut Vec<Part>) {
    let rate_of = |r: &StepResult| r.step.point.load.map_or(0.0, |l| l.rate);
    let Some(skewed) = steps.iter().find(|r| r.step.point.shape.is_some()) else {
        return;
    };
    let Some(plain) = steps
        .iter()
        .find(|r| r.step.point.shape.is_none() && rate_of(r) == SKEW_RATE)
    else {
        return;
    };
    let shape = skewed.step.point.shape.unwrap_or_default();
    parts.push(Part::Heading(
        3,
        "skew".into(),
        format!("Slow pages at {SKEW_RATE}/s"),
    ));
    parts.push(Part::Text(format!(
        "The same rate with {}: requests to a slow page are held {}× L by design. The question \
         is what they do to the others: a thread-per-core runtime deals requests to cores up \
         front, and a core whose share of C is busy with slow pages queues its fast ones while \
         another core idles; a work-stealing runtime shares its C connections between workers. \
         Cells are plain → with slow pages.",
        shape.describe(),
        shape.slow_factor
    )));
    parts.push(Part::Command(skewed.step.command(1)));
    let mut table = Table::new(&["contestant", "p50", "p90", "p99", "p99.9", "lost"]);
    let medians = plain.medians();
    for m in skewed.medians() {
        let Some(base) = medians.iter().find(|b| b.contestant == m.contestant) else {
            continue;
        };
        let cell = |f: fn(&Tail) -> f64| match (&base.latency, &m.latency) {
            (Some(a), Some(b)) => format!("{} → {}", ms(f(a)), ms(f(b))),
            _ => "—".into(),
        };
        let lost = |r: &Row| r.overloads.unwrap_or(0) + r.timeouts.unwrap_or(0);
        table.rows.push(vec![
            format!("{}{}", m.contestant, if m.verified { "" } else { " ✗" }),
            cell(|t| t.p50_ms),
            cell(|t| t.p90_ms),
            cell(|t| t.p99_ms),
            cell(|t| t.p999_ms),
            format!("{} → {}", lost(base), lost(&m)),
        ]);
    }
    parts.push(Part::Table(table));
}
