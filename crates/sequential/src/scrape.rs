//! `scrape`: GET and parse each URL, one after another.

use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// Waiting and parsing alternate on one thread; neither overlaps the other.
pub fn scrape(client: &BlockingClient, urls: &[Url], extract: Strategy) -> Vec<PageRecord> {
    urls.iter()
        .map(|url| scrape_page(url.as_str(), client.get(url), extract))
        .collect()
}
