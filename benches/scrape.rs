//! `scrape`: download and parse N pages.
//!
//! Hypothesis: with L = 10 ms and 16 KiB pages, waiting still dominates parsing (a page
//! parses in well under a millisecond), so the ranking follows `download`; contestants that
//! parse inline on the I/O thread lose a little, since parsing delays the next request.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

const PAGES: usize = 20;
const CONCURRENCY: usize = 10;
const _: () = assert!(
    PAGES.is_multiple_of(CONCURRENCY),
    "whole rounds of requests"
);

fn scrape(c: &mut Criterion) {
    let knobs = Knobs {
        pages: PAGES,
        latency_ms: 10,
        page_kb: 16,
        concurrency: CONCURRENCY,
        threads: 2,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Scrape, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = scrape }
criterion_main!(benches);
