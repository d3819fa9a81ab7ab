//! `scrape`: a task per URL, at most C alive at once; bodies are parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use smol::Executor;
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// Fetches on the executor threads, parses on `unblock`.
pub async fn scrape(
    ex: &Executor<'static>,
    client: Arc<Client>,
    urls: &[Url],
    concurrency: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    spawn_bounded(
        ex,
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, url) = (client.clone(), urls[i].clone());
            async move {
                let fetched = client.get(&url).await;
                // Parsing is CPU work: on an executor thread it would stall every other task there.
                // unblock moves it to the blocking pool. Either parser's state (scraper's `Html`,
                // lol_html's rewriter) is !Send, so it is built and dropped inside the closure;
                // only the plain record comes back.
                smol::unblock(move || scrape_page(url.as_str(), fetched, extract)).await
            }
        },
    )
    .await
}
