//! The leaderboard: one table per scenario, fastest verified run first.

use std::fmt::Write as _;

use shootout_core::files::Cache;
use shootout_core::ideal::Bound;
use shootout_core::latency::Tail;
use shootout_core::{Knobs, Scenario, Strategy};

use shootout_lab::harness::Row;
use shootout_lab::harness::score::LATENCY_TOLERANCE;

use shootout_lab::label::{human_secs, run_label};

use crate::text_table::{Align, TextTable};

/// The line that says what every contestant was given, `strategies` included for scenarios
/// that parse.
pub fn knobs_line(
    scenario: Scenario,
    knobs: &Knobs,
    max_pages: usize,
    strategies: &[Strategy],
) -> String {
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
        Scenario::Files => format!(
            "{} files of {} KiB ({}) on disk, read whole and checksummed",
            knobs.pages,
            knobs.page_kb,
            bytes_human(knobs.pages as u64 * knobs.page_kb as u64 * 1024)
        ),
        Scenario::Write => format!(
            "{} files of {} KiB ({}) written{}, then read back and checked",
            knobs.pages,
            knobs.page_kb,
            bytes_human(knobs.pages as u64 * knobs.page_kb as u64 * 1024),
            if knobs.fsync {
                ", each flushed with fsync"
            } else {
                " (no fsync: each ends in the page cache)"
            }
        ),
        Scenario::Load => format!(
            "{}/s for {} s ({} spacing) over {} pages of {} KiB, L={} ms per response; at most \
             Q={} waiting",
            knobs.load.rate,
            knobs.load.duration_ms as f64 / 1e3,
            knobs.load.spacing,
            knobs.pages,
            knobs.page_kb,
            knobs.latency_ms,
            knobs.load.queue
        ),
    };
    if scenario == Scenario::Crawl && max_pages < usize::MAX {
        let _ = write!(line, ", at most {max_pages} pages");
    }
    if !knobs.shape.is_plain() && scenario.fetches() {
        let _ = write!(line, "; {}", knobs.shape.describe());
    }
    let _ = write!(
        line,
        "; C={} in flight, T={} threads",
        knobs.concurrency, knobs.threads
    );
    if scenario.parses() && !strategies.is_empty() {
        let names: Vec<&str> = strategies.iter().map(|s| s.name()).collect();
        let _ = write!(line, "; extract={}", names.join(","));
    }
    line
}

/// The strategies the rows used, each once, in [`Strategy::ALL`] order.
fn strategies_of(rows: &[Row]) -> Vec<Strategy> {
    let mut all: Vec<Strategy> = rows.iter().filter_map(|r| r.extractor).collect();
    all.sort_unstable();
    all.dedup();
    all
}

/// The name a row goes by in a table, a chart or a problem line.
pub fn row_label(r: &Row, with_strategy: bool) -> String {
    run_label(
        &r.contestant,
        r.variant,
        r.cache,
        r.extractor.filter(|_| with_strategy),
    )
}

/// What a leaderboard with `naive` rows says about them.
fn naive_note(rows: &[Row]) -> &'static str {
    if rows.iter().any(|r| r.extractor == Some(Strategy::Naive)) {
        "  note: naive scans the bytes for <a and <title>, so it also counts the anchors inside \
         comments, <script> and <style>. It is fast, it is wrong, and the verifier says so: \
         a wrong answer fast is not a result.\n"
    } else {
        ""
    }
}

/// The leaderboard's order: verified rows first, each group by wall time (a crashed run last).
pub fn rank(a: &Row, b: &Row) -> std::cmp::Ordering {
    b.verified.cmp(&a.verified).then(
        a.wall_s
            .unwrap_or(f64::MAX)
            .total_cmp(&b.wall_s.unwrap_or(f64::MAX)),
    )
}

