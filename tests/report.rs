//! `shootout report` and `shootout compare` as a user meets them, and the report's page as a
//! person sees it: opened from disk in headless Chromium.
//!
//! The browser checks need Chromium (Debian's `chromium` package, or `$SHOOTOUT_CHROMIUM`).
//! Without it, each prints a note and passes, so `cargo test --workspace` works with the Rust
//! toolchain alone; CI installs it and sets `SHOOTOUT_REQUIRE_CHROMIUM=1`, which turns a
//! missing browser into a failure.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

fn shootout(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(args)
        .output()
        .expect("the binary runs")
}

/// A fresh, empty directory for one test.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("shootout-test-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the temporary directory is writable");
    dir
}

/// The browser, or `None` with a note (a failure when CI requires it).
fn chromium(test: &str) -> Option<PathBuf> {
    let candidates = std::env::var_os("SHOOTOUT_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser", "google-chrome"].map(PathBuf::from));
    for c in candidates {
        let found = Command::new(&c)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if found {
            return Some(c);
        }
    }
    if std::env::var_os("SHOOTOUT_REQUIRE_CHROMIUM").is_some() {
        panic!("{test}: SHOOTOUT_REQUIRE_CHROMIUM is set, and no chromium was found");
    }
    // Written to stderr itself, not with eprintln!, which the test harness captures and shows
    // only for failures: a skipped check must say so in a passing run too.
    let _ = writeln!(
        std::io::stderr().lock(),
        "note: {test} skipped: no chromium on PATH (apt-get install chromium)"
    );
    None
}

/// What the browser made of a page.
struct Seen {
    /// The DOM after the page's scripts ran.
    dom: String,
    /// Every console message the page produced.
    console: Vec<String>,
}

/// Opens `page` from disk in headless Chromium, and optionally saves a screenshot.
fn open(browser: &Path, page: &Path, screenshot: Option<&Path>) -> Seen {
    let url = format!("file://{}", page.display());
    let run = |extra: &[String]| {
        // Into files, not pipes: a dumped DOM is larger than a pipe's buffer, and a browser
        // blocked writing it would never exit.
        let (out_path, err_path) = (page.with_extension("out"), page.with_extension("err"));
        let file = |p: &Path| std::fs::File::create(p).expect("the output file is writable");
        let mut child = Command::new(browser)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--no-first-run",
                "--enable-logging=stderr",
                "--v=0",
                // The report page must fit a 1,280-px window, every table without a sideways scroll.
                "--window-size=1280,1400",
            ])
            .args(extra)
            .arg(&url)
            .stdout(file(&out_path))
            .stderr(file(&err_path))
            .spawn()
            .expect("chromium starts");
        let started = Instant::now();
        let status = loop {
            if let Some(status) = child.try_wait().expect("chromium can be waited for") {
                break status;
            }
            if started.elapsed() > Duration::from_secs(120) {
                let _ = child.kill();
                panic!("chromium did not finish with {page:?} in 120 s");
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        let read = |p: &Path| std::fs::read_to_string(p).unwrap_or_default();
        (status, read(&out_path), read(&err_path))
    };
    let (_, dom, stderr) = run(&["--dump-dom".to_owned()]);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    if let Some(path) = screenshot {
        let (status, _, err) = run(&[format!("--screenshot={}", path.display())]);
        assert!(
            status.success() && path.exists(),
            "the screenshot failed: {err}"
        );
    }
    Seen { dom, console }
}

/// What is wrong with a page as the browser saw it: console messages, charts that did not
/// render (or a page that never recorded their sizes), bar charts whose bars look alike where
/// their numbers differ by 20% or more, and names that do not appear.
fn problems(seen: &Seen, names: &[&str]) -> Vec<String> {
    let mut problems: Vec<String> = seen
        .console
        .iter()
        .map(|l| format!("console: {l}"))
        .collect();
    match seen.dom.split_once("data-rendered=\"") {
        None => problems.push("the page did not record its charts' sizes".to_owned()),
        Some((_, rest)) => {
            let sizes = rest.split('"').next().unwrap_or("");
            if sizes.is_empty() {
                problems.push("no charts".to_owned());
            }
            for size in sizes.split_whitespace() {
                let (w, h) = size.split_once('x').unwrap_or(("0", "0"));
                if w == "0" || h == "0" {
                    problems.push(format!("a chart rendered at {size}"));
                }
            }
        }
    }
    match seen.dom.split_once("data-bars=\"") {
        None => problems.push("the page did not record where its bars end".to_owned()),
        Some((_, rest)) => {
            let charts = rest.split('"').next().unwrap_or("");
            for (n, chart) in charts.split_whitespace().enumerate() {
                problems.extend(bars_look_alike(n + 1, chart));
            }
        }
    }
    match seen.dom.split_once("data-overflow=\"") {
        None => problems.push("the page did not record which tables overflow".to_owned()),
        Some((_, rest)) => {
            for table in rest.split('"').next().unwrap_or("").split_whitespace() {
                problems.push(format!(
                    "table {table} (scroll width > box) scrolls sideways in a 1280-px window"
                ));
            }
        }
    }
    for name in names {
        if !seen.dom.contains(name) {
            problems.push(format!("{name} does not appear"));
        }
    }
    problems
}

