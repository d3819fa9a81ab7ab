//! `shootout crawl` pointed at the kinds of site the real world has: one that fails in every
//! way it can (the fault site), https, a proxy, robots.txt, redirects, legacy charsets,
//! `<base href>`, a slow site stopped by Ctrl-C or a deadline. Each test runs the binary as a
//! user does; the ones that every contestant must pass are one `#[test]` per contestant
//! (`cargo test --test crawl contestants::compio::`), so a new contestant is covered by
//! registering it and adding it to the list in tests/common/mod.rs.

#[macro_use]
mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use shootout_core::verify::verify;
use shootout_core::{PageRecord, Strategy};
use shootout_lab::registry::NetSetting;
use shootout_site::{Content, FAULTS, FaultSite, Server, ServerConfig, Site, SiteSpec};

use common::ready;

per_contestant!(
    the_fault_site_gives_one_typed_record_per_url,
    the_fault_site_over_https_gives_the_same_records,
    ctrl_c_keeps_every_finished_record,
    a_deadline_stops_the_crawl_and_keeps_what_finished,
    goes_through_the_proxy_it_is_given,
    crawls_a_site_served_from_disk,
    legacy_charsets_are_decoded,
    base_href_is_honoured,
    crawl_records_are_the_same_with_every_sound_strategy,
    sends_the_user_agent_it_is_given,
    prints_the_same_records_as_tokio,
);

fn shootout() -> Command {
    Command::new(env!("CARGO_BIN_EXE_shootout"))
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn with(name: &str, text: &str) -> TempFile {
        let path =
            std::env::temp_dir().join(format!("shootout-test-{}-{name}", std::process::id()));
        std::fs::write(&path, text).expect("temp file written");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temp paths are UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// A child process killed when dropped, so a failing assertion leaves no server behind.
struct Killed(Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// `shootout crawl ARGS`, killed if it still runs after `patience`: a crawl must end however
/// the site behaves.
fn crawl(args: &[&str], patience: Duration) -> Output {
    let mut child = Killed(
        shootout()
            .arg("crawl")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    let (stdout, stderr) = (child.0.stdout.take(), child.0.stderr.take());
    let drain = |pipe: Option<Box<dyn Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut buf);
            }
            buf
        })
    };
    let out = drain(stdout.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let err = drain(stderr.map(|p| Box::new(p) as Box<dyn Read + Send>));
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.0.try_wait().expect("the crawl is waited for") {
            break status;
        }
        assert!(
            started.elapsed() < patience,
            "hung: `crawl {args:?}` still running after {patience:?}"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    }
}

/// [`crawl`] that must succeed.
/// The contestant, if it can run here and is held to what real sites ask of a crawler
/// (charsets, `<base href>`, hostile servers); the protocol's short example is not.
fn real_site(name: &str) -> Option<shootout_lab::registry::Contestant> {
    let c = ready(name)?;
    if c.example() {
        common::skip(
            name,
            "the protocol's example is held to the protocol and the synthetic site",
        );
        return None;
    }
    Some(c)
}

