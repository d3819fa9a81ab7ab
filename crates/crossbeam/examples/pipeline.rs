//! A fetch → parse → collect pipeline on bounded channels, with back-pressure.
//!
//! Mirrors a chain of `queue.Queue(maxsize=…)` stages between groups of threads (or
//! `multiprocessing` processes). Each stage has its own thread count, 6 fetchers waiting on the
//! network and 2 parsers on the cores, and the channels between them are bounded: if parsing
//! falls behind, the fetchers block on a full channel instead of piling up bodies in memory.
//!
//! Run with: `cargo run --release -p shootout-crossbeam --example pipeline`
//!
//! You should see: 24 pages (200 ms each) fetched by 6 threads in about 0.8 s (4 rounds),
//! parsed as they arrive, then the top pages by link count.

use std::time::{Duration, Instant};

use crossbeam_channel::bounded;
use shootout_core::page::scrape_page;
use shootout_core::{Knobs, Strategy};
use shootout_http::blocking::BlockingClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 24,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(200),
        ..ServerConfig::default()
    })?;
    let client = BlockingClient::new(&Knobs::default(), 6);
    let urls = shootout_site::page_urls(&server.base_url(), 24);

    // Bounded channels: a full one makes its senders wait (back-pressure).
    let (jobs_tx, jobs_rx) = bounded(6);
    let (fetched_tx, fetched_rx) = bounded(4);
    let (done_tx, done_rx) = bounded(6);

    let start = Instant::now();
    let mut records = std::thread::scope(|s| {
        // Stage 1: 6 fetchers. crossbeam receivers can be cloned: no Mutex needed.
        for _ in 0..6 {
            let (jobs_rx, fetched_tx, client) = (jobs_rx.clone(), fetched_tx.clone(), &client);
            s.spawn(move || {
                for url in jobs_rx {
                    let page = client.get(&url);
                    if fetched_tx.send((url, page)).is_err() {
                        break;
                    }
                }
            });
        }
        // Stage 2: 2 parsers.
        for _ in 0..2 {
            let (fetched_rx, done_tx) = (fetched_rx.clone(), done_tx.clone());
            s.spawn(move || {
                for (url, page) in fetched_rx {
                    let _ = done_tx.send(scrape_page(url.as_str(), page, Strategy::Tokenize));
                }
            });
        }
        // Drop the originals, so each channel closes when its last stage thread finishes.
        drop((fetched_tx, done_tx));
        // Stage 0: a feeder thread, so this thread is free to collect (a bounded channel in
        // each direction on one thread could deadlock).
        s.spawn(move || {
            for url in urls {
                let _ = jobs_tx.send(url);
            }
        });
        // Stage 3: collect until every parser is done.
        done_rx.iter().collect::<Vec<_>>()
    });
    println!(
        "{} pages in {:.2} s",
        records.len(),
        start.elapsed().as_secs_f64()
    );
    records.sort_by_key(|r| std::cmp::Reverse(r.links));
    for r in records.iter().take(5) {
        println!("{r}");
    }
    Ok(())
}
