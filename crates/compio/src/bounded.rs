//! The bounded fan-out that download, scrape and pitfall use on each core: at most the core's
//! share of C tasks alive, each reporting its record with its input index.
//!
//! The shape is smol's (crates/smol/src/bounded.rs) on purpose: put them side by side and the
//! difference is that these tasks are *local*. `compio::runtime::spawn` takes futures that are
//! not `Send`, because a task never leaves the core that spawned it.

use std::future::Future;
use std::panic::AssertUnwindSafe;

use futures_lite::FutureExt;
use shootout_core::PageRecord;

/// Runs `job(i, item)` for every `(i, item)` as its own task on this core, with at most
/// `limit` alive at once, and returns `(i, record)` for every one of them: `None` for a task
/// that panicked, which [`crate::split::gather`] turns into its URL's `internal` record (the
/// URL itself is on the caller's side).
pub async fn spawn_bounded<T, F, Fut>(
    items: Vec<(usize, T)>,
    limit: usize,
    mut job: F,
) -> Vec<(usize, Option<PageRecord>)>
where
    F: FnMut(usize, T) -> Fut,
    Fut: Future<Output = PageRecord> + 'static,
{
    let n = items.len();
    // Unbounded is safe: at most `limit` tasks run, and each sends exactly one message.
    let (done_tx, done_rx) = async_channel::unbounded();
    let mut items = items.into_iter();
    let mut records = Vec::with_capacity(n);
    let mut in_flight = 0;
    loop {
        // Start tasks until `limit` are alive or every input has one.
        while in_flight < limit.max(1) {
            let Some((i, item)) = items.next() else { break };
            let (task, done_tx) = (job(i, item), done_tx.clone());
            compio::runtime::spawn(async move {
                // Even a panic must report back, or this loop would wait forever.
                let record = AssertUnwindSafe(task).catch_unwind().await.ok();
                let _ = done_tx.send((i, record)).await;
            })
            // Dropping a compio JoinHandle cancels its task; detach it to let it run to the end.
            .detach();
            in_flight += 1;
        }
        if in_flight == 0 {
            break;
        }
        let (i, record) = done_rx
            .recv()
            .await
            .expect("this loop holds a sender, so the channel stays open");
        in_flight -= 1;
        records.push((i, record));
    }
    records
}
