//! `crawl`: tokio's coordinator and channel; every parse on rayon.

use std::sync::Arc;

use rayon::ThreadPool;
use shootout_core::page::{Scraped, crawl_page};
use shootout_core::{CrawlSpec, PageRecord, Strategy};
use shootout_tokio::crawl::crawl_with;
use url::Url;

use crate::Client;
use crate::offload::on_rayon;

/// tokio's crawl loop (re-used, not copied), visiting each page with a fetch on tokio and a
/// parse on rayon's T threads, so the tokio workers only ever do I/O.
pub async fn crawl(
    client: Arc<Client>,
    pool: Arc<ThreadPool>,
    root: &Url,
    spec: &CrawlSpec,
    concurrency: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    crawl_with(root, spec, concurrency, move |url, scope| {
        let (client, pool) = (client.clone(), pool.clone());
        async move {
            let fetched = client.get_within(&url, &scope).await;
            let owned = url.clone();
            on_rayon(&pool, move || crawl_page(&owned, fetched, extract, &scope))
                .await
                .unwrap_or_else(|| Scraped::failed(url.as_str(), "parse panicked"))
        }
    })
    .await
}
