//! `download`: GET each URL, one after another.

use shootout_core::PageRecord;
use shootout_core::page::{contained, download_record};
use shootout_http::blocking::BlockingClient;
use url::Url;

/// The thread sits idle for each response's full latency before asking for the next.
pub fn download(client: &BlockingClient, urls: &[Url]) -> Vec<PageRecord> {
    urls.iter()
        .map(|url| {
            contained(url.as_str(), || {
                download_record(url.as_str(), client.get(url))
            })
        })
        .collect()
}
