//! `sleep`: N timer waits, at most C at once, a task each.

use std::sync::Arc;
use std::time::Duration;

use shootout_core::PageRecord;
use shootout_core::page::sleep_record;
use smol::lock::Semaphore;
use smol::{Executor, Timer};

use crate::contained;

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
    for i in 0..n {
        // Take the permit before spawning, so at most C waits are pending at once. (A finished
        // task still exists until its handle is awaited below: this bounds the waits, not the
        // tasks.)
        let permit = limit.acquire_arc().await;
        tasks.push(ex.spawn(contained(format!("sleep:{i}"), async move {
            Timer::after(wait).await;
            drop(permit);
            sleep_record(i)
        })));
    }
    let mut records = Vec::with_capacity(n);
    for task in tasks {
        records.push(task.await);
    }
    records
}
