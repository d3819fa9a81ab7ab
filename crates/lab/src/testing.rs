//! Helpers for tests of this crate and of the crates above it (`shootout-report` turns on the
//! `testing` feature in its dev-dependencies). Not part of the lab's API otherwise.

use shootout_core::driver::Reactor;
use shootout_core::ideal::Bound;
use shootout_core::{Family, Knobs, Scenario};

use crate::harness::score::{Point, Row, RowKind, SCHEMA};

/// A row of a download run, for tests.
pub fn row(wall_s: Option<f64>, verified: bool, problems: &[&str]) -> Row {
    Row {
        schema: SCHEMA,
        kind: RowKind::Run,
        round: None,
        contestant: "tokio".into(),
        family: Family::Async,
        scenario: Scenario::Download,
        variant: None,
        cache: None,
        fsync: None,
        resident_pct: None,
        overhead_us_per_file: None,
        extractor: None,
        parser: None,
        threads: 2,
        concurrency: 10,
        driver: Reactor::Epoll,
        driver_fallback: None,
        records: 1,
        errors: 0,
        overloads: None,
        timeouts: None,
        achieved_per_s: None,
        wall_s,
        wall_min_s: None,
        wall_max_s: None,
        ideal_s: 1.0,
        bound: Bound::Latency,
        wall_over_ideal: None,
        pages_per_s: None,
        cpu_s: None,
        server_cpu_s: None,
        peak_rss_mb: None,
        latency: None,
        body_latency: None,
        heartbeat: None,
        heartbeat_max_ms: None,
        heartbeat_p99_ms: None,
        verified,
        problems: problems.iter().map(|p| p.to_string()).collect(),
        runs: 1,
        reps: 1,
        point: Point::of(&Knobs::default()),
        runtime: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::harness::score::median;

    #[test]
    fn median_takes_the_middle_run_and_every_distinct_problem() {
        let mut rows = [
            row(Some(3.0), false, &["a", "b"]),
            row(None, false, &["crashed"]),
            row(Some(1.0), false, &["b"]),
            row(Some(2.0), true, &[]),
            row(Some(4.0), false, &["a"]),
        ];
        let m = median(&mut rows).expect("five runs have a median");
        assert_eq!(m.wall_s, Some(3.0), "the crashed run sorts last");
        assert!(!m.verified, "one wrong run makes the row wrong");
        assert_eq!(m.runs, 5);
        assert_eq!(m.kind, RowKind::Median);
        assert_eq!(
            (m.wall_min_s, m.wall_max_s),
            (Some(1.0), Some(4.0)),
            "the spread leaves the crashed run out"
        );
        // `a` is repeated, but not next to itself in run order: it must still appear once.
        assert_eq!(m.problems, ["b", "a", "crashed"]);
    }
}
