//! `scrape`: C threads that fetch and then parse, each on its own.

use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::gate::Gate;
use crate::pool::run_pool;

/// Parsing happens on the same thread that fetched, right away, once `parsing` lets it in (at
/// most T threads parse at once). With no GIL, two threads parsing at once really use two
/// cores; in CPython they would take turns.
pub fn scrape(
    client: &BlockingClient,
    urls: &[Url],
    concurrency: usize,
    parsing: &Gate,
    extract: Strategy,
) -> Vec<PageRecord> {
    run_pool(
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let fetched = client.get(&urls[i]);
            parsing.run(|| scrape_page(urls[i].as_str(), fetched, extract))
        },
    )
}
