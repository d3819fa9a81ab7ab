//! `parse`: parse N in-memory pages, CPU only.
//!
//! Hypothesis: no waiting, so concurrency alone buys nothing; contestants beat the sequential
//! baseline only by spreading parsing over T cores, by at most T× (about 1.9× on 2 cores after
//! pool overhead). The async contestants get there the same way, by handing each parse to T
//! threads (`spawn_blocking`, `unblock`, rayon), not through their event loops. Both sound
//! extraction strategies run, as `contestant/dom` and `contestant/stream`.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

fn parse(c: &mut Criterion) {
    // T is every core this machine has.
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
