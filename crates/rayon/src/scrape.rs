//! `scrape`: fetch all on the I/O pool, then parse all on the CPU pool.

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use shootout_core::page::contained;

/// Two `Pool.map`s in a row. The phases do not overlap: no page is parsed until the last one
/// has arrived, which costs little when latency dominates and much when parsing does.
pub fn scrape(
    io: &ThreadPool,
    cpu: &ThreadPool,
    client: &BlockingClient,
    urls: &[Url],
    extract: Strategy,
) -> Vec<PageRecord> {
    let fetched: Vec<_> = io.install(|| {
        urls.par_iter()
            .with_max_len(1)
            .map(|url| client.get(url))
            .collect()
    });
    cpu.install(|| {
        urls.par_iter()
            .zip(fetched.into_par_iter())
            .map(|(url, f)| contained(url.as_str(), || scrape_page(url.as_str(), f, extract)))
            .collect()
    })
}
