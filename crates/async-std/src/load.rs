//! `load`: the open loop. The dispatcher sleeps with `task::sleep` until each request falls
//! due and spawns it, whatever happened to the ones before; the shared client's C connection
//! slots are where a request waits when C are in flight.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_lite::FutureExt;
use shootout_core::load::{Gate, LoadRun, Plan, Slots, load_record};

use crate::Client;

/// Sends each request of `plan` as it falls due, from a dispatcher on this thread.
pub async fn load(client: Arc<Client>, plan: Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    // At most C in flight (the client's slots) and Q waiting for one: past that, a request
    // is refused when it falls due, so no queue of tasks can grow without bound.
    let gate = Gate::new(plan.limit());
    // Unbounded is safe: at most C + Q tasks exist, and each sends exactly one message.
    let (done_tx, done_rx) = async_std::channel::unbounded();
    let mut records = Slots::new(plan.len());
    for (i, &offset) in plan.due.iter().enumerate() {
        let due = start + offset;
        // async-std has no `sleep_until`: sleep for what is left. A late wake-up sends the
        // missed requests at once, each timed from its own due time.
        async_std::task::sleep(due.saturating_duration_since(Instant::now())).await;
        let Some(ticket) = gate.try_enter() else {
            records.refuse(i);
            continue;
        };
        let (client, plan, done_tx) = (client.clone(), plan.clone(), done_tx.clone());
        // The JoinHandle is dropped: an async-std task keeps running when it is.
        async_std::task::spawn(async move {
            let url = plan.url(i);
            let request = async { load_record(url.as_str(), due, client.get_due(&url, due).await) };
            // Even a panic must report back, or the run would wait for this record forever.
            let record = AssertUnwindSafe(request).catch_unwind().await.ok();
            drop(ticket);
            let _ = done_tx.send((i, record)).await;
        });
    }
    drop(done_tx);
    while let Ok((i, record)) = done_rx.recv().await {
        records.set(i, record, &plan);
    }
    records.finish(&plan)
}
