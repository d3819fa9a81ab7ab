//! `crawl`: level by level, in batches of C; each batch one fetch `par_iter` and one parse
//! `par_iter`.

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::{Scraped, contained_crawl, crawl_page};
use shootout_core::{CrawlSpec, Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// Data parallelism wants the whole batch up front, and a crawl discovers its batches as it
/// goes, so rayon crawls one level at a time. Each level waits for its slowest page before the
/// next level starts: compare this crawl's ×ideal with the task-based contestants'.
///
/// A level is taken in batches of C pages: fetch the batch on the I/O pool, parse it on the
/// CPU pool, admit its links, next batch. Fetching a whole level before parsing any of it
/// would hold every body of the level at once; on the Rust documentation one level is about
/// 20,000 pages, 330 MB of bodies, and that crawl peaked at 502 MB. Batches of C hold no more
/// bodies than C requests in flight do.
pub fn crawl(
    io: &ThreadPool,
    cpu: &ThreadPool,
    client: &BlockingClient,
    root: &Url,
    spec: &CrawlSpec,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, spec);
    let scope = frontier.scope();
    let batch = io.current_num_threads().max(1);
    let mut level = vec![root];
    let mut records = Vec::new();
    while !level.is_empty() {
        let mut next = Vec::new();
        for urls in level.chunks(batch) {
            let fetched: Vec<_> = io.install(|| {
                urls.par_iter()
                    .with_max_len(1)
                    .map(|url| client.get_within(url, &scope))
                    .collect()
            });
            let pages: Vec<Scraped> = cpu.install(|| {
                urls.par_iter()
                    .zip(fetched.into_par_iter())
                    // rayon would re-raise a panic here in `collect`, losing the level.
                    .map(|(url, f)| contained_crawl(url, || crawl_page(url, f, extract, &scope)))
                    .collect()
            });
            // Admitting is sequential and in page order, so the frontier needs no lock.
            for page in pages {
                next.extend(frontier.finish(page, &mut records));
            }
        }
        level = next;
    }
    records
}
