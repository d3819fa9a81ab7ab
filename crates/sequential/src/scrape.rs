//! `scrape`: GET and parse each URL, one after another.

use shootout_core::page::{contained, scrape_page};
use shootout_core::{PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// Waiting and parsing alternate on one thread; neither overlaps the other.
pub fn scrape(client: &BlockingClient, urls: &[Url], extract: Strategy) -> Vec<PageRecord> {
    // `contained`: a panic on one page becomes that page's record, not the end of the run.
    urls.iter()
        .map(|url| {
            contained(url.as_str(), || {
                scrape_page(url.as_str(), client.get(url), extract)
            })
        })
        .collect()
}
