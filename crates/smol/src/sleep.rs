//! `sleep`: N timer waits, at most C at once, a task each.

use std::sync::Arc;
use std::time::Duration;

use std::panic::AssertUnwindSafe;

use futures_lite::FutureExt;
use shootout_core::PageRecord;
use shootout_core::page::{sleep_record, task_failed};
use smol::lock::Semaphore;
use smol::{Executor, Timer};

/// Like `asyncio.sleep` under `gather`: a waiting task costs a timer entry, not a thread.
pub async fn sleep(
    ex: &Executor<'static>,
    n: usize,
    wait: Duration,
    concurrency: usize,
) -> Vec<PageRecord> {
    // Limit the number of waits in flight.
    let limit = Arc::new(Semaphore::new(concurrency));
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        // Take the permit before spawning, so at most C waits are pending at once. (A finished
        // task still exists until its handle is awaited below: this bounds the waits, not the
        // tasks.)
        let permit = limit.acquire_arc().await;
        // The task says only whether it finished (a smol `Task` re-raises a panic in whoever
        // awaits it, so the catch is inside); its record is built below, as it is collected,
        // so a waiting task holds no record and allocates nothing. (Built inside the task, the
        // record and its name cost 1.5% at N = C = 10,000, L = 100 ms; benches/lean.rs.)
        tasks.push(
            ex.spawn(
                AssertUnwindSafe(async move {
                    Timer::after(wait).await;
                    drop(permit);
                })
                .catch_unwind(),
            ),
        );
    }
    let mut records = Vec::with_capacity(n);
    for (i, task) in tasks.into_iter().enumerate() {
        records.push(match task.await {
            Ok(()) => sleep_record(i),
            Err(_) => task_failed(&format!("sleep:{i}"), "panicked"),
        });
    }
    records
}
