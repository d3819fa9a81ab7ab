//! The leaderboard: one table per scenario, fastest verified run first.

use std::fmt::Write as _;

use shootout_core::{Knobs, Scenario};

use crate::harness::Row;

/// Formats seconds for people: `850 µs`, `42.1 ms`, `2.004 s`.
pub fn human_secs(s: f64) -> String {
    if s < 1e-3 {
        format!("{:.0} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.3} s")
    }
}

/// The line that says what every contestant was given.
pub fn knobs_line(scenario: Scenario, knobs: &Knobs, max_pages: usize) -> String {
    let mut line = match scenario {
        Scenario::Sleep => format!("{} waits of L={} ms", knobs.pages, knobs.latency_ms),
        Scenario::Parse => format!("{} pages of {} KiB in memory", knobs.pages, knobs.page_kb),
        Scenario::Crawl => format!(
            "site of {} pages of {} KiB, L={} ms per response",
            knobs.pages, knobs.page_kb, knobs.latency_ms
        ),
        Scenario::Download | Scenario::Scrape | Scenario::Pitfall => format!(
            "{} pages of {} KiB, L={} ms per response",
            knobs.pages, knobs.page_kb, knobs.latency_ms
        ),
    };
    if scenario == Scenario::Crawl && max_pages < usize::MAX {
        let _ = write!(line, ", at most {max_pages} pages");
    }
    let _ = write!(
        line,
        "; C={} in flight, T={} threads",
        knobs.concurrency, knobs.threads
    );
    line
}

/// Renders one scenario's leaderboard: verified runs by wall time, then the wrong ones, each
/// wrong one followed by what was wrong.
pub fn leaderboard(scenario: Scenario, knobs: &Knobs, max_pages: usize, rows: &[Row]) -> String {
    if scenario == Scenario::Pitfall {
        return pitfall_table(knobs, rows);
    }
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| {
        b.verified.cmp(&a.verified).then(
            a.wall_s
                .unwrap_or(f64::MAX)
                .total_cmp(&b.wall_s.unwrap_or(f64::MAX)),
        )
    });
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{scenario}: {}",
        knobs_line(scenario, knobs, max_pages)
    );
    let _ = writeln!(
        out,
        "  {:<22} {:>2} {:>5} {:>10} {:>10} {:>7} {:>9} {:>10} {:>9}  verified",
        "contestant", "T", "C", "wall", "ideal", "×ideal", "pages/s", "cpu", "peak mem"
    );
    for r in &rows {
        let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or_else(|| "—".to_owned(), f);
        let _ = writeln!(
            out,
            "  {:<22} {:>2} {:>5} {:>10} {:>10} {:>7} {:>9} {:>10} {:>9}  {}",
            r.contestant,
            r.threads,
            r.concurrency,
            opt(r.wall_s, &human_secs),
            human_secs(r.ideal_s),
            opt(r.wall_over_ideal, &|x| format!("{x:.2}")),
            opt(r.pages_per_s, &|x| format!("{x:.0}")),
            opt(r.cpu_s, &human_secs),
            opt(r.peak_rss_mb, &|x| format!("{x:.1} MiB")),
            if r.verified { "✓" } else { "✗" },
        );
    }
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(out, "  ✗ {}: {}", r.contestant, r.problems.join("; "));
    }
    out.push_str(&below_ideal_note(&rows));
    out
}

/// A note for runs that came in under their ideal. With a latency bound that cannot happen
/// (the server holds every response); with a CPU bound it means the machine ran faster during
/// the run than while the single-core reference was measured. Said, not hidden.
fn below_ideal_note(rows: &[&Row]) -> String {
    let below: Vec<&str> = rows
        .iter()
        .filter(|r| r.verified && r.wall_over_ideal.is_some_and(|x| x < 0.995))
        .map(|r| r.contestant.as_str())
        .collect();
    if below.is_empty() {
        return String::new();
    }
    format!(
        "  note: {} finished under the ideal. The CPU-bound ideal comes from a single-core \
         reference measured just before; a value under 1.00 means the machine ran faster \
         during that run (CPU speed varies on shared VMs; see docs/methodology.md).\n",
        below.join(", ")
    )
}

/// The pitfall table: per runtime, each variant's heartbeat lag next to its wall time, in
/// variant order, so the lesson reads down each runtime's block.
fn pitfall_table(knobs: &Knobs, rows: &[Row]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\npitfall: {}; a heartbeat asks to wake every {} ms",
        knobs_line(Scenario::Pitfall, knobs, usize::MAX),
        shootout_core::pitfall::HEARTBEAT_PERIOD.as_millis()
    );
    let _ = writeln!(
        out,
        "  {:<22} {:<15} {:>10} {:>7} {:>12} {:>12}  verified",
        "contestant", "parsing", "wall", "×ideal", "lag max", "lag p99"
    );
    let ms = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |x| format!("{x:.1} ms"));
    for r in rows {
        let _ = writeln!(
            out,
            "  {:<22} {:<15} {:>10} {:>7} {:>12} {:>12}  {}",
            r.contestant,
            r.variant.map_or("—", |v| v.name()),
            r.wall_s.map_or_else(|| "—".to_owned(), human_secs),
            r.wall_over_ideal
                .map_or_else(|| "—".to_owned(), |x| format!("{x:.2}")),
            ms(r.heartbeat_max_ms),
            ms(r.heartbeat_p99_ms),
            if r.verified { "✓" } else { "✗" },
        );
    }
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(
            out,
            "  ✗ {} / {}: {}",
            r.contestant,
            r.variant.map_or("—", |v| v.name()),
            r.problems.join("; ")
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_secs(0.000_5), "500 µs");
        assert_eq!(human_secs(0.042_1), "42.1 ms");
        assert_eq!(human_secs(2.004), "2.004 s");
    }
}
