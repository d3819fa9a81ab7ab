//! `latency`: what timing a request costs, beside what the request costs.
//!
//! Hypothesis: stamping a request's latency (crates/core/src/latency.rs) is two reads of the
//! monotonic clock and 16 bytes in its record, tens of nanoseconds, under 1% of the client
//! CPU of the cheapest request the lab makes (a 4 KiB page at L = 0 costs about 20 µs of
//! client CPU: `shootout run download -n 20000 -l 0 -s 4 -c 32`, cpu / N). Binning happens
//! in the harness after the child's clock stops, so it is measured here only to say what it
//! costs the harness.
//!
//! - `stamp`: what a request pays: `Span::since(due)` when its body is complete, then
//!   `ready_now()` when its record is built;
//! - `record`: the same, through `download_record`, beside the record built without a span;
//! - `bin`: binning 10,000 latencies into an HdrHistogram and encoding it (per run, off the
//!   clock).
//!
//! Run with: `cargo bench --bench latency`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bytes::Bytes;
use criterion::{Criterion, criterion_group, criterion_main};
use shootout_core::Fetched;
use shootout_core::latency::{Span, Tail};
use shootout_core::page::download_record;

fn fetched(span: Option<Span>) -> Fetched {
    Fetched {
        status: 200,
        content_type: Some("text/html".into()),
        body: Bytes::from_static(b"<title>t</title>"),
        final_url: None,
        span,
    }
}

fn latency(c: &mut Criterion) {
    let mut g = c.benchmark_group("latency");
    g.measurement_time(Duration::from_secs(3));
    let due = Instant::now();
    g.bench_function("stamp", |b| {
        b.iter(|| black_box(Span::since(black_box(due))).ready_now())
    });
    g.bench_function("record/untimed", |b| {
        b.iter(|| download_record(black_box("http://127.0.0.1:1/page/1"), Ok(fetched(None))))
    });
    g.bench_function("record/timed", |b| {
        b.iter(|| {
            let span = Span::since(black_box(due));
            download_record(
                black_box("http://127.0.0.1:1/page/1"),
                Ok(fetched(Some(span))),
            )
        })
    });
    let micros: Vec<u64> = (0..10_000u64)
        .map(|i| 10_000 + (i * 7919) % 5_000)
        .collect();
    g.bench_function("bin/10k", |b| {
        b.iter(|| Tail::of(black_box(&micros).iter().copied()))
    });
    g.finish();
}

criterion_group!(benches, latency);
criterion_main!(benches);
