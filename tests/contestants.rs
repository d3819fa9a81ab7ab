//! One test body, run against every registered contestant (each its own `#[test]`:
//! `cargo test --test contestants contestants::smol::` runs smol's alone).
//!
//! Every body runs its contestant as the harness does: a child process on the one protocol,
//! Rust or Python alike. A new contestant is covered by adding it to the registry and to the
//! list in tests/common/mod.rs.

#[macro_use]
mod common;

use std::time::Duration;

use shootout_core::job::Job;
use shootout_core::knobs::Shape;
use shootout_core::latency::{self, Tail};
use shootout_core::load::Load;
use shootout_core::pitfall::Offload;
use shootout_core::verify::{Expectation, verify};
use shootout_core::{FetchError, Knobs, Net, PageRecord, Scenario, Strategy};
use shootout_lab::harness::{self, ChildRun, Entry, Workdir};
use shootout_site::Server;
use url::Url;

use common::{ready, run_as};

per_contestant!(
    sleep_matches_ground_truth,
    download_matches_ground_truth,
    scrape_matches_ground_truth,
    parse_matches_ground_truth,
    crawl_finds_exactly_the_reachable_set_once,
    capped_crawl_stops_at_the_cap,
    https_crawl_matches_ground_truth,
    every_failure_is_exactly_one_typed_record,
    large_bodies_arrive_whole,
    waits_overlap_as_far_as_the_contestant_allows,
    every_repetition_matches_ground_truth_and_connects_anew,
    pitfall_records_are_right_and_inline_parsing_lags_most,
    every_engine_fetches_an_ipv6_literal,
    open_loop_latency_runs_from_due_and_stays_near_l,
    a_stall_shows_in_every_open_loop_request_it_delays,
    heavy_pages_are_verified_at_their_weight,
    past_capacity_every_due_request_is_answered_or_refused_once,
    files_match_ground_truth_cold_and_warm_and_a_bad_path_is_its_record,
    written_files_read_back_right_with_and_without_fsync,
);

fn knobs(pages: usize, latency_ms: u64) -> Knobs {
    Knobs {
        pages,
        latency_ms,
        page_kb: 4,
        concurrency: 8,
        threads: 2,
        ..Knobs::default()
    }
}

fn server(k: &Knobs) -> Server {
    server_over(k, false)
}

/// The synthetic site for `k`, over https if `tls`.
fn server_over(k: &Knobs, tls: bool) -> Server {
    common::synthetic(k.pages, k.page_kb, k.latency(), tls)
}

/// The records of a run that must have ended with its closing line.
fn records(run: ChildRun, what: &str) -> Vec<PageRecord> {
    if let Err(e) = &run.end {
        panic!("{what}: {e}");
    }
    run.records
}

/// Checks `records` against `expected`, naming `what` on failure.
fn matches(records: &[PageRecord], expected: &Expectation, what: &str) {
    let verdict = verify(records, expected);
    assert!(verdict.ok(), "{what}: {verdict}");
}

/// The contestant, with each sound extraction strategy for scenarios that parse (a program
/// with its own parser runs once), yields exactly the ground truth.
fn matches_ground_truth(name: &str, scenario: Scenario, max_pages: usize) {
    let Some(c) = ready(name) else { return };
    let strategies: &[Strategy] = if scenario.parses() {
        &[Strategy::Dom, Strategy::Stream, Strategy::Tokenize]
    } else {
        &[Strategy::Tokenize]
    };
    let k = knobs(30, 2);
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let template = harness::site_job(site, scenario, &k, max_pages, &dir).expect("inputs");
    let expected = harness::expectation(site, scenario, &k, max_pages);
    for entry in harness::runs_for(scenario, &[c], strategies) {
        let what = format!("{name} {scenario} {}", entry.extract);
        let got = records(common::run(c, &entry.job(&template)), &what);
        matches(&got, &expected, &what);
    }
}

fn sleep_matches_ground_truth(name: &str) {
    matches_ground_truth(name, Scenario::Sleep, usize::MAX);
}

fn download_matches_ground_truth(name: &str) {
    matches_ground_truth(name, Scenario::Download, usize::MAX);
}

fn scrape_matches_ground_truth(name: &str) {
    matches_ground_truth(name, Scenario::Scrape, usize::MAX);
}

fn parse_matches_ground_truth(name: &str) {
    matches_ground_truth(name, Scenario::Parse, usize::MAX);
}

