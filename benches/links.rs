//! `links`: a crawl's per-page link work alone, beside the extraction it follows, so a change
//! to resolving, deduplicating or admitting links can be measured in isolation (issue: "the
//! crawl at its CPU floor"; the extract bench is the extraction's own).
//!
//! Three entries over the same pages, each in bytes of HTML per second:
//!
//! - `scrape_page`: extraction and the record, as `scrape` does it (`tokenize`);
//! - `crawl_page`: the same plus every href resolved against the page's URL and normalised,
//!   in the page's own task, as a crawl does it; the difference from `scrape_page` is the
//!   resolving;
//! - `frontier`: the coordinator's part, [`Frontier::finish`] on every page's resolved links,
//!   against a seen set that already holds every one of them: a crawl's steady state, where
//!   almost every link on a page (its sidebar, its navigation) was met before.
//!
//! Hypothesis: on the toolchain's docs, where a page has about a hundred hrefs and most
//! repeat across pages, resolving costs a sizeable fraction of extraction, and the frontier's
//! lookups a smaller one; both scale with the hrefs on a page, not with what is new on it.
//!
//! The pages: benches/corpus (the toolchain's `std/collections`, `SHOOTOUT_CORPUS`, or the
//! synthetic site). Before anything is timed, the line printed says how many hrefs the pages
//! hold, how many links resolving keeps, and how many distinct URLs they name.
//!
//! Run with: `cargo bench --bench links`.

use std::collections::HashSet;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::frontier::Frontier;
use shootout_core::page::{crawl_page, scrape_page};
use shootout_core::scope::CrawlSpec;
use shootout_core::{Fetched, Strategy};
use url::Url;

// Only its criterion configuration (few samples, short windows, sized for 2 cores).
#[allow(dead_code)]
mod common;
mod corpus;

/// Where the pages are served from in this bench: nothing listens, nothing is fetched.
const ROOT: &str = "http://127.0.0.1:1/std/collections/";

/// A 200 response with `body`, as an engine hands it over.
fn fetched(body: &Bytes) -> Result<Fetched, shootout_core::FetchError> {
    Ok(Fetched {
        status: 200,
        content_type: Some("text/html; charset=utf-8".into()),
        body: body.clone(),
        final_url: None,
        span: None,
    })
}

fn links(c: &mut Criterion) {
    let corpus = corpus::load("links");
    let root = Url::parse(ROOT).expect("a valid URL");
    let pages: Vec<(Url, Bytes)> = corpus
        .pages
        .iter()
        .map(|(path, body)| (root.join(path).expect("a corpus path joins"), body.clone()))
        .collect();
    let bytes: u64 = pages.iter().map(|(_, b)| b.len() as u64).sum();
    let strategy = Strategy::Tokenize;
    strategy.warm_up();

    // Off the clock: every page crawled once and its links admitted, so the frontier holds
    // every URL these pages name.
    let scraped: Vec<_> = pages
        .iter()
        .map(|(url, body)| crawl_page(url, fetched(body), strategy))
        .collect();
    let hrefs: usize = scraped.iter().map(|s| s.record.links).sum();
    let kept: usize = scraped.iter().map(|s| s.links.len()).sum();
    let distinct: HashSet<&str> = scraped
        .iter()
        .flat_map(|s| s.links.iter().map(String::as_str))
        .collect();
    eprintln!(
        "links: {} pages, {hrefs} <a> elements, {kept} links after resolving (fragments and \
         repeats on a page dropped), {} distinct URLs",
        pages.len(),
        distinct.len()
    );
    let (mut frontier, _) = Frontier::new(&root, &CrawlSpec::pages(usize::MAX));
    let mut records = Vec::new();
    for page in &scraped {
        frontier.finish(page.clone(), &mut records);
    }
    let seen = frontier.admitted();

    let mut group = c.benchmark_group(format!("links {}", corpus.name));
    group.throughput(Throughput::Bytes(bytes));
    group.bench_function("scrape_page", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|(url, body)| scrape_page(url.as_str(), fetched(body), strategy).links)
                .sum::<usize>()
        });
    });
    group.bench_function("crawl_page", |b| {
        b.iter(|| {
            pages
                .iter()
                .map(|(url, body)| crawl_page(url, fetched(body), strategy).links.len())
                .sum::<usize>()
        });
    });
    group.bench_function("frontier", |b| {
        b.iter_batched(
            // The pages' links, copied off the clock: `finish` takes each page by value.
            || (scraped.clone(), Vec::with_capacity(scraped.len())),
            |(pages, mut records)| {
                let admitted: usize = pages
                    .into_iter()
                    .map(|p| frontier.finish(p, &mut records).len())
                    .sum();
                (admitted, records)
            },
            BatchSize::SmallInput,
        );
    });
    group.finish();
    assert_eq!(
        frontier.admitted(),
        seen,
        "the seen set already held every link: timing it admitted nothing new"
    );
}

criterion_group! { name = benches; config = common::config(); targets = links }
criterion_main!(benches);
