//! `scrape`: a task per URL, at most C alive at once; bodies are parsed on the blocking pool.

use std::sync::Arc;

use shootout_core::page::scrape_page;
use shootout_core::{PageRecord, Strategy};
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// Fetches on the runtime threads, parses on `spawn_blocking`.
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
                // Parsing is CPU work: on a runtime thread it would stall every other task there.
                // spawn_blocking moves it to the blocking pool. Either parser's state (scraper's
                // `Html`, lol_html's rewriter) is !Send, so it is built and dropped inside the
                // closure; only the plain record comes back.
                async_std::task::spawn_blocking(move || scrape_page(url.as_str(), fetched, extract))
                    .await
            }
        },
    )
    .await
}