/// A bar chart's problem, if any: its values, base and bars' ends as the page recorded them
/// (`1.0000,1.2500/1/218:220,218:700`). The bar of the largest value must end visibly (8 px or
/// more) apart from the bar of the smallest when the two values differ by 20% or more; a bar
/// ends on the right when its value is above the base, on the left when below.
fn bars_look_alike(n: usize, chart: &str) -> Option<String> {
    let mut fields = chart.split('/');
    let (values, base, ends) = (fields.next()?, fields.next()?, fields.next().unwrap_or(""));
    let values: Vec<f64> = values.split(',').filter_map(|v| v.parse().ok()).collect();
    let base: f64 = base.parse().ok()?;
    let ends: Vec<(f64, f64)> = ends
        .split(',')
        .filter_map(|e| e.split_once(':'))
        .filter_map(|(l, r)| Some((l.parse().ok()?, r.parse().ok()?)))
        .collect();
    if values.len() != ends.len() {
        return Some(format!(
            "bar chart {n}: {} values but {} bars drawn",
            values.len(),
            ends.len()
        ));
    }
    let by = |f: fn(&f64, &f64) -> bool| {
        (0..values.len()).reduce(|a, b| if f(&values[b], &values[a]) { b } else { a })
    };
    let (hi, lo) = (by(|b, a| b > a)?, by(|b, a| b < a)?);
    if values[lo] <= 0.0 || values[hi] < values[lo] * 1.2 {
        return None;
    }
    let end = |i: usize| {
        if values[i] >= base {
            ends[i].1
        } else {
            ends[i].0
        }
    };
    let apart = (end(hi) - end(lo)).abs();
    (apart < 8.0).then(|| {
        format!(
            "bar chart {n}: {} and {} differ by {:.0}% but their bars end {apart:.0} px apart",
            values[hi],
            values[lo],
            (values[hi] / values[lo] - 1.0) * 100.0
        )
    })
}

/// The checks can fail:/// The checks can fail: a page with a console error, a chart of no size and a missing name is
/// caught on each count.
#[test]
fn the_browser_check_catches_a_broken_page() {
    let Some(browser) = chromium("the_browser_check_catches_a_broken_page") else {
        return;
    };
    let dir = scratch("broken-page");
    let page = dir.join("broken.html");
    std::fs::write(
        &page,
        "<!doctype html><meta charset=utf-8><body><figure><svg width=0 height=0></svg></figure>\
         <p>tokio</p><script>console.error('boom');</script><script>\
         document.body.dataset.rendered=Array.from(document.querySelectorAll('figure svg'),\
         s=>{const r=s.getBoundingClientRect();return Math.round(r.width)+'x'+Math.round(r.height)}).join(' ');\
         document.body.dataset.bars='1.0000,1.5000/0/10:400,10:402 1.0000,1.5000/1/10:20,10:300';\
         </script><table style='display:block;overflow-x:auto;max-width:300px'><tr>\
         <td style='white-space:nowrap'>a cell far wider than the three hundred pixels its table \
         may take, so that the table scrolls sideways</td></tr></table><script>\
         document.body.dataset.overflow=Array.from(document.querySelectorAll('table'),(t,i)=>\
         t.scrollWidth>t.clientWidth+1?(i+1)+':'+t.scrollWidth+'>'+t.clientWidth:'').filter(x=>x).join(' ');\
         </script>",
    )
    .expect("the page is written");
    let found = problems(&open(&browser, &page, None), &["tokio", "smol"]);
    let all = found.join("\n");
    assert!(all.contains("console:") && all.contains("boom"), "{all}");
    assert!(all.contains("a chart rendered at 0x0"), "{all}");
    // Values 50% apart drawn 2 px apart look alike; drawn 280 px apart they do not.
    assert!(
        all.contains("bar chart 1: 1.5 and 1 differ by 50% but their bars end 2 px apart"),
        "{all}"
    );
    assert!(!all.contains("bar chart 2"), "{all}");
    assert!(all.contains("smol does not appear"), "{all}");
    assert!(
        all.contains("table 1:"),
        "a table that scrolls sideways is caught: {all}"
    );
    assert!(!all.contains("tokio does not appear"), "{all}");
}