/// `files`, cold and warm as the rounds make them, through the contestant's own file API: every
/// file's size and checksum match the set's, and a path that is missing or is a directory is
/// that path's `io` record, never a panic or a lost record.
fn files_match_ground_truth_cold_and_warm_and_a_bad_path_is_its_record(name: &str) {
    let Some(c) = ready(name) else { return };
    if c.file_api().is_none() {
        return;
    }
    let k = knobs(40, 0);
    let srv = common::synthetic(0, k.page_kb, Duration::ZERO, false);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let mut template =
        harness::site_job(site, Scenario::Files, &k, usize::MAX, &dir).expect("inputs");
    let set = dir.files().expect("the job wrote its set of files");
    let mut expected = harness::files_truth(set).expectation;
    // Two paths that cannot be read whole: one that does not exist, and a directory.
    let missing = set.dir().join("not-there").to_string_lossy().into_owned();
    let a_dir = set.dir().to_string_lossy().into_owned();
    for bad in [&missing, &a_dir] {
        template
            .files
            .as_mut()
            .expect("a files job")
            .paths
            .push(bad.clone());
        expected.records.push(PageRecord::failed(
            bad.clone(),
            FetchError::Io(String::new()),
        ));
    }
    expected.count = expected.records.len();
    let entries = harness::runs_for(Scenario::Files, &[c], &[]);
    assert_eq!(entries.len(), 2, "{name} runs files cold and warm");
    for entry in entries {
        let cache = entry.cache.expect("a files entry names its cache state");
        if cache == shootout_core::files::Cache::Cold {
            set.evict().expect("evicted");
        }
        let what = format!("{name} files {cache}");
        let got = records(common::run(c, &entry.job(&template)), &what);
        matches(&got, &expected, &what);
    }
}

/// `write`, through the contestant's own file API, with and without fsync: every record is
/// the size and checksum of the bytes that file must hold, every file read back from the disk
/// holds them, and a path whose directory does not exist is that path's `io` record.
fn written_files_read_back_right_with_and_without_fsync(name: &str) {
    let Some(c) = ready(name) else { return };
    if c.file_api().is_none() {
        return;
    }
    let n = 30;
    for fsync in [false, true] {
        let k = Knobs {
            fsync,
            ..knobs(n, 0)
        };
        let srv = common::synthetic(0, k.page_kb, Duration::ZERO, false);
        let site = srv.site().expect("synthetic site");
        let dir = Workdir::new().expect("a directory for the inputs");
        let mut template =
            harness::site_job(site, Scenario::Write, &k, usize::MAX, &dir).expect("inputs");
        let set = dir.files().expect("the job wrote its source");
        let mut expected = harness::write_truth(set, n).expectation;
        let nowhere = set
            .dir()
            .join("no-such-dir/f")
            .to_string_lossy()
            .into_owned();
        template
            .files
            .as_mut()
            .expect("a write job")
            .paths
            .push(nowhere.clone());
        expected
            .records
            .push(PageRecord::failed(nowhere, FetchError::Io(String::new())));
        expected.count = expected.records.len();
        let entries = harness::runs_for(Scenario::Write, &[c], &[]);
        assert_eq!(entries.len(), 1, "{name} runs write once");
        for entry in entries {
            set.clear_writes_for(n)
                .expect("an empty directory to write into");
            let what = format!("{name} write, fsync {fsync}");
            let got = records(common::run(c, &entry.job(&template)), &what);
            matches(&got, &expected, &what);
            assert_eq!(set.check_writes(n), Vec::<String>::new(), "{what}: on disk");
        }
    }
}

/// `verify` rejects a URL recorded twice, an unknown URL and a missing one, so passing means
/// the reachable set exactly, each page fetched once.
fn crawl_finds_exactly_the_reachable_set_once(name: &str) {
    matches_ground_truth(name, Scenario::Crawl, usize::MAX);
}

fn capped_crawl_stops_at_the_cap(name: &str) {
    matches_ground_truth(name, Scenario::Crawl, 7);
}

