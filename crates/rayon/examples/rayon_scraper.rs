//! The articles' scraper with rayon: a pool of 20 threads maps scrape over the URLs.
//!
//! Mirrors `multiprocessing.Pool(20).map(scrape, urls)`: the same one-line shape, but the
//! workers are threads in this process, not processes that each receive a pickled URL and
//! send back a pickled result. rayon's pools are meant for CPU work; a fetch blocks its
//! thread, so this pool is sized for the waits (20), apart from rayon's global pool, which
//! stays free for CPU work. The shootout's rayon contestant keeps two pools for this reason.
//!
//! Run with: `cargo run --release -p shootout-rayon --example rayon_scraper`
//!
//! You should see: 20 pages (each held 300 ms by the server) scraped in about 0.3 s, printed
//! with most links first, then the total.

use std::time::{Duration, Instant};

use rayon::prelude::*;
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
    let client = BlockingClient::new(&Knobs::default(), 20);
    let urls = shootout_site::page_urls(&server.base_url(), 20);
    // Built before the clock starts, like `Pool(20)` before `map`.
    let pool = rayon::ThreadPoolBuilder::new().num_threads(20).build()?;

    let start = Instant::now();
    // `with_max_len(1)`: one URL per task, so all 20 threads wait at once instead of rayon
    // handing each thread a run of URLs to fetch one after another.
    let mut records: Vec<_> = pool.install(|| {
        urls.par_iter()
            .with_max_len(1)
            .map(|url| scrape_page(url.as_str(), client.get(url), EXTRACT))
            .collect()
    });

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
