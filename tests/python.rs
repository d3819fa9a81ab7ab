//! What is particular to the Python programs: their rows as `shootout run` measures them,
//! and how a missing, unready or crashing interpreter is reported. (The checks every
//! contestant passes, Python ones included, are tests/contestants.rs, tests/protocol.rs and
//! tests/crawl.rs.)
//!
//! They need an interpreter with python/requirements.txt (`just python`). Without one, each
//! test prints a note and passes, so `cargo test --workspace` works with the Rust toolchain
//! alone; CI sets `SHOOTOUT_REQUIRE_PYTHON=1`, which turns a missing interpreter into a failure.

use std::io::Write as _;
use std::path::PathBuf;
use std::process::{Command, Output};

/// Whether the Python contestants can run here; if not, says why (and fails under CI).
fn python_ready(test: &str) -> bool {
    match shootout_lab::python::interpreter() {
        Ok(_) => true,
        Err(e) if std::env::var_os("SHOOTOUT_REQUIRE_PYTHON").is_some() => {
            panic!("{test}: SHOOTOUT_REQUIRE_PYTHON is set, and {e:#}")
        }
        Err(e) => {
            // Written to stderr itself, not with eprintln!, which the test harness captures and
            // shows only for failures: a skipped check must say so in a passing run too.
            let _ = writeln!(std::io::stderr().lock(), "note: {test} skipped: {e:#}");
            false
        }
    }
}

