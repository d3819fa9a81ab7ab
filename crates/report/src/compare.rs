//! `shootout compare A.jsonl B.jsonl`: the ratio of wall times for every row two runs have in
//! common, with a note where their spreads overlap.
//!
//! It reads a report's `results.jsonl` or the output of `shootout run … --json`. Rows match on
//! scenario, contestant, variant, cache state (`files`: cold or warm), fsync (`write`), strategy
//! and the point (N, L, S, C, T; for `load`, the
//! rate, duration, spacing and queue too; and the site's skew and stall where it had any). Each side's wall is
//! the median of its `run` rows (or of its `median` rows, for a file that has no `run` rows),
//! and its spread the fastest and slowest of them.

use std::fmt::Write as _;
use std::path::Path;

use anyhow::{Context, bail};
use serde::Deserialize;

use crate::suite::spread;
use shootout_lab::label::human_secs;

/// What tells two rows apart.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct Key {
    scenario: String,
    contestant: String,
    variant: Option<String>,
    /// `files`: `cold` or `warm`; a cold row never matches a warm one.
    #[serde(default)]
    cache: Option<String>,
    /// `write`: whether each file was flushed with fsync; a row with never matches one without.
    #[serde(default)]
    fsync: Option<bool>,
    extractor: Option<String>,
    point: KeyPoint,
}

#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
struct KeyPoint {
    pages: usize,
    latency_ms: u64,
    page_kb: usize,
    concurrency: usize,
    threads: usize,
    /// A `load` row's rate, duration, spacing and queue.
    #[serde(default)]
    load: Option<serde_json::Value>,
    /// The site's slow pages and stall (the skew), where it had any.
    #[serde(default)]
    shape: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct Line {
    kind: String,
    #[serde(flatten)]
    key: Option<Key>,
    wall_s: Option<f64>,
    wall_min_s: Option<f64>,
    wall_max_s: Option<f64>,
}

/// One file's rows: per key, every wall time.
struct Side {
    rows: Vec<(Key, Vec<f64>)>,
    /// The machine record's commit and date, if the file has one.
    about: Option<String>,
}

fn read(path: &Path) -> anyhow::Result<Side> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut runs: Vec<(Key, Vec<f64>)> = Vec::new();
    let mut medians: Vec<(Key, Vec<f64>)> = Vec::new();
    let mut about = None;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let value: serde_json::Value = serde_json::from_str(line).with_context(|| {
            format!(
                "{} line {}: not a shootout row (not JSON)",
                path.display(),
                n + 1
            )
        })?;
        if value.get("kind").and_then(|k| k.as_str()) == Some("machine") {
            let field = |k: &str| {
                value
                    .get(k)
                    .and_then(|v| v.as_str())
                    .unwrap_or("?")
                    .to_owned()
            };
            about = Some(format!("commit {}, {}", field("commit"), field("date")));
            continue;
        }
        let row: Line = serde_json::from_value(value).with_context(|| {
            format!(
                "{} line {}: not a shootout row (from `shootout report` or `run --json`)",
                path.display(),
                n + 1
            )
        })?;
        let Some(key) = row.key else {
            bail!("{} line {}: a row without its point", path.display(), n + 1);
        };
        let (into, walls) = match row.kind.as_str() {
            "run" => (&mut runs, vec![row.wall_s]),
            // A median row stands for its runs: its median and its spread.
            "median" => (
                &mut medians,
                vec![row.wall_s, row.wall_min_s, row.wall_max_s],
            ),
            _ => continue,
        };
        let walls = walls.into_iter().flatten();
        match into.iter_mut().find(|(k, _)| *k == key) {
            Some((_, w)) => w.extend(walls),
            None => into.push((key, walls.collect())),
        }
    }
    let rows = if runs.is_empty() { medians } else { runs };
    if rows.is_empty() {
        bail!("{}: no rows to compare", path.display());
    }
    Ok(Side { rows, about })
}

