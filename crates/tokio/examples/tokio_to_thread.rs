//! Blocking work moved off the runtime, so the other tasks keep running.
//!
//! Mirrors `await asyncio.to_thread(blocking_function)`. Inside an async task, a blocking call
//! (here a one-second `std::thread::sleep`, standing in for a synchronous client or a long
//! parse) holds the worker thread and every task queued on it. `tokio::task::spawn_blocking` runs it on the blocking pool and gives back a
//! future of the result. A heartbeat ticking every 100 ms shows the difference.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_to_thread`
//!
//! You should see: inline, the heartbeat is late by about the whole blocking time (~1 s);
//! with spawn_blocking, it stays within a few milliseconds.

use std::time::{Duration, Instant};

fn blocking_work() -> usize {
    // A synchronous call that takes about a second.
    std::thread::sleep(Duration::from_secs(1));
    42
}

/// Ticks every 100 ms for `total` and returns the worst lateness.
async fn heartbeat(total: Duration) -> Duration {
    let start = Instant::now();
    let mut worst = Duration::ZERO;
    let mut next = start + Duration::from_millis(100);
    while start.elapsed() < total {
        tokio::time::sleep_until(next.into()).await;
        worst = worst.max(next.elapsed());
        next += Duration::from_millis(100);
    }
    worst
}

// One worker thread, so the heartbeat and the work share it, as in an asyncio event loop.
#[tokio::main(flavor = "current_thread")]
async fn main() -> anyhow::Result<()> {
    // Inline: the blocking call runs on the only worker and stalls the heartbeat.
    let beat = tokio::spawn(heartbeat(Duration::from_millis(1500)));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let answer = blocking_work();
    println!(
        "inline:         answer {answer}, heartbeat late by {:?}",
        beat.await?
    );

    // spawn_blocking: the call runs on the blocking pool; the worker stays free.
    let beat = tokio::spawn(heartbeat(Duration::from_millis(1500)));
    tokio::time::sleep(Duration::from_millis(150)).await;
    let answer = tokio::task::spawn_blocking(blocking_work).await?;
    println!(
        "spawn_blocking: answer {answer}, heartbeat late by {:?}",
        beat.await?
    );
    Ok(())
}
