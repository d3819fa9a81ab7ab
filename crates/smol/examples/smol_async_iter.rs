//! Pages consumed one by one as they arrive, from a stream fed by concurrent downloads.
//!
//! Mirrors `async for page in fetch_pages(): ...`. smol's channel receiver is a `Stream`, so the
//! consumer is `while let Some(page) = pages.next().await` (futures-lite's `StreamExt`). The
//! stream ends when every sender is dropped.
//!
//! Run with: `cargo run --release -p shootout-smol --example smol_async_iter`
//!
//! You should see: 8 pages printed as they arrive (in completion order, not request order),
//! in about 0.2 s total although each takes 200 ms.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::adapters::SmolRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use smol::Executor;
use smol::stream::StreamExt;

fn main() -> anyhow::Result<()> {
    // A local site whose responses take 200 ms each.
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 8,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(200),
        ..ServerConfig::default()
    })?;
    let ex = Arc::new(Executor::new());
    let client = Arc::new(AsyncClient::new(
        SmolRuntime::new(ex.clone()),
        &Knobs::default(),
    ));

    // Run the executor on this thread while the main future runs.
    smol::block_on(ex.run(async {
        // A bounded channel: producers wait if the consumer falls 4 pages behind.
        let (tx, rx) = smol::channel::bounded(4);
        for url in shootout_site::page_urls(&server.base_url(), 8) {
            let (client, tx) = (client.clone(), tx.clone());
            ex.spawn(async move {
                let result = client.get(&url).await;
                let _ = tx.send((url, result)).await;
            })
            .detach();
        }
        // Drop our sender, so the stream ends when the producers are done.
        drop(tx);

        let start = Instant::now();
        // The receiver is a Stream that must stay put while polled: pin it.
        let mut pages = std::pin::pin!(rx);
        while let Some((url, result)) = pages.next().await {
            let ms = start.elapsed().as_secs_f64() * 1e3;
            match result {
                Ok(page) => println!("{ms:>5.0} ms  {} bytes  {url}", page.body.len()),
                Err(e) => println!("{ms:>5.0} ms  {e}  {url}"),
            }
        }
    }));
    Ok(())
}
