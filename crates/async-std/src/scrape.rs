//! `scrape`: a task per URL; the body is parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::scrape_page;
use url::Url;

use crate::{Client, contained};

/// Fetches on the runtime threads, parses on `spawn_blocking`.
pub async fn scrape(client: Arc<Client>, urls: &[Url]) -> Vec<PageRecord> {
    let tasks: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            async_std::task::spawn(contained(url.to_string(), async move {
                let fetched = client.get(&url).await;
                // Parsing is CPU work: on a runtime thread it would stall every other task
                // there. spawn_blocking moves it to the blocking pool. `scraper::Html` is !Send, so it
                // is built and dropped inside the closure; only the plain record comes back.
                async_std::task::spawn_blocking(move || scrape_page(url.as_str(), fetched).record)
                    .await
            }))
        })
        .collect();
    let mut records = Vec::with_capacity(urls.len());
    for task in tasks {
        records.push(task.await);
    }
    records
}