/// Renders one scenario's leaderboard: verified runs by wall time, then the wrong ones, each
/// wrong one followed by what was wrong.
pub fn leaderboard(scenario: Scenario, knobs: &Knobs, max_pages: usize, rows: &[Row]) -> String {
    if scenario == Scenario::Pitfall {
        return pitfall_table(knobs, rows);
    }
    if scenario == Scenario::Load {
        return load_table(knobs, rows);
    }
    if scenario.on_disk() {
        return files_table(scenario, knobs, rows);
    }
    let strategies = strategies_of(rows);
    let several = strategies.len() > 1;
    let note = naive_note(rows);
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| rank(a, b));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{scenario}: {}",
        knobs_line(scenario, knobs, max_pages, &strategies)
    );
    // A strategy column only when the table mixes strategies (the header names a single
    // one); with --runs K, the median run's wall between the fastest and the slowest; the
    // server's CPU where one served the run (it shares the cores with the client).
    let spread = rows.iter().any(|r| r.runs > 1);
    let served = rows.iter().any(|r| r.server_cpu_s.is_some());
    // The scenarios that fetch show each request's p99 where the others show pages/s: the
    // table stays as wide as it was, and pages/s (N / wall) is in --json.
    let fetches = scenario.fetches();
    let optional = |on: bool, column: (&'static str, Align)| on.then_some(column);
    let columns: Vec<(&str, Align)> = [
        Some(("contestant", Align::Left)),
        optional(several, ("extract", Align::Left)),
        Some(("T", Align::Right)),
        Some(("C", Align::Right)),
        Some(("driver", Align::Left)),
        optional(spread, ("min", Align::Right)),
        Some((if spread { "median" } else { "wall" }, Align::Right)),
        optional(spread, ("max", Align::Right)),
        Some(("ideal", Align::Right)),
        Some(("×ideal", Align::Right)),
        Some(if fetches {
            ("p99", Align::Right)
        } else {
            ("pages/s", Align::Right)
        }),
        Some(("cpu", Align::Right)),
        optional(served, ("srv cpu", Align::Right)),
        Some(("peak mem", Align::Right)),
        Some(("verified", Align::Left)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut table = TextTable::new(&columns);
    let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or_else(|| "—".to_owned(), f);
    for r in &rows {
        let cells = [
            Some(r.contestant.clone()),
            several.then(|| r.extractor.map_or("—", Strategy::name).to_owned()),
            Some(r.threads.to_string()),
            Some(r.concurrency.to_string()),
            Some(driver_cell(r)),
            spread.then(|| opt(r.wall_min_s, &human_secs)),
            Some(opt(r.wall_s, &human_secs)),
            spread.then(|| opt(r.wall_max_s, &human_secs)),
            Some(human_secs(r.ideal_s)),
            Some(opt(r.wall_over_ideal, &|x| format!("{x:.2}"))),
            Some(if fetches {
                opt(r.latency.as_ref().map(|t| t.p99_ms), &|ms| {
                    human_secs(ms / 1e3)
                })
            } else {
                opt(r.pages_per_s, &|x| format!("{x:.0}"))
            }),
            Some(opt(r.cpu_s, &human_secs)),
            served.then(|| opt(r.server_cpu_s, &human_secs)),
            Some(opt(r.peak_rss_mb, &|x| format!("{x:.1} MiB"))),
            Some(if r.verified { "✓" } else { "✗" }.to_owned()),
        ];
        table.row(cells.into_iter().flatten().collect());
    }
    out.push_str(&table.render());
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(
            out,
            "  ✗ {}: {}",
            row_label(r, several),
            r.problems.join("; ")
        );
    }
    out.push_str(note);
    if fetches {
        out.push_str(
            "  note: p99: the 99th percentile of each request's latency, from when its task took \
             it up to its record (after parsing, where there is any). p50 to max, the whole \
             histogram and pages/s are in --json; `shootout run load` times them from when \
             each was due, at a rate.\n",
        );
    }
    out.push_str(&program_notes(scenario, rows.iter().copied()));
    out.push_str(&repetitions_note(&rows, several));
    out.push_str(&below_ideal_note(&rows, several));
    out.push_str(&fallback_note(rows.iter().copied()));
    out
}

/// A row's driver, with a `*` when it is a fallback (explained under the table).
pub fn driver_cell(r: &Row) -> String {
    match r.driver_fallback {
        Some(_) => format!("{}*", r.driver),
        None => r.driver.to_string(),
    }
}

/// One line per contestant that ran on a fallback driver, with the reason: a fallback is
/// never silent.
pub fn fallback_note<'a>(rows: impl Iterator<Item = &'a Row>) -> String {
    let mut seen: Vec<(&str, &str, &str)> = Vec::new();
    for r in rows {
        if let Some(why) = &r.driver_fallback {
            let key = (r.contestant.as_str(), r.driver.name(), why.as_str());
            if !seen.contains(&key) {
                seen.push(key);
            }
        }
    }
    seen.into_iter()
        .map(|(who, driver, why)| {
            format!("  * {who} ran on {driver}, its fallback driver: {why}\n")
        })
        .collect()
}

