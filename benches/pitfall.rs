//! `pitfall`: scrape while a heartbeat runs on the same event loop, per runtime and variant.
//!
//! Hypothesis: wall time barely differs between variants when latency dominates, but parsing
//! inline (and blocking with `std::thread::sleep`) holds the runtime's threads, so it costs
//! some wall time as well as heartbeat lag. This bench times the wall; the lag itself is
//! reported by `shootout run pitfall` (criterion measures durations, not lags).

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

fn pitfall(c: &mut Criterion) {
    let knobs = Knobs {
        pages: 20,
        latency_ms: 10,
        // Big pages, so parsing takes long enough to matter.
        page_kb: 64,
        concurrency: 10,
        threads: 2,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Pitfall, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = pitfall }
criterion_main!(benches);