fn crawl_ok(args: &[&str]) -> Output {
    let out = crawl(args, Duration::from_secs(120));
    assert!(
        out.status.success(),
        "{args:?}: exit {}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The JSON records on a crawl's stdout, by URL; an error if a URL has two.
fn records(out: &Output) -> Result<HashMap<String, Value>, String> {
    let mut by_url = HashMap::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let r: Value = serde_json::from_str(line).map_err(|e| format!("not JSON ({e}): {line}"))?;
        let url = r["url"]
            .as_str()
            .ok_or("a record without a url")?
            .to_owned();
        if by_url.insert(url.clone(), r).is_some() {
            return Err(format!("two records for {url}"));
        }
    }
    Ok(by_url)
}

/// The kind word of a record: its error's, or `ok`.
fn kind(r: &Value) -> &str {
    r["error"]
        .as_str()
        .map_or("ok", |e| e.split(':').next().unwrap_or(e))
}

/// The peak memory on a crawl's totals line, in MiB.
fn peak_mib(stderr: &str) -> Option<f64> {
    let at = stderr.rfind("peak mem ")? + "peak mem ".len();
    stderr[at..].split_whitespace().next()?.parse().ok()
}

/// Flags for every fault-site crawl: a 3 s timeout for /hang, and a 4 MiB body cap, so the
/// two 200 MiB bodies are refused early (the cap is what bounds memory).
const FAULT_FLAGS: [&str; 5] = ["--json", "--timeout-ms", "3000", "--max-body", "4194304"];

/// The default strategy, tokenize. With dom, html5ever needs time quadratic in nesting depth
/// for /soup: 1.3 s of CPU in a release build, 31 s in this debug one (docs/results.md), too
/// long to run for every contestant here; the test below runs every strategy with one.
fn the_fault_site_gives_one_typed_record_per_url(name: &str) {
    let Some(_) = real_site(name) else { return };
    let site = FaultSite::start(0, false).expect("fault site starts");
    let base = site.base_url();
    let bound = memory_bound(name, &base, &[]);
    let mut args = vec!["--contestant", name, "--url", base.as_str()];
    args.extend(FAULT_FLAGS);
    let out = crawl(&args, Duration::from_secs(120));
    fault_site_records(&out, &base, bound)
        .unwrap_or_else(|e| panic!("{e}\n  stderr: {}", stderr(&out)));
}

/// How much memory a crawl of the fault site may take: what the contestant's process takes to
/// crawl its one plain page, and 35 MiB more (the bodies are capped at 4 MiB; the two of 200
/// MiB must never be held); for a contestant whose peak adds up a worker process per request
/// in flight, 8 MiB more for each other one (a capped body, copied once). An interpreter's
/// own size is its own.
fn memory_bound(name: &str, base: &url::Url, extra: &[&str]) -> f64 {
    let c = shootout_lab::registry::find(name).expect("registered");
    let workers = if c.sums_processes() {
        shootout_core::Knobs::default().concurrency - 1
    } else {
        0
    };
    let ok = base.join("/ok").expect("url");
    let mut args = vec![
        "--contestant",
        name,
        "--url",
        ok.as_str(),
        "--max-pages",
        "1",
    ];
    args.extend(FAULT_FLAGS);
    args.extend(extra);
    let out = crawl_ok(&args);
    peak_mib(&stderr(&out)).expect("the totals name the peak memory") + 35.0 + 8.0 * workers as f64
}

/// Every strategy against the fault site, with one contestant: each must give the same one
/// typed record per URL, in the same memory. (The deep nesting of /soup, the 32 MiB
/// attribute of /huge-attr and the 200 MiB bodies stall no strategy.) `dom` is the slow one
/// (about 31 s in a debug build).
#[test]
fn the_fault_site_gives_the_same_records_with_every_strategy() {
    let site = FaultSite::start(0, false).expect("fault site starts");
    let base = site.base_url();
    std::thread::scope(|s| {
        for strategy in Strategy::ALL {
            let base = &base;
            s.spawn(move || {
                let mut args = vec!["--contestant", "sequential", "--url", base.as_str()];
                args.extend(["--extract", strategy.name()]);
                args.extend(FAULT_FLAGS);
                let out = crawl(&args, Duration::from_secs(180));
                // The same memory as the sequential baseline's tokenising crawl: 45 MiB.
                fault_site_records(&out, base, 45.0)
                    .unwrap_or_else(|e| panic!("{strategy}: {e}\n  stderr: {}", stderr(&out)));
            });
        }
    });
}

fn the_fault_site_over_https_gives_the_same_records(name: &str) {
    let Some(_) = real_site(name) else { return };
    let site = FaultSite::start(0, true).expect("fault site starts");
    let base = site.base_url();
    let ca = TempFile::with(
        &format!("fault-ca-{name}.pem"),
        site.ca_pem().expect("a CA with tls"),
    );
    let bound = memory_bound(name, &base, &["--ca-cert", ca.path()]);
    let mut args = vec![
        "--contestant",
        name,
        "--url",
        base.as_str(),
        "--ca-cert",
        ca.path(),
    ];
    args.extend(FAULT_FLAGS);
    let out = crawl(&args, Duration::from_secs(120));
    fault_site_records(&out, &base, bound)
        .unwrap_or_else(|e| panic!("{e}\n  stderr: {}", stderr(&out)));
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).trim().to_owned()
}

/// `shootout serve --tls` and `crawl --ca-cert` as a user runs them: the whole site, exactly
/// its ground truth, with either engine; without the CA, the crawl is refused with a `tls`
/// error. (Every contestant's https crawl is checked in tests/contestants.rs and above.)
#[test]
fn serve_tls_is_crawled_with_its_ca() {
    let cert = TempFile::with("serve-ca.pem", "");
    let mut server = Killed(
        shootout()
            .args([
                "serve", "--tls", "--port", "0", "-n", "20", "-l", "0", "-s", "2", "--seed", "7",
            ])
            .args(["--cert-out", cert.path()])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("the server starts"),
    );
    let mut lines = BufReader::new(server.0.stdout.take().expect("piped")).lines();
    let first = lines.next().and_then(Result::ok).unwrap_or_default();
    let url = first
        .split_whitespace()
        .find(|w| w.starts_with("https://"))
        .unwrap_or_else(|| panic!("no https URL in {first:?}"))
        .to_owned();
    let second = lines.next().and_then(Result::ok).unwrap_or_default();
    assert!(second.contains(cert.path()), "{second}");

    let origin = url::Url::parse(&url).expect("the server's URL");
    let spec = SiteSpec {
        pages: 20,
        page_kb: 2,
        seed: 7,
        quirks: false,
        links: 0,
    };
    let (expected, _) = Site::generate(spec, &origin).expect_crawl(usize::MAX);
    for engine in ["sequential", "tokio"] {
        let out = crawl_ok(&[
            "--contestant",
            engine,
            "--url",
            &url,
            "--ca-cert",
            cert.path(),
            "--json",
        ]);
        let got: Vec<PageRecord> = String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a record a line"))
            .collect();
        let verdict = verify(&got, &expected);
        assert!(verdict.ok(), "{engine}: {verdict}");
    }

    let untrusted = crawl(
        &["--url", &url, "--contestant", "tokio"],
        Duration::from_secs(60),
    );
    let err = stderr(&untrusted);
    assert!(!untrusted.status.success());
    assert!(
        err.contains("cannot crawl") && err.contains("tls: "),
        "{err}"
    );
}

