//! `sleep`: N timer waits, at most C at once, dealt round-robin to the cores.

use std::sync::Arc;
use std::time::Duration;

use async_lock::Semaphore;
use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

/// One core's waits: a task each, at most the core's share of C pending at once, on this
/// core's own timer. Like `asyncio.sleep` under `gather`, one loop per core.
pub async fn sleep(
    waits: Vec<(usize, ())>,
    wait: Duration,
    share: usize,
) -> Vec<(usize, Option<PageRecord>)> {
    // Limit the number of waits in flight on this core.
    let limit = Arc::new(Semaphore::new(share.max(1)));
    let mut tasks = Vec::with_capacity(waits.len());
    for (i, ()) in waits {
        // Take the permit before spawning, so at most the share are pending at once.
        let permit = limit.acquire_arc().await;
        // The task returns nothing: its record is built below, as it is collected, so a
        // waiting task holds no record and allocates nothing. (Built inside the task, the
        // record cost 1.5% at N = C = 10,000, L = 100 ms; benches/lean.rs.)
        tasks.push((
            i,
            compio::runtime::spawn(async move {
                compio::time::sleep(wait).await;
                drop(permit);
            }),
        ));
    }
    let mut records = Vec::with_capacity(tasks.len());
    for (i, task) in tasks {
        // A task that panicked gets its record from the caller (split::gather).
        records.push((i, task.await.ok().map(|()| sleep_record(i))));
    }
    records
}
