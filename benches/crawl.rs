//! `crawl`: follow links from `/`, level by level, each URL once.
//!
//! Hypothesis: a crawl cannot be flatter than its link graph, so even unlimited concurrency
//! pays one latency per level (about 4 levels for 20 pages of fan-out 4). Concurrent
//! contestants approach `max over depth k of (k + ceil(n_≥k / C)) · L` (`n_≥k`: pages at depth
//! k or deeper); the sequential baseline pays L per page.

mod common;

use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::{Knobs, Scenario};

fn crawl(c: &mut Criterion) {
    let knobs = Knobs {
        pages: 20,
        latency_ms: 10,
        page_kb: 16,
        concurrency: 10,
        threads: 2,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Crawl, knobs);
}

criterion_group! { name = benches; config = common::config(); targets = crawl }
criterion_main!(benches);
