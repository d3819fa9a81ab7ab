//! Tasks start running when spawned; a bare future does nothing until awaited.
//!
//! Mirrors `asyncio.create_task(coro)` versus a coroutine object that is never awaited. In
//! Rust a future is lazy like a coroutine object: calling `download()` only builds it.
//! `tokio::spawn` is `create_task`: the task runs at once, and the `JoinHandle` is how you
//! collect its result later. Forgetting to await a bare future is caught at compile time by
//! the `#[must_use]` warning ("futures do nothing unless you `.await` or poll them").
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_create_task`
//!
//! You should see: the lazy future starts only when awaited (total about 2 s); the two
//! spawned tasks overlap with other work (total about 1 s).

use std::time::{Duration, Instant};

async fn download(name: &'static str, start: Instant) -> &'static str {
    println!("  {:>4.1} s: {name} started", start.elapsed().as_secs_f64());
    tokio::time::sleep(Duration::from_secs(1)).await;
    name
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let start = Instant::now();
    // Build a future: nothing runs yet.
    let lazy = download("lazy future", start);
    tokio::time::sleep(Duration::from_secs(1)).await;
    // Only now does it start.
    lazy.await;
    println!("lazy: {:.1} s\n", start.elapsed().as_secs_f64());

    let start = Instant::now();
    // Spawn two tasks: both start immediately, on the runtime's workers.
    let first = tokio::spawn(download("task 1", start));
    let second = tokio::spawn(download("task 2", start));
    // Meanwhile, do other work; the tasks keep running.
    tokio::time::sleep(Duration::from_millis(500)).await;
    println!(
        "  {:>4.1} s: other work done",
        start.elapsed().as_secs_f64()
    );
    // Collect the results later.
    let (a, b) = (first.await?, second.await?);
    println!(
        "spawned: {a} and {b} in {:.1} s",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
