//! A group of tasks that fails as one: the first error cancels the rest.
//!
//! Mirrors `async with asyncio.TaskGroup() as tg`. async-std has no task group, and dropping a
//! `JoinHandle` only detaches its task, so cancelling is explicit: on the first error, call
//! `cancel().await` on every handle still running. No task outlives the group.
//!
//! Run with: `cargo run --release -p shootout-async-std --example async_std_task_group`
//!
//! You should see: the all-good group finishes in about 1 s; in the failing group, "page 2"
//! fails at 0.5 s, the slow tasks are cancelled (never print "done"), and the error is returned.

use std::time::{Duration, Instant};

use anyhow::bail;
use async_std::task;

async fn download(id: u64) -> anyhow::Result<u64> {
    if id == 2 {
        task::sleep(Duration::from_millis(500)).await;
        bail!("page {id}: server said 500");
    }
    task::sleep(Duration::from_secs(id.max(1))).await;
    println!("  page {id} done");
    Ok(id)
}

async fn group(ids: &[u64]) -> anyhow::Result<Vec<u64>> {
    let (tx, rx) = async_std::channel::unbounded();
    let handles: Vec<_> = ids
        .iter()
        .map(|&id| {
            let tx = tx.clone();
            task::spawn(async move {
                let _ = tx.send(download(id).await).await;
            })
        })
        .collect();
    let mut done = Vec::new();
    for _ in ids {
        match rx.recv().await? {
            Ok(id) => done.push(id),
            Err(e) => {
                // Cancel the rest explicitly: dropping the handles would only detach them.
                for h in handles {
                    h.cancel().await;
                }
                return Err(e);
            }
        }
    }
    Ok(done)
}

fn main() -> anyhow::Result<()> {
    task::block_on(async {
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
        task::sleep(Duration::from_secs(1)).await;
        Ok(())
    })
}
