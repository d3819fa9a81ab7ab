//! The articles' scraper with OS threads: fetch and parse 20 pages at once, print a summary.
//!
//! Mirrors `concurrent.futures.ThreadPoolExecutor(max_workers=20).map(scrape, urls)`. In
//! Python the threads overlap their waits, but only one parses at a time (the GIL), so the
//! articles move the parsing elsewhere. Here each thread fetches with the shared blocking
//! client and parses on its own thread, and the parses really run in parallel. Scoped threads
//! borrow the client and the URLs, so nothing needs an `Arc`.
//!
//! Run with: `cargo run --release -p shootout-threads --example threads_scraper`
//!
//! You should see: 20 pages (each held 300 ms by the server) scraped in about 0.3 s, printed
//! with most links first, then the total.

use std::thread;
use std::time::{Duration, Instant};

use shootout_core::page::scrape_page;
use shootout_core::{Knobs, Strategy};
use shootout_http::blocking::BlockingClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

// Tokenise (the lab's tokeniser): read <a>, <base> and <title>, build nothing. `Strategy::Dom`
// builds the whole tree, as BeautifulSoup does, for about fifteen times the CPU.
const EXTRACT: Strategy = Strategy::Tokenize;

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 20,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    })?;
    // One keep-alive connection per thread, shared by all of them.
    let client = BlockingClient::new(&Knobs::default(), 20);
    let urls = shootout_site::page_urls(&server.base_url(), 20);

    let start = Instant::now();
    // A thread per page: 20 threads wait at once, each then parses its own page.
    let mut records = thread::scope(|s| {
        let workers: Vec<_> = urls
            .iter()
            .map(|url| s.spawn(|| scrape_page(url.as_str(), client.get(url), EXTRACT)))
            .collect();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .map_err(|_| anyhow::anyhow!("a scraper thread panicked"))
            })
            .collect::<anyhow::Result<Vec<_>>>()
    })?;

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
