//! Three simulated downloads of 2 s each, awaited together: about 2 s, not 6 s.
//!
//! Mirrors `asyncio.gather(download(1), download(2), download(3))`, on one core of a
//! thread-per-core runtime. `future::zip` polls two futures concurrently in one task (nest it
//! for three); for a list of any length, spawn a task per item and await the tasks in order,
//! which returns results in input order. compio's tasks stay on the thread that spawned them,
//! so they may hold an `Rc`: here every task bumps one `Rc<Cell<_>>` counter, which a
//! work-stealing runtime (tokio's multi-thread, smol on several threads) would refuse to
//! compile, because its tasks must be `Send`.
//!
//! Run with: `cargo run --release -p shootout-compio --example compio_gather`
//!
//! You should see: "zip: 3 results in 2.0 s", then "spawned: 10 results in 2.0 s (10 tasks
//! counted on one Rc)", and the driver this ran on (io_uring, or the fallback and why).

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use futures_lite::future::zip;

async fn download(id: u32) -> String {
    // Stand-in for network latency: the task yields, the thread is free for others.
    compio::time::sleep(Duration::from_secs(2)).await;
    format!("page {id}")
}

fn main() -> anyhow::Result<()> {
    let runtime = compio::runtime::Runtime::new()?;
    runtime.block_on(async {
        // A fixed number of futures: zip runs them concurrently and returns a tuple.
        let start = Instant::now();
        let ((a, b), c) = zip(zip(download(1), download(2)), download(3)).await;
        println!(
            "zip: 3 results in {:.1} s: {a}, {b}, {c}",
            start.elapsed().as_secs_f64()
        );

        // Any number: one task each (waiting needs no extra threads), then await in order.
        let start = Instant::now();
        let counted = Rc::new(Cell::new(0));
        let tasks: Vec<_> = (0..10)
            .map(|id| {
                let counted = counted.clone();
                compio::runtime::spawn(async move {
                    counted.set(counted.get() + 1);
                    download(id).await
                })
            })
            .collect();
        let mut pages = Vec::new();
        for t in tasks {
            // A task that panicked comes back as an error, as tokio's JoinHandle does.
            pages.push(t.await.map_err(|e| anyhow::anyhow!("task failed: {e:?}"))?);
        }
        println!(
            "spawned: {} results in {:.1} s ({} tasks counted on one Rc)",
            pages.len(),
            start.elapsed().as_secs_f64(),
            counted.get()
        );
        anyhow::Ok(())
    })?;
    println!("driver: {:?}", runtime.driver_type());
    Ok(())
}
