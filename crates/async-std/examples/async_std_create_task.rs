//! Tasks start running when spawned; a bare future does nothing until awaited.
//!
//! Mirrors `asyncio.create_task(coro)` versus a coroutine object that is never awaited. A Rust
//! future is lazy like a coroutine object. `async_std::task::spawn` is `create_task`: the task
//! runs at once and the `JoinHandle` collects its result. Like asyncio (and unlike smol),
//! dropping the handle detaches the task, which keeps running.
//!
//! Run with: `cargo run --release -p shootout-async-std --example async_std_create_task`
//!
//! You should see: the lazy future starts only when awaited (about 2 s in all); the spawned
//! tasks overlap with other work (about 1 s); the detached task still prints "finished".

use std::time::{Duration, Instant};

use async_std::task;

async fn download(name: &'static str, start: Instant) -> &'static str {
    println!("  {:>4.1} s: {name} started", start.elapsed().as_secs_f64());
    task::sleep(Duration::from_secs(1)).await;
    println!(
        "  {:>4.1} s: {name} finished",
        start.elapsed().as_secs_f64()
    );
    name
}

fn main() -> anyhow::Result<()> {
    task::block_on(async {
        let start = Instant::now();
        // Build a future: nothing runs yet.
        let lazy = download("lazy future", start);
        task::sleep(Duration::from_secs(1)).await;
        // Only now does it start.
        lazy.await;
        println!("lazy: {:.1} s\n", start.elapsed().as_secs_f64());

        let start = Instant::now();
        // Spawn: both start immediately.
        let first = task::spawn(download("task 1", start));
        let second = task::spawn(download("task 2", start));
        // Dropping a JoinHandle detaches the task; it runs on.
        drop(task::spawn(download("detached task", start)));
        // Meanwhile, do other work; the tasks keep running.
        task::sleep(Duration::from_millis(500)).await;
        println!(
            "  {:>4.1} s: other work done",
            start.elapsed().as_secs_f64()
        );
        let (a, b) = (first.await, second.await);
        println!(
            "spawned: {a} and {b} in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    });
    Ok(())
}
