//! `parse`: parse N in-memory pages, CPU only.
//!
//! Hypothesis: no waiting, so concurrency alone buys nothing; only contestants that spread
//! parsing over T cores beat the sequential baseline, by at most T× (about 1.9× on 2 cores
//! after pool overhead). Async runtimes that parse on the executor gain nothing here.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

fn parse(c: &mut Criterion) {
    // Cap the sweep at the cores this machine has.
    let cores = shootout_core::knobs::available_threads();
    let knobs = Knobs {
        pages: 200,
        latency_ms: 0,
        page_kb: 16,
        concurrency: 10,
        threads: cores,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Parse, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = parse }
criterion_main!(benches);