/// The same crawl over https (a CA made by the server, trusted with `Net::ca_pem`, as
/// `--ca-cert` does): the contestant finds exactly the ground truth.
fn https_crawl_matches_ground_truth(name: &str) {
    let Some(c) = ready(name) else { return };
    let k = knobs(30, 2);
    let srv = server_over(&k, true);
    assert_eq!(srv.base_url().scheme(), "https");
    let k = Knobs {
        net: Net {
            ca_pem: srv.ca_pem().map(str::to_owned),
            ..Net::default()
        },
        ..k
    };
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let job = harness::site_job(site, Scenario::Crawl, &k, usize::MAX, &dir).expect("inputs");
    let got = records(run_as(c, &job), name);
    matches(
        &got,
        &harness::expectation(site, Scenario::Crawl, &k, usize::MAX),
        name,
    );
}

/// A job that fetches `urls`, as given.
fn fetch_job(scenario: Scenario, k: &Knobs, urls: &[Url]) -> Job {
    let mut job = Job::new("", scenario, k.clone());
    job.urls = Some(urls.iter().map(Url::to_string).collect());
    job
}

fn every_failure_is_exactly_one_typed_record(name: &str) {
    let Some(c) = ready(name) else { return };
    let k = Knobs {
        timeout_ms: 300,
        max_body: 10_000,
        ..knobs(4, 0)
    };
    let srv = server(&k);
    // A port that refuses connections: bind one, then free it.
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port");
    let base = srv.base_url();
    let urls: Vec<(Url, Option<&str>)> = vec![
        (base.join("/page/0").expect("url"), None),
        (base.join("/page/999").expect("url"), Some("status")),
        (base.join("/status/500").expect("url"), Some("status")),
        (
            Url::parse(&format!("http://{closed}/")).expect("url"),
            Some("connect"),
        ),
        (base.join("/delay/5000").expect("url"), Some("timeout")),
        (base.join("/bytes/20000").expect("url"), Some("too_large")),
        (base.join("/bytes/500").expect("url"), None),
    ];
    let inputs: Vec<Url> = urls.iter().map(|(u, _)| u.clone()).collect();
    for scenario in [Scenario::Download, Scenario::Scrape] {
        let got = records(run_as(c, &fetch_job(scenario, &k, &inputs)), name);
        assert_eq!(got.len(), urls.len(), "{scenario}: one record per URL");
        for (url, want) in &urls {
            let mine: Vec<_> = got.iter().filter(|r| r.url == url.as_str()).collect();
            let [one] = mine.as_slice() else {
                panic!("{scenario}: {} records for {url}", mine.len());
            };
            let kind = one.error.as_ref().map(FetchError::kind);
            assert_eq!(kind, *want, "{scenario}: {url} gave {:?}", one.error);
        }
    }
}

/// Several MiB arrive in many reads (so in many frames for the async engine, which joins
/// them) and are sized from Content-Length; one byte over the cap is refused.
fn large_bodies_arrive_whole(name: &str) {
    let Some(c) = ready(name) else { return };
    let k = Knobs {
        max_body: 6_000_000,
        ..knobs(2, 0)
    };
    let srv = server(&k);
    let base = srv.base_url();
    let urls: Vec<Url> = ["/bytes/6000000", "/bytes/6000001", "/bytes/1", "/bytes/0"]
        .iter()
        .map(|p| base.join(p).expect("url"))
        .collect();
    let got: Vec<(usize, Option<&str>)> =
        records(run_as(c, &fetch_job(Scenario::Download, &k, &urls)), name)
            .iter()
            .map(|r| (r.size, r.error.as_ref().map(FetchError::kind)))
            .collect();
    let want = [
        (6_000_000, None),
        (0, Some("too_large")),
        (1, None),
        (0, None),
    ];
    assert_eq!(got, want);
}

/// 20 waits of 100 ms. A contestant that overlaps C=20 waits needs ~0.1 s; the sequential
/// baseline (C=1) needs 2 s. The bound is the contestant's own ideal, tripled, plus 0.5 s of
/// slack for a loaded machine: generous, yet far below 2 s for any concurrent contestant.
fn waits_overlap_as_far_as_the_contestant_allows(name: &str) {
    let Some(c) = ready(name) else { return };
    let k = Knobs {
        concurrency: 20,
        ..knobs(20, 100)
    };
    let eff = c.effective(&k);
    let ideal = Duration::from_millis(100) * (20_usize.div_ceil(eff.concurrency) as u32);
    let run = run_as(c, &Job::new("", Scenario::Sleep, k));
    let done = run.end.as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(run.records.len(), 20, "one record per wait");
    let bound = ideal * 3 + Duration::from_millis(500);
    assert!(
        done.wall() <= bound,
        "20 waits took {:?}, bound {bound:?} (ideal {ideal:?})",
        done.wall()
    );
}