/// What a table with rows of programs (the Python ones) should say about them: which
/// parser each uses, whatever --extract says, the interpreter each ran on (and what its GIL
/// did to its ideal), and each contestant's own notes (from its registry entry), each once.
pub fn program_notes<'a>(scenario: Scenario, rows: impl Iterator<Item = &'a Row>) -> String {
    let mut by_parser: Vec<(&str, Vec<&str>)> = Vec::new();
    let mut by_interpreter: Vec<(String, Vec<&str>)> = Vec::new();
    let mut under_gil: Vec<&str> = Vec::new();
    let mut notes: Vec<String> = Vec::new();
    for r in rows {
        let contestant = shootout_lab::registry::find(&r.contestant);
        // Every row of a program that names its interpreter is named by it, as it ran.
        if let Some(interpreter) = shootout_lab::label::interpreter(&r.runtime) {
            group(&mut by_interpreter, interpreter, &r.contestant);
        }
        // Said where the CPU-bound ideal can decide: the scenarios that parse.
        let shares_a_core = scenario.parses()
            && r.threads > 1
            && contestant.is_some_and(|c| c.shares_one_core(&r.runtime));
        if shares_a_core {
            once(&mut under_gil, &r.contestant);
        }
        if let Some(parser) = r.parser.filter(|_| scenario != Scenario::Pitfall) {
            group(&mut by_parser, parser, &r.contestant);
        }
        let own = contestant.into_iter().flat_map(|c| c.notes(scenario));
        for note in own {
            if !notes.contains(&note) {
                notes.push(note);
            }
        }
    }
    let mut out = String::new();
    for (parser, names) in by_parser {
        let _ = writeln!(
            out,
            "  note: {} {} with {parser}, whatever --extract says.",
            names.join(", "),
            if names.len() == 1 { "parses" } else { "parse" }
        );
    }
    for (interpreter, names) in by_interpreter {
        let _ = writeln!(out, "  note: {} ran on {interpreter}.", names.join(", "));
    }
    if !under_gil.is_empty() {
        let _ = writeln!(
            out,
            "  note: {} {} T threads that run Python under the GIL its run reported on: one \
             core's worth of CPU between them, and {} ideal says so.",
            under_gil.join(", "),
            if under_gil.len() == 1 { "has" } else { "have" },
            if under_gil.len() == 1 { "its" } else { "their" },
        );
    }
    for note in notes {
        let _ = writeln!(out, "  note: {note}");
    }
    out
}

/// Adds `name` to the names under `key`, each name once, the keys in the order first seen.
fn group<'a, K: PartialEq>(groups: &mut Vec<(K, Vec<&'a str>)>, key: K, name: &'a str) {
    match groups.iter_mut().find(|(k, _)| *k == key) {
        Some((_, names)) => once(names, name),
        None => groups.push((key, vec![name])),
    }
}

/// Adds `name` to `names` unless it is there already.
fn once<'a>(names: &mut Vec<&'a str>, name: &'a str) {
    if !names.contains(&name) {
        names.push(name);
    }
}

