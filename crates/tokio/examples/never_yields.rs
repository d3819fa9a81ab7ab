//! A task that never yields stalls every other task on its thread; `yield_now` lets them run.
//!
//! Mirrors a coroutine that loops without an `await` (or calls `time.sleep`): asyncio can only
//! switch tasks at an `await`, and so can tokio. On a current-thread runtime (one thread, like
//! asyncio's loop) a heartbeat task asks to tick every 10 ms while another task counts to 300
//! million. Without an `.await` in the loop the heartbeat waits for the whole count; with
//! `tokio::task::yield_now().await` every 100,000 steps it ticks on time, and the count takes
//! about as long. (The other half of this lesson, a forgotten `.await`, is a compile-time
//! warning in Rust, `unused_must_use`: see the compile-fail doctest in
//! `shootout_tokio::lessons`.)
//!
//! Run with: `cargo run --release -p shootout-tokio --example never_yields`
//!
//! You should see: without yielding, the heartbeat's longest gap is as long as the whole
//! count (a few hundred ms); with `yield_now`, about 10 ms. The count itself takes roughly as
//! long either way: 3,000 yields cost little, though single runs on a busy machine vary.

use std::hint::black_box;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const COUNT: u64 = 300_000_000;

/// Counts to [`COUNT`] in chunks of `chunk` steps, yielding to other tasks between chunks if
/// `yielding`. (Chunks, not a test on every step, so both versions do the same arithmetic.)
async fn count(chunk: u64, yielding: bool) -> u64 {
    let mut sum = 0u64;
    for start in (0..COUNT).step_by(chunk as usize) {
        for i in start..(start + chunk).min(COUNT) {
            sum = black_box(sum.wrapping_add(i));
        }
        if yielding {
            tokio::task::yield_now().await;
        }
    }
    sum
}

/// Runs the count next to a 10 ms heartbeat; returns the heartbeat's longest gap between
/// ticks, and how long the count took.
async fn measure(yielding: bool) -> (Duration, Duration) {
    let worst_us = Arc::new(AtomicU64::new(0));
    let heartbeat = tokio::spawn({
        let worst_us = worst_us.clone();
        async move {
            let mut last = Instant::now();
            loop {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let gap = u64::try_from(last.elapsed().as_micros()).unwrap_or(u64::MAX);
                worst_us.fetch_max(gap, Ordering::Relaxed);
                last = Instant::now();
            }
        }
    });
    // Let the heartbeat tick before the count starts, and once more after it ends.
    tokio::time::sleep(Duration::from_millis(30)).await;
    let start = Instant::now();
    black_box(count(100_000, yielding).await);
    let took = start.elapsed();
    tokio::time::sleep(Duration::from_millis(30)).await;
    heartbeat.abort();
    (
        Duration::from_micros(worst_us.load(Ordering::Relaxed)),
        took,
    )
}

fn main() -> anyhow::Result<()> {
    // One thread runs every task, like asyncio's event loop.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()?;
    for (name, yielding) in [("never yields", false), ("yield_now", true)] {
        let (gap, took) = runtime.block_on(measure(yielding));
        println!(
            "{name:<13} count took {:>5.0} ms; heartbeat's longest gap {:>5.0} ms",
            took.as_secs_f64() * 1e3,
            gap.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
