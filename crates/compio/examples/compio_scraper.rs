//! The articles' concurrent web scraper, thread-per-core: the pages dealt to T cores, each
//! core fetching its share at once and parsing each page itself, then one summary.
//!
//! Mirrors the aiohttp + BeautifulSoup scraper (`asyncio.gather` over `fetch(session, url)`,
//! then parse each page and print them sorted by link count), run the way a thread-per-core
//! server runs it: one event loop per core, as with one `asyncio.run` per process of a
//! `multiprocessing.Pool`. Unlike the smol and tokio scrapers, the parse is not sent to a
//! blocking pool: the core that holds the bytes parses them, inline. That is the design's
//! trade (no hand-off, no second pool; the core's other requests wait during a parse), and
//! `shootout run pitfall --contestants compio` measures what it costs them.
//!
//! Run with: `cargo run --release -p shootout-compio --example compio_scraper`
//!
//! You should see: 20 pages (each held 300 ms by the server) scraped on 2 cores in about
//! 0.3 s, printed with most links first, then the total.

use std::rc::Rc;
use std::time::{Duration, Instant};

use shootout_core::page::scrape_page;
use shootout_core::{Knobs, PageRecord, Strategy};
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use url::Url;

// Tokenise (the lab's tokeniser): read <a>, <base> and <title>, build nothing. `Strategy::Dom`
// builds the whole tree, as BeautifulSoup does, for about fifteen times the CPU.
const EXTRACT: Strategy = Strategy::Tokenize;
const CORES: usize = 2;

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 20,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    })?;
    let start = Instant::now();
    // Deal the pages round-robin, before anything starts.
    let mut shares: Vec<Vec<Url>> = vec![Vec::new(); CORES];
    for (i, url) in shootout_site::page_urls(&server.base_url(), 20)
        .into_iter()
        .enumerate()
    {
        shares[i % CORES].push(url);
    }
    let mut records: Vec<PageRecord> = std::thread::scope(|s| {
        let cores: Vec<_> = shares
            .into_iter()
            .map(|urls| s.spawn(move || one_core(urls)))
            .collect();
        cores
            .into_iter()
            .map(|c| c.join().expect("a core's thread finishes"))
            .collect::<anyhow::Result<Vec<_>>>()
    })?
    .into_iter()
    .flatten()
    .collect();

    // Most links first, as the original prints them.
    records.sort_by_key(|r| std::cmp::Reverse(r.links));
    for r in &records {
        println!("{r}");
    }
    println!(
        "{} pages in {:.2} s on {CORES} cores",
        records.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}

/// One core: its own runtime, its own client, every page of its share at once.
fn one_core(urls: Vec<Url>) -> anyhow::Result<Vec<PageRecord>> {
    let knobs = Knobs {
        concurrency: urls.len(),
        ..Knobs::default()
    };
    let client = Rc::new(AsyncClient::new(CompioRuntime, &knobs));
    compio::runtime::Runtime::new()?.block_on(async {
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|url| {
                let client = client.clone();
                compio::runtime::spawn(async move {
                    let fetched = client.get(&url).await;
                    // Parsed right here, on the core that fetched it.
                    scrape_page(url.as_str(), fetched, EXTRACT)
                })
            })
            .collect();
        let mut records = Vec::new();
        for t in tasks {
            records.push(
                t.await
                    .map_err(|e| anyhow::anyhow!("a page's task failed: {e:?}"))?,
            );
        }
        Ok(records)
    })
}
