//! `load`: the open loop. The dispatcher sleeps on tokio's timer until each request falls
//! due and spawns it there, whatever happened to the ones before; the shared client's C
//! connection slots are where a request waits when C are in flight.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_lite::FutureExt;
use shootout_core::load::{Gate, LoadRun, Plan, Slots, load_record};
use tokio::sync::mpsc;

use crate::Client;

/// Sends each request of `plan` as it falls due, from a dispatcher on the runtime.
pub async fn load(client: Arc<Client>, plan: Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    // At most C in flight (the client's slots) and Q waiting for one: past that, a request
    // is refused when it falls due, so no queue of tasks can grow without bound.
    let gate = Gate::new(plan.limit());
    // Unbounded is safe: at most C + Q tasks exist, and each sends exactly one message.
    let (done_tx, mut done_rx) = mpsc::unbounded_channel();
    let mut records = Slots::new(plan.len());
    for (i, &offset) in plan.due.iter().enumerate() {
        let due = start + offset;
        // If the dispatcher wakes late (the workers were busy), the requests it missed are
        // sent at once, each still timed from its own due time: the lateness is counted.
        tokio::time::sleep_until(due.into()).await;
        let Some(ticket) = gate.try_enter() else {
            records.refuse(i);
            continue;
        };
        let (client, plan, done_tx) = (client.clone(), plan.clone(), done_tx.clone());
        tokio::spawn(async move {
            let url = plan.url(i);
            let request = async { load_record(url.as_str(), due, client.get_due(&url, due).await) };
            // Even a panic must report back, or the run would wait for this record forever.
            let record = AssertUnwindSafe(request).catch_unwind().await.ok();
            drop(ticket);
            let _ = done_tx.send((i, record));
        });
    }
    drop(done_tx);
    while let Some((i, record)) = done_rx.recv().await {
        records.set(i, record, &plan);
    }
    records.finish(&plan)
}
