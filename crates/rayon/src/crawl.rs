//! `crawl`: level by level, in batches of C; each batch one fetch `par_iter` and one parse
//! `par_iter`.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::{Scraped, crawl_page};
use shootout_core::{Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::fetch;

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
    max_pages: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, max_pages);
    let batch = io.current_num_threads().max(1);
    let mut level = vec![root];
    let mut records = Vec::new();
    while !level.is_empty() {
        let mut next = Vec::new();
        for urls in level.chunks(batch) {
            let fetched: Vec<_> = io.install(|| {
                urls.par_iter()
                    .with_max_len(1)
                    .map(|url| fetch(client, url))
                    .collect()
            });
            let pages: Vec<Scraped> = cpu.install(|| {
                urls.par_iter()
                    .zip(fetched.into_par_iter())
                    .map(|(url, f)| {
                        // rayon would re-raise a panic here in `collect`, losing the level.
                        catch_unwind(AssertUnwindSafe(|| crawl_page(url, f, extract)))
                            .unwrap_or_else(|_| Scraped::failed(url.as_str(), "panicked"))
                    })
                    .collect()
            });
            // Admitting is sequential and in page order, so the frontier needs no lock.
            for page in pages {
                next.extend(frontier.admit_all(page.links));
                records.push(page.record);
            }
        }
        level = next;
    }
    records
}
