//! Blocking work moved off the executor, so the other tasks keep running.
//!
//! Mirrors `await asyncio.to_thread(blocking_function)`. Inside an async task, a blocking call
//! holds the executor thread and every task queued on it. `smol::unblock` runs it on the
//! `blocking` thread pool and gives back a future of the result. A heartbeat ticking every
//! 100 ms shows the difference.
//!
//! Run with: `cargo run --release -p shootout-smol --example smol_to_thread`
//!
//! You should see: inline, the heartbeat is late by about the whole blocking time (~1 s);
//! with unblock, it stays within a few milliseconds.

use std::time::{Duration, Instant};

use smol::{LocalExecutor, Timer};

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
        Timer::at(next).await;
        worst = worst.max(next.elapsed());
        next += Duration::from_millis(100);
    }
    worst
}

fn main() -> anyhow::Result<()> {
    // A single-threaded executor, so the heartbeat and the work share one thread, as in an
    // asyncio event loop.
    let ex = LocalExecutor::new();
    smol::block_on(ex.run(async {
        // Inline: the blocking call stalls the only thread, heartbeat included.
        let beat = ex.spawn(heartbeat(Duration::from_millis(1500)));
        Timer::after(Duration::from_millis(150)).await;
        let answer = blocking_work();
        println!(
            "inline:  answer {answer}, heartbeat late by {:?}",
            beat.await
        );

        // unblock: the call runs on the blocking pool; the executor thread stays free.
        let beat = ex.spawn(heartbeat(Duration::from_millis(1500)));
        Timer::after(Duration::from_millis(150)).await;
        let answer = smol::unblock(blocking_work).await;
        println!(
            "unblock: answer {answer}, heartbeat late by {:?}",
            beat.await
        );
    }));
    Ok(())
}
