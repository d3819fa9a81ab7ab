//! `scrape`: a tokio task per URL (at most C alive); each parse runs on rayon.

use std::sync::Arc;

use rayon::ThreadPool;
use shootout_core::page::{scrape_page, task_failed};
use shootout_core::{PageRecord, Strategy};
use shootout_tokio::bounded::spawn_bounded;
use url::Url;

use crate::Client;
use crate::offload::on_rayon;

/// tokio's scrape.rs with `spawn_blocking` swapped for the rayon pool.
pub async fn scrape(
    client: Arc<Client>,
    pool: Arc<ThreadPool>,
    urls: &[Url],
    concurrency: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    spawn_bounded(
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, pool, url) = (client.clone(), pool.clone(), urls[i].clone());
            async move {
                let fetched = client.get(&url).await;
                let name = url.to_string();
                on_rayon(&pool, move || scrape_page(url.as_str(), fetched, extract))
                    .await
                    .unwrap_or_else(|| task_failed(&name, "parse panicked"))
            }
        },
    )
    .await
}
