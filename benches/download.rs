//! `download`: GET N pages, each held L by the server, at most C in flight.
//!
//! Hypothesis: latency dominates. Concurrent contestants approach ceil(N/C)·L = 20 ms; the
//! sequential baseline pays N·L = 200 ms plus a little per request. The engines' per-request
//! CPU cost only shows once L is near zero.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

const PAGES: usize = 20;
const CONCURRENCY: usize = 10;
const _: () = assert!(
    PAGES.is_multiple_of(CONCURRENCY),
    "whole rounds of requests"
);

fn download(c: &mut Criterion) {
    let knobs = Knobs {
        pages: PAGES,
        latency_ms: 10,
        page_kb: 16,
        concurrency: CONCURRENCY,
        threads: 2,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Download, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = download }
criterion_main!(benches);
