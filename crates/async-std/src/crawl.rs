//! `crawl`: a coordinator owns the frontier; C page tasks report back over a channel.

use std::collections::VecDeque;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_lite::FutureExt;
use shootout_core::page::{Scraped, crawl_page};
use shootout_core::{CrawlSpec, Frontier, PageRecord, Scope, Strategy};
use url::Url;

use crate::Client;

/// Breadth-first with up to C pages in flight, each fetched on the runtime and parsed off it.
/// Only the coordinator touches the frontier, so it needs no lock, and a URL is admitted (and
/// so fetched) at most once.
pub async fn crawl(
    client: Arc<Client>,
    root: &Url,
    spec: &CrawlSpec,
    concurrency: usize,
    extract: Strategy,
) -> Vec<PageRecord> {
    crawl_with(root, spec, concurrency, move |url, scope| {
        let client = client.clone();
        async move {
            let fetched = client.get_within(&url, &scope).await;
            let owned = url.clone();
            // Parsing is CPU work: keep it off the runtime threads (see scrape.rs).
            async_std::task::spawn_blocking(move || crawl_page(&owned, fetched, extract, &scope))
                .await
        }
    })
    .await
}

/// The crawl loop of [`crawl`], with `visit` deciding how one page is fetched and parsed. Up
/// to C page tasks run at a time; each reports back over a channel, and the pages it links to
/// join the queue.
pub async fn crawl_with<V, Fut>(
    root: &Url,
    spec: &CrawlSpec,
    concurrency: usize,
    visit: V,
) -> Vec<PageRecord>
where
    V: Fn(Url, Arc<Scope>) -> Fut,
    Fut: Future<Output = Scraped> + Send + 'static,
{
    let (mut frontier, root) = Frontier::new(root, spec);
    let mut queue = VecDeque::from([root]);
    // Unbounded is safe here: at most C tasks run, and each sends exactly one message.
    let (done_tx, done_rx) = async_std::channel::unbounded();
    let mut in_flight = 0;
    let mut records = Vec::new();
    loop {
        // Start pages until C are in flight or the queue is empty.
        while in_flight < concurrency {
            let Some(url) = queue.pop_front() else { break };
            let (page, done_tx) = (visit(url.clone(), frontier.scope()), done_tx.clone());
            // Dropping an async-std JoinHandle detaches the task; it runs to the end.
            async_std::task::spawn(async move {
                // Even a panic must report back, or the coordinator would wait forever.
                let page = AssertUnwindSafe(page)
                    .catch_unwind()
                    .await
                    .unwrap_or_else(|_| Scraped::failed(url.as_str(), "panicked"));
                let _ = done_tx.send(page).await;
            });
            in_flight += 1;
        }
        if in_flight == 0 {
            break;
        }
        let page = done_rx
            .recv()
            .await
            .expect("the coordinator holds a sender, so the channel stays open");
        in_flight -= 1;
        queue.extend(frontier.finish(page, &mut records));
    }
    records
}
