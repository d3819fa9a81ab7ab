//! `files`: read N files whole through each runtime's own file API, cold and warm.
//!
//! Hypothesis: warm, every read is a copy out of the page cache, so what an API adds per call
//! is all there is to see: the thread pools that call `std::fs` themselves stay near the bare
//! loop, the async runtimes that hop to a blocking pool per call (tokio::fs, async-fs,
//! async_std::fs) pay that hop on every file, and compio pays four ring round trips (openat,
//! statx, read, close). Cold, the disk's wait dominates and C reads in flight are what count.
//! The bare loop (`bare/K`: K threads, `std::fs` into a kept buffer, no runtime) is benched
//! beside them, at K = T and K = C, as the floor. Cold entries evict every file before each
//! iteration, off the clock (criterion's `iter_batched`). `write` follows: the same files
//! written through each API, into a directory emptied before each iteration.

mod common;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use shootout_core::files::{FileSet, FileSpec};
use shootout_core::{Knobs, Scenario};

fn files(c: &mut Criterion) {
    let cores = shootout_core::knobs::available_threads();
    let knobs = Knobs {
        pages: 1_000,
        latency_ms: 0,
        page_kb: 4,
        concurrency: 32,
        threads: cores,
        ..Knobs::default()
    };
    common::bench_scenario(c, Scenario::Files, knobs.clone());
    // Writing the same shape, into an emptied directory before every iteration (off the
    // clock), without fsync: each API's write calls, the page cache behind them.
    common::bench_scenario(c, Scenario::Write, knobs.clone());

    // The floor: the bare read loop over a set of the same shape.
    let dir = std::env::temp_dir();
    let set = FileSet::write(
        &dir,
        FileSpec {
            files: knobs.pages,
            kib: knobs.page_kb,
            seed: 42,
        },
    )
    .expect("the bench's files are written");
    let mut group = c.benchmark_group(format!(
        "files bare loop N={} S={}KiB",
        knobs.pages, knobs.page_kb
    ));
    for k in [knobs.threads, knobs.concurrency] {
        group.bench_function(format!("bare/{k}/write"), |b| {
            b.iter(|| {
                set.bare_write(knobs.pages, k, false)
                    .expect("the bare write writes")
            });
        });
        group.bench_function(format!("bare/{k}/warm"), |b| {
            b.iter(|| set.bare_read(k).expect("the bare read reads"));
        });
        group.bench_function(format!("bare/{k}/cold"), |b| {
            b.iter_batched(
                || set.evict().expect("the files can be evicted"),
                |_| set.bare_read(k).expect("the bare read reads"),
                BatchSize::PerIteration,
            );
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = common::config(); targets = files }
criterion_main!(benches);
