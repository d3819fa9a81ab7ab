//! A group of tasks that fails as one: the first error cancels the rest.
//!
//! Mirrors `async with asyncio.TaskGroup() as tg`. compio has no JoinSet; like smol, it does
//! not need one, because a compio `JoinHandle` cancels its task when dropped. Keep the handles
//! in a Vec, collect results as they finish through a channel, and on the first error return:
//! the Vec is dropped, and with it every task still running. On io_uring, cancelling a task
//! also cancels its operations in the kernel (an `AsyncCancel` for each), and the buffers they
//! own are freed once the kernel lets go of them.
//!
//! Run with: `cargo run --release -p shootout-compio --example compio_task_group`
//!
//! You should see: the all-good group finishes in about 1 s; in the failing group, "page 2"
//! fails at 0.5 s, the slow task is cancelled (never prints "done"), and the error is returned.

use std::time::{Duration, Instant};

use anyhow::bail;
use compio::time::sleep;

async fn download(id: u64) -> anyhow::Result<u64> {
    if id == 2 {
        sleep(Duration::from_millis(500)).await;
        bail!("page {id}: server said 500");
    }
    sleep(Duration::from_secs(id.max(1))).await;
    println!("  page {id} done");
    Ok(id)
}

async fn group(ids: &[u64]) -> anyhow::Result<Vec<u64>> {
    let (tx, rx) = async_channel::unbounded();
    // The group owns its tasks; dropping this Vec cancels any still running.
    let _tasks: Vec<compio::runtime::JoinHandle<()>> = ids
        .iter()
        .map(|&id| {
            let tx = tx.clone();
            compio::runtime::spawn(async move {
                let _ = tx.send(download(id).await).await;
            })
        })
        .collect();
    let mut done = Vec::new();
    for _ in ids {
        // `?` on the first failure returns early, dropping `_tasks`.
        done.push(rx.recv().await??);
    }
    Ok(done)
}

fn main() -> anyhow::Result<()> {
    compio::runtime::Runtime::new()?.block_on(async {
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
        sleep(Duration::from_secs(1)).await;
        Ok(())
    })
}
