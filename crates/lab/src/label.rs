//! How runs and times are named for people, wherever a row is scored, printed or charted.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use shootout_core::Strategy;
use shootout_core::files::Cache;
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

/// The name a run goes by: `tokio`, `tokio / inline`, `tokio / cold`, `rayon / stream`; the
/// strategy only when given (when the table mixes strategies).
pub fn run_label(
    contestant: &str,
    variant: Option<Offload>,
    cache: Option<Cache>,
    extract: Option<Strategy>,
) -> String {
    let mut label = contestant.to_owned();
    if let Some(v) = variant {
        let _ = write!(label, " / {v}");
    }
    if let Some(c) = cache {
        let _ = write!(label, " / {c}");
    }
    if let Some(s) = extract {
        let _ = write!(label, " / {s}");
    }
    label
}

/// The interpreter a run reported it ran on, as its rows name it: `CPython 3.11.7, GIL on`
/// (docs/protocol.md: `runtime`); `None` for a runtime that named no interpreter (every Rust
/// one). A run that names no GIL state is not guessed at.
pub fn interpreter(runtime: &BTreeMap<String, serde_json::Value>) -> Option<String> {
    let version = runtime.get("python")?.as_str()?;
    let implementation = match runtime.get("implementation").and_then(|v| v.as_str()) {
        Some("cpython") | None => "CPython",
        Some("pypy") => "PyPy",
        Some(other) => other,
    };
    let gil = match runtime.get("gil").and_then(serde_json::Value::as_bool) {
        Some(true) => ", GIL on",
        Some(false) => ", GIL off",
        None => ", GIL not reported",
    };
    Some(format!("{implementation} {version}{gil}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_interpreter_is_named_with_its_gil() {
        let of = |json: &str| {
            let map: BTreeMap<String, serde_json::Value> =
                serde_json::from_str(json).expect("a JSON object");
            interpreter(&map)
        };
        assert_eq!(
            of(r#"{"python": "3.11.7", "implementation": "cpython", "gil": true}"#).as_deref(),
            Some("CPython 3.11.7, GIL on")
        );
        assert_eq!(
            of(r#"{"python": "3.14.0", "implementation": "cpython", "gil": false}"#).as_deref(),
            Some("CPython 3.14.0, GIL off")
        );
        assert_eq!(
            of(r#"{"python": "3.12.1"}"#).as_deref(),
            Some("CPython 3.12.1, GIL not reported")
        );
        assert_eq!(of(r#"{"driver": "x"}"#), None);
    }
}