/// What a table whose runs were repeated says about it, and about a run too short to trust: one
/// measurement of a few milliseconds (a program that does not repeat its scenario) is noise.
fn repetitions_note(rows: &[&Row], with_strategy: bool) -> String {
    let mut out = String::new();
    let repeated: Vec<usize> = rows.iter().map(|r| r.reps).filter(|&n| n > 1).collect();
    if let (Some(least), Some(most)) = (repeated.iter().min(), repeated.iter().max()) {
        let times = if least == most {
            format!("{least} times")
        } else {
            format!("{least} to {most} times")
        };
        let _ = writeln!(
            out,
            "  note: a run shorter than its budget (--budget-ms) repeats the scenario in its \
             process ({times} here); a row shows its median repetition, and every repetition \
             was verified."
        );
    }
    let short: Vec<String> = rows
        .iter()
        .filter(|r| r.reps == 1 && r.wall_s.is_some_and(|w| w < TOO_SHORT_S))
        .map(|r| row_label(r, with_strategy))
        .collect();
    if !short.is_empty() {
        let _ = writeln!(
            out,
            "  note: {} ran once, for less than {:.0} ms: too short to trust.",
            short.join(", "),
            TOO_SHORT_S * 1e3
        );
    }
    out
}

/// A single measurement shorter than this is within the noise of one scheduling slice.
const TOO_SHORT_S: f64 = 0.010;

/// A note for runs that came in under their ideal, worded by the bound that applied. Under a
/// CPU bound it means the machine ran faster during the run than while the single-core
/// reference was measured. Under a latency bound no correct run can (the server holds every
/// response), so a run more than 1% under is marked wrong by the harness; within 1% it is
/// timer resolution. Said, not hidden.
fn below_ideal_note(rows: &[&Row], with_strategy: bool) -> String {
    let below = |bound: Bound| -> Vec<String> {
        rows.iter()
            .filter(|r| r.verified && r.bound == bound)
            .filter(|r| r.wall_over_ideal.is_some_and(|x| x < 0.995))
            .map(|r| row_label(r, with_strategy))
            .collect()
    };
    let mut out = String::new();
    let cpu = below(Bound::Cpu);
    if !cpu.is_empty() {
        let _ = writeln!(
            out,
            "  note: {} finished under the ideal. The CPU-bound ideal comes from a single-core \
             reference, the fastest of those measured before each round; a value under 1.00 \
             means the machine ran faster during that run than in any of them (CPU speed \
             varies on shared VMs; see docs/methodology.md).",
            cpu.join(", ")
        );
    }
    let latency = below(Bound::Latency);
    if !latency.is_empty() {
        let _ = writeln!(
            out,
            "  note: {} finished just under the latency-bound ideal, by less than the {:.0}% that \
             timers and clocks allow (more would be marked ✗: no run that waits can beat it).",
            latency.join(", "),
            LATENCY_TOLERANCE * 100.0
        );
    }
    out
}

/// `1.2 GiB`, `40.0 MiB`, `640 KiB`.
fn bytes_human(bytes: u64) -> String {
    let b = bytes as f64;
    if b >= (1u64 << 30) as f64 {
        format!("{:.1} GiB", b / (1u64 << 30) as f64)
    } else if b >= (1u64 << 20) as f64 {
        format!("{:.1} MiB", b / (1u64 << 20) as f64)
    } else {
        format!("{:.0} KiB", b / 1024.0)
    }
}

