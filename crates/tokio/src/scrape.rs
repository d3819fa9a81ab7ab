//! `scrape`: a task per URL; the body is parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::{scrape_page, task_failed};
use url::Url;

use crate::Client;

/// Fetches on the async workers, parses on `spawn_blocking`.
pub async fn scrape(client: Arc<Client>, urls: &[Url]) -> Vec<PageRecord> {
    let tasks: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            tokio::spawn(async move {
                let fetched = client.get(&url).await;
                // Parsing is CPU work: done on a worker it would stall every other task on
                // that worker. spawn_blocking moves it to the blocking pool. `scraper::Html`
                // is !Send, so it is built and dropped inside the closure; only the plain
                // record comes back.
                let name = url.to_string();
                tokio::task::spawn_blocking(move || scrape_page(url.as_str(), fetched).record)
                    .await
                    .unwrap_or_else(|e| task_failed(&name, e))
            })
        })
        .collect();
    let mut records = Vec::with_capacity(urls.len());
    for (url, task) in urls.iter().zip(tasks) {
        records.push(task.await.unwrap_or_else(|e| task_failed(url.as_str(), e)));
    }
    records
}
