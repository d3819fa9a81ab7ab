//! The articles' concurrent web scraper: fetch pages at once, parse them, print a summary.
//!
//! Mirrors the aiohttp + BeautifulSoup scraper: `asyncio.gather` over `fetch(session, url)`,
//! then parse each page and print them sorted by link count. Here the fetches are tokio tasks
//! on the shared hyper engine, and each parse runs on `spawn_blocking`, because parsing is CPU
//! work that would otherwise stall the other tasks on its worker.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_scraper`
//!
//! You should see: 20 pages (each held 300 ms by the server) scraped in about 0.3 s, printed
//! with most links first, then the total.

use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::page::scrape_page;
use shootout_core::{Knobs, Strategy};
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

// Tokenise (the lab's tokeniser): read <a>, <base> and <title>, build nothing. `Strategy::Dom`
// builds the whole tree, as BeautifulSoup does, for about fifteen times the CPU.
const EXTRACT: Strategy = Strategy::Tokenize;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 20,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    })?;
    let knobs = Knobs {
        concurrency: 20,
        ..Knobs::default()
    };
    let client = Arc::new(AsyncClient::new(
        TokioRuntime::new(tokio::runtime::Handle::current()),
        &knobs,
    ));

    let start = Instant::now();
    // Fetch every page at once; parse each on the blocking pool.
    let tasks: Vec<_> = shootout_site::page_urls(&server.base_url(), 20)
        .into_iter()
        .map(|url| {
            let client = client.clone();
            tokio::spawn(async move {
                let fetched = client.get(&url).await;
                tokio::task::spawn_blocking(move || scrape_page(url.as_str(), fetched, EXTRACT))
                    .await
            })
        })
        .collect();
    let mut records = Vec::new();
    for t in tasks {
        records.push(t.await??);
    }

    // Most links first, as the original prints them.
    records.sort_by_key(|r| std::cmp::Reverse(r.links));
    for r in &records {
        println!("{r}");
    }
    println!(
        "{} pages in {:.2} s",
        records.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