/// The `files` table (and `write`'s): cold rows, then warm, each fastest verified first, with
/// each row's cost per file over the bare loop and how much of the set was cached when it
/// started (for `files`), or whether each file was flushed (for `write`).
fn files_table(scenario: Scenario, knobs: &Knobs, rows: &[Row]) -> String {
    let write = scenario == Scenario::Write;
    let mut rows: Vec<&Row> = rows.iter().collect();
    rows.sort_by(|a, b| a.cache.cmp(&b.cache).then(rank(a, b)));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\n{scenario}: {}",
        knobs_line(scenario, knobs, usize::MAX, &[])
    );
    let spread = rows.iter().any(|r| r.runs > 1);
    let optional = |on: bool, column: (&'static str, Align)| on.then_some(column);
    let columns: Vec<(&str, Align)> = [
        Some(("contestant", Align::Left)),
        Some((if write { "fsync" } else { "cache" }, Align::Left)),
        Some(("T", Align::Right)),
        Some(("C", Align::Right)),
        Some(("driver", Align::Left)),
        Some((if spread { "median" } else { "wall" }, Align::Right)),
        Some(("ideal", Align::Right)),
        Some(("×ideal", Align::Right)),
        Some(("µs/file over", Align::Right)),
        Some(("MiB/s", Align::Right)),
        Some(("cpu", Align::Right)),
        Some(("peak mem", Align::Right)),
        optional(!write, ("cached", Align::Right)),
        Some(("verified", Align::Left)),
    ]
    .into_iter()
    .flatten()
    .collect();
    let mut table = TextTable::new(&columns);
    let opt = |v: Option<f64>, f: &dyn Fn(f64) -> String| v.map_or_else(|| "—".to_owned(), f);
    let mib = knobs.pages as f64 * knobs.page_kb as f64 / 1024.0;
    for r in &rows {
        let state = match (r.cache, r.fsync) {
            (Some(c), _) => c.name(),
            (None, Some(true)) => "yes",
            (None, Some(false)) => "no",
            (None, None) => "—",
        };
        let mut cells = vec![
            r.contestant.clone(),
            state.to_owned(),
            r.threads.to_string(),
            r.concurrency.to_string(),
            driver_cell(r),
            opt(r.wall_s, &human_secs),
            if r.ideal_s > 0.0 {
                human_secs(r.ideal_s)
            } else {
                "—".to_owned()
            },
            opt(r.wall_over_ideal, &|x| format!("{x:.2}")),
            opt(r.overhead_us_per_file, &|x| format!("{x:.1}")),
            opt(r.wall_s.filter(|&w| w > 0.0), &|w| {
                format!("{:.0}", mib / w)
            }),
            opt(r.cpu_s, &human_secs),
            opt(r.peak_rss_mb, &|x| format!("{x:.1} MiB")),
        ];
        if !write {
            cells.push(opt(r.resident_pct, &|p| format!("{p:.0}%")));
        }
        cells.push(if r.verified { "✓" } else { "✗" }.to_owned());
        table.row(cells);
    }
    out.push_str(&table.render());
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(
            out,
            "  ✗ {}: {}",
            row_label(r, false),
            r.problems.join("; ")
        );
    }
    let half_cold: Vec<String> = rows
        .iter()
        .filter(|r| r.cache == Some(Cache::Cold) && r.resident_pct.is_some_and(|p| p > 0.0))
        .map(|r| row_label(r, false))
        .collect();
    if !half_cold.is_empty() {
        let _ = writeln!(
            out,
            "  note: {}: part of the set was still cached when the run started (see `cached`): \
             the eviction did not take, and those rows are not fully cold.",
            half_cold.join(", ")
        );
    }
    if write && knobs.fsync {
        out.push_str(
            "  note: with --fsync there is no ideal: a bare fsync loop is no lower bound on a \
             disk whose flush time depends on what else is queued (on the lab's VM a bare loop \
             of 10,000 fsynced files took 2.3 s, and contestants 0.58-4.7 s).\n",
        );
    }
    out.push_str(if write {
        "  note: each contestant builds and writes every file (its bytes differ by file) into an \
         empty directory; the parent then reads every file back and checks it. A write is \
         measured once. The ideal is a bare std::fs loop (create, write, close; fsync too when \
         asked) of the same files, as many in flight; µs/file over is (wall − ideal) / N.\n"
    } else {
        "  note: cold: every file evicted from this machine's page cache (fsync, then \
         POSIX_FADV_DONTNEED, checked with mincore) before each run; on a VM the host may still \
         cache the disk. warm: every file read once before each run. The ideal is a bare \
         std::fs read loop over the same files in the same state, as many reads in flight; \
         µs/file over is (wall − ideal) / N: the cost of each API's hop or submission.\n"
    });
    out.push_str(&program_notes(scenario, rows.iter().copied()));
    out.push_str(&repetitions_note(&rows, false));
    out.push_str(&fallback_note(rows.iter().copied()));
    out
}

