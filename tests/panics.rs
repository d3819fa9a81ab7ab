//! A panic while parsing one page costs that page, never the run: every contestant, in every
//! scenario that parses and in every pitfall variant, records `internal` for the page that
//! panicked and the right record for every other page.
//!
//! The panic comes from the test hook `SHOOTOUT_TEST_PANIC_URL`, which core reads once per
//! process; this file is its own test binary so that no other test shares that process.

use shootout_core::page::PANIC_ON_URL;
use shootout_core::verify::{Expectation, Fields, verify};
use shootout_core::{Knobs, PageRecord, Scenario};
use shootout_lab::harness::{Job, time_here};
use shootout_lab::registry::CONTESTANTS;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

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

#[test]
fn a_panic_costs_one_record_in_every_model() {
    let knobs = Knobs {
        pages: 12,
        latency_ms: 1,
        page_kb: 4,
        concurrency: 4,
        threads: 2,
        ..Knobs::default()
    };
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: knobs.pages,
            page_kb: knobs.page_kb,
            seed: 5,
            quirks: false,
        }),
        latency: knobs.latency(),
        threads: 2,
        ..ServerConfig::default()
    })
    .expect("test server starts");
    let site = server.site().expect("synthetic site");
    let urls = site.page_urls();
    let doomed = urls[3].to_string();
    // SAFETY: set before any thread of this process reads the environment (it is this
    // binary's only test, and the server's threads do not read it).
    unsafe { std::env::set_var(PANIC_ON_URL, &doomed) };
    // The asked-for panics are expected: keep them out of the test log, and print any other.
    let default_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info.to_string().contains(PANIC_ON_URL) {
            default_hook(info);
        }
    }));

    let mut failures = Vec::new();
    for c in CONTESTANTS {
        for scenario in [Scenario::Scrape, Scenario::Parse] {
            let job = Job {
                contestant: c.name().to_owned(),
                scenario,
                knobs: knobs.clone(),
                seed: 5,
                max_pages: usize::MAX,
                base_url: server.base_url().to_string(),
                offload: None,
                quirks: false,
            };
            let truth = match scenario {
                Scenario::Parse => site.expect_parse(),
                _ => site.expect_pages(Fields::Full),
            };
            let checked = time_here(*c, &job)
                .map_err(|e| e.to_string())
                .and_then(|t| only_the_doomed_page_failed(&t.records, &truth, &doomed));
            if let Err(e) = checked {
                failures.push(format!("{} {scenario}: {e}", c.name()));
            }
        }
        let runner = match c.prepare(&knobs) {
            Ok(r) => r,
            Err(e) => {
                failures.push(format!("{}: {e}", c.name()));
                continue;
            }
        };
        for &variant in c.pitfall_variants() {
            let checked = runner
                .pitfall(&urls, variant)
                .ok_or_else(|| "not run".to_owned())
                .and_then(|run| {
                    let truth = site.expect_pages(Fields::Full);
                    only_the_doomed_page_failed(&run.records, &truth, &doomed)
                });
            if let Err(e) = checked {
                failures.push(format!("{} pitfall {variant}: {e}", c.name()));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
