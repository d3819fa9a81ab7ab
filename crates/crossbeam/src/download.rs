//! `download`: GETs in the fetch stage; the parse stage only makes the record.

use shootout_core::PageRecord;
use shootout_core::page::download_record;
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::pipeline::{Stages, run};

/// C fetch threads keep C requests in flight.
pub fn download(stages: &Stages, client: &BlockingClient, urls: &[Url]) -> Vec<PageRecord> {
    run(
        stages,
        urls.len(),
        |i| urls[i].to_string(),
        |i| client.get(&urls[i]),
        |i, fetched| download_record(urls[i].as_str(), fetched),
    )
}
