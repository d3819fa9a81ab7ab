//! `scrape`: a task per URL; the body is parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::page::scrape_page;
use smol::Executor;
use url::Url;

use crate::{Client, contained};

/// Fetches on the executor threads, parses on `unblock`.
pub async fn scrape(ex: &Executor<'static>, client: Arc<Client>, urls: &[Url]) -> Vec<PageRecord> {
    let tasks: Vec<_> = urls
        .iter()
        .map(|url| {
            let (client, url) = (client.clone(), url.clone());
            ex.spawn(contained(url.to_string(), async move {
                let fetched = client.get(&url).await;
                // Parsing is CPU work: on an executor thread it would stall every other task
                // there. unblock moves it to the blocking pool. `scraper::Html` is !Send, so it
                // is built and dropped inside the closure; only the plain record comes back.
                smol::unblock(move || scrape_page(url.as_str(), fetched).record).await
            }))
        })
        .collect();
    let mut records = Vec::with_capacity(urls.len());
    for task in tasks {
        records.push(task.await);
    }
    records
}