/// A quick report: its files, and its page in a real browser: no console messages, every
/// chart drawn at a real size, every contestant named.
#[test]
fn a_quick_report_renders_in_a_real_browser() {
    let Some(browser) = chromium("a_quick_report_renders_in_a_real_browser") else {
        return;
    };
    let dir = scratch("quick-report");
    let out = dir.join("report");
    let run = shootout(&[
        "report",
        "--quick",
        "--runs",
        "1",
        "--out",
        out.to_str().expect("a UTF-8 path"),
    ]);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "the report failed: {stderr}");

    // results.jsonl: the machine first, then rows that name their step.
    let jsonl = std::fs::read_to_string(out.join("results.jsonl")).expect("results.jsonl");
    let mut lines = jsonl.lines();
    let machine: serde_json::Value =
        serde_json::from_str(lines.next().expect("a first line")).expect("JSON");
    assert_eq!(machine["kind"], "machine");
    for field in [
        "cpu",
        "cores",
        "memory_gib",
        "os",
        "rustc",
        "commit",
        "date",
        "steps",
    ] {
        assert!(
            !machine[field].is_null(),
            "the machine record lacks {field}"
        );
    }
    let rows: Vec<serde_json::Value> = lines
        .map(|l| serde_json::from_str(l).expect("every line is JSON"))
        .collect();
    assert!(
        rows.iter()
            .all(|r| r["step"].is_string() && r["point"].is_object())
    );
    let runs = rows.iter().filter(|r| r["kind"] == "run").count();
    assert!(runs > 100, "only {runs} runs");

    let (contestants, _) = shootout_lab::registry::available();
    let names: Vec<&str> = contestants.iter().map(|c| c.name()).collect();
    for name in &names {
        assert!(
            rows.iter().any(|r| r["contestant"] == *name),
            "{name} has no row in results.jsonl"
        );
    }
    let page = out.join("index.html");
    let html = std::fs::read_to_string(&page).expect("index.html");
    // Self-contained: nothing to fetch (the CSP forbids it too, and the browser would say so).
    for outward in ["src=", "<link", "href=\"http", "@import", "url("] {
        assert!(!html.contains(outward), "the page has {outward}");
    }
    let charts = html.matches("<svg").count();
    // 9 scenarios, the pitfall's lag, 2 C sweeps, memory, dom and stream speedups, and the
    // load's p99 against the rate and its percentile spectrum.
    assert!(charts >= 15, "{charts} charts");
    // The disk: files read cold and warm, and written, each row naming what it did, and the
    // page's section with each contestant's file API.
    for (scenario, field, value) in [
        ("files", "cache", serde_json::json!("cold")),
        ("files", "cache", serde_json::json!("warm")),
        ("write", "fsync", serde_json::json!(false)),
    ] {
        assert!(
            rows.iter()
                .any(|r| r["scenario"] == scenario && r[field] == value && r["verified"] == true),
            "no verified {scenario} row with {field} {value}"
        );
    }
    assert!(html.contains("Waiting on the disk"), "no files section");
    assert!(html.contains("tokio::fs::read"), "no file API named");

    let seen = open(&browser, &page, Some(&dir.join("report.png")));
    let found = problems(&seen, &names);
    assert!(found.is_empty(), "{}", found.join("\n"));
    let rendered = seen
        .dom
        .split_once("data-rendered=\"")
        .and_then(|(_, r)| r.split('"').next())
        .unwrap_or("");
    assert_eq!(rendered.split_whitespace().count(), charts, "{rendered}");
}

