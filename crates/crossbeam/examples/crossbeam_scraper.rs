//! The articles' scraper as a crossbeam pipeline: 20 fetchers feed 2 parsers.
//!
//! Mirrors the producer/consumer version of the scraper: threads that put pages on a
//! `queue.Queue(maxsize=…)` and workers that take them off to parse. The waiting (20 fetches
//! at once) and the CPU work (as many parsers as cores) are sized apart, and the bounded
//! channel between them is the back-pressure: when the parsers fall behind, fetchers block on
//! `send` instead of piling bodies up in memory.
//!
//! Run with: `cargo run --release -p shootout-crossbeam --example crossbeam_scraper`
//!
//! You should see: 20 pages (each held 300 ms by the server) scraped in about 0.3 s, printed
//! with most links first, then the total.

use std::thread;
use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use shootout_core::page::scrape_page;
use shootout_core::{Knobs, Strategy};
use shootout_http::blocking::BlockingClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

// Tokenise (the lab's tokeniser): read <a>, <base> and <title>, build nothing. `Strategy::Dom`
// builds the whole tree, as BeautifulSoup does, for about fifteen times the CPU.
const EXTRACT: Strategy = Strategy::Tokenize;
const FETCHERS: usize = 20;
const PARSERS: usize = 2;

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 20,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    })?;
    let client = BlockingClient::new(&Knobs::default(), FETCHERS);
    let urls = shootout_site::page_urls(&server.base_url(), 20);

    let start = Instant::now();
    let (url_tx, url_rx) = bounded(urls.len());
    // Room for one body per parser: fetchers wait rather than buffer the whole site.
    let (page_tx, page_rx) = bounded(PARSERS);
    let (done_tx, done_rx) = bounded(urls.len());
    for url in &urls {
        url_tx.send(url.clone())?;
    }
    // Closing the URL channel ends each fetcher's loop once it is empty.
    drop(url_tx);
    thread::scope(|s| {
        for _ in 0..FETCHERS {
            let (url_rx, page_tx, client) = (url_rx.clone(), page_tx.clone(), &client);
            s.spawn(move || {
                for url in url_rx {
                    let fetched = client.get(&url);
                    if page_tx.send((url, fetched)).is_err() {
                        break;
                    }
                }
            });
        }
        for _ in 0..PARSERS {
            let (page_rx, done_tx) = (page_rx.clone(), done_tx.clone());
            s.spawn(move || {
                for (url, fetched) in page_rx {
                    let _ = done_tx.send(scrape_page(url.as_str(), fetched, EXTRACT));
                }
            });
        }
        // The stages hold their own clones; dropping these lets each channel close when the
        // stage before it is done.
        drop((page_tx, page_rx, done_tx));
    });
    let mut records: Vec<_> = done_rx.iter().collect();

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
