//! A group of tasks that fails as one: the first error cancels the rest.
//!
//! Mirrors `async with asyncio.TaskGroup() as tg`. smol has no JoinSet; it does not need one,
//! because a smol `Task` is cancelled when dropped. Keep the tasks in a Vec, collect results as
//! they finish through a channel, and on the first error return: the Vec is dropped, and with
//! it every task still running. No task can outlive the group.
//!
//! Run with: `cargo run --release -p shootout-smol --example smol_task_group`
//!
//! You should see: the all-good group finishes in about 1 s; in the failing group, "page 2"
//! fails at 0.5 s, the slow task is cancelled (never prints "done"), and the error is returned.

use std::time::{Duration, Instant};

use anyhow::bail;
use smol::Timer;

async fn download(id: u64) -> anyhow::Result<u64> {
    if id == 2 {
        Timer::after(Duration::from_millis(500)).await;
        bail!("page {id}: server said 500");
    }
    Timer::after(Duration::from_secs(id.max(1))).await;
    println!("  page {id} done");
    Ok(id)
}

async fn group(ids: &[u64]) -> anyhow::Result<Vec<u64>> {
    let (tx, rx) = smol::channel::unbounded();
    // The group owns its tasks; dropping this Vec cancels any still running.
    let _tasks: Vec<smol::Task<()>> = ids
        .iter()
        .map(|&id| {
            let tx = tx.clone();
            smol::spawn(async move {
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
    smol::block_on(async {
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
        Timer::after(Duration::from_secs(1)).await;
        Ok(())
    })
}
