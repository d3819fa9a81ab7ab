//! Blocking work moved off the runtime, so the other tasks keep running.
//!
//! Mirrors `await asyncio.to_thread(blocking_function)`. Inside an async task, a blocking call
//! holds its thread and every task queued behind it. `async_std::task::spawn_blocking` runs it
//! on the blocking pool and gives back a future of the result. A heartbeat ticking every
//! 100 ms, driven on the same thread as the work, shows the difference.
//!
//! Run with: `cargo run --release -p shootout-async-std --example async_std_to_thread`
//!
//! You should see: inline, the heartbeat is late by about the whole blocking time (~1 s);
//! with spawn_blocking, it stays within a few milliseconds.

use std::time::{Duration, Instant};

use async_std::task;
use futures_lite::future::zip;

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
        task::sleep(next.saturating_duration_since(Instant::now())).await;
        worst = worst.max(next.elapsed());
        next += Duration::from_millis(100);
    }
    worst
}

fn main() -> anyhow::Result<()> {
    // `zip` polls both futures in one task on this thread, as one asyncio event loop would.
    task::block_on(async {
        // Inline: the blocking call stalls the thread, heartbeat included.
        let work = async {
            task::sleep(Duration::from_millis(150)).await;
            blocking_work()
        };
        let (answer, late) = zip(work, heartbeat(Duration::from_millis(1500))).await;
        println!("inline:         answer {answer}, heartbeat late by {late:?}");

        // spawn_blocking: the call runs on the blocking pool; this thread stays free.
        let work = async {
            task::sleep(Duration::from_millis(150)).await;
            task::spawn_blocking(blocking_work).await
        };
        let (answer, late) = zip(work, heartbeat(Duration::from_millis(1500))).await;
        println!("spawn_blocking: answer {answer}, heartbeat late by {late:?}");
    });
    Ok(())
}
