//! `sleep`: N timer waits of L, at most C at once.
//!
//! Hypothesis: every concurrent contestant finishes in about ceil(N/C)·L = 10 ms, because
//! waiting costs no CPU; the sequential baseline needs N·L = 400 ms. Differences among the
//! concurrent ones are the cost of a timer and a task (or a thread), which at N = 40 is tiny.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

const PAGES: usize = 40;
const CONCURRENCY: usize = 40;
const _: () = assert!(PAGES.is_multiple_of(CONCURRENCY), "one full round of waits");

fn sleep(c: &mut Criterion) {
    let knobs = Knobs {
        pages: PAGES,
        latency_ms: 10,
        concurrency: CONCURRENCY,
        threads: 2,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Sleep, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = sleep }
criterion_main!(benches);
