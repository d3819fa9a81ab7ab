//! The `shootout` binary as a user meets it: clean errors on bad input, JSON that carries the
//! documented fields, and crawling a directory served from disk.

use std::process::{Command, Output};

fn shootout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs a command that must succeed and print JSON Lines, and returns the objects.
fn json_lines(args: &[&str]) -> Vec<serde_json::Value> {
    let out = shootout(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect()
}

/// Bad input: non-zero exit, a message on stderr, and no panic or backtrace.
fn rejects(args: &[&str], says: &str) {
    let out = shootout(args);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{args:?} should fail");
    assert!(err.contains(says), "{args:?}: stderr was {err:?}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
}

#[test]
fn bad_input_gets_a_clear_error() {
    rejects(&["run", "nosuch"], "unknown scenario 'nosuch'");
    rejects(
        &["run", "sleep", "--contestants", "nobody"],
        "unknown contestant 'nobody'",
    );
    rejects(
        &["run", "sleep", "--threads", "0"],
        "'--threads <THREADS>': must be at least 1",
    );
    rejects(
        &["run", "sleep", "--concurrency", "0"],
        "'--concurrency <CONCURRENCY>': must be at least 1",
    );
    rejects(&["crawl", "--url", "not a url"], "is not a valid URL");
    rejects(
        &["crawl", "--url", "ftp://127.0.0.1/"],
        "is not an http(s) URL",
    );
    rejects(&["crawl", "--url", "http://127.0.0.1:1/"], "cannot crawl");
    // A real site's cap is not the synthetic site's N: a large one is fine.
    rejects(
        &[
            "crawl",
            "--url",
            "http://127.0.0.1:1/",
            "--max-pages",
            "10000000",
        ],
        "cannot crawl",
    );
    rejects(
        &["serve", "--dir", "/definitely/not/here"],
        "not a readable directory",
    );
    let strategies =
        "unknown extraction strategy 'nonsense' (expected one of: dom, stream, tokenize, naive)";
    rejects(&["run", "parse", "--extract", "nonsense"], strategies);
    rejects(&["tour", "--extract", "dom,nonsense"], strategies);
    rejects(
        &[
            "crawl",
            "--url",
            "http://127.0.0.1:1/",
            "--extract",
            "nonsense",
        ],
        strategies,
    );
}

/// Absurd values: each is refused in one line, naming the flag and its limit, within a second
/// (before any site, runtime or thread is built), instead of hanging or overflowing.
#[test]
fn absurd_values_are_refused_fast_in_one_line() {
    let max = u64::MAX.to_string();
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "sleep", "--latency-ms", &max],
            "'--latency-ms <LATENCY_MS>': 18446744073709551615 is over the limit of 60000",
        ),
        (
            &[
                "run",
                "download",
                "--page-kb",
                "100000000",
                "--pages",
                "1000",
            ],
            "'--page-kb <PAGE_KB>': 100000000 is over the limit of 65536",
        ),
        (
            &[
                "run",
                "download",
                "--page-kb",
                "65536",
                "--pages",
                "1000000",
            ],
            "MiB of pages, more than half of the",
        ),
        // The open loop's rate and duration: each a one-line error, before anything starts.
        (
            &["run", "load", "--rate", "0"],
            "'--rate <RATE>': rate must be a number of requests per second above 0",
        ),
        (
            &["run", "load", "--rate=-5"],
            "'--rate <RATE>': rate must be a number of requests per second above 0",
        ),
        (
            &["run", "load", "--rate", "fast"],
            "'--rate <RATE>': 'fast' is not a number of requests per second",
        ),
        (
            &["run", "load", "--rate", "1e9"],
            "and at most 1000000, not 1000000000",
        ),
        (
            &["run", "load", "--duration-s", "0"],
            "'--duration-s <DURATION_S>': must be from 0.001 to 3600 seconds, not 0",
        ),
        (
            &["run", "load", "--duration-s", "3601"],
            "must be from 0.001 to 3600 seconds, not 3601",
        ),
        (
            &["run", "load", "--rate", "1000000", "--duration-s", "3600"],
            "is 3600000000 requests, more than the 500000 one run records",
        ),
        (
            &["run", "download", "--jitter-ms", &max],
            "'--jitter-ms <JITTER_MS>': 18446744073709551615 is over the limit of 60000",
        ),
        (
            &[
                "run",
                "crawl",
                "--concurrency",
                "100000",
                "--contestants",
                "rayon",
            ],
            "--concurrency 100000 is over the limit of 1000 for rayon",
        ),
        (
            &[
                "run",
                "sleep",
                "--concurrency",
                "20000",
                "--contestants",
                "threads",
            ],
            "--concurrency 20000 is over the limit of 10000 for threads",
        ),
        (
            &["run", "sleep", "--concurrency", "1000000"],
            "'--concurrency <CONCURRENCY>': 1000000 is over the limit of 100000",
        ),
        (
            &["run", "sleep", "--pages", "10000000"],
            "'--pages <PAGES>': 10000000 is over the limit of 1000000",
        ),
        (
            &["run", "sleep", "--threads", "100000"],
            "'--threads <THREADS>': 100000 is over the limit of 1024",
        ),
        (
            &["run", "download", "--timeout-ms", &max],
            "'--timeout-ms <TIMEOUT_MS>': 18446744073709551615 is over the limit of 3600000",
        ),
        (
            &["run", "download", "--timeout-ms", "0"],
            "'--timeout-ms <TIMEOUT_MS>': must be at least 1",
        ),
        (
            &["run", "download", "--max-body", "0"],
            "'--max-body <MAX_BODY>': must be at least 1",
        ),
        (
            &["run", "download", "--max-body", "99999999999"],
            "'--max-body <MAX_BODY>': 99999999999 is over the limit of 1073741824",
        ),
        (
            &["run", "sleep", "--runs", "0"],
            "'--runs <RUNS>': must be at least 1",
        ),
        (
            &["tour", "--runs", "0"],
            "'--runs <RUNS>': must be at least 1",
        ),
        // Named, a contestant past its limit is refused; unnamed, it sits out with a note
        // (`sweeps_respect_each_contestants_limit`).
        (
            &[
                "run",
                "download",
                "--concurrency",
                "5000",
                "--contestants",
                "tokio,rayon",
            ],
            "--concurrency 5000 is over the limit of 1000 for rayon",
        ),
        (
            &[
                "crawl",
                "--url",
                "http://127.0.0.1:1/",
                "--contestant",
                "rayon",
                "-c",
                "5000",
            ],
            "--concurrency 5000 is over the limit of 1000 for rayon",
        ),
        (
            &["serve", "--page-kb", "100000000"],
            "'--page-kb <PAGE_KB>': 100000000 is over the limit of 65536",
        ),
        (
            &["serve", "--jitter-ms", &max],
            "'--jitter-ms <JITTER_MS>': 18446744073709551615 is over the limit of 60000",
        ),
        (
            &["run", "sleep", "--server-threads", "0"],
            "'--server-threads <SERVER_THREADS>': must be at least 1",
        ),
    ];
    for (args, says) in cases {
        if says.contains("MiB of pages") && !cfg!(target_os = "linux") {
            continue; // available memory is read from /proc/meminfo
        }
        let start = std::time::Instant::now();
        rejects(args, says);
        let took = start.elapsed();
        // Generous: the point is "before anything is built", not a speed target.
        assert!(took.as_secs() < 5, "{args:?} took {took:?} to be refused");
        let err = String::from_utf8_lossy(&shootout(args).stderr).into_owned();
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

/// A proxy in the environment must not change what one family measures: both engines connect
/// directly. (ureq follows `HTTP_PROXY` by default; with it pointing at a closed port, the
/// blocking contestants recorded every page as a connect error.)
#[test]
fn both_engines_ignore_a_proxy_in_the_environment() {
    let closed = "http://127.0.0.1:1";
    let out = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["run", "download", "-n", "5", "-l", "0", "--json"])
        .args(["--contestants", "threads,sequential,tokio"])
        .env("HTTP_PROXY", closed)
        .env("http_proxy", closed)
        .env("ALL_PROXY", closed)
        .env("all_proxy", closed)
        .output()
        .expect("the binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(rows.len(), 3, "{}", String::from_utf8_lossy(&out.stderr));
    for row in rows {
        assert_eq!(row["verified"], true, "{row}");
        assert_eq!(row["errors"], 0, "{row}");
    }
    assert!(out.status.success());
}

/// `--limit-s` bounds the single-core reference as it bounds every run, and a reference that
/// fails is a note under the table, not the end of the command.
#[test]
fn a_failed_reference_is_a_note_and_obeys_the_limit() {
    // 190 MB of pages: several seconds of DOM building, whatever the machine.
    let out = shootout(&[
        "run",
        "parse",
        "--limit-s",
        "1",
        "--pages",
        "3000",
        "--page-kb",
        "64",
        "--contestants",
        "sequential",
        "--extract",
        "dom",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the single-core reference for dom failed (hung: no result after 1 s"),
        "{stderr}"
    );
    assert!(
        stdout.contains("sequential: hung: no result after 1 s"),
        "{stdout}"
    );
    assert!(!out.status.success(), "a run that hung is not verified");
}

/// `--json` writes each row as its run ends, so stopping a long command keeps what finished.
#[test]
fn json_rows_arrive_as_each_run_ends() {
    use std::io::{BufRead, BufReader};
    use std::process::Stdio;
    // tokio's 20 waits of 1.5 s overlap (about 2 s); sequential's take 30 s one after another.
    let mut child = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args([
            "run", "sleep", "-n", "20", "-l", "1500", "-c", "20", "--json",
        ])
        .args(["--contestants", "tokio,sequential"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the binary starts");
    let started = std::time::Instant::now();
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut first = String::new();
    BufReader::new(stdout)
        .read_line(&mut first)
        .expect("stdout is readable");
    let waited = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let row: serde_json::Value = serde_json::from_str(&first).expect("a JSON row");
    assert_eq!(row["contestant"], "tokio");
    assert_eq!(row["verified"], true);
    // Generous: the whole command takes over 30 s, the first row about 2 s.
    assert!(
        waited.as_secs() < 20,
        "the first row took {waited:?}: it waited for the next run"
    );
}

/// Ctrl-C during a run prints the rows that finished, and says it stopped.
#[cfg(unix)]
#[test]
fn ctrl_c_keeps_the_rows_that_finished() {
    // tokio's 2 waits of 3 s overlap (done at about 3 s), smol's too (about 6 s); sequential
    // would take 6 s more. Ctrl-C at 4.5 s falls while smol runs.
    let child = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["run", "sleep", "-n", "2", "-l", "3000", "-c", "2"])
        .args(["--contestants", "tokio,smol,sequential"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the binary starts");
    std::thread::sleep(std::time::Duration::from_millis(4500));
    let pid = i32::try_from(child.id()).expect("a pid fits in i32");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let out = child.wait_with_output().expect("the binary ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stdout.contains("  tokio "), "{stdout}");
    assert!(!stdout.contains("sequential"), "{stdout}");
    assert!(
        stderr.contains("interrupted (Ctrl-C) during sleep: 1 of 3 runs of it finished"),
        "{stderr}"
    );
}

#[test]
fn errors_are_one_line() {
    for args in [
        &["run", "sleep", "--threads", "0"][..],
        &["run", "parse", "--extract", "nonsense"],
        &[
            "crawl",
            "--url",
            "http://127.0.0.1:1/",
            "--extract",
            "dom,x",
        ],
        &["run", "nosuch"],
        &["run", "sleep", "--threads", "x"],
    ] {
        let out = shootout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

#[test]
fn json_rows_carry_the_documented_fields() {
    let rows = json_lines(&[
        "run",
        "scrape",
        "--pages",
        "6",
        "--latency-ms",
        "1",
        "--page-kb",
        "2",
        "--json",
    ]);
    // Every Rust contestant, and the Python ones where an interpreter is ready.
    assert_eq!(rows.len(), shootout_lab::registry::available().0.len());
    for row in rows {
        for field in [
            "contestant",
            "scenario",
            "threads",
            "concurrency",
            "wall_s",
            "ideal_s",
            "cpu_s",
            "peak_rss_mb",
            "verified",
            "extractor",
            "driver",
        ] {
            assert!(row.get(field).is_some(), "missing {field} in {row}");
        }
        // The driver each row names is the one its contestant says it runs on here.
        let c = shootout_lab::registry::find(row["contestant"].as_str().unwrap_or_default())
            .expect("a registered contestant");
        let driver = c.driver().expect("every contestant has a driver here");
        assert_eq!(row["driver"], driver.name.name(), "{row}");
        assert_eq!(row["verified"], true, "{row}");
        assert_eq!(row["scenario"], "scrape");
        // Every request's latency, percentiles and the whole histogram, which decodes.
        let tail = &row["latency"];
        for field in ["samples", "p50_ms", "p90_ms", "p99_ms", "p999_ms", "max_ms"] {
            assert!(tail[field].is_number(), "missing latency.{field} in {row}");
        }
        let hist = shootout_core::latency::decode(tail["hist"].as_str().unwrap_or_default())
            .expect("the histogram decodes");
        assert_eq!(Some(hist.len()), tail["samples"].as_u64(), "{row}");
        // scrape tokenises unless told otherwise; the Python rows parse with BeautifulSoup.
        let want = if row["family"] == "python" {
            serde_json::Value::Null
        } else {
            "tokenize".into()
        };
        assert_eq!(row["extractor"], want, "{row}");
    }
}

#[test]
fn parse_compares_strategies_and_marks_naive_wrong_without_failing() {
    // A wrong naive row is the lesson, not a failure of the command: this must succeed.
    let rows = json_lines(&[
        "run",
        "parse",
        "--pages",
        "4",
        "--page-kb",
        "2",
        "--contestants",
        "sequential,rayon",
        "--extract",
        "dom,stream,tokenize,naive",
        "--json",
    ]);
    let mut seen: Vec<(String, String, bool)> = rows
        .iter()
        .map(|r| {
            (
                r["contestant"].as_str().expect("name").to_owned(),
                r["extractor"].as_str().expect("strategy").to_owned(),
                r["verified"].as_bool().expect("verdict"),
            )
        })
        .collect();
    seen.sort();
    let want: Vec<(String, String, bool)> = ["rayon", "sequential"]
        .iter()
        .flat_map(|c| {
            [
                ("dom", true),
                ("naive", false),
                ("stream", true),
                ("tokenize", true),
            ]
            .map(|(s, ok)| (c.to_string(), s.to_owned(), ok))
        })
        .collect();
    assert_eq!(seen, want);
    for r in rows.iter().filter(|r| r["extractor"] == "naive") {
        let problems = r["problems"].to_string();
        assert!(problems.contains("links, expected"), "{problems}");
    }

    // The table names the strategies in its header and marks the naive rows with a note.
    let table = shootout(&[
        "run",
        "parse",
        "--pages",
        "4",
        "--page-kb",
        "2",
        "--contestants",
        "sequential",
        "--extract",
        "dom,naive",
    ]);
    let text = String::from_utf8_lossy(&table.stdout);
    assert!(text.contains("extract=dom,naive"), "{text}");
    assert!(text.contains("✗ sequential / naive"), "{text}");
    assert!(
        text.contains("a wrong answer fast is not a result"),
        "{text}"
    );
}

#[test]
fn list_names_every_contestant_and_scenario() {
    let out = shootout(&["list"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success());
    for c in shootout_lab::registry::all() {
        assert!(text.contains(c.name()));
        // Each names what its `files` scenario reads through, or that it sits it out.
        let files = match c.file_api() {
            Some(api) => format!("file API: {api}"),
            None => "file API: none: sits files and write out".to_owned(),
        };
        assert!(
            text.contains(&files),
            "{} lists {files:?}: {text}",
            c.name()
        );
    }
    for s in shootout_core::Scenario::ALL {
        assert!(text.contains(s.name()));
    }
}

/// Comma lists sweep: one leaderboard per point; with --json, a row per run that names its
/// point, and with --runs K a median row per entry with the spread.
#[test]
fn lists_sweep_every_point_and_runs_show_their_spread() {
    let rows = json_lines(&[
        "run",
        "sleep",
        "-n",
        "4",
        "-l",
        "10,20",
        "-c",
        "1,4",
        "--runs",
        "2",
        "--json",
        "--contestants",
        "tokio",
    ]);
    let runs: Vec<_> = rows.iter().filter(|r| r["kind"] == "run").collect();
    let medians: Vec<_> = rows.iter().filter(|r| r["kind"] == "median").collect();
    assert_eq!(runs.len(), 8, "2 L × 2 C × 2 runs");
    assert_eq!(medians.len(), 4, "one per point");
    let mut points: Vec<(u64, u64)> = medians
        .iter()
        .map(|r| {
            let p = &r["point"];
            (
                p["latency_ms"].as_u64().expect("L"),
                p["concurrency"].as_u64().expect("C"),
            )
        })
        .collect();
    points.sort_unstable();
    assert_eq!(points, [(10, 1), (10, 4), (20, 1), (20, 4)]);
    for m in &medians {
        let (lo, mid, hi) = (
            m["wall_min_s"].as_f64().expect("min"),
            m["wall_s"].as_f64().expect("median"),
            m["wall_max_s"].as_f64().expect("max"),
        );
        assert!(lo <= mid && mid <= hi, "{m}");
        assert_eq!(m["runs"], 2);
    }
    assert!(runs.iter().all(|r| r["round"] == 1 || r["round"] == 2));

    // The tables: one per point, with min, median and max columns.
    let out = shootout(&[
        "run",
        "sleep",
        "-n",
        "4",
        "-l",
        "10",
        "-c",
        "1,4",
        "--runs",
        "2",
        "--contestants",
        "tokio,smol",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert_eq!(stdout.matches("\nsleep: ").count(), 2, "{stdout}");
    assert!(stdout.contains("C=1 in flight") && stdout.contains("C=4 in flight"));
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.contains("min") && l.contains("median") && l.contains("max"))
            .count(),
        2,
        "{stdout}"
    );
}

/// A sweep past a contestant's limit of C leaves it out of those points (when it was not
/// named) with a note; named, it is refused up front. Too many points is refused.
#[test]
fn sweeps_respect_each_contestants_limit() {
    let out = shootout(&[
        "run", "sleep", "-n", "2", "-l", "1", "-c", "2,1500", "--json",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        stderr.contains("rayon skipped at C=1500: over its limit of 1000"),
        "{stderr}"
    );
    let rayon_points: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON"))
        .filter(|r| r["contestant"] == "rayon")
        .map(|r| r["point"]["concurrency"].to_string())
        .collect();
    assert_eq!(rayon_points, ["2"]);
    rejects(
        &["run", "sleep", "-c", "2,1500", "--contestants", "rayon"],
        "--concurrency 1500 is over the limit of 1000 for rayon",
    );
    rejects(
        &[
            "run",
            "sleep",
            "-n",
            "1,2,3,4,5",
            "-l",
            "1,2,3,4,5",
            "-c",
            "1,2,3,4,5",
        ],
        "125 points in the sweep (-n × -l × -c × -t × --rate) is over the limit of 100",
    );
    rejects(
        &["run", "sleep", "-c", "10,0"],
        "'--concurrency <CONCURRENCY>': must be at least 1",
    );
}

/// compio's fallback, forced: every scenario still verifies, every row names the poll driver
/// with a mark, the table says why under it, and a JSON row carries the reason. A bad value
/// of the switch is refused in one line before any run.
#[test]
fn compio_falls_back_visibly_and_still_verifies() {
    let with_env = |value: &str, args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_shootout"))
            .env(shootout_compio::DRIVER_ENV, value)
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let small = ["--pages", "8", "--latency-ms", "2", "--page-kb", "2"];
    for scenario in ["sleep", "download", "scrape", "crawl", "parse", "pitfall"] {
        let mut args = vec!["run", scenario, "--contestants", "compio"];
        args.extend(small);
        let out = with_env("poll", &args);
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{scenario}: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains(" epoll* "), "{scenario}: {text}");
        assert!(
            text.contains(
                "* compio ran on epoll, its fallback driver: SHOOTOUT_COMPIO_DRIVER=poll forced it"
            ),
            "{scenario}: {text}"
        );
        assert!(!text.contains('✗'), "{scenario}: {text}");
    }
    let mut args = vec!["run", "download", "--contestants", "compio", "--json"];
    args.extend(small);
    let out = with_env("poll", &args);
    let row: serde_json::Value = serde_json::from_slice(&out.stdout).expect("one JSON row");
    assert_eq!(row["driver"], "epoll");
    assert_eq!(
        row["driver_fallback"],
        "SHOOTOUT_COMPIO_DRIVER=poll forced it"
    );
    assert_eq!(row["verified"], true);

    let out = with_env("bogus", &["run", "sleep", "--contestants", "compio"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert_eq!(
        err.trim(),
        "error: compio: SHOOTOUT_COMPIO_DRIVER=bogus is not a driver (expected auto, io_uring or poll)"
    );
    let listed = with_env("poll", &["list"]);
    assert!(
        String::from_utf8_lossy(&listed.stdout)
            .contains("driver: epoll (fallback: SHOOTOUT_COMPIO_DRIVER=poll forced it)")
    );
}
