//! `scrape`: a task per URL, at most C alive at once; bodies are parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::page::{scrape_page, task_failed};
use shootout_core::{PageRecord, Strategy};
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// Fetches on the async workers, parses on `spawn_blocking`.
pub async fn scrape(
    client: Arc<Client>,
    urls: &[Url],
    concurrency: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    spawn_bounded(
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, url) = (client.clone(), urls[i].clone());
            async move {
                let fetched = client.get(&url).await;
                // Parsing is CPU work: done on a worker it would stall every other task on that
                // worker. spawn_blocking moves it to the blocking pool. Either parser's state
                // (scraper's `Html`, lol_html's rewriter) is !Send, so it is built and dropped
                // inside the closure; only the plain record comes back.
                let name = url.to_string();
                tokio::task::spawn_blocking(move || scrape_page(url.as_str(), fetched, extract))
                    .await
                    .unwrap_or_else(|e| task_failed(&name, e))
            }
        },
    )
    .await
}