/// The open-loop table: per contestant, the rate it achieved and the latency percentiles from
/// when each request was due, best p99 first, with the overloads and timeouts that have no
/// place among them.
fn load_table(knobs: &Knobs, rows: &[Row]) -> String {
    let mut rows: Vec<&Row> = rows.iter().collect();
    let p99 = |r: &Row| r.latency.as_ref().map_or(f64::MAX, |t| t.p99_ms);
    rows.sort_by(|a, b| b.verified.cmp(&a.verified).then(p99(a).total_cmp(&p99(b))));
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nload: {}",
        knobs_line(Scenario::Load, knobs, usize::MAX, &[])
    );
    // As wide as the tour's other tables: T and C are in the heading; p90, cpu and peak
    // memory in --json and on the report page.
    let mut table = TextTable::new(&[
        ("contestant", Align::Left),
        ("driver", Align::Left),
        ("got/s", Align::Right),
        ("p50", Align::Right),
        ("p99", Align::Right),
        ("p99.9", Align::Right),
        ("max", Align::Right),
        ("p50×L", Align::Right),
        ("p99×L", Align::Right),
        ("refused", Align::Right),
        ("timeout", Align::Right),
        ("verified", Align::Left),
    ]);
    let dash = || "—".to_owned();
    let ms = |v: f64| human_secs(v / 1e3);
    let ideal_ms = knobs.latency_ms as f64;
    for r in &rows {
        let t = r.latency.as_ref();
        let pct = |f: fn(&Tail) -> f64| t.map_or_else(dash, |t| ms(f(t)));
        let over_l = |f: fn(&Tail) -> f64| {
            t.filter(|_| ideal_ms > 0.0)
                .map_or_else(dash, |t| format!("{:.2}", f(t) / ideal_ms))
        };
        table.row(vec![
            r.contestant.clone(),
            driver_cell(r),
            r.achieved_per_s.map_or_else(dash, |x| format!("{x:.0}")),
            pct(|t| t.p50_ms),
            pct(|t| t.p99_ms),
            pct(|t| t.p999_ms),
            pct(|t| t.max_ms),
            over_l(|t| t.p50_ms),
            over_l(|t| t.p99_ms),
            r.overloads.map_or_else(dash, |n| n.to_string()),
            r.timeouts.map_or_else(dash, |n| n.to_string()),
            if r.verified { "✓" } else { "✗" }.to_owned(),
        ]);
    }
    out.push_str(&table.render());
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(out, "  ✗ {}: {}", r.contestant, r.problems.join("; "));
    }
    let _ = writeln!(
        out,
        "  note: each request is timed from when it fell due, not from when it was sent, so \
         a stall counts for every request it delayed. p50×L and p99×L: over the ideal, the \
         server's hold L. refused: due with C in flight and Q waiting (no latency); timeout: \
         unanswered {} after it fell due. got/s: responses per second of wall. p90, cpu, \
         memory and the whole histogram (`latency.hist`) are in --json.",
        human_secs(knobs.timeout().as_secs_f64())
    );
    out.push_str(&program_notes(Scenario::Load, rows.iter().copied()));
    out.push_str(&fallback_note(rows.iter().copied()));
    out
}

