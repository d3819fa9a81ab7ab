//! CPU work inside an async task stalls the event loop; moving it to rayon does not.
//!
//! Mirrors the articles' "common asyncio pitfalls": a CPU-bound call inside a coroutine blocks
//! the whole loop, so every other coroutine (here a heartbeat that wants to tick every 10 ms)
//! waits. The fix in asyncio is `run_in_executor`; here it is handing the work to rayon and
//! awaiting a oneshot channel, so the async thread is free while the work runs.
//!
//! Run with: `cargo run --release -p shootout-hybrid --example blocking_pitfall`
//!
//! You should see: inline, the heartbeat is late by about 200 ms (the whole computation);
//! offloaded to rayon, by a few milliseconds at most.

use std::time::{Duration, Instant};

use tokio::sync::oneshot;

/// About 200 ms of CPU work.
fn crunch() -> u64 {
    let start = Instant::now();
    let mut x = 0u64;
    while start.elapsed() < Duration::from_millis(200) {
        x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(1));
    }
    x
}

/// Ticks every 10 ms for `total`; returns the worst lateness.
async fn heartbeat(total: Duration) -> Duration {
    let (start, mut worst) = (Instant::now(), Duration::ZERO);
    while start.elapsed() < total {
        let due = Instant::now() + Duration::from_millis(10);
        tokio::time::sleep_until(due.into()).await;
        worst = worst.max(due.elapsed());
    }
    worst
}

// One thread for every task: the event loop of asyncio.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // Inline: the CPU work runs on the loop's only thread.
    let beat = tokio::spawn(heartbeat(Duration::from_millis(400)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let _ = crunch();
    println!("inline: heartbeat late by up to {:?}", beat.await?);

    // Offloaded: rayon runs it; this task waits on the oneshot, and the loop runs on.
    let beat = tokio::spawn(heartbeat(Duration::from_millis(400)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let (tx, rx) = oneshot::channel();
    rayon::spawn(move || {
        let _ = tx.send(crunch());
    });
    let _ = rx.await?;
    println!("rayon:  heartbeat late by up to {:?}", beat.await?);
    Ok(())
}
