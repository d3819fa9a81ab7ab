//! `crawl`: tokio's coordinator and channel; every parse on rayon.

use std::collections::VecDeque;
use std::sync::Arc;

use rayon::ThreadPool;
use shootout_core::page::{Scraped, scrape_page, task_failed};
use shootout_core::{Frontier, PageRecord};
use tokio::sync::mpsc;
use url::Url;

use crate::Client;
use crate::offload::on_rayon;

/// The same coordinator as tokio's crawl.rs: only the coordinator touches the frontier, C
/// pages are in flight, and each page task reports back over a channel. The difference is
/// where parsing runs: on rayon's T threads, so the tokio workers only ever do I/O.
pub async fn crawl(
    client: Arc<Client>,
    pool: Arc<ThreadPool>,
    root: &Url,
    max_pages: usize,
    concurrency: usize,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, max_pages);
    let mut queue = VecDeque::from([root]);
    // Unbounded is safe here: at most C tasks run, and each sends exactly one message.
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut in_flight = 0;
    let mut records = Vec::new();
    loop {
        // Start pages until C are in flight or the queue is empty.
        while in_flight < concurrency {
            let Some(url) = queue.pop_front() else { break };
            let (client, pool, done_tx) = (client.clone(), pool.clone(), done_tx.clone());
            tokio::spawn(async move {
                let fetched = client.get(&url).await;
                let owned = url.clone();
                // Parsing cannot panic the task (on_rayon catches it), so the report below
                // always happens and the coordinator never waits forever.
                let page = on_rayon(&pool, move || scrape_page(owned.as_str(), fetched))
                    .await
                    .unwrap_or_else(|| Scraped {
                        record: task_failed(url.as_str(), "parse panicked"),
                        hrefs: Vec::new(),
                    });
                let _ = done_tx.send((url, page));
            });
            in_flight += 1;
        }
        if in_flight == 0 {
            break;
        }
        let (url, page) = done_rx
            .recv()
            .await
            .expect("the coordinator holds a sender, so the channel stays open");
        in_flight -= 1;
        queue.extend(frontier.admit_all(&url, &page.hrefs));
        records.push(page.record);
    }
    records
}
