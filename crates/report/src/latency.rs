//! Capacity at a latency objective: from the rows of an open-loop rate sweep, the highest rate
//! each contestant carried with its p99 within the objective, and the rate where it broke.

use std::fmt::Write as _;

use shootout_lab::harness::Row;
use shootout_lab::label::human_secs;

use crate::text_table::{Align, TextTable};

/// The default objective for a row at latency L: p99 within 2·L + 5 ms.
pub fn default_slo_ms(latency_ms: u64) -> f64 {
    2.0 * latency_ms as f64 + 5.0
}

/// Whether `row` meets the objective: verified, every request answered (none refused, none
/// timed out), and its p99 within `slo_ms`.
pub fn meets(row: &Row, slo_ms: f64) -> bool {
    row.verified
        && row.overloads == Some(0)
        && row.timeouts == Some(0)
        && row.latency.as_ref().is_some_and(|t| t.p99_ms <= slo_ms)
}

/// One contestant's capacity in a rate sweep.
#[derive(Clone, Debug, PartialEq)]
pub struct Capacity {
    /// The contestant.
    pub contestant: String,
    /// The highest rate at which it, and every rate below it, met the objective.
    pub held: Option<f64>,
    /// The first rate that broke it, with that row's p99 (`None`: no latency) and why.
    pub broke: Option<(f64, Option<f64>, String)>,
}

/// Per contestant, in the order first seen: its capacity over the `load` rows of `rows`, with
/// the objective `slo_ms` (or [`default_slo_ms`] of each row's L).
pub fn capacities(rows: &[Row], slo_ms: Option<u64>) -> Vec<Capacity> {
    let mut names: Vec<&str> = Vec::new();
    for r in rows.iter().filter(|r| r.point.load.is_some()) {
        if !names.contains(&r.contestant.as_str()) {
            names.push(&r.contestant);
        }
    }
    names
        .into_iter()
        .map(|name| {
            let mut mine: Vec<&Row> = rows
                .iter()
                .filter(|r| r.contestant == name)
                .filter(|r| r.point.load.is_some())
                .collect();
            let rate = |r: &Row| r.point.load.map_or(0.0, |l| l.rate);
            mine.sort_by(|a, b| rate(a).total_cmp(&rate(b)));
            let mut held = None;
            let mut broke = None;
            for r in mine {
                let slo = slo_ms.map_or_else(|| default_slo_ms(r.point.latency_ms), |s| s as f64);
                if meets(r, slo) {
                    held = Some(rate(r));
                    continue;
                }
                let why = if !r.verified {
                    "not verified".to_owned()
                } else if r.overloads.unwrap_or(0) + r.timeouts.unwrap_or(0) > 0 {
                    format!(
                        "{} refused, {} timed out",
                        r.overloads.unwrap_or(0),
                        r.timeouts.unwrap_or(0)
                    )
                } else {
                    format!("p99 over {}", human_secs(slo / 1e3))
                };
                broke = Some((rate(r), r.latency.as_ref().map(|t| t.p99_ms), why));
                break;
            }
            Capacity {
                contestant: name.to_owned(),
                held,
                broke,
            }
        })
        .collect()
}

/// The capacity table's columns, as `run` prints them and the report shows them.
pub const CAPACITY_HEAD: [&str; 5] = ["contestant", "held", "broke at", "its p99", "why"];

/// The capacity table's rows ([`CAPACITY_HEAD`]), highest capacity first: each
/// contestant's capacity over the `load` rows of `rows` (see [`capacities`]).
pub fn capacity_rows(rows: &[Row], slo_ms: Option<u64>) -> Vec<Vec<String>> {
    let dash = || "—".to_owned();
    let mut caps = capacities(rows, slo_ms);
    caps.sort_by(|a, b| {
        b.held
            .unwrap_or(0.0)
            .total_cmp(&a.held.unwrap_or(0.0))
            .then(a.contestant.cmp(&b.contestant))
    });
    caps.into_iter()
        .map(|c| {
            let (at, p99, why) = match c.broke {
                Some((rate, p99, why)) => (
                    format!("{rate}/s"),
                    p99.map_or_else(dash, |ms| human_secs(ms / 1e3)),
                    why,
                ),
                None => (dash(), dash(), "held at every swept rate".to_owned()),
            };
            let held = c
                .held
                .map_or_else(|| "none".to_owned(), |r| format!("{r}/s"));
            vec![c.contestant, held, at, p99, why]
        })
        .collect()
}

/// The capacity table `shootout run load --rate A,B,…` prints after its leaderboards.
pub fn capacity(rows: &[Row], slo_ms: Option<u64>) -> String {
    let objective = match slo_ms {
        Some(ms) => format!("p99 ≤ {ms} ms"),
        None => "p99 ≤ 2·L + 5 ms".to_owned(),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\ncapacity: the highest swept rate each contestant carried with every request answered \
         and {objective} (--slo-ms), and the rate where that first broke"
    );
    let mut table = TextTable::new(&CAPACITY_HEAD.map(|h| {
        let align = if matches!(h, "contestant" | "why") {
            Align::Left
        } else {
            Align::Right
        };
        (h, align)
    }));
    for cells in capacity_rows(rows, slo_ms) {
        table.row(cells);
    }
    out.push_str(&table.render());
    out
}

#[cfg(test)]
mod tests {
    use shootout_core::latency::Tail;
    use shootout_core::load::Load;
    use shootout_lab::testing::row;

    use super::*;

    fn at(rate: f64, p99_ms: f64, refused: usize) -> Row {
        let mut r = row(Some(1.0), true, &[]);
        r.point.latency_ms = 10;
        r.point.load = Some(Load {
            rate,
            ..Load::default()
        });
        r.overloads = Some(refused);
        r.timeouts = Some(0);
        r.latency = Tail::of([(p99_ms * 1e3) as u64]).expect("bins");
        r
    }

    #[test]
    fn capacity_is_the_last_rate_before_the_first_break() {
        // The objective at L = 10 ms is 25 ms.
        let rows = [at(400.0, 30.0, 0), at(100.0, 12.0, 0), at(200.0, 14.0, 0)];
        let caps = capacities(&rows, None);
        assert_eq!(caps.len(), 1);
        assert_eq!(caps[0].held, Some(200.0));
        let (rate, _, why) = caps[0].broke.clone().expect("it broke");
        assert_eq!(rate, 400.0);
        assert!(why.starts_with("p99 over 25.0 ms"), "{why}");
        // A refusal breaks it whatever the p99; an objective of 50 ms moves it.
        let rows = [at(100.0, 12.0, 0), at(200.0, 14.0, 3), at(400.0, 30.0, 0)];
        assert_eq!(capacities(&rows, None)[0].held, Some(100.0));
        assert_eq!(capacities(&rows[..1], Some(5))[0].held, None);
        assert!(capacity(&rows, None).contains("3 refused, 0 timed out"));
    }
}
