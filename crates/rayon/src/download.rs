//! `download`: a `par_iter` of blocking GETs on the C-thread I/O pool.

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::PageRecord;
use shootout_core::page::download_record;
use shootout_http::blocking::BlockingClient;
use url::Url;

use shootout_core::page::contained;

/// `Pool.map(download, urls)` with C threads.
pub fn download(io: &ThreadPool, client: &BlockingClient, urls: &[Url]) -> Vec<PageRecord> {
    io.install(|| {
        urls.par_iter()
            // One item per task: rayon would otherwise hand a thread a run of requests in a row.
            .with_max_len(1)
            .map(|url| {
                contained(url.as_str(), || {
                    download_record(url.as_str(), client.get(url))
                })
            })
            .collect()
    })
}