/// With a time budget, the contestant repeats its scenario, and every repetition is the same
/// work: its records match the ground truth, and in a scenario that fetches it connects as
/// the first one did (on the first repetition's open connections it would skip the
/// connecting, and a contestant fast enough to repeat would be measured warm beside one that
/// ran once, cold). The protocol's example may ignore the budget, and does: it runs once.
fn every_repetition_matches_ground_truth_and_connects_anew(name: &str) {
    let Some(c) = ready(name) else { return };
    // 4 pages, each held 5 ms, 2 at a time: about 10 ms a repetition (20 ms one at a time).
    let k = Knobs {
        concurrency: 2,
        ..knobs(4, 5)
    };
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let in_flight = c.effective(&k).concurrency.min(k.pages) as u64;
    for scenario in [Scenario::Sleep, Scenario::Download, Scenario::Parse] {
        let mut job =
            harness::site_job(site, scenario, &k, usize::MAX, &dir).expect("the job's inputs");
        job.budget_s = 0.3;
        let before = srv.connections();
        let run = run_as(c, &job);
        let connections = srv.connections() - before;
        let done = run
            .end
            .as_ref()
            .unwrap_or_else(|e| panic!("{scenario}: {e}"));
        let expected = harness::expectation(site, scenario, &k, usize::MAX);
        if c.example() {
            assert_eq!(done.reps, 1, "{scenario}: the example measures once");
        } else {
            assert!(
                done.reps >= 3,
                "{scenario}: {} repetitions in a budget of 300 ms",
                done.reps
            );
        }
        assert_eq!(
            run.repeated.len() + 1,
            done.reps,
            "{scenario}: every repetition's records, after its marker"
        );
        matches(
            &run.records,
            &expected,
            &format!("{scenario}, repetition 1"),
        );
        for (i, later) in run.repeated.iter().enumerate() {
            matches(
                later,
                &expected,
                &format!("{scenario}, repetition {}", i + 2),
            );
        }
        if scenario.fetches() {
            // Each repetition starts with no connection open, so its first `in_flight`
            // requests each open one.
            let least = done.reps as u64 * in_flight;
            assert!(
                connections >= least,
                "{scenario}: {} repetitions of {in_flight} requests at once opened \
                 {connections} connections, not at least {least}: a repetition reused \
                 connections an earlier one opened",
                done.reps
            );
        } else {
            assert_eq!(connections, 0, "{scenario} fetches nothing");
        }
    }
}

/// Big pages, so a parse is long enough to matter: every variant's records are right, and
/// the inline parse lags the heartbeat clearly more than either fix (a generous margin; never
/// an absolute time). hybrid runs only the fix, so it has no inline lag to compare.
fn pitfall_records_are_right_and_inline_parsing_lags_most(name: &str) {
    let Some(c) = ready(name) else { return };
    if c.pitfall_variants().is_empty() {
        common::skip(name, "it has no event loop to block, so it runs no pitfall");
        return;
    }
    let k = Knobs {
        page_kb: 64,
        // The pitfall's own strategy: a parse long enough to stall a loop.
        extract: Scenario::Pitfall.default_strategies()[0],
        ..knobs(16, 5)
    };
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let template =
        harness::site_job(site, Scenario::Pitfall, &k, usize::MAX, &dir).expect("inputs");
    let truth = harness::expectation(site, Scenario::Pitfall, &k, usize::MAX);
    let mut worst = std::collections::HashMap::new();
    for &v in c.pitfall_variants() {
        let entry = Entry {
            contestant: c,
            offload: Some(v),
            cache: None,
            extract: k.extract,
        };
        let run = common::run(c, &entry.job(&template));
        let lags = run
            .end
            .as_ref()
            .map_err(|e| format!("{v}: {e}"))
            .map(|d| d.lags());
        let lags = lags
            .unwrap_or_else(|e| panic!("{e}"))
            .expect("a pitfall run sends its lags");
        matches(&run.records, &truth, &format!("{name} {v}"));
        let tail = Tail::of(lags.iter().map(|&d| latency::micros(d)))
            .expect("the lags bin")
            .expect("the heartbeat ticked");
        worst.insert(v, tail.max_ms);
        eprintln!("{name} / {v}: worst lag {:.1} ms", worst[&v]);
    }
    let Some(&inline) = worst.get(&Offload::Inline) else {
        return;
    };
    for fixed in [Offload::SpawnBlocking, Offload::Rayon] {
        assert!(
            inline >= 2.0 * worst[&fixed],
            "inline lag {inline:.1} ms is not clearly worse than {fixed} {:.1} ms",
            worst[&fixed]
        );
    }
}

