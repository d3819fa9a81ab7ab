//! One test body, run against every registered contestant.
//!
//! A new contestant is covered by adding it to `registry::CONTESTANTS`; nothing here changes.
//! Each test collects every contestant's failure before asserting, so one broken contestant
//! does not hide another.

use std::time::{Duration, Instant};

use shootout_core::verify::verify;
use shootout_core::{Contestant, CrawlSpec, FetchError, Knobs, Net, Scenario, Strategy};
use shootout_lab::harness::{self, Job, time_here};
use shootout_lab::registry::CONTESTANTS;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use url::Url;

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
    Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: k.pages,
            page_kb: k.page_kb,
            seed: 3,
            quirks: false,
        }),
        latency: k.latency(),
        threads: 2,
        tls,
        ..ServerConfig::default()
    })
    .expect("test server starts")
}

fn job(
    c: &dyn Contestant,
    scenario: Scenario,
    k: &Knobs,
    server: &Server,
    max_pages: usize,
) -> Job {
    Job {
        contestant: c.name().to_owned(),
        scenario,
        knobs: k.clone(),
        seed: 3,
        max_pages,
        base_url: server.base_url().to_string(),
        offload: None,
        quirks: false,
    }
}

/// Runs `check` for every contestant and fails once, listing every contestant that failed.
fn for_every_contestant(check: impl Fn(&dyn Contestant) -> Result<(), String>) {
    let failures: Vec<String> = CONTESTANTS
        .iter()
        .filter_map(|c| check(*c).err().map(|e| format!("{}: {e}", c.name())))
        .collect();
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

/// Every contestant, with each sound extraction strategy for scenarios that parse, yields
/// exactly the ground truth.
fn matches_ground_truth(scenario: Scenario, max_pages: usize) {
    let strategies: &[Strategy] = if scenario.parses() {
        &[Strategy::Dom, Strategy::Stream, Strategy::Tokenize]
    } else {
        &[Strategy::Tokenize]
    };
    let k = knobs(30, 2);
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    // The ground truth is the same for every contestant and strategy: compute it once.
    let expected = harness::expectation(site, &job(CONTESTANTS[0], scenario, &k, &srv, max_pages));
    for_every_contestant(|c| {
        for &extract in strategies {
            let k = Knobs {
                extract,
                ..k.clone()
            };
            let j = job(c, scenario, &k, &srv, max_pages);
            let run = time_here(c, &j).map_err(|e| format!("{extract}: {e:#}"))?;
            let verdict = verify(&run.records, &expected);
            if !verdict.ok() {
                return Err(format!("{extract}: {verdict}"));
            }
        }
        Ok(())
    });
}

#[test]
fn the_naive_strategy_is_caught_by_the_verifier() {
    let k = Knobs {
        extract: Strategy::Naive,
        ..knobs(10, 0)
    };
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    for scenario in [Scenario::Parse, Scenario::Scrape, Scenario::Crawl] {
        let c = CONTESTANTS[0];
        let j = job(c, scenario, &k, &srv, usize::MAX);
        let run = time_here(c, &j).expect("naive runs");
        let verdict = verify(&run.records, &harness::expectation(site, &j));
        assert!(!verdict.ok(), "naive passed {scenario}");
        // Every page carries three hidden anchors in its style, script and comment.
        assert!(verdict.to_string().contains("links, expected"), "{verdict}");
    }
}

#[test]
fn sleep_matches_ground_truth() {
    matches_ground_truth(Scenario::Sleep, usize::MAX);
}

#[test]
fn download_matches_ground_truth() {
    matches_ground_truth(Scenario::Download, usize::MAX);
}

#[test]
fn scrape_matches_ground_truth() {
    matches_ground_truth(Scenario::Scrape, usize::MAX);
}

#[test]
fn parse_matches_ground_truth() {
    matches_ground_truth(Scenario::Parse, usize::MAX);
}

#[test]
fn crawl_finds_exactly_the_reachable_set_once() {
    // `verify` rejects a URL recorded twice, an unknown URL and a missing one, so passing
    // means the reachable set exactly, each page fetched once.
    matches_ground_truth(Scenario::Crawl, usize::MAX);
}

#[test]
fn capped_crawl_stops_at_the_cap() {
    matches_ground_truth(Scenario::Crawl, 7);
}

/// The same crawl over https (a CA made by the server, trusted with `Net::ca_pem`, as
/// `--ca-cert` does): every contestant finds exactly the ground truth.
#[test]
fn https_crawl_matches_ground_truth() {
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
    let expected = harness::expectation(
        site,
        &job(CONTESTANTS[0], Scenario::Crawl, &k, &srv, usize::MAX),
    );
    for_every_contestant(|c| {
        let j = job(c, Scenario::Crawl, &k, &srv, usize::MAX);
        let run = time_here(c, &j).map_err(|e| format!("{e:#}"))?;
        let verdict = verify(&run.records, &expected);
        if verdict.ok() {
            Ok(())
        } else {
            Err(verdict.to_string())
        }
    });
}

#[test]
fn every_failure_is_exactly_one_typed_record() {
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
    for_every_contestant(|c| {
        let runner = c.prepare(&k).map_err(|e| e.to_string())?;
        for (name, records) in [
            ("download", runner.download(&inputs)),
            ("scrape", runner.scrape(&inputs)),
        ] {
            if records.len() != urls.len() {
                return Err(format!(
                    "{name}: {} records for {} URLs",
                    records.len(),
                    urls.len()
                ));
            }
            for (url, want) in &urls {
                let mine: Vec<_> = records.iter().filter(|r| r.url == url.as_str()).collect();
                let [got] = mine.as_slice() else {
                    return Err(format!("{name}: {} records for {url}", mine.len()));
                };
                let kind = got.error.as_ref().map(FetchError::kind);
                if kind != *want {
                    return Err(format!(
                        "{name}: {url} gave {:?}, expected {want:?}",
                        got.error
                    ));
                }
            }
        }
        Ok(())
    });
}

#[test]
fn large_bodies_arrive_whole() {
    // Several MiB arrive in many reads (so in many frames for the async engine, which joins
    // them) and are sized from Content-Length; one byte over the cap is refused.
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
    for_every_contestant(|c| {
        let runner = c.prepare(&k).map_err(|e| e.to_string())?;
        let got: Vec<(usize, Option<&str>)> = runner
            .download(&urls)
            .iter()
            .map(|r| (r.size, r.error.as_ref().map(FetchError::kind)))
            .collect();
        let want = [
            (6_000_000, None),
            (0, Some("too_large")),
            (1, None),
            (0, None),
        ];
        (got == want)
            .then_some(())
            .ok_or_else(|| format!("{got:?}, expected {want:?}"))
    });
}

#[test]
fn waits_overlap_as_far_as_the_contestant_allows() {
    // 20 waits of 100 ms. A contestant that overlaps C=20 waits needs ~0.1 s; the sequential
    // baseline (C=1) needs 2 s. The bound is the contestant's own ideal, tripled, plus 0.5 s of
    // slack for a loaded machine: generous, yet far below 2 s for any concurrent contestant.
    let k = Knobs {
        concurrency: 20,
        ..knobs(20, 100)
    };
    for_every_contestant(|c| {
        let eff = c.effective(&k);
        let ideal = Duration::from_millis(100) * (20_usize.div_ceil(eff.concurrency) as u32);
        let runner = c.prepare(&k).map_err(|e| e.to_string())?;
        let start = Instant::now();
        let records = runner.sleep(20, Duration::from_millis(100));
        let wall = start.elapsed();
        if records.len() != 20 {
            return Err(format!("{} records for 20 waits", records.len()));
        }
        let bound = ideal * 3 + Duration::from_millis(500);
        (wall <= bound)
            .then_some(())
            .ok_or_else(|| format!("20 waits took {wall:?}, bound {bound:?} (ideal {ideal:?})"))
    });
}

#[test]
fn pitfall_records_are_right_and_inline_parsing_lags_most() {
    use shootout_core::pitfall::{LagStats, Offload};
    // Big pages, so a parse is long enough to matter. (T stays 2 as in every test here:
    // async-std's global runtime can be sized only once per process.)
    let k = Knobs {
        page_kb: 64,
        // The pitfall's own strategy: a parse long enough to stall a loop.
        extract: Scenario::Pitfall.default_strategies()[0],
        ..knobs(16, 5)
    };
    let srv = server(&k);
    let site = srv.site().expect("synthetic site");
    let urls = site.page_urls();
    let truth = site.expect_pages(shootout_core::verify::Fields::Full);
    for_every_contestant(|c| {
        if c.pitfall_variants().is_empty() {
            return Ok(());
        }
        let runner = c.prepare(&k).map_err(|e| e.to_string())?;
        let mut worst = std::collections::HashMap::new();
        for &v in c.pitfall_variants() {
            let run = runner.pitfall(&urls, v).ok_or(format!("{v}: not run"))?;
            let verdict = verify(&run.records, &truth);
            if !verdict.ok() {
                return Err(format!("{v}: {verdict}"));
            }
            worst.insert(v, LagStats::of(&run.lags).max_ms);
            eprintln!("{} / {v}: worst lag {:.1} ms", c.name(), worst[&v]);
        }
        // The ordering, with a generous margin; never an absolute time. (hybrid runs only
        // the fix, so it has no inline lag to compare.)
        let Some(&inline) = worst.get(&Offload::Inline) else {
            return Ok(());
        };
        for fixed in [Offload::SpawnBlocking, Offload::Rayon] {
            if inline < 2.0 * worst[&fixed] {
                return Err(format!(
                    "inline lag {inline:.1} ms is not clearly worse than {fixed} {:.1} ms",
                    worst[&fixed]
                ));
            }
        }
        Ok(())
    });
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

#[test]
fn every_engine_fetches_an_ipv6_literal() {
    let Some(port) = ipv6_site() else {
        eprintln!("note: no IPv6 loopback on this machine; skipping the [::1] test");
        return;
    };
    let root = Url::parse(&format!("http://[::1]:{port}/")).expect("a valid URL");
    let k = knobs(1, 0);
    for_every_contestant(|c| {
        let runner = c.prepare(&k).map_err(|e| e.to_string())?;
        let records = runner.crawl(&root, &CrawlSpec::pages(10));
        match records.as_slice() {
            [r] if r.is_ok() && r.title.as_deref() == Some("six") => Ok(()),
            other => Err(format!("{other:?}")),
        }
    });
}
