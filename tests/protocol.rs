//! The protocol's conformance test (docs/protocol.md), for every registered contestant, each
//! its own `#[test]`s: a job it cannot run gets one line on stderr and exit status 2; a job's
//! every URL gets exactly one record; the closing line parses. A new contestant, in any
//! language, passes these before anything measures it.

#[macro_use]
mod common;

use std::time::Duration;

use shootout_core::job::{Job, PROTOCOL};
use shootout_core::{Knobs, Scenario};
use shootout_lab::harness::{ChildError, ChildRun, runner};
use shootout_lab::registry::Contestant;
use shootout_site::Server;

use common::ready;

per_contestant!(
    a_job_that_is_not_one_is_refused_in_one_line,
    a_job_it_cannot_run_is_refused_in_one_line,
    every_url_gets_exactly_one_record_and_a_closing_line,
    a_streamed_crawl_announces_every_url_it_records,
);

/// Sends `input`, as it is, to a new process of `contestant`.
fn send(contestant: Contestant, input: &[u8]) -> ChildRun {
    let command = runner::command(contestant.launch()).expect("the contestant starts");
    runner::supervise_input(command, input.to_vec(), Duration::from_secs(60), |_| None)
}

/// The run was refused, as the protocol says: exit status 2 and one line on stderr saying
/// `want`.
fn refused(run: &ChildRun, want: &str) {
    match &run.end {
        Err(ChildError::Refused { reason, lines }) => {
            assert!(reason.contains(want), "{reason:?} does not say {want:?}");
            assert_eq!(
                *lines, 1,
                "one line on stderr, not {lines}: ends {reason:?}"
            );
        }
        other => panic!("not refused with exit status 2: {other:?}"),
    }
    assert!(run.records.is_empty(), "{:?}", run.records);
}

fn knobs() -> Knobs {
    Knobs {
        pages: 3,
        latency_ms: 0,
        page_kb: 2,
        concurrency: 2,
        threads: 2,
        timeout_ms: 2000,
        ..Knobs::default()
    }
}

fn a_job_that_is_not_one_is_refused_in_one_line(name: &str) {
    let Some(c) = ready(name) else { return };
    refused(&send(c, b"this is not JSON"), "malformed job");
    refused(&send(c, b"{\"protocol\": 1}"), "malformed job");
    let mut job = serde_json::to_value(Job::new(name, Scenario::Sleep, knobs())).expect("JSON");
    job["protocol"] = (PROTOCOL + 1).into();
    refused(&send(c, job.to_string().as_bytes()), "protocol");
}

fn a_job_it_cannot_run_is_refused_in_one_line(name: &str) {
    let Some(c) = ready(name) else { return };
    // A download with no URLs to fetch.
    let job = Job::new(name, Scenario::Download, knobs());
    refused(&common::run(c, &job), "needs `urls`");
    // A scenario it does not run: pitfall, without an event loop.
    if c.pitfall_variants().is_empty() {
        let mut job = Job::new(name, Scenario::Pitfall, knobs());
        job.urls = Some(vec!["http://127.0.0.1:9/".into()]);
        job.offload = Some(shootout_core::pitfall::Offload::Inline);
        refused(&common::run(c, &job), "pitfall");
    }
}

/// A site, and a job that fetches its pages, a page twice, one that is missing and one on a
/// port nobody listens on.
fn site_and_urls() -> (Server, Vec<String>) {
    let srv = common::synthetic(3, 2, Duration::ZERO, false);
    let closed = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port");
    let base = srv.base_url();
    let urls = ["/page/0", "/page/1", "/page/1", "/page/404"]
        .iter()
        .map(|p| base.join(p).expect("url").to_string())
        .chain([format!("http://{closed}/")])
        .collect();
    (srv, urls)
}

fn every_url_gets_exactly_one_record_and_a_closing_line(name: &str) {
    let Some(c) = ready(name) else { return };
    let (_srv, urls) = site_and_urls();
    for scenario in [Scenario::Download, Scenario::Scrape] {
        let mut job = Job::new(name, scenario, knobs());
        job.urls = Some(urls.clone());
        let run = common::run(c, &job);
        let done = run
            .end
            .as_ref()
            .unwrap_or_else(|e| panic!("{scenario}: {e}"));
        assert!(done.wall_s >= 0.0 && done.cpu_s >= 0.0, "{done:?}");
        assert!(
            done.peak_rss > 0,
            "{scenario}: a process has memory: {done:?}"
        );
        let got: Vec<&str> = run.records.iter().map(|r| r.url.as_str()).collect();
        let mut want: Vec<&str> = urls.iter().map(String::as_str).collect();
        let mut got_sorted = got.clone();
        got_sorted.sort_unstable();
        want.sort_unstable();
        assert_eq!(
            got_sorted, want,
            "{scenario}: one record per URL asked, repeats included"
        );
    }
}

/// A streamed crawl writes `admitted` for every URL before its record, and a record for every
/// URL it admitted (what lets `shootout crawl` account for each URL when stopped).
fn a_streamed_crawl_announces_every_url_it_records(name: &str) {
    let Some(c) = ready(name) else { return };
    let (srv, _) = site_and_urls();
    let mut job = Job::new(name, Scenario::Crawl, knobs());
    job.crawl = Some(shootout_core::job::CrawlJob {
        root: srv.base_url().to_string(),
        max_pages: 50,
        max_depth: None,
        prefix: None,
        robots: None,
    });
    job.stream = true;
    let mut admitted = std::collections::HashSet::new();
    let mut unannounced = Vec::new();
    let run = runner::run(c, &job, Duration::from_secs(60), |event| {
        match event {
            runner::Event::Line(shootout_core::job::Line::Admitted(u)) => {
                admitted.insert(u.clone());
            }
            runner::Event::Line(shootout_core::job::Line::Record(r))
                if !admitted.contains(&r.url)
                    && r.error.as_ref().is_none_or(|e| e.kind() != "robots") =>
            {
                unannounced.push(r.url.clone());
            }
            _ => {}
        }
        None
    });
    run.end.as_ref().unwrap_or_else(|e| panic!("{e}"));
    assert!(
        unannounced.is_empty(),
        "recorded but never admitted: {unannounced:?}"
    );
    let recorded: std::collections::HashSet<&String> = run.records.iter().map(|r| &r.url).collect();
    assert_eq!(recorded.len(), run.records.len(), "a URL recorded twice");
    assert_eq!(
        recorded.len(),
        admitted.len(),
        "admitted but never recorded"
    );
}