/// A one-page site on the IPv6 loopback, `[::1]`: every request gets the same small page and
/// `Connection: close`. `None` where the machine has no IPv6 loopback.
fn ipv6_site() -> Option<u16> {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("[::1]:0").ok()?;
    let port = listener.local_addr().ok()?.port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(&stream);
            // Read the request head; the body of a GET is empty.
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
                line.clear();
            }
            let body = "<html><title>six</title><body>no links</body></html>";
            let _ = write!(
                &stream,
                "HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: {}\r\n\
                 Connection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    Some(port)
}

fn every_engine_fetches_an_ipv6_literal(name: &str) {
    let Some(c) = ready(name) else { return };
    let Some(port) = ipv6_site() else {
        common::skip(name, "no IPv6 loopback on this machine");
        return;
    };
    let mut job = Job::new("", Scenario::Crawl, knobs(1, 0));
    job.crawl = Some(shootout_core::job::CrawlJob {
        root: format!("http://[::1]:{port}/"),
        max_pages: 10,
        max_depth: None,
        prefix: None,
        robots: None,
    });
    let got = records(run_as(c, &job), name);
    match got.as_slice() {
        [r] if r.is_ok() && r.title.as_deref() == Some("six") => {}
        other => panic!("{other:?}"),
    }
}

/// The naive byte scan is caught by the verifier, in every scenario that parses. (One
/// contestant: the strategy, not the runtime, is what is wrong.)
#[test]
fn the_naive_strategy_is_caught_by_the_verifier() {
    let Some(c) = ready("sequential") else { return };
    let k = Knobs {
        extract: Strategy::Naive,
        ..knobs(10, 0)
    };
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    for scenario in [Scenario::Parse, Scenario::Scrape, Scenario::Crawl] {
        let job = harness::site_job(site, scenario, &k, usize::MAX, &dir).expect("inputs");
        let got = records(run_as(c, &job), "naive");
        let verdict = verify(&got, &harness::expectation(site, scenario, &k, usize::MAX));
        assert!(!verdict.ok(), "naive passed {scenario}");
        // Every page carries three hidden anchors in its style, script and comment.
        assert!(verdict.to_string().contains("links, expected"), "{verdict}");
    }
}

/// One open-loop (`load`) run of `name` against `srv` at `rate` for `secs`, scored as the
/// harness scores it: the row, with its latency percentiles.
fn load_row(name: &str, srv: &Server, k: &Knobs, rate: f64, secs: f64) -> Option<harness::Row> {
    let c = ready(name)?;
    let k = Knobs {
        load: Load {
            rate,
            duration_ms: (secs * 1e3) as u64,
            ..Load::default()
        },
        ..k.clone()
    };
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let job = harness::site_job(site, Scenario::Load, &k, usize::MAX, &dir).expect("inputs");
    let truth = harness::truth(site, Scenario::Load, &k, usize::MAX, Duration::ZERO);
    let job = Job {
        contestant: name.to_owned(),
        ..job
    };
    let row = harness::score(c, &job, &truth, common::run(c, &job));
    assert!(row.verified, "{name}: {:?}", row.problems);
    assert_eq!(
        row.records,
        k.load.schedule().len(),
        "{name}: one record per due request"
    );
    Some(row)
}

/// At a rate far under capacity, every request is answered in about L: its latency, from
/// when it fell due, is at least the server's hold and (generously) not much more. The row's
/// histogram, decoded, gives the percentiles the row shows.
fn open_loop_latency_runs_from_due_and_stays_near_l(name: &str) {
    let k = Knobs {
        concurrency: 8,
        ..knobs(10, 50)
    };
    let srv = server(&k);
    // 10/s for 1 s: even the one-at-a-time contestants (20/s at L = 50 ms) keep up.
    let Some(row) = load_row(name, &srv, &k, 10.0, 1.0) else {
        return;
    };
    let tail = row.latency.as_ref().expect("a load row has latencies");
    assert_eq!(tail.samples, 10, "{name}: every request timed");
    for (what, ms) in [("p50", tail.p50_ms), ("p99", tail.p99_ms)] {
        assert!(
            (50.0..300.0).contains(&ms),
            "{name}: {what} {ms} ms, for L = 50 ms at a tenth of capacity"
        );
    }
    assert_eq!(row.overloads, Some(0), "{name}");
    let decoded = Tail::from_histogram(&tail.decode().expect("the histogram decodes"))
        .expect("it bins")
        .expect("it is not empty");
    assert_eq!(&decoded, tail, "{name}: the JSON histogram is the row's");
}

