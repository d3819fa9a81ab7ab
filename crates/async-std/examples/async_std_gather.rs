//! Three simulated downloads of 2 s each, awaited together: about 2 s, not 6 s.
//!
//! Mirrors `asyncio.gather(download(1), download(2), download(3))`. async-std's stable API has
//! no join macro, so `futures_lite::future::zip` polls futures concurrently in one task (nest
//! it for three); for a list of any length, spawn a task per item and await the handles in
//! order, which returns results in input order. (async-std is discontinued upstream; see its
//! crate docs.)
//!
//! Run with: `cargo run --release -p shootout-async-std --example async_std_gather`
//!
//! You should see: "zip: 3 results in 2.0 s" and "spawned: 10 results in 2.0 s".

use std::time::{Duration, Instant};

use async_std::task;
use futures_lite::future::zip;

async fn download(id: u32) -> String {
    // Stand-in for network latency: the task yields, the thread is free for others.
    task::sleep(Duration::from_secs(2)).await;
    format!("page {id}")
}

fn main() -> anyhow::Result<()> {
    task::block_on(async {
        // A fixed number of futures: zip runs them concurrently and returns a tuple.
        let start = Instant::now();
        let ((a, b), c) = zip(zip(download(1), download(2)), download(3)).await;
        println!(
            "zip: 3 results in {:.1} s: {a}, {b}, {c}",
            start.elapsed().as_secs_f64()
        );

        // Any number: one task each, then await the handles in order.
        let start = Instant::now();
        let handles: Vec<_> = (0..10).map(|id| task::spawn(download(id))).collect();
        let mut pages = Vec::new();
        for h in handles {
            pages.push(h.await);
        }
        println!(
            "spawned: {} results in {:.1} s",
            pages.len(),
            start.elapsed().as_secs_f64()
        );
    });
    Ok(())
}
