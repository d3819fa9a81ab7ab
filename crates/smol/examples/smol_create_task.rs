//! Tasks start running when spawned; a bare future does nothing until awaited.
//!
//! Mirrors `asyncio.create_task(coro)` versus a coroutine object that is never awaited. A Rust
//! future is lazy like a coroutine object. `smol::spawn` is `create_task`: the task runs at once
//! and the `Task` handle collects its result. One difference from asyncio and tokio: dropping a
//! smol `Task` *cancels* it. Call `.detach()` to let it run on unobserved.
//!
//! Run with: `cargo run --release -p shootout-smol --example smol_create_task`
//!
//! You should see: the lazy future starts only when awaited (about 2 s in all); the spawned
//! tasks overlap with other work (about 1 s); the dropped task never prints "finished".

use std::time::{Duration, Instant};

use smol::Timer;

async fn download(name: &'static str, start: Instant) -> &'static str {
    println!("  {:>4.1} s: {name} started", start.elapsed().as_secs_f64());
    Timer::after(Duration::from_secs(1)).await;
    println!(
        "  {:>4.1} s: {name} finished",
        start.elapsed().as_secs_f64()
    );
    name
}

fn main() -> anyhow::Result<()> {
    smol::block_on(async {
        let start = Instant::now();
        // Build a future: nothing runs yet.
        let lazy = download("lazy future", start);
        Timer::after(Duration::from_secs(1)).await;
        // Only now does it start.
        lazy.await;
        println!("lazy: {:.1} s\n", start.elapsed().as_secs_f64());

        let start = Instant::now();
        // Spawn: both start immediately.
        let first = smol::spawn(download("task 1", start));
        let second = smol::spawn(download("task 2", start));
        let dropped = smol::spawn(download("dropped task", start));
        // Meanwhile, do other work; the tasks keep running.
        Timer::after(Duration::from_millis(500)).await;
        println!(
            "  {:>4.1} s: other work done",
            start.elapsed().as_secs_f64()
        );
        // Dropping a Task cancels it.
        drop(dropped);
        let (a, b) = (first.await, second.await);
        println!(
            "spawned: {a} and {b} in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    });
    Ok(())
}