/// The site freezes every response for 500 ms, 750 ms into a 2 s run at 25 requests/s.
/// Timed from when each request fell due, every request due during the stall shows it (about
/// 12 of 50), so the p99 is far past L; a client that timed from when it sent would see one
/// slow sample per connection (coordinated omission: docs/methodology.md). At L = 5 ms even
/// the one-at-a-time contestants (the protocol example, reconnecting each time, included) carry
/// 25/s, so without the stall every p99 is a few ms: the
/// stall is what this sees, not a queue.
fn a_stall_shows_in_every_open_loop_request_it_delays(name: &str) {
    let k = Knobs {
        concurrency: 20,
        ..knobs(10, 5)
    };
    let stall = Shape {
        stall_after_ms: 750,
        stall_ms: 500,
        ..Shape::default()
    };
    let srv = common::shaped(k.pages, k.page_kb, k.latency(), false, stall);
    let Some(row) = load_row(name, &srv, &k, 25.0, 2.0) else {
        return;
    };
    let tail = row.latency.as_ref().expect("a load row has latencies");
    assert!(
        tail.p99_ms >= 250.0,
        "{name}: p99 {} ms with a 500 ms stall in a 2 s run",
        tail.p99_ms
    );
}

/// A site whose pages are partly heavy (a third of them 5 × their size, padded with a
/// comment): every contestant downloads and scrapes them whole, and the truth, reshaped as the
/// server serves them, still holds (the same titles and links, the heavier sizes).
fn heavy_pages_are_verified_at_their_weight(name: &str) {
    let Some(c) = ready(name) else { return };
    let shape = Shape {
        heavy_pct: 34,
        heavy_factor: 5,
        ..Shape::default()
    };
    let k = Knobs {
        shape,
        ..knobs(30, 2)
    };
    let srv = common::shaped(k.pages, k.page_kb, k.latency(), false, shape);
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    for scenario in [Scenario::Download, Scenario::Scrape] {
        let job = harness::site_job(site, scenario, &k, usize::MAX, &dir).expect("inputs");
        let expected = harness::expectation(site, scenario, &k, usize::MAX);
        let plain = harness::expectation(
            site,
            scenario,
            &Knobs {
                shape: Shape::default(),
                ..k.clone()
            },
            usize::MAX,
        );
        let heavier = expected
            .records
            .iter()
            .zip(&plain.records)
            .filter(|(h, p)| h.size == p.size * 5)
            .count();
        assert!(
            heavier >= 3,
            "{heavier} of 30 pages are heavy: the knob did nothing"
        );
        let what = format!("{name} {scenario} with heavy pages");
        matches(&records(run_as(c, &job), &what), &expected, &what);
    }
}

/// Far past capacity (C = 2 and Q = 1 at L = 50 ms carry 40/s; 200/s fall due): most
/// requests are refused, each as one `overload` record, and every other one answered; none
/// lost, none twice (the row is verified and has a record per due request).
fn past_capacity_every_due_request_is_answered_or_refused_once(name: &str) {
    let k = Knobs {
        concurrency: 2,
        load: Load {
            queue: 1,
            ..Load::default()
        },
        ..knobs(10, 50)
    };
    let srv = server(&k);
    let Some(c) = ready(name) else { return };
    let site = srv.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    let k = Knobs {
        load: Load {
            rate: 200.0,
            duration_ms: 1_000,
            ..k.load
        },
        ..k
    };
    let job = Job {
        contestant: name.to_owned(),
        ..harness::site_job(site, Scenario::Load, &k, usize::MAX, &dir).expect("inputs")
    };
    let truth = harness::truth(site, Scenario::Load, &k, usize::MAX, Duration::ZERO);
    let row = harness::score(c, &job, &truth, common::run(c, &job));
    assert!(row.verified, "{name}: {:?}", row.problems);
    assert_eq!(row.records, 200, "{name}: one record per due request");
    let refused = row.overloads.expect("a load row counts its refusals");
    assert!(
        (100..200).contains(&refused),
        "{name}: {refused} of 200 refused at five times capacity"
    );
}
