//! `crawl`: level by level; each level is one fetch `par_iter` and one parse `par_iter`.

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::{Scraped, crawl_page};
use shootout_core::{Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// Data parallelism wants the whole batch up front, and a crawl discovers its batches as it
/// goes, so rayon crawls one level at a time. Each level waits for its slowest page before the
/// next level starts: compare this crawl's ×ideal with the task-based contestants'.
pub fn crawl(
    io: &ThreadPool,
    cpu: &ThreadPool,
    client: &BlockingClient,
    root: &Url,
    max_pages: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, max_pages);
    let mut level = vec![root];
    let mut records = Vec::new();
    while !level.is_empty() {
        let fetched: Vec<_> = io.install(|| {
            level
                .par_iter()
                .with_max_len(1)
                .map(|url| client.get(url))
                .collect()
        });
        let pages: Vec<Scraped> = cpu.install(|| {
            level
                .par_iter()
                .zip(fetched.into_par_iter())
                .map(|(url, f)| {
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        crawl_page(url, f, extract)
                    }))
                    .unwrap_or_else(|_| Scraped::failed(url.as_str(), "panicked"))
                })
                .collect()
        });
        // Admitting is sequential and in page order, so the frontier needs no lock.
        let mut next = Vec::new();
        for page in pages {
            next.extend(frontier.admit_all(page.links));
            records.push(page.record);
        }
        level = next;
    }
    records
}