/// Ctrl-C keeps every finished run in results.jsonl, renders the page with them, and leaves
/// the Markdown file alone.
#[cfg(unix)]
#[test]
fn an_interrupted_report_keeps_what_finished() {
    let dir = scratch("interrupted-report");
    let out = dir.join("report");
    let md = dir.join("results.md");
    let doc = "# R\n<!-- report:begin -->\nold\n<!-- report:end -->\n";
    std::fs::write(&md, doc).expect("the Markdown file is written");
    let child = Command::new(env!("CARGO_BIN_EXE_shootout"))
        .args(["report", "--quick", "--runs", "1", "--out"])
        .arg(&out)
        .arg("--markdown")
        .arg(&md)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let jsonl = out.join("results.jsonl");
    let started = Instant::now();
    // The machine record and at least five runs.
    while std::fs::read_to_string(&jsonl).map_or(0, |t| t.lines().count()) < 6 {
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "no runs after 120 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    // SAFETY: kill(2) with the pid of a child this test owns and has not waited for.
    unsafe {
        libc::kill(child.id() as libc::pid_t, libc::SIGINT);
    }
    let done = child.wait_with_output().expect("the report ends");
    let stderr = String::from_utf8_lossy(&done.stderr);
    assert_eq!(done.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let text = std::fs::read_to_string(&jsonl).expect("results.jsonl");
    let kept = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("every line is whole JSON"))
        .filter(|r| r["kind"] == "run")
        .count();
    assert!(kept >= 5, "{kept} runs kept");
    let html = std::fs::read_to_string(out.join("index.html")).expect("index.html");
    assert!(
        html.contains("Incomplete"),
        "the page does not say it is partial"
    );
    assert!(
        html.contains("<svg"),
        "the page shows no chart of what finished"
    );
    assert_eq!(
        std::fs::read_to_string(&md).expect("the Markdown file"),
        doc
    );
}

#[test]
fn bad_report_and_compare_input_gets_one_line() {
    let dir = scratch("bad-report-input");
    let file = dir.join("a-file");
    std::fs::write(&file, "not a directory").expect("the file is written");
    let one_line = |args: &[&str], says: &str| {
        let out = shootout(args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} should fail");
        assert!(err.contains(says), "{args:?}: {err}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?} ran something");
    };
    let under_file = file.join("out");
    one_line(
        &[
            "report",
            "--quick",
            "--out",
            under_file.to_str().expect("UTF-8"),
        ],
        "cannot write there",
    );
    let no_markers = dir.join("plain.md");
    std::fs::write(&no_markers, "# no markers\n").expect("written");
    one_line(
        &[
            "report",
            "--quick",
            "--markdown",
            no_markers.to_str().expect("UTF-8"),
        ],
        "no `<!-- report:begin",
    );
    one_line(
        &["report", "--runs", "0"],
        "'--runs <RUNS>': must be at least 1",
    );

    let row = |c: usize| {
        format!(
            r#"{{"kind":"run","scenario":"sleep","contestant":"tokio","variant":null,"extractor":null,"wall_s":0.1,"point":{{"pages":4,"latency_ms":10,"page_kb":64,"concurrency":{c},"threads":2}}}}"#
        )
    };
    let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
    std::fs::write(&a, row(1)).expect("written");
    std::fs::write(&b, row(2)).expect("written");
    let path = |p: &Path| p.to_str().expect("UTF-8").to_owned();
    one_line(&["compare", &path(&a), &path(&b)], "no rows in common");
    one_line(
        &["compare", &path(&a), &path(&dir.join("missing"))],
        "cannot read",
    );
    one_line(&["compare", &path(&a), &path(&file)], "not a shootout row");
}

/// Two runs of the same rows compare row by row, with the ratio and whether they overlap.
#[test]
fn compare_gives_the_ratio_of_each_common_row() {
    let dir = scratch("compare");
    let mut files = Vec::new();
    for name in ["a", "b"] {
        let out = shootout(&[
            "run",
            "sleep",
            "-n",
            "4",
            "-l",
            "20",
            "-c",
            "2,4",
            "--runs",
            "2",
            "--json",
            "--contestants",
            "tokio,smol",
        ]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let path = dir.join(format!("{name}.jsonl"));
        std::fs::write(&path, &out.stdout).expect("written");
        files.push(path);
    }
    let out = shootout(&[
        "compare",
        files[0].to_str().expect("UTF-8"),
        files[1].to_str().expect("UTF-8"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Two contestants at two points, each with its ratio and a note.
    assert!(stdout.contains("4 rows in common"), "{stdout}");
    for row in ["C=2 T=", "C=4 T="] {
        assert_eq!(stdout.matches(row).count(), 2, "{stdout}");
    }
    let ratio_lines = stdout
        .lines()
        .filter(|l| l.contains("×  ") && (l.contains("within spread") || l.contains("B ")))
        .count();
    assert_eq!(ratio_lines, 4, "{stdout}");
}
