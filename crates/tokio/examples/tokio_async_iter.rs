//! Pages consumed one by one as they arrive, from a stream fed by concurrent downloads.
//!
//! Mirrors `async for page in fetch_pages(): ...`. In tokio the simplest async iterator is a
//! channel receiver: producers send as pages arrive, the consumer loops with
//! `while let Some(page) = rx.recv().await`. The loop ends when every sender is dropped.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_async_iter`
//!
//! You should see: 8 pages printed as they arrive (in completion order, not request order),
//! in about 0.2 s total although each takes 200 ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use tokio::sync::mpsc;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A local site whose responses take 200 ms each.
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 8,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(200),
        ..ServerConfig::default()
    })?;
    let client = Arc::new(AsyncClient::new(
        TokioRuntime::new(tokio::runtime::Handle::current()),
        &Knobs::default(),
    ));

    // A bounded channel: producers wait if the consumer falls 4 pages behind.
    let (tx, mut rx) = mpsc::channel(4);
    for url in shootout_site::page_urls(&server.base_url(), 8) {
        let (client, tx) = (client.clone(), tx.clone());
        tokio::spawn(async move {
            let result = client.get(&url).await;
            let _ = tx.send((url, result)).await;
        });
    }
    // Drop our sender, so the loop below ends when the producers are done.
    drop(tx);

    let start = Instant::now();
    while let Some((url, result)) = rx.recv().await {
        match result {
            Ok(page) => println!(
                "{:>5.0} ms  {} bytes  {url}",
                start.elapsed().as_secs_f64() * 1e3,
                page.body.len()
            ),
            Err(e) => println!(
                "{:>5.0} ms  {e}  {url}",
                start.elapsed().as_secs_f64() * 1e3
            ),
        }
    }
    Ok(())
}
