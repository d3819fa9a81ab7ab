//! `sleep`: N timer waits, at most C at once, a task each.

use std::sync::Arc;
use std::time::Duration;

use std::panic::AssertUnwindSafe;

use async_lock::Semaphore;
use futures_lite::FutureExt;
use shootout_core::PageRecord;
use shootout_core::page::{sleep_record, task_failed};

/// Like `asyncio.sleep` under `gather`: a waiting task costs a timer entry, not a thread.
pub async fn sleep(n: usize, wait: Duration, concurrency: usize) -> Vec<PageRecord> {
    // Limit the number of waits in flight.
    let limit = Arc::new(Semaphore::new(concurrency));
    let mut tasks = Vec::with_capacity(n);
    for _ in 0..n {
        // Take the permit before spawning, so at most C waits are pending at once. (A finished
        // task still exists until its handle is awaited below: this bounds the waits, not the
        // tasks.)
        let permit = limit.acquire_arc().await;
        // The task says only whether it finished (an async-std `JoinHandle` re-raises a panic
        // in whoever awaits it, so the catch is inside); its record is built below, as it is
        // collected, so a waiting task holds no record and allocates nothing. (Built inside
        // the task, the record and its name cost 2.7% at N = C = 10,000, L = 100 ms;
        // benches/lean.rs.)
        tasks.push(async_std::task::spawn(
            AssertUnwindSafe(async move {
                async_std::task::sleep(wait).await;
                drop(permit);
            })
            .catch_unwind(),
        ));
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
