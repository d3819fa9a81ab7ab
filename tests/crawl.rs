//! `shootout crawl` pointed at the kinds of site the real world has: one that fails in every
//! way it can (the fault site), https, a proxy, robots.txt, redirects, a slow site stopped by
//! Ctrl-C or a deadline. Each test runs the binary as a user does, once per contestant (all
//! at once, each in its own process), so a new contestant is covered by registering it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde_json::Value;
use shootout_core::Strategy;
use shootout_lab::registry::CONTESTANTS;
use shootout_site::{Content, FAULTS, FaultSite, Server, ServerConfig, SiteSpec};

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

/// Runs `crawl` with `args` for every contestant at once, each in its own process, and returns
/// each one's output. One that is still running after `patience` is killed and reported as
/// hung: a crawl must end however the site behaves.
fn crawl_all(args: &[&str], patience: Duration) -> Vec<(&'static str, Result<Output, String>)> {
    crawl_each(
        CONTESTANTS.iter().map(|c| {
            let mut own = vec!["--contestant", c.name()];
            own.extend_from_slice(args);
            (c.name(), own)
        }),
        patience,
    )
}

/// [`crawl_all`] for any set of runs: `crawl` with each one's args, all at once, each output
/// under its name, and each still running after `patience` killed and reported as hung.
fn crawl_each<'a>(
    runs: impl IntoIterator<Item = (&'static str, Vec<&'a str>)>,
    patience: Duration,
) -> Vec<(&'static str, Result<Output, String>)> {
    let (tx, rx) = mpsc::channel();
    let mut pids = HashMap::new();
    for (name, args) in runs {
        let child = shootout()
            .arg("crawl")
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        pids.insert(name, child.id());
        let tx = tx.clone();
        std::thread::spawn(move || {
            let _ = tx.send((name, child.wait_with_output()));
        });
    }
    drop(tx);
    let started = pids.len();
    let deadline = Instant::now() + patience;
    let mut results = Vec::new();
    while results.len() < started {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok((name, out)) => {
                pids.remove(name);
                results.push((name, out.map_err(|e| e.to_string())));
            }
            Err(_) => break,
        }
    }
    for (name, pid) in pids {
        // SAFETY: killing our own child process.
        unsafe { libc::kill(i32::try_from(pid).expect("pid fits"), libc::SIGKILL) };
        results.push((name, Err(format!("hung: still running after {patience:?}"))));
    }
    results.sort_by_key(|(n, _)| *n);
    results
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

