//! `download`: C threads, each blocking on one request at a time.

use shootout_core::PageRecord;
use shootout_core::page::download_record;
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::pool::run_pool;

/// A thread per request in flight: C threads give C concurrent requests.
pub fn download(client: &BlockingClient, urls: &[Url], concurrency: usize) -> Vec<PageRecord> {
    run_pool(
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| download_record(urls[i].as_str(), client.get(&urls[i])),
    )
}
