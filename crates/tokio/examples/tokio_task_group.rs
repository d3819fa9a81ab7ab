//! A group of tasks that fails as one: the first error cancels the rest.
//!
//! Mirrors `async with asyncio.TaskGroup() as tg: tg.create_task(...)`. tokio's `JoinSet` owns
//! its tasks: `join_next` yields results as they finish, and dropping the set (or calling
//! `abort_all`) cancels whatever is still running, so no task outlives the group.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_task_group`
//!
//! You should see: the all-good group finishes in about 1 s; in the failing group, "page 2"
//! fails at 0.5 s, the slow tasks are cancelled (never print "done"), and main returns the error.

use std::time::{Duration, Instant};

use anyhow::bail;
use tokio::task::JoinSet;

async fn download(id: u64) -> anyhow::Result<u64> {
    if id == 2 {
        tokio::time::sleep(Duration::from_millis(500)).await;
        bail!("page {id}: server said 500");
    }
    tokio::time::sleep(Duration::from_secs(id.max(1))).await;
    println!("  page {id} done");
    Ok(id)
}

async fn group(ids: &[u64]) -> anyhow::Result<Vec<u64>> {
    let mut set = JoinSet::new();
    for &id in ids {
        set.spawn(download(id));
    }
    let mut done = Vec::new();
    while let Some(joined) = set.join_next().await {
        // `?` on the first failure returns early; dropping `set` aborts every other task.
        done.push(joined??);
    }
    Ok(done)
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let start = Instant::now();
    println!(
        "all good: {:?} in {:.1} s",
        group(&[1, 1, 1]).await?,
        start.elapsed().as_secs_f64()
    );

    let start = Instant::now();
    match group(&[1, 2, 5]).await {
        Ok(done) => println!("failing group: unexpectedly finished: {done:?}"),
        Err(e) => println!(
            "failing group: '{e:#}' after {:.1} s",
            start.elapsed().as_secs_f64()
        ),
    }
    // Give cancelled tasks a chance to print, to show that they do not.
    tokio::time::sleep(Duration::from_secs(1)).await;
    Ok(())
}