/// Checks a crawl of the fault site: one record per linked URL, each of the kind, title and
/// final URL [`FAULTS`] says, in at most `max_mib` of memory.
fn fault_site_records(out: &Output, base: &url::Url, max_mib: f64) -> Result<(), String> {
    if !out.status.success() {
        return Err(format!("exit {}", out.status));
    }
    if String::from_utf8_lossy(&out.stderr).contains("panicked") {
        return Err("a panic was printed".into());
    }
    let got = records(out)?;
    let want = 1 + FAULTS.len();
    if got.len() != want {
        let mut urls: Vec<&String> = got.keys().collect();
        urls.sort();
        return Err(format!("{} records, expected {want}: {urls:?}", got.len()));
    }
    let root = &got.get(base.as_str()).ok_or("no record for the index")?;
    if kind(root) != "ok" || root["title"] != "fault site" {
        return Err(format!("index: {root}"));
    }
    for f in FAULTS {
        let url = base.join(f.path).expect("fault paths are URLs");
        let r = got
            .get(url.as_str())
            .ok_or(format!("no record for {}", f.path))?;
        if kind(r) != f.record {
            return Err(format!(
                "{}: got {r}, expected a {} record",
                f.path, f.record
            ));
        }
        if f.record == "ok" && r["title"].as_str() != f.title {
            return Err(format!(
                "{}: title {}, expected {:?}",
                f.path, r["title"], f.title
            ));
        }
        let final_url = f.final_path.map(|p| base.join(p).expect("url").to_string());
        if r["final_url"].as_str() != final_url.as_deref() {
            return Err(format!(
                "{}: final_url {}, expected {final_url:?}",
                f.path, r["final_url"]
            ));
        }
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    match peak_mib(&stderr) {
        Some(mib) if mib < max_mib => Ok(()),
        other => Err(format!(
            "peak memory {other:?} MiB, expected under {max_mib:.1}"
        )),
    }
}

/// A slow synthetic site: a crawl of it takes far longer than any test waits.
fn slow_site() -> Server {
    common::synthetic(2000, 2, Duration::from_millis(300), false)
}

/// Checks a crawl that was stopped: every line a record, each URL once, some finished and
/// some `cancelled`, and the totals line on stderr counting every line.
fn stopped_crawl(out: &Output, status: i32, why: &str, at_least: usize) -> Result<(), String> {
    if out.status.code() != Some(status) {
        return Err(format!("exit {:?}, expected {status}", out.status.code()));
    }
    let got = records(out)?;
    let cancelled = got.values().filter(|r| kind(r) == "cancelled").count();
    let finished = got.len() - cancelled;
    if finished < at_least || cancelled == 0 {
        return Err(format!(
            "{finished} finished and {cancelled} cancelled records"
        ));
    }
    // The synthetic site links to a few missing pages on purpose: those are `status`.
    if let Some(r) = got
        .values()
        .find(|r| !matches!(kind(r), "ok" | "status" | "cancelled"))
    {
        return Err(format!("unexpected record {r}"));
    }
    let stderr = String::from_utf8_lossy(&out.stderr);
    let totals = format!("{} URLs from", got.len());
    if !stderr.contains(&totals) || !stderr.contains(why) {
        return Err(format!("stderr lacks '{totals}' or '{why}'"));
    }
    Ok(())
}

/// Ctrl-C: the crawl stops taking URLs, keeps every record it finished (already on stdout,
/// a line each), records what was in flight as `cancelled`, prints its totals and exits 130.
/// The parent gets the signal alone, as `kill` sends it; it forwards it to the contestant.
#[cfg(unix)]
fn ctrl_c_keeps_every_finished_record(name: &str) {
    let Some(_) = ready(name) else { return };
    let site = slow_site();
    let url = site.base_url().to_string();
    let mut child = Killed(
        shootout()
            .args(["crawl", "--url", &url, "--contestant", name, "--json"])
            .args(["--max-pages", "2000", "-c", "4"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts"),
    );
    // Read lines as they come; at the sixth, press Ctrl-C.
    let mut stdout = BufReader::new(child.0.stdout.take().expect("piped"));
    let mut text = String::new();
    for _ in 0..6 {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        text.push_str(&line);
    }
    let pid = i32::try_from(child.0.id()).expect("pid fits");
    // SAFETY: sending a signal to our own child process.
    unsafe { libc::kill(pid, libc::SIGINT) };
    let _ = stdout.read_to_string(&mut text);
    let mut err = String::new();
    let _ = child
        .0
        .stderr
        .take()
        .expect("piped")
        .read_to_string(&mut err);
    let status = child.0.wait().expect("the crawl ends");
    let out = Output {
        status,
        stdout: text.into_bytes(),
        stderr: err.into_bytes(),
    };
    stopped_crawl(&out, 130, "stopped: interrupted (Ctrl-C)", 6)
        .unwrap_or_else(|e| panic!("{e}\n  stderr: {}", stderr(&out)));
}

/// `--deadline-s`: the same stop as Ctrl-C, on time, with exit status 0.
fn a_deadline_stops_the_crawl_and_keeps_what_finished(name: &str) {
    let Some(_) = ready(name) else { return };
    let site = slow_site();
    let url = site.base_url().to_string();
    let started = Instant::now();
    let out = crawl(
        &[
            "--contestant",
            name,
            "--url",
            &url,
            "--json",
            "--max-pages",
            "2000",
            "-c",
            "4",
            "--deadline-s",
            "2",
        ],
        Duration::from_secs(60),
    );
    // Generous: a crawl of the whole site would take minutes.
    assert!(
        started.elapsed() < Duration::from_secs(30),
        "{:?}",
        started.elapsed()
    );
    stopped_crawl(&out, 0, "stopped: the --deadline-s passed", 1)
        .unwrap_or_else(|e| panic!("{e}\n  stderr: {}", stderr(&out)));
}

/// A forward proxy for tests: plain http requests (absolute-form) are passed on with
/// `Connection: close`; CONNECT opens a tunnel. Counts the requests it handles.
fn start_proxy() -> (SocketAddr, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("proxy binds");
    let addr = listener.local_addr().expect("proxy address");
    let count = Arc::new(AtomicUsize::new(0));
    let counted = count.clone();
    std::thread::spawn(move || {
        for client in listener.incoming().flatten() {
            let counted = counted.clone();
            std::thread::spawn(move || {
                let _ = proxy_one(client, &counted);
            });
        }
    });
    (addr, count)
}

fn proxy_one(mut client: TcpStream, count: &AtomicUsize) -> std::io::Result<()> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        if client.read(&mut byte)? == 0 {
            return Ok(());
        }
        head.push(byte[0]);
    }
    count.fetch_add(1, Ordering::SeqCst);
    let text = String::from_utf8_lossy(&head).into_owned();
    let mut lines = text.lines();
    let first: Vec<&str> = lines
        .next()
        .unwrap_or_default()
        .split_whitespace()
        .collect();
    let (method, target) = (
        first.first().copied().unwrap_or(""),
        first.get(1).copied().unwrap_or(""),
    );
    let mut upstream;
    if method == "CONNECT" {
        upstream = TcpStream::connect(target)?;
        client.write_all(b"HTTP/1.1 200 Connection established\r\n\r\n")?;
    } else {
        let url = url::Url::parse(target).map_err(std::io::Error::other)?;
        let host = format!(
            "{}:{}",
            url.host_str().unwrap_or(""),
            url.port_or_known_default().unwrap_or(80)
        );
        upstream = TcpStream::connect(host)?;
        let mut request = format!(
            "{method} {} HTTP/1.1\r\n",
            &url[url::Position::BeforePath..]
        );
        for l in lines.filter(|l| !l.is_empty()) {
            if !l.to_ascii_lowercase().starts_with("connection") {
                request.push_str(l);
                request.push_str("\r\n");
            }
        }
        request.push_str("Connection: close\r\n\r\n");
        upstream.write_all(request.as_bytes())?;
    }
    let (mut up_read, mut client_write) = (upstream.try_clone()?, client.try_clone()?);
    let back = std::thread::spawn(move || {
        let _ = std::io::copy(&mut up_read, &mut client_write);
        let _ = client_write.shutdown(std::net::Shutdown::Write);
    });
    let _ = std::io::copy(&mut client, &mut upstream);
    let _ = upstream.shutdown(std::net::Shutdown::Write);
    let _ = back.join();
    Ok(())
}

/// `--proxy`: every request goes through it, http and https (CONNECT) alike, in both engines;
/// a proxy that is down is a `connect` error naming it, not a silent direct connection. A
/// contestant that does not honour a proxy refuses the flag in one line, before any request.
fn goes_through_the_proxy_it_is_given(name: &str) {
    let Some(c) = ready(name) else { return };
    let (proxy, count) = start_proxy();
    let proxy_url = format!("http://{proxy}");
    let plain = FaultSite::start(0, false).expect("site starts");
    if c.refuses().contains(&NetSetting::Proxy) {
        let out = crawl(
            &[
                "--contestant",
                name,
                "--url",
                plain.base_url().as_str(),
                "--proxy",
                &proxy_url,
            ],
            Duration::from_secs(60),
        );
        let err = stderr(&out);
        assert!(
            !out.status.success() && err.contains("--proxy is not supported"),
            "{err}"
        );
        assert_eq!(err.lines().count(), 1, "{err}");
        assert_eq!(
            count.load(Ordering::SeqCst),
            0,
            "a refused crawl sent a request"
        );
        return;
    }
    let tls = FaultSite::start(0, true).expect("site starts");
    let ca = TempFile::with(&format!("proxy-ca-{name}.pem"), tls.ca_pem().expect("a CA"));
    for (site, extra) in [(&plain, vec![]), (&tls, vec!["--ca-cert", ca.path()])] {
        let before = count.load(Ordering::SeqCst);
        let ok = site.base_url().join("/ok").expect("url");
        let mut args = vec![
            "--contestant",
            name,
            "--url",
            ok.as_str(),
            "--proxy",
            &proxy_url,
            "--json",
        ];
        args.extend(extra.iter().copied());
        let out = crawl_ok(&args);
        let got = records(&out).expect("records");
        assert_eq!(
            got.get(ok.as_str()).map(|r| &r["title"]),
            Some(&Value::from("ok")),
            "{got:?}"
        );
        // robots.txt and the page.
        let through = count.load(Ordering::SeqCst) - before;
        assert!(through >= 2, "{through} requests went through the proxy");
    }
    let down = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let dead = format!("http://{down}");
    let out = crawl(
        &[
            "--contestant",
            name,
            "--url",
            plain.base_url().as_str(),
            "--proxy",
            &dead,
            "--ignore-robots",
        ],
        Duration::from_secs(60),
    );
    let err = stderr(&out);
    assert!(
        !out.status.success()
            && err.contains("connect: ")
            && err.contains(&down.port().to_string()),
        "a proxy that is down must fail the crawl, naming the proxy: {err}"
    );
}

/// A site of `files` (path, bytes) in a fresh temporary directory, served by `serve --dir`'s
/// server; the directory goes when this is dropped.
struct DiskSite {
    dir: std::path::PathBuf,
    server: Server,
}

impl DiskSite {
    fn new(name: &str, files: &[(&str, &[u8])]) -> DiskSite {
        let dir = std::env::temp_dir().join(format!("shootout-cli-{name}-{}", std::process::id()));
        for (path, bytes) in files {
            let file = dir.join(path);
            std::fs::create_dir_all(file.parent().expect("a file is in a directory"))
                .expect("mkdir");
            std::fs::write(file, bytes).expect("write");
        }
        let server = Server::start(ServerConfig {
            content: Content::Dir(dir.clone()),
            ..ServerConfig::default()
        })
        .expect("server starts");
        DiskSite { dir, server }
    }

    /// The records of `shootout crawl --json` of the site with `name`.
    fn crawl(&self, name: &str) -> Vec<Value> {
        let url = self.server.base_url().to_string();
        let out = crawl_ok(&["--url", &url, "--json", "--contestant", name]);
        records(&out).expect("records").into_values().collect()
    }

    /// Each record's URL path (relative to the site's root) and status, sorted.
    fn paths_and_statuses(&self, records: &[Value]) -> Vec<(String, Option<u64>)> {
        let url = self.server.base_url().to_string();
        let mut got: Vec<(String, Option<u64>)> = records
            .iter()
            .map(|v| {
                let path = v["url"].as_str().expect("url").trim_start_matches(&url);
                (path.to_owned(), v["status"].as_u64())
            })
            .collect();
        got.sort();
        got
    }
}

impl Drop for DiskSite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn crawls_a_site_served_from_disk(name: &str) {
    let Some(_) = ready(name) else { return };
    let site = DiskSite::new(
        &format!("crawl-{name}"),
        &[
            (
                "index.html",
                br#"<title>Home</title><a href="docs/">docs</a><a href="/gone.html">gone</a><a href="https://elsewhere.invalid/">x</a>"#,
            ),
            (
                "docs/index.html",
                br#"<title>Docs</title><a href="../">up</a><a href="notes.txt">n</a>"#,
            ),
            ("docs/notes.txt", b"plain text"),
        ],
    );
    let want = [
        (String::new(), Some(200)),
        ("docs/".to_owned(), Some(200)),
        ("docs/notes.txt".to_owned(), Some(200)),
        ("gone.html".to_owned(), Some(404)),
    ];
    assert_eq!(site.paths_and_statuses(&site.crawl(name)), want);
}

/// Pages in legacy encodings get their titles right: the charset comes from the page's
/// `<meta>` when the server does not name one.
fn legacy_charsets_are_decoded(name: &str) {
    let Some(_) = real_site(name) else { return };
    let site = DiskSite::new(
        &format!("charset-{name}"),
        &[
            (
                "index.html",
                br#"<meta charset="utf-8"><title>Index</title><a href="latin1.html">l</a><a href="cp1252.html">c</a>"#,
            ),
            (
                "latin1.html",
                b"<meta charset=\"iso-8859-1\"><title>Caf\xe9 na\xefve</title>",
            ),
            (
                "cp1252.html",
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=windows-1252\">\
                  <title>\x93quoted\x94 \x80</title>",
            ),
        ],
    );
    let mut titles: Vec<String> = site
        .crawl(name)
        .iter()
        .map(|v| v["title"].as_str().unwrap_or("").to_owned())
        .collect();
    titles.sort();
    assert_eq!(
        titles,
        ["Café naïve", "Index", "\u{201c}quoted\u{201d} \u{20ac}"]
    );
}

/// A page's `<base href>` decides where its relative links point.
fn base_href_is_honoured(name: &str) {
    let Some(_) = real_site(name) else { return };
    let site = DiskSite::new(
        &format!("base-{name}"),
        &[
            (
                "index.html",
                br##"<base href="/docs/"><title>Index</title><a href="page.html">p</a><a href="#top">t</a>"##,
            ),
            ("docs/page.html", b"<title>Page</title>"),
            ("docs/index.html", b"<title>Docs</title>"),
        ],
    );
    // `page.html` is /docs/page.html, and `#top` is the base document, /docs/.
    let want = [
        (String::new(), Some(200)),
        ("docs/".to_owned(), Some(200)),
        ("docs/page.html".to_owned(), Some(200)),
    ];
    assert_eq!(site.paths_and_statuses(&site.crawl(name)), want);
}

/// The records of `shootout crawl --json` with one contestant and strategy, sorted by URL.
fn crawl_records(url: &str, contestant: &str, extract: &str) -> Vec<Value> {
    let out = crawl_ok(&[
        "--url",
        url,
        "--json",
        "--max-pages",
        "1000",
        "--contestant",
        contestant,
        "--extract",
        extract,
    ]);
    let mut records: Vec<Value> = records(&out)
        .expect("records")
        .into_values()
        .map(untimed)
        .collect();
    records.sort_by(|a, b| a["url"].as_str().cmp(&b["url"].as_str()));
    records
}

/// A record without its latency, which differs from run to run; a record of a page that got
/// a response must have had one (`{"body_us", "ready_us"}`, the body no later than the
/// record).
fn untimed(mut record: Value) -> Value {
    if record["status"].is_number() {
        let l = &record["latency"];
        let (body, ready) = (l["body_us"].as_u64(), l["ready_us"].as_u64());
        assert!(
            body.zip(ready).is_some_and(|(b, r)| b <= r),
            "a fetched page's record has its latency: {record}"
        );
    }
    if let Some(fields) = record.as_object_mut() {
        fields.remove("latency");
    }
    record
}

/// A crawl finds the same pages, titles and links whether it tokenises or builds a DOM (a
/// program with a parser of its own has no strategies to compare); and the comparison can
/// fail: the naive scan follows links hidden in scripts and comments.
fn crawl_records_are_the_same_with_every_sound_strategy(name: &str) {
    let Some(c) = ready(name) else { return };
    if c.parser().is_some() {
        common::skip(
            name,
            "it parses with its own library, whatever --extract says",
        );
        return;
    }
    let srv = common::synthetic(30, 4, Duration::ZERO, false);
    let url = srv.base_url().to_string();
    let tokenize = crawl_records(&url, name, "tokenize");
    assert!(tokenize.len() > 30, "{} records", tokenize.len());
    assert_eq!(tokenize, crawl_records(&url, name, "dom"));
    assert_eq!(tokenize, crawl_records(&url, name, "stream"));
    assert_ne!(tokenize, crawl_records(&url, name, "naive"));
}

/// `shootout crawl --json` prints the very lines with every contestant, Python ones included:
/// the same records, in the same form (the command writes what it reads from the child), but
/// for each request's latency, which is its own.
fn prints_the_same_records_as_tokio(name: &str) {
    let Some(_) = ready(name) else { return };
    let srv = common::synthetic(24, 8, Duration::from_millis(5), false);
    let url = srv.base_url().to_string();
    let lines = |contestant: &str| -> std::collections::BTreeSet<String> {
        let out = crawl_ok(&["--url", &url, "--contestant", contestant, "--json"]);
        let err = stderr(&out);
        assert!(
            err.contains(&format!("with {contestant}")),
            "no totals line: {err}"
        );
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .map(|l| {
                let record: Value = serde_json::from_str(l).expect("each line is JSON");
                untimed(record).to_string()
            })
            .collect()
    };
    let tokio = lines("tokio");
    assert!(
        tokio.len() > 24,
        "the crawl finds the whole site: {}",
        tokio.len()
    );
    let mine = lines(name);
    assert_eq!(
        mine,
        tokio,
        "{} lines, {} differ from tokio's",
        mine.len(),
        mine.symmetric_difference(&tokio).count()
    );
}

/// `--user-agent` is what the server sees.
fn sends_the_user_agent_it_is_given(name: &str) {
    let Some(_) = ready(name) else { return };
    let site = FaultSite::start(0, false).expect("site starts");
    let whoami = site.base_url().join("/whoami").expect("url").to_string();
    let agent = "tester/9.9 (+https://example.invalid)";
    let out = crawl_ok(&[
        "--contestant",
        name,
        "--url",
        &whoami,
        "--user-agent",
        agent,
        "--json",
    ]);
    let got = records(&out).expect("records");
    assert_eq!(
        got.get(&whoami).map(|r| &r["title"]),
        Some(&Value::from(agent))
    );
}

/// The politeness flags: the user agent is what robots.txt is matched against;
/// `--ignore-robots` fetches what robots.txt forbids; `--max-redirects 0`
/// records the 3xx; `--delay-ms` spaces requests; depth and prefix bound the crawl.
#[test]
fn politeness_and_scope_flags_do_what_they_say() {
    let site = FaultSite::start(0, false).expect("site starts");
    let base = site.base_url();
    let url = |p: &str| base.join(p).expect("url").to_string();
    let run = |args: &[&str]| -> (Output, HashMap<String, Value>) {
        let out = shootout()
            .arg("crawl")
            .args(args)
            .output()
            .expect("the binary runs");
        let got = records(&out).unwrap_or_default();
        (out, got)
    };
    let (out, _) = run(&["--url", base.as_str(), "--user-agent", "pickybot/1.0"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("disallows /") && err.contains("--ignore-robots"),
        "{err}"
    );

    // A Crawl-delay longer than --delay-ms wins: two requests (a redirect and its target),
    // a second apart.
    let hop = url("/redirect/chain/3");
    let started = Instant::now();
    let (out, got) = run(&["--url", &hop, "--user-agent", "slowbot/2", "--json"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("robots.txt asks for Crawl-delay: 1.0 s"),
        "{err}"
    );
    assert_eq!(got[&hop]["title"], "ok");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    let secret = url("/private/secret");
    let (_, got) = run(&[
        "--url",
        base.as_str(),
        "--ignore-robots",
        "--json",
        "--timeout-ms",
        "2000",
        "--max-body",
        "4194304",
    ]);
    assert_eq!(got[&secret]["title"], "you should not be here");

    for engine in ["sequential", "tokio"] {
        let chain = url("/redirect/chain");
        let (_, got) = run(&[
            "--url",
            &chain,
            "--max-redirects",
            "0",
            "--json",
            "--contestant",
            engine,
        ]);
        assert_eq!(
            (kind(&got[&chain]), &got[&chain]["status"]),
            ("status", &Value::from(301)),
            "{engine}"
        );
    }

    let slow = common::synthetic(50, 2, Duration::ZERO, false);
    let root = slow.base_url().to_string();
    for engine in ["sequential", "tokio"] {
        let started = Instant::now();
        let (out, got) = run(&[
            "--url",
            &root,
            "--max-pages",
            "6",
            "-c",
            "6",
            "--delay-ms",
            "200",
            "--json",
            "--contestant",
            engine,
        ]);
        assert!(
            out.status.success() && got.len() == 6,
            "{engine}: {}",
            got.len()
        );
        // Six requests to one host, 200 ms apart (plus robots.txt): at least a second.
        assert!(
            started.elapsed() >= Duration::from_millis(1000),
            "{engine}: {:?}",
            started.elapsed()
        );

        let (_, got) = run(&[
            "--url",
            &root,
            "--max-depth",
            "0",
            "--json",
            "--contestant",
            engine,
        ]);
        assert_eq!(got.len(), 1, "{engine}: depth 0 is the root alone");
        let (_, got) = run(&[
            "--url",
            &root,
            "--prefix",
            "/page/1",
            "--json",
            "--contestant",
            engine,
        ]);
        assert!(got.len() > 1, "{engine}");
        assert!(
            got.keys()
                .all(|u| *u == root || u.starts_with(&format!("{root}page/1"))),
            "{engine}: {:?}",
            got.keys()
        );
    }
}

/// Bad values of the network flags: one line naming the flag (clap's, from the checks in
/// src/flags.rs), and no request at all.
#[test]
fn bad_network_flags_are_refused_before_any_request() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    let not_pem = TempFile::with("not-a-cert.pem", "hello\n");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--ca-cert", "/definitely/not/here.pem"],
            "'--ca-cert <PEM>': cannot read it",
        ),
        (&["--ca-cert", not_pem.path()], "no certificate in it"),
        (&["--delay-ms", "-5"], "'--delay-ms <MS>'"),
        (
            &["--delay-ms", "600000"],
            "'--delay-ms <MS>': 600000 is over the limit of 60000",
        ),
        (
            &["--proxy", "socks5://127.0.0.1:1080"],
            "'--proxy <URL>': unknown proxy scheme 'socks5'",
        ),
        (
            &["--proxy", "not a url"],
            "'--proxy <URL>': 'not a url' is not a URL",
        ),
        (
            &["--max-redirects", "101"],
            "'--max-redirects <N>': 101 is over the limit of 100",
        ),
        (&["--max-redirects", "-1"], "'--max-redirects <N>'"),
        (
            &["--user-agent", ""],
            "'--user-agent <AGENT>': '' must be non-empty printable ASCII",
        ),
        (
            &["--prefix", "docs/"],
            "'--prefix <PATH>': 'docs/' must be a path starting with '/'",
        ),
        (
            &["--deadline-s", "0"],
            "'--deadline-s <SECONDS>': 0 must be more than 0",
        ),
        (&["--max-depth", "-1"], "'--max-depth <HOPS>'"),
    ];
    for (flags, says) in cases {
        let out = shootout()
            .args(["crawl", "--url", &url])
            .args(*flags)
            .output()
            .expect("the binary runs");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{flags:?} should fail");
        assert!(err.contains(says), "{flags:?}: {err:?}");
        assert_eq!(
            err.trim().lines().count(),
            1,
            "{flags:?}: one line, got {err:?}"
        );
    }
    assert!(
        listener.accept().is_err(),
        "a refused command sent a request"
    );
}

