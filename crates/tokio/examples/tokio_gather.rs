//! Three simulated downloads of 2 s each, awaited together: about 2 s, not 6 s.
//!
//! Mirrors `asyncio.gather(download(1), download(2), download(3))`. `tokio::join!` polls the
//! three futures concurrently inside one task; for a list of any length, spawn one task per
//! item and await the handles in order, which returns results in input order, as gather does.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_gather`
//!
//! You should see: "join!: 3 results in 2.0 s" and "spawned: 10 results in 2.0 s".

use std::time::{Duration, Instant};

async fn download(id: u32) -> String {
    // Stand-in for network latency: the task yields, the thread is free for others.
    tokio::time::sleep(Duration::from_secs(2)).await;
    format!("page {id}")
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // A fixed number of futures: join! runs them concurrently and returns a tuple.
    let start = Instant::now();
    let (a, b, c) = tokio::join!(download(1), download(2), download(3));
    println!(
        "join!: 3 results in {:.1} s: {a}, {b}, {c}",
        start.elapsed().as_secs_f64()
    );

    // Any number: one task each, then await the handles in order.
    let start = Instant::now();
    let handles: Vec<_> = (0..10).map(|id| tokio::spawn(download(id))).collect();
    let mut pages = Vec::new();
    for h in handles {
        pages.push(h.await?);
    }
    println!(
        "spawned: {} results in {:.1} s",
        pages.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