/// The pitfall table: per runtime, each variant's heartbeat lag next to its wall time, in
/// variant order, so the lesson reads down each runtime's block.
fn pitfall_table(knobs: &Knobs, rows: &[Row]) -> String {
    let strategies = strategies_of(rows);
    let several = strategies.len() > 1;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\npitfall: {}; a heartbeat asks to wake every {} ms",
        knobs_line(Scenario::Pitfall, knobs, usize::MAX, &strategies),
        shootout_core::pitfall::HEARTBEAT_PERIOD.as_millis()
    );
    let mut table = TextTable::new(&[
        ("contestant", Align::Left),
        ("parsing", Align::Left),
        ("driver", Align::Left),
        ("wall", Align::Right),
        ("×ideal", Align::Right),
        ("lag max", Align::Right),
        ("lag p99", Align::Right),
        ("verified", Align::Left),
    ]);
    let ms = |v: Option<f64>| v.map_or_else(|| "—".to_owned(), |x| format!("{x:.1} ms"));
    for r in rows {
        let parsing = match (r.variant, r.extractor) {
            (Some(v), Some(s)) if several => format!("{v} / {s}"),
            (Some(v), _) => v.name().to_owned(),
            (None, _) => "—".to_owned(),
        };
        table.row(vec![
            r.contestant.clone(),
            parsing,
            driver_cell(r),
            r.wall_s.map_or_else(|| "—".to_owned(), human_secs),
            r.wall_over_ideal
                .map_or_else(|| "—".to_owned(), |x| format!("{x:.2}")),
            ms(r.heartbeat_max_ms),
            ms(r.heartbeat_p99_ms),
            if r.verified { "✓" } else { "✗" }.to_owned(),
        ]);
    }
    out.push_str(&table.render());
    for r in rows.iter().filter(|r| !r.verified) {
        let _ = writeln!(
            out,
            "  ✗ {}: {}",
            row_label(r, several),
            r.problems.join("; ")
        );
    }
    out.push_str(naive_note(rows));
    out.push_str(&program_notes(Scenario::Pitfall, rows.iter()));
    out.push_str(&fallback_note(rows.iter()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_the_ideal_is_explained_by_the_bound_that_applied() {
        use shootout_lab::testing::row;
        let mut cpu = row(Some(0.9), true, &[]);
        cpu.contestant = "rayon".into();
        cpu.bound = Bound::Cpu;
        cpu.wall_over_ideal = Some(0.9);
        let mut latency = row(Some(0.993), true, &[]);
        latency.contestant = "smol".into();
        latency.wall_over_ideal = Some(0.993);
        let on_time = row(Some(1.2), true, &[]);

        let note = below_ideal_note(&[&cpu, &on_time], false);
        assert!(
            note.contains("rayon finished under the ideal. The CPU-bound"),
            "{note}"
        );
        assert!(!note.contains("latency"), "{note}");

        let note = below_ideal_note(&[&latency, &on_time], false);
        assert!(
            note.contains("smol finished just under the latency-bound"),
            "{note}"
        );
        assert!(!note.contains("CPU"), "{note}");

        assert_eq!(below_ideal_note(&[&on_time], false), "");
    }

    #[test]
    fn a_fallback_driver_is_marked_and_explained_once() {
        use shootout_lab::testing::row;
        let mut fell = row(Some(1.0), true, &[]);
        fell.contestant = "compio".into();
        fell.driver_fallback = Some("kernel.io_uring_disabled = 2".into());
        let table = leaderboard(
            Scenario::Download,
            &Knobs::default(),
            usize::MAX,
            &[fell.clone(), fell, row(Some(1.1), true, &[])],
        );
        assert!(table.contains(" epoll* "), "{table}");
        assert_eq!(
            table
                .matches("* compio ran on epoll, its fallback driver: kernel.io_uring_disabled = 2")
                .count(),
            1,
            "{table}"
        );
        assert!(
            table.contains(" epoll  "),
            "the tokio row has no mark: {table}"
        );
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(human_secs(0.000_5), "500 µs");
        assert_eq!(human_secs(0.042_1), "42.1 ms");
        assert_eq!(human_secs(2.004), "2.004 s");
    }
}
