//! `extract`: every extraction strategy over a fixed set of pages, on one core, in bytes per
//! second, so each strategy reads against the limit beside it.
//!
//! Hypothesis: `dom` pays for building a whole tree, `stream` only for tokenising (and for
//! lol_html's rewriting machinery), so `stream` runs several times faster than `dom`; and
//! `tokenize`, which tokenises only as far as the three fields need, runs near `naive`, a
//! byte scan for `<a` and `<title>` that does not tokenise at all. (`naive` is wrong on pages
//! with an `<a` in a script or a comment; it is here as a speed reference only. It is not a
//! strict ceiling: it lowercases a copy of every tag, and on `std/collections` `tokenize`
//! outruns it; docs/results.md, "Near the limit".)
//!
//! The pages: the HTML files of one corner of the Rust documentation rustup installs
//! (`std/collections`, the corner `scripts/run-examples.sh` uses), or of the directory in
//! `SHOOTOUT_CORPUS`; where neither exists, 100 pages of 64 KiB from the synthetic site
//! (benches/corpus, shared with the `links` bench). The group's name says which, and the
//! first line printed says where the files came from.
//! Before anything is timed, `dom`, `stream` and `tokenize` must agree on every page, or the
//! bench stops: a fast wrong answer is not a result.
//!
//! Run with: `cargo bench --bench extract` (criterion prints each strategy's MB/s).

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::Strategy;

// Only its criterion configuration (few samples, short windows, sized for 2 cores).
#[allow(dead_code)]
mod common;
mod corpus;

fn extract(c: &mut Criterion) {
    let corpus = corpus::load("extract");
    let (name, pages) = (corpus.name.clone(), corpus.bodies());
    let bytes: u64 = pages.iter().map(|p| p.len() as u64).sum();
    for (i, page) in pages.iter().enumerate() {
        let dom = Strategy::Dom.extract(page);
        for strategy in [Strategy::Stream, Strategy::Tokenize] {
            assert_eq!(
                dom,
                strategy.extract(page),
                "dom and {strategy} disagree on page {i} of {name}: fix that before timing them"
            );
        }
    }
    let mut group = c.benchmark_group(format!("extract {name}"));
    group.throughput(Throughput::Bytes(bytes));
    for strategy in Strategy::ALL {
        strategy.warm_up();
        group.bench_function(BenchmarkId::from_parameter(strategy), |b| {
            b.iter(|| {
                pages
                    .iter()
                    .map(|p| strategy.extract(p).links)
                    .sum::<usize>()
            });
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = common::config(); targets = extract }
criterion_main!(benches);
