//! How runs and times are named for people, wherever a row is scored, printed or charted.

use std::fmt::Write as _;

use shootout_core::Strategy;
use shootout_core::pitfall::Offload;

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

/// The name a run goes by: `tokio`, `tokio / inline`, `rayon / stream`; the strategy only
/// when given (when the table mixes strategies).
pub fn run_label(contestant: &str, variant: Option<Offload>, extract: Option<Strategy>) -> String {
    let mut label = contestant.to_owned();
    if let Some(v) = variant {
        let _ = write!(label, " / {v}");
    }
    if let Some(s) = extract {
        let _ = write!(label, " / {s}");
    }
    label
}