/// Collects every contestant's problem, then fails once with all of them.
fn all_pass(
    results: Vec<(&'static str, Result<Output, String>)>,
    check: impl Fn(&Output) -> Result<(), String>,
) {
    let failures: Vec<String> = results
        .into_iter()
        .filter_map(|(name, out)| {
            out.and_then(|o| {
                check(&o).map_err(|e| {
                    format!(
                        "{e}\n  stderr: {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    )
                })
            })
            .err()
            .map(|e| format!("{name}: {e}"))
        })
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Checks a crawl of the fault site: one record per linked URL, each of the kind, title and
/// final URL [`FAULTS`] says, under 45 MiB.
fn fault_site_records(out: &Output, base: &url::Url) -> Result<(), String> {
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
        Some(mib) if mib < 45.0 => Ok(()),
        other => Err(format!("peak memory {other:?} MiB, expected under 45")),
    }
}

/// Flags for every fault-site crawl: a 3 s timeout for /hang, and a 4 MiB body cap, so the
/// two 200 MiB bodies are refused early (the cap is what bounds memory).
const FAULT_FLAGS: [&str; 5] = ["--json", "--timeout-ms", "3000", "--max-body", "4194304"];

#[test]
fn the_fault_site_gives_one_typed_record_per_url_from_every_contestant() {
    let site = FaultSite::start(0, false).expect("fault site starts");
    let base = site.base_url();
    // The default strategy, tokenize. With dom, html5ever needs time quadratic in nesting
    // depth for /soup: 1.3 s of CPU in a release build, 31 s in this debug one
    // (docs/results.md), too long to run for every contestant here; the test below runs
    // every strategy with one.
    let mut args = vec!["--url", base.as_str()];
    args.extend(FAULT_FLAGS);
    all_pass(crawl_all(&args, Duration::from_secs(60)), |out| {
        fault_site_records(out, &base)
    });
}

/// Every strategy against the fault site, with one contestant: each must give the same one
/// typed record per URL, in the same memory. (The deep nesting of /soup, the 32 MiB
/// attribute of /huge-attr and the 200 MiB bodies stall no strategy.) The strategies run at
/// once, as separate processes; `dom` is the slow one (about 31 s in a debug build).
#[test]
fn the_fault_site_gives_the_same_records_with_every_strategy() {
    let site = FaultSite::start(0, false).expect("fault site starts");
    let base = site.base_url();
    let runs = Strategy::ALL.iter().map(|s| {
        let mut args = vec!["--contestant", "sequential", "--url", base.as_str()];
        args.extend(["--extract", s.name()]);
        args.extend(FAULT_FLAGS);
        (s.name(), args)
    });
    all_pass(crawl_each(runs, Duration::from_secs(120)), |out| {
        fault_site_records(out, &base)
    });
}

#[test]
fn the_fault_site_over_https_gives_the_same_records() {
    let site = FaultSite::start(0, true).expect("fault site starts");
    let base = site.base_url();
    let ca = TempFile::with("fault-ca.pem", site.ca_pem().expect("a CA with tls"));
    let mut args = vec!["--url", base.as_str(), "--ca-cert", ca.path()];
    args.extend(FAULT_FLAGS);
    all_pass(crawl_all(&args, Duration::from_secs(60)), |out| {
        fault_site_records(out, &base)
    });
}

/// `shootout serve --tls` and `crawl --ca-cert` as a user runs them: every contestant crawls
/// the whole site, the same pages with the same titles; without the CA, the crawl is refused
/// with a `tls` error. (tests/contestants.rs checks https crawls against ground truth.)
#[test]
fn serve_tls_is_crawled_by_every_contestant_with_its_ca() {
    let cert = TempFile::with("serve-ca.pem", "");
    let mut server = Killed(
        shootout()
            .args([
                "serve", "--tls", "--port", "0", "-n", "20", "-l", "0", "-s", "2",
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

    let results = crawl_all(
        &["--url", &url, "--ca-cert", cert.path(), "--json"],
        Duration::from_secs(60),
    );
    let reference = results
        .iter()
        .find(|(n, _)| *n == "sequential")
        .and_then(|(_, o)| o.as_ref().ok())
        .map(|o| records(o).expect("sequential's records"))
        .expect("sequential ran");
    // The whole site: 20 pages, the index, and the few missing pages it links to on purpose.
    assert!(reference.len() > 20, "the whole site: {}", reference.len());
    assert!(reference.values().any(|r| kind(r) == "ok"));
    all_pass(results, |out| {
        let got = records(out)?;
        if !out.status.success() || got.len() != reference.len() {
            return Err(format!(
                "exit {}, {} records, expected {}",
                out.status,
                got.len(),
                reference.len()
            ));
        }
        for (url, r) in &got {
            let want = reference
                .get(url)
                .ok_or(format!("{url} is not on the site"))?;
            if kind(r) != kind(want) || r["title"] != want["title"] || r["links"] != want["links"] {
                return Err(format!("{r}, expected {want}"));
            }
        }
        Ok(())
    });

    let untrusted = shootout()
        .args(["crawl", "--url", &url, "--contestant", "tokio"])
        .output()
        .expect("the binary runs");
    let err = String::from_utf8_lossy(&untrusted.stderr);
    assert!(!untrusted.status.success());
    assert!(
        err.contains("cannot crawl") && err.contains("tls: "),
        "{err}"
    );
}

/// A slow synthetic site: a crawl of it takes far longer than any test waits.
fn slow_site() -> Server {
    Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 2000,
            page_kb: 2,
            seed: 5,
            quirks: false,
        }),
        latency: Duration::from_millis(300),
        threads: 2,
        ..ServerConfig::default()
    })
    .expect("test server starts")
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
#[cfg(unix)]
#[test]
fn ctrl_c_keeps_every_finished_record() {
    let site = slow_site();
    let url = site.base_url().to_string();
    let (tx, rx) = mpsc::channel();
    for c in CONTESTANTS {
        let mut child: Child = shootout()
            .args(["crawl", "--url", &url, "--contestant", c.name(), "--json"])
            .args(["--max-pages", "2000", "-c", "4"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary starts");
        let tx = tx.clone();
        let name = c.name();
        std::thread::spawn(move || {
            // Read lines as they come; at the sixth, press Ctrl-C.
            let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
            let mut text = String::new();
            let mut seen = 0;
            while seen < 6 {
                let mut line = String::new();
                if stdout.read_line(&mut line).unwrap_or(0) == 0 {
                    break;
                }
                text.push_str(&line);
                seen += 1;
            }
            let pid = i32::try_from(child.id()).expect("pid fits");
            // SAFETY: sending a signal to our own child process.
            unsafe { libc::kill(pid, libc::SIGINT) };
            let _ = stdout.read_to_string(&mut text);
            let mut out = child.wait_with_output().expect("the crawl ends");
            out.stdout = text.into_bytes();
            let _ = tx.send((name, out));
        });
    }
    drop(tx);
    let results: Vec<_> = rx
        .iter()
        .take(CONTESTANTS.len())
        .map(|(n, o)| (n, Ok(o)))
        .collect();
    assert_eq!(results.len(), CONTESTANTS.len(), "every crawl ended");
    all_pass(results, |out| {
        stopped_crawl(out, 130, "stopped: interrupted (Ctrl-C)", 6)
    });
}

/// `--deadline-s`: the same stop as Ctrl-C, on time, with exit status 0.
#[test]
fn a_deadline_stops_the_crawl_and_keeps_what_finished() {
    let site = slow_site();
    let url = site.base_url().to_string();
    let started = Instant::now();
    let results = crawl_all(
        &[
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
    all_pass(results, |out| {
        stopped_crawl(out, 0, "stopped: the --deadline-s passed", 1)
    });
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
/// a proxy that is down is a `connect` error naming it, not a silent direct connection.
#[test]
fn every_contestant_goes_through_the_proxy_it_is_given() {
    let (proxy, count) = start_proxy();
    let proxy_url = format!("http://{proxy}");
    let plain = FaultSite::start(0, false).expect("site starts");
    let tls = FaultSite::start(0, true).expect("site starts");
    let ca = TempFile::with("proxy-ca.pem", tls.ca_pem().expect("a CA"));
    for (site, extra) in [(&plain, vec![]), (&tls, vec!["--ca-cert", ca.path()])] {
        let before = count.load(Ordering::SeqCst);
        let ok = site.base_url().join("/ok").expect("url");
        let mut args = vec!["--url", ok.as_str(), "--proxy", &proxy_url, "--json"];
        args.extend(extra.iter().copied());
        all_pass(crawl_all(&args, Duration::from_secs(60)), |out| {
            let got = records(out)?;
            match got.get(ok.as_str()) {
                Some(r) if out.status.success() && r["title"] == "ok" => Ok(()),
                other => Err(format!("exit {}, record {other:?}", out.status)),
            }
        });
        // robots.txt and the page, for each of the nine.
        let through = count.load(Ordering::SeqCst) - before;
        assert!(
            through >= 2 * CONTESTANTS.len(),
            "{through} requests went through the proxy"
        );
    }
    let down = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port");
    let root = plain.base_url();
    let dead = format!("http://{down}");
    all_pass(
        crawl_all(
            &["--url", root.as_str(), "--proxy", &dead, "--ignore-robots"],
            Duration::from_secs(60),
        ),
        |out| {
            let err = String::from_utf8_lossy(&out.stderr);
            if out.status.success()
                || !err.contains("connect: ")
                || !err.contains(&down.port().to_string())
            {
                return Err("a proxy that is down must fail the crawl, naming the proxy".into());
            }
            Ok(())
        },
    );
}

/// The politeness flags: the user agent is what the server sees and what robots.txt is
/// matched against; `--ignore-robots` fetches what robots.txt forbids; `--max-redirects 0`
/// records the 3xx; `--delay-ms` spaces requests; depth and prefix bound the crawl.
#[test]
fn politeness_and_scope_flags_do_what_they_say() {
    let site = FaultSite::start(0, false).expect("site starts");
    let base = site.base_url();
    let url = |p: &str| base.join(p).expect("url").to_string();
    let whoami = url("/whoami");
    all_pass(
        crawl_all(
            &[
                "--url",
                &whoami,
                "--user-agent",
                "tester/9.9 (+https://example.invalid)",
                "--json",
            ],
            Duration::from_secs(60),
        ),
        |out| match records(out)?.get(&whoami) {
            Some(r) if r["title"] == "tester/9.9 (+https://example.invalid)" => Ok(()),
            other => Err(format!("{other:?}")),
        },
    );

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

    let slow = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 50,
            page_kb: 2,
            seed: 1,
            quirks: false,
        }),
        ..ServerConfig::default()
    })
    .expect("site starts");
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

/// Bad values of the network flags: one line naming the flag, and no request at all.
#[test]
fn bad_network_flags_are_refused_before_any_request() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("binds");
    listener.set_nonblocking(true).expect("nonblocking");
    let url = format!("http://{}/", listener.local_addr().expect("addr"));
    let not_pem = TempFile::with("not-a-cert.pem", "hello\n");
    let cases: &[(&[&str], &str)] = &[
        (
            &["--ca-cert", "/definitely/not/here.pem"],
            "--ca-cert /definitely/not/here.pem: cannot read it",
        ),
        (&["--ca-cert", not_pem.path()], "no certificate in it"),
        (&["--delay-ms", "-5"], "'--delay-ms <MS>'"),
        (
            &["--delay-ms", "600000"],
            "--delay-ms: 600000 is over the limit of 60000",
        ),
        (
            &["--proxy", "socks5://127.0.0.1:1080"],
            "--proxy: unknown proxy scheme 'socks5'",
        ),
        (
            &["--proxy", "not a url"],
            "--proxy: 'not a url' is not a URL",
        ),
        (
            &["--max-redirects", "101"],
            "--max-redirects: 101 is over the limit of 100",
        ),
        (&["--max-redirects", "-1"], "'--max-redirects <N>'"),
        (
            &["--user-agent", ""],
            "--user-agent: '' must be non-empty printable ASCII",
        ),
        (
            &["--prefix", "docs/"],
            "--prefix 'docs/' must be a path starting with '/'",
        ),
        (&["--deadline-s", "0"], "--deadline-s 0 must be more than 0"),
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
