//! A panic while parsing one page costs that page, never the run: every contestant, in every
//! scenario that parses and in every pitfall variant, records `internal` for the page that
//! panicked and the right record for every other page.
//!
//! The panic comes from the test hook `SHOOTOUT_TEST_PANIC_URL`, which core (and the Python
//! programs' common.py) read once per process: it is set in each contestant's process alone,
//! never in this one. One `#[test]` per contestant (`cargo test --test panics
//! contestants::rayon::`).

#[macro_use]
mod common;

use std::sync::LazyLock;
use std::time::Duration;

use shootout_core::job::Job;
use shootout_core::page::PANIC_ON_URL;
use shootout_core::verify::{Expectation, Fields, verify};
use shootout_core::{Knobs, PageRecord, Scenario};
use shootout_lab::harness::{self, Entry, Workdir, runner};
use shootout_lab::registry;
use shootout_site::Server;

per_contestant!(a_panic_costs_one_record);

/// Checks `records`: the `doomed` URL failed as `internal`, and the rest are exactly `truth`
/// without it.
fn only_the_doomed_page_failed(
    records: &[PageRecord],
    truth: &Expectation,
    doomed: &str,
) -> Result<(), String> {
    let (failed, rest): (Vec<PageRecord>, Vec<PageRecord>) =
        records.iter().cloned().partition(|r| r.url == doomed);
    match failed.as_slice() {
        [r] if r.error.as_ref().is_some_and(|e| e.kind() == "internal") => {}
        other => {
            return Err(format!(
                "{doomed} should be one internal error, got {other:?}"
            ));
        }
    }
    let mut others = truth.clone();
    others.records.retain(|r| r.url != doomed);
    others.count = others.records.len();
    let verdict = verify(&rest, &others);
    verdict
        .ok()
        .then_some(())
        .ok_or_else(|| verdict.to_string())
}

/// One site for every test of this binary, and the URL whose parse panics.
struct Doomed {
    server: Server,
    knobs: Knobs,
    doomed: String,
}

static SITE: LazyLock<Doomed> = LazyLock::new(|| {
    let knobs = Knobs {
        pages: 12,
        latency_ms: 1,
        page_kb: 4,
        concurrency: 4,
        threads: 2,
        ..Knobs::default()
    };
    let server = common::synthetic(knobs.pages, knobs.page_kb, knobs.latency(), false);
    let doomed = server
        .site()
        .expect("synthetic site")
        .page_urls()
        .swap_remove(3)
        .to_string();
    Doomed {
        server,
        knobs,
        doomed,
    }
});

/// Runs `job` in the contestant's process, with the panic hook set in that process alone.
fn run_doomed(name: &str, job: &Job) -> Vec<PageRecord> {
    let c = registry::find(name).expect("registered");
    let mut command = runner::command(c.launch()).expect("it starts");
    command.env(PANIC_ON_URL, &SITE.doomed);
    let run = runner::supervise(command, job, Duration::from_secs(120), |_| None);
    if let Err(e) = &run.end {
        panic!("{name} {} {:?}: {e}", job.scenario, job.offload);
    }
    run.records
}

/// Every scenario that parses, and every pitfall variant.
fn a_panic_costs_one_record(name: &str) {
    let Some(c) = common::ready(name) else { return };
    if c.example() {
        common::skip(
            name,
            "the protocol's example has no test hook for a failing parse",
        );
        return;
    }
    let site = SITE.server.site().expect("synthetic site");
    let dir = Workdir::new().expect("a directory for the inputs");
    for scenario in [Scenario::Scrape, Scenario::Parse] {
        let job = harness::site_job(site, scenario, &SITE.knobs, usize::MAX, &dir).expect("inputs");
        let job = Job {
            contestant: name.to_owned(),
            ..job
        };
        let truth = harness::expectation(site, scenario, &SITE.knobs, usize::MAX);
        only_the_doomed_page_failed(&run_doomed(name, &job), &truth, &SITE.doomed)
            .unwrap_or_else(|e| panic!("{scenario}: {e}"));
    }
    let template =
        harness::site_job(site, Scenario::Pitfall, &SITE.knobs, usize::MAX, &dir).expect("inputs");
    let truth = site.expect_pages(Fields::Full);
    for &variant in c.pitfall_variants() {
        let job = Entry {
            contestant: c,
            offload: Some(variant),
            cache: None,
            extract: SITE.knobs.extract,
        }
        .job(&template);
        only_the_doomed_page_failed(&run_doomed(name, &job), &truth, &SITE.doomed)
            .unwrap_or_else(|e| panic!("pitfall {variant}: {e}"));
    }
}
