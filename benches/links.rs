//! `links`: a crawl's per-page link work alone, beside the extraction it follows, so a change
//! to resolving, deduplicating or admitting links can be measured in isolation (issue: "the
//! crawl at its CPU floor"; the extract bench is the extraction's own).
//!
//! Three entries over the same pages, each in bytes of HTML per second:
//!
//! - `scrape_page`: extraction and the record, as `scrape` does it (`tokenize`);
//! - `crawl_page`: the same plus every href resolved against the page's URL and normalised,
//!   in the page's own task, as a crawl does it, starting each pass with an empty memo of
//!   hrefs ([`SeenHrefs`](shootout_core::scope::SeenHrefs)): an href met on an earlier page of
//!   the same directory is dropped unresolved; the difference from `scrape_page` is the link
//!   work of a first visit;
//! - `crawl_page (memo warm)`: the same, with a memo that already holds every href of these
//!   pages, as later in a crawl of one directory: nothing new, nothing resolved;
//! - `crawl_page (no memo)`: every href resolved once per page, as before the memo and as a
//!   crawl with `--max-depth` still does;
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
//! A second group, `links hostile`, times hostile pages with the memo and without it. Before
//! its timings, a line a page gives the ratio of the two measured in interleaved rounds,
//! which is the number to read on a machine whose speed drifts.
//!
//! Run with: `cargo bench --bench links`.

use std::collections::HashSet;

use bytes::Bytes;
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::frontier::Frontier;
use shootout_core::page::{crawl_page, scrape_page};
use shootout_core::scope::{CrawlSpec, Scope};
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

    // Off the clock: every page crawled once, with no memo, and its links admitted, so the
    // frontier holds every URL these pages name.
    let no_memo = Scope::new(&root, None).without_href_memo();
    let scraped: Vec<_> = pages
        .iter()
        .map(|(url, body)| crawl_page(url, fetched(body), strategy, &no_memo))
        .collect();
    let warm = Scope::new(&root, None);
    let handed_on: usize = pages
        .iter()
        .map(|(url, body)| crawl_page(url, fetched(body), strategy, &warm).links.len())
        .sum();
    let hrefs: usize = scraped.iter().map(|s| s.record.links).sum();
    let kept: usize = scraped.iter().map(|s| s.links.len()).sum();
    let distinct: HashSet<&str> = scraped
        .iter()
        .flat_map(|s| s.links.iter().map(String::as_str))
        .collect();
    eprintln!(
        "links: {} pages, {hrefs} <a> elements, {kept} links after resolving (fragments and \
         repeats on a page dropped), {handed_on} with the memo of the directory's hrefs, {} \
         distinct URLs; the memo holds {} hrefs",
        pages.len(),
        distinct.len(),
        warm.seen_hrefs().len()
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
    let crawl = |scope: &Scope| {
        pages
            .iter()
            .map(|(url, body)| crawl_page(url, fetched(body), strategy, scope).links.len())
            .sum::<usize>()
    };
    group.bench_function("crawl_page", |b| {
        b.iter_batched_ref(|| fresh(&root), |scope| crawl(scope), BatchSize::SmallInput);
    });
    group.bench_function("crawl_page (memo warm)", |b| b.iter(|| crawl(&warm)));
    group.bench_function("crawl_page (no memo)", |b| b.iter(|| crawl(&no_memo)));
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

/// A crawl's scope with an empty memo, as at a crawl's start: made, and later dropped, off
/// the clock.
fn fresh(root: &Url) -> Scope {
    Scope::new(root, None)
}

/// The memo's cost on one hostile page, as a ratio that this VM's changes of speed (its
/// cores run at two speeds for seconds at a time) cannot move: 15 rounds, each timing the page
/// with a fresh memo and with none, one right after the other (the best of 3 each, the order
/// alternating between rounds), and the median of the rounds' ratios, printed before
/// criterion's own timings of each, which run minutes apart.
fn interleaved(name: &str, url: &Url, body: &Bytes, strategy: Strategy) {
    const ROUNDS: usize = 15;
    // Enough passes a timing to last about a millisecond or more.
    let passes = (200_000 / body.len()).clamp(1, 20);
    let time = |memo: bool| {
        (0..3)
            .map(|_| {
                let scopes: Vec<Scope> = (0..passes)
                    .map(|_| match memo {
                        true => fresh(url),
                        false => Scope::new(url, None).without_href_memo(),
                    })
                    .collect();
                let start = std::time::Instant::now();
                for scope in &scopes {
                    std::hint::black_box(crawl_page(url, fetched(body), strategy, scope));
                }
                start.elapsed().as_secs_f64() / passes as f64
            })
            .fold(f64::MAX, f64::min)
    };
    let mut ratios: Vec<f64> = (0..ROUNDS)
        .map(|round| match round % 2 {
            0 => time(true) / time(false),
            _ => {
                let without = time(false);
                time(true) / without
            }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    eprintln!(
        "links hostile, {name}: with the memo ÷ without, median of {ROUNDS} interleaved rounds \
         {:.3} (quartiles {:.3}–{:.3})",
        ratios[ROUNDS / 2],
        ratios[ROUNDS / 4],
        ratios[ROUNDS * 3 / 4]
    );
}

/// Hostile pages, with the memo (a fresh one each pass, so every href is new and the memo
/// fills, starts afresh and fills again) and without it (every href resolved, as before the
/// memo): a page of 100,000 distinct links, a page whose 1,000 hrefs are 8 KiB each, and 1,000
/// links on a page 1,000 directories deep. The memo must not make any of them cost more.
fn hostile(c: &mut Criterion) {
    let strategy = Strategy::Tokenize;
    let page = |hrefs: Vec<String>| {
        let mut html = String::from("<title>hostile</title>");
        for h in hrefs {
            html.push_str(&format!("<a href=\"{h}\">x</a>\n"));
        }
        Bytes::from(html)
    };
    let deep = format!("http://127.0.0.1:1/{}page.html", "s/".repeat(1000));
    let pages = [
        (
            "100,000 links",
            ROOT.to_owned(),
            page((0..100_000).map(|i| format!("p{i}.html")).collect()),
        ),
        (
            "hrefs of 8 KiB",
            ROOT.to_owned(),
            page(
                (0..1000)
                    .map(|i| format!("{i}{}", "x".repeat(8192)))
                    .collect(),
            ),
        ),
        (
            "1,000 directories deep",
            deep,
            page((0..1000).map(|i| format!("../p{i}.html")).collect()),
        ),
    ];
    for (name, url, body) in &pages {
        let url = Url::parse(url).expect("a valid URL");
        interleaved(name, &url, body, strategy);
    }
    let mut group = c.benchmark_group("links hostile");
    for (name, url, body) in &pages {
        let url = Url::parse(url).expect("a valid URL");
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(format!("{name}, memo"), |b| {
            b.iter_batched_ref(
                || fresh(&url),
                |scope| crawl_page(&url, fetched(body), strategy, scope).links.len(),
                BatchSize::SmallInput,
            );
        });
        let no_memo = Scope::new(&url, None).without_href_memo();
        group.bench_function(format!("{name}, no memo"), |b| {
            b.iter(|| {
                crawl_page(&url, fetched(body), strategy, &no_memo)
                    .links
                    .len()
            });
        });
    }
    group.finish();
}

criterion_group! { name = benches; config = common::config(); targets = links, hostile }
criterion_main!(benches);
