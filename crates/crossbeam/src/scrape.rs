//! `scrape`: GETs in the fetch stage, parsing in the parse stage, overlapped.

use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::pipeline::{Stages, run};

/// Unlike rayon's two phases, a page is parsed as soon as it arrives, while later pages are
/// still in flight: waiting and parsing overlap.
pub fn scrape(
    stages: &Stages,
    client: &BlockingClient,
    urls: &[Url],
    extract: Strategy,
) -> Vec<PageRecord> {
    run(
        stages,
        urls.len(),
        |i| urls[i].to_string(),
        |i| client.get(&urls[i]),
        |i, fetched| scrape_page(urls[i].as_str(), fetched, extract),
    )
}