/// The comparison of `a` and `b`, as a table for people.
pub fn compare(a: &Path, b: &Path) -> anyhow::Result<String> {
    let (side_a, side_b) = (read(a)?, read(b)?);
    let mut out = String::new();
    for (name, path, side) in [("A", a, &side_a), ("B", b, &side_b)] {
        let _ = writeln!(
            out,
            "{name}: {} ({} rows{})",
            path.display(),
            side.rows.len(),
            side.about
                .as_deref()
                .map(|s| format!(", {s}"))
                .unwrap_or_default()
        );
    }
    let _ = writeln!(
        out,
        "\n  {:<44} {:>24} {:>24} {:>7}  note",
        "row (scenario N L S C T: contestant)", "A median (min–max)", "B median (min–max)", "B / A"
    );
    let mut common = 0;
    let mut apart = 0;
    for (key, walls_a) in &side_a.rows {
        let Some((_, walls_b)) = side_b.rows.iter().find(|(k, _)| k == key) else {
            continue;
        };
        let (Some(sa), Some(sb)) = (
            spread(walls_a.iter().copied()),
            spread(walls_b.iter().copied()),
        ) else {
            continue;
        };
        common += 1;
        let p = &key.point;
        let mut name = format!(
            "{} N={} L={} S={} C={} T={}: {}",
            key.scenario,
            p.pages,
            p.latency_ms,
            p.page_kb,
            p.concurrency,
            p.threads,
            key.contestant
        );
        for extra in [&key.variant, &key.cache, &key.extractor]
            .into_iter()
            .flatten()
        {
            let _ = write!(name, " / {extra}");
        }
        if let Some(fsync) = key.fsync {
            name.push_str(if fsync { " / fsync" } else { " / no fsync" });
        }
        let show = |(lo, mid, hi): (f64, f64, f64)| {
            format!(
                "{} ({}–{})",
                human_secs(mid),
                human_secs(lo),
                human_secs(hi)
            )
        };
        let overlap = sa.0.max(sb.0) <= sa.2.min(sb.2);
        let note = if overlap {
            "within spread".to_owned()
        } else {
            apart += 1;
            if sb.1 < sa.1 {
                "B faster".to_owned()
            } else {
                "B slower".to_owned()
            }
        };
        let _ = writeln!(
            out,
            "  {name:<44} {:>24} {:>24} {:>6.2}×  {note}",
            show(sa),
            show(sb),
            sb.1 / sa.1
        );
    }
    if common == 0 {
        bail!(
            "no rows in common between {} ({} rows) and {} ({} rows): rows match on scenario, \
             contestant, variant, cache state, fsync, strategy and N, L, S, C, T",
            a.display(),
            side_a.rows.len(),
            b.display(),
            side_b.rows.len()
        );
    }
    let _ = writeln!(
        out,
        "\n{common} rows in common; {} within each other's spread (fastest to slowest run), {apart} apart.",
        common - apart
    );
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `files` row of `contestant`, `cache`, with wall `wall_s`, as `run --json` writes it.
    fn files_row(contestant: &str, cache: &str, wall_s: f64) -> String {
        serde_json::json!({
            "kind": "run",
            "scenario": "files",
            "contestant": contestant,
            "variant": null,
            "cache": cache,
            "extractor": null,
            "wall_s": wall_s,
            "point": {"pages": 100, "latency_ms": 0, "page_kb": 4, "concurrency": 10, "threads": 2},
        })
        .to_string()
    }

    #[test]
    fn files_rows_match_only_their_own_cache_state() {
        let dir = std::env::temp_dir().join(format!("shootout-compare-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
        std::fs::write(
            &a,
            [
                files_row("tokio", "cold", 0.2),
                files_row("tokio", "warm", 0.01),
            ]
            .join("\n"),
        )
        .expect("written");
        std::fs::write(
            &b,
            [
                files_row("tokio", "cold", 0.4),
                files_row("tokio", "warm", 0.01),
            ]
            .join("\n"),
        )
        .expect("written");
        let out = compare(&a, &b).expect("compared");
        // Cold against cold (2×), warm against warm (1×): never cold against warm.
        assert!(out.contains("tokio / cold"), "{out}");
        assert!(out.contains("2.00×"), "{out}");
        assert!(out.contains("tokio / warm"), "{out}");
        assert!(out.contains("2 rows in common"), "{out}");
        // Only cold rows on one side, only warm on the other: nothing in common.
        std::fs::write(&b, files_row("tokio", "warm", 0.01)).expect("written");
        std::fs::write(&a, files_row("tokio", "cold", 0.2)).expect("written");
        assert!(compare(&a, &b).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
