//! `crawl`: breadth-first from the root, one page at a time.

use std::collections::VecDeque;

use shootout_core::page::{contained_crawl, crawl_page};
use shootout_core::{CrawlSpec, Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// A FIFO queue makes the crawl breadth-first; the frontier admits each URL once.
pub fn crawl(
    client: &BlockingClient,
    root: &Url,
    spec: &CrawlSpec,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, spec);
    let scope = frontier.scope();
    let mut queue = VecDeque::from([root]);
    let mut records = Vec::new();
    while let Some(url) = queue.pop_front() {
        // A panic on one page becomes that page's record, not the end of the crawl.
        let page = contained_crawl(&url, || {
            crawl_page(&url, client.get_within(&url, &scope), extract, &scope)
        });
        queue.extend(frontier.finish(page, &mut records));
    }
    records
}
