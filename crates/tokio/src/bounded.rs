//! The bounded fan-out that download, scrape and pitfall use: at most C tasks alive, results
//! in input order.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_lite::FutureExt;
use shootout_core::PageRecord;
use shootout_core::page::task_failed;
use tokio::sync::mpsc;

/// Runs `job(i)` for every `i` in `0..n` as its own task, with at most `concurrency` tasks
/// alive at once, and returns the records in input order.
///
/// Why not spawn all N and await the `JoinHandle`s? A tokio task's memory lives until its
/// handle is awaited, so N handles hold N futures (we measured 138 MiB for N = 50,000).
/// Here each task reports over a channel and is gone; a new one starts as each finishes.
pub async fn spawn_bounded<F, Fut>(
    n: usize,
    concurrency: usize,
    name: impl Fn(usize) -> String,
    mut job: F,
) -> Vec<PageRecord>
where
    F: FnMut(usize) -> Fut,
    Fut: Future<Output = PageRecord> + Send + 'static,
{
    // Unbounded is safe: at most C tasks run, and each sends exactly one message.
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut records: Vec<Option<PageRecord>> = vec![None; n];
    let (mut next, mut in_flight) = (0, 0);
    loop {
        // Start tasks until C are alive or every input has one.
        while in_flight < concurrency && next < n {
            let (task, done_tx, i) = (job(next), done_tx.clone(), next);
            tokio::spawn(async move {
                // Even a panic must report back, or this loop would wait forever.
                let record = AssertUnwindSafe(task).catch_unwind().await.ok();
                let _ = done_tx.send((i, record));
            });
            (next, in_flight) = (next + 1, in_flight + 1);
        }
        if in_flight == 0 {
            break;
        }
        let (i, record) = done_rx
            .recv()
            .await
            .expect("this loop holds a sender, so the channel stays open");
        in_flight -= 1;
        records[i] = Some(record.unwrap_or_else(|| task_failed(&name(i), "panicked")));
    }
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| task_failed(&name(i), "never reported")))
        .collect()
}