/// `--fetch-list` and `--scrape-list` (scripts/crawl-floor.sh): a crawl's own pages fetched
/// again without following a link. The scrape gives each page the crawl's very record; the
/// bare fetch the same status and size with nothing parsed; a list of bare URLs works too,
/// and bad lists are one line each.
#[test]
fn a_crawls_pages_fetched_again_give_its_records() {
    let srv = common::synthetic(30, 4, Duration::ZERO, false);
    let url = srv.base_url().to_string();
    let crawled = crawl_ok(&["--url", &url, "--contestant", "tokio", "--json"]);
    let want = records(&crawled).expect("the crawl's records");
    assert!(want.len() > 30, "the crawl finds the site: {}", want.len());
    let fetched_urls = want.values().filter(|r| r["status"].is_number()).count();
    let list = std::env::temp_dir().join(format!("shootout-crawl-list-{}", std::process::id()));
    std::fs::write(&list, &crawled.stdout).expect("write the list");
    let list_arg = list.to_str().expect("a UTF-8 temporary path");

    for contestant in ["tokio", "sequential"] {
        let scraped = crawl_ok(&[
            "--url",
            &url,
            "--contestant",
            contestant,
            "--scrape-list",
            list_arg,
            "--json",
        ]);
        let got = records(&scraped).expect("the scrape's records");
        assert_eq!(
            got.len(),
            fetched_urls,
            "{contestant}: one record a listed URL"
        );
        for (u, r) in &got {
            assert_eq!(untimed(r.clone()), untimed(want[u].clone()), "{contestant}");
        }
        let fetched = crawl_ok(&[
            "--url",
            &url,
            "--contestant",
            contestant,
            "--fetch-list",
            list_arg,
            "--json",
        ]);
        let got = records(&fetched).expect("the fetch's records");
        assert_eq!(got.len(), fetched_urls, "{contestant}");
        for (u, r) in &got {
            let w = &want[u];
            assert_eq!(
                (&r["status"], &r["size"]),
                (&w["status"], &w["size"]),
                "{u}"
            );
            assert_eq!(
                (&r["title"], &r["links"]),
                (&Value::Null, &Value::from(0)),
                "{u}"
            );
        }
        assert!(stderr(&fetched).contains(&format!("{fetched_urls} URLs from")));
    }

    // A list of bare URLs, one repeated: each is fetched once.
    std::fs::write(&list, format!("{url}page/1\n\n{url}page/2\n{url}page/1\n")).expect("write");
    let two = crawl_ok(&["--url", &url, "--fetch-list", list_arg, "--json"]);
    assert_eq!(records(&two).expect("records").len(), 2);

    std::fs::write(&list, "not a url\n").expect("write");
    for (args, says) in [
        (vec!["--fetch-list", list_arg], "line 1"),
        (
            vec!["--scrape-list", "/nonexistent/list"],
            "cannot read the URL list",
        ),
        (
            vec!["--fetch-list", list_arg, "--max-depth", "1"],
            "cannot be used with",
        ),
    ] {
        let out = crawl(
            &[&["--url", url.as_str()][..], &args[..]].concat(),
            Duration::from_secs(60),
        );
        let err = stderr(&out);
        assert!(!out.status.success(), "{args:?}");
        assert!(err.contains(says), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    }
    std::fs::remove_file(&list).expect("remove the list");
}
