//! Three downloads that each take 2 s: one after another, on threads, then as async tasks.
//!
//! This is the opening example of the Python articles: `download()` called three times in a
//! row takes 6 s, while three `threading.Thread`s, or three coroutines under
//! `asyncio.gather`, take about 2 s, because the time is spent waiting, and waits can overlap.
//! Threads overlap them by giving each wait its own OS thread; async overlaps them on one
//! thread, by switching to another task whenever one would wait. Here the "slow server" is the
//! embedded site on 127.0.0.1, told to hold every response for 2 s. (Rust has no GIL, so the
//! threads would also run CPU work in parallel; here they only wait.)
//!
//! Run with: `cargo run --release --example three_downloads` (or add `-- 500` for 500 ms).
//!
//! You should see: sequential about 6.0 s, threads about 2.0 s, async about 2.0 s.

use std::time::{Duration, Instant};

use anyhow::Context;
use shootout_core::Knobs;
use shootout_http::adapters::TokioRuntime;
use shootout_http::blocking::BlockingClient;
use shootout_http::engine::AsyncClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use url::Url;

fn main() -> anyhow::Result<()> {
    let latency_ms: u64 = match std::env::args().nth(1) {
        Some(arg) => arg
            .parse()
            .with_context(|| format!("'{arg}' is not a number of milliseconds"))?,
        None => 2000,
    };

    // Start a local server that holds every response for `latency_ms`.
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 3,
            page_kb: 4,
            seed: 1,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(latency_ms),
        ..ServerConfig::default()
    })?;
    let urls: Vec<Url> = shootout_site::page_urls(&server.base_url(), 3);
    // One client for both runs; it keeps up to 3 connections alive.
    let client = BlockingClient::new(&Knobs::default(), 3);

    // Download one after another: each call blocks until its response arrives.
    let start = Instant::now();
    for url in &urls {
        let page = client.get(url)?;
        println!("  sequential: {url} -> {} bytes", page.body.len());
    }
    println!("sequential: {:.1} s", start.elapsed().as_secs_f64());

    // Download on three threads: the three waits overlap.
    let start = Instant::now();
    std::thread::scope(|s| {
        // A scoped thread may borrow `client` and `urls`: the scope joins them all before
        // returning, so the borrows cannot outlive the data.
        let client = &client;
        let handles: Vec<_> = urls
            .iter()
            .map(|url| s.spawn(move || (url, client.get(url))))
            .collect();
        for h in handles {
            let (url, page) = h.join().expect("a download thread panicked");
            match page {
                Ok(p) => println!("  threads:    {url} -> {} bytes", p.body.len()),
                Err(e) => println!("  threads:    {url} -> {e}"),
            }
        }
    });
    println!("threads:    {:.1} s", start.elapsed().as_secs_f64());

    // Download as async tasks on a one-thread runtime: the waits overlap without threads.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = AsyncClient::new(
        TokioRuntime::new(runtime.handle().clone()),
        &Knobs::default(),
    );
    let start = Instant::now();
    runtime.block_on(async {
        // `join!` is `asyncio.gather`: poll all three, return when all are done.
        let (a, b, c) = tokio::join!(
            client.get(&urls[0]),
            client.get(&urls[1]),
            client.get(&urls[2])
        );
        for (url, page) in urls.iter().zip([a, b, c]) {
            match page {
                Ok(p) => println!("  async:      {url} -> {} bytes", p.body.len()),
                Err(e) => println!("  async:      {url} -> {e}"),
            }
        }
    });
    println!("async:      {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