fn shootout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// In `shootout run`, a Python row is measured by the Python child itself, verified, and
/// carries its CPU and memory like any row.
#[test]
fn measured_python_rows_are_verified_and_costed() {
    if !python_ready("measured_python_rows_are_verified_and_costed") {
        return;
    }
    let out = shootout(&[
        "run",
        "scrape",
        "--contestants",
        "python-sequential,python-asyncio,python-uvloop,python-threads,python-pool,tokio",
        "-n",
        "12",
        "-l",
        "5",
        "-s",
        "8",
        "--json",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(rows.len(), 6, "{rows:?}");
    for r in rows.iter().filter(|r| r["family"] == "python") {
        assert_eq!(r["verified"], true, "{r}");
        assert_eq!(r["records"], 12, "{r}");
        // Parsing 12 pages with BeautifulSoup takes CPU, and an interpreter takes memory.
        assert!(r["cpu_s"].as_f64().is_some_and(|s| s > 0.0), "{r}");
        assert!(r["peak_rss_mb"].as_f64().is_some_and(|m| m > 10.0), "{r}");
        assert!(
            r["extractor"].is_null(),
            "BeautifulSoup, not a Rust strategy: {r}"
        );
        // Every Python row names the interpreter it ran on, and its GIL as that run saw it.
        assert!(r["runtime"]["python"].is_string(), "{r}");
        assert!(r["runtime"]["gil"].is_boolean(), "{r}");
    }
    assert_eq!(rows.iter().filter(|r| r["family"] == "python").count(), 5);
}

/// What depends on the GIL follows from what the run reported: python-threads' T threads
/// parse with one core between them under a GIL its run reported on, so its ideal is
/// python-sequential's; with the GIL off it would be T cores'. The table says which ran.
#[test]
fn python_threads_ideal_follows_the_gil_its_run_reported() {
    if !python_ready("python_threads_ideal_follows_the_gil_its_run_reported") {
        return;
    }
    let args = [
        "run",
        "parse",
        "--contestants",
        "python-sequential,python-threads,threads",
        "-n",
        "8",
        "-s",
        "16",
        "-t",
        "2",
    ];
    let out = shootout(&[&args[..], &["--json"]].concat());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let row = |name: &str| {
        rows.iter()
            .find(|r| r["contestant"] == name)
            .unwrap_or_else(|| panic!("a {name} row in {rows:?}"))
    };
    let (threads, python_threads, sequential) = (
        row("threads"),
        row("python-threads"),
        row("python-sequential"),
    );
    assert_eq!(
        python_threads["threads"], 2,
        "it ran T threads: {python_threads}"
    );
    let ideal = |r: &serde_json::Value| r["ideal_s"].as_f64().expect("an ideal");
    let gil = python_threads["runtime"]["gil"]
        .as_bool()
        .expect("python-threads reports its GIL");
    if gil {
        assert_eq!(
            ideal(python_threads),
            ideal(sequential),
            "one core: {rows:?}"
        );
    } else {
        assert_eq!(ideal(python_threads), ideal(threads), "T cores: {rows:?}");
    }
    // The table names the interpreter, and under the GIL says what it does to the ideal.
    let out = shootout(&args);
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains(if gil { ", GIL on." } else { ", GIL off." }),
        "{table}"
    );
    assert_eq!(
        table.contains("python-threads has T threads that run Python under the GIL"),
        gil,
        "{table}"
    );
}

/// A contestant's own requirement (uvloop, for python-uvloop) costs that row alone where it
/// will not import: one line names it and how to install it, and every other Python row runs.
#[test]
fn a_missing_own_requirement_skips_that_row_only() {
    if !python_ready("a_missing_own_requirement_skips_that_row_only") {
        return;
    }
    // A uvloop that will not import, ahead of the real one on the module path.
    let dir = std::env::temp_dir().join(format!("shootout-no-uvloop-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::fs::write(
        dir.join("uvloop.py"),
        "raise ImportError('no uvloop wheel for this interpreter')\n",
    )
    .expect("write the stand-in");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_shootout"))
            .args(args)
            .env("PYTHONPATH", &dir)
            .output()
            .expect("the binary runs")
    };
    let out = run(&["run", "sleep", "-n", "3", "-l", "1"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        stdout.matches("python-uvloop skipped").count(),
        1,
        "one line for the one row: {stdout}"
    );
    assert!(
        stdout.contains("requirements-uvloop.txt"),
        "says how: {stdout}"
    );
    assert!(!stdout.contains("python rows skipped"), "{stdout}");
    for other in ["python-asyncio", "python-threads", "python-pool"] {
        assert!(
            stdout.contains(&format!("  {other} ")),
            "{other} still ran: {stdout}"
        );
    }
    let listed = String::from_utf8_lossy(&run(&["list"]).stdout).into_owned();
    assert!(listed.contains("python-uvloop needs uvloop"), "{listed}");
    let out = run(&[
        "run",
        "download",
        "--contestants",
        "python-uvloop",
        "-n",
        "2",
    ]);
    one_line_error(&out, "python-uvloop needs uvloop");
    let _ = std::fs::remove_dir_all(&dir);
}

/// One line on stderr, no panic.
fn one_line_error(out: &Output, says: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "should fail: {err}");
    assert!(err.contains(says), "stderr was {err:?}");
    assert_eq!(err.trim().lines().count(), 1, "one line: {err:?}");
    assert!(!err.contains("panicked"), "{err}");
}

/// A missing interpreter, or one without the libraries, is one line; without an interpreter
/// the Python rows are skipped with one line, and the rest runs.
#[test]
fn a_missing_or_unready_interpreter_is_one_clear_line() {
    let out = shootout(&[
        "--python",
        "/nonexistent/python",
        "run",
        "scrape",
        "--contestants",
        "python-asyncio",
    ]);
    one_line_error(&out, "cannot run /nonexistent/python (from --python)");
    let out = shootout(&["--python", "/nonexistent/python", "run", "sleep", "-n", "3"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches("python rows skipped").count(), 1, "{stdout}");
    assert!(
        stdout.contains("just python"),
        "says how to enable them: {stdout}"
    );
    assert!(!stdout.contains("python-asyncio"), "{stdout}");
    assert!(stdout.contains("tokio"), "{stdout}");

    // A bare venv: Python is there, the requirements are not (aiofiles is the first import).
    let dir = std::env::temp_dir().join(format!("shootout-bare-venv-{}", std::process::id()));
    let made = Command::new("python3")
        .args(["-m", "venv", "--without-pip"])
        .arg(&dir)
        .status();
    if !made.is_ok_and(|s| s.success()) {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: no python3 with venv here; the bare-venv case is skipped"
        );
        return;
    }
    let python = dir.join("bin/python");
    let python = python.to_str().expect("a UTF-8 temp path");
    let out = shootout(&[
        "--python",
        python,
        "crawl",
        "--url",
        "http://127.0.0.1:9/",
        "--contestant",
        "python-pool",
    ]);
    one_line_error(&out, "No module named 'aiofiles'");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A Python child that crashes is a ✗ row carrying its traceback's last line; the run
/// finishes and says so.
#[test]
fn a_crashing_python_child_is_a_failed_row_with_its_traceback() {
    // A stand-in interpreter: ready when checked, and then every job dies as Python would.
    let fake: PathBuf =
        std::env::temp_dir().join(format!("shootout-crashing-python-{}", std::process::id()));
    std::fs::write(
        &fake,
        "#!/bin/sh\n\
         if [ \"$3\" = --check ]; then echo 'python 3 (a stand-in)'; exit 0; fi\n\
         cat >/dev/null\n\
         echo 'Traceback (most recent call last):' >&2\n\
         echo '  File \"aio.py\", line 1, in run' >&2\n\
         echo 'RuntimeError: the event loop is closed' >&2\n\
         exit 1\n",
    )
    .expect("write the stand-in");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755))
            .expect("make it executable");
    }
    let out = shootout(&[
        "--python",
        fake.to_str().expect("a UTF-8 temp path"),
        "run",
        "download",
        "--contestants",
        "python-asyncio,sequential",
        "-n",
        "3",
        "--json",
    ]);
    let _ = std::fs::remove_file(&fake);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a crashed row fails the run");
    assert!(stderr.contains("not verified"), "{stderr}");
    let rows: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    let row = rows
        .iter()
        .find(|r| r["contestant"] == "python-asyncio")
        .expect("the crashed contestant still has a row");
    assert_eq!(row["verified"], false);
    let problems = row["problems"].to_string();
    assert!(
        problems.contains("RuntimeError: the event loop is closed"),
        "{problems}"
    );
    assert!(
        rows.iter()
            .any(|r| r["contestant"] == "sequential" && r["verified"] == true),
        "the other contestants still ran: {rows:?}"
    );
}
