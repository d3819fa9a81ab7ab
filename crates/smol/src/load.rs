//! `load`: the open loop. The dispatcher sleeps on smol's `Timer` until each request falls
//! due and spawns it on the executor, whatever happened to the ones before; the shared
//! client's C connection slots are where a request waits when C are in flight.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::Instant;

use futures_lite::FutureExt;
use shootout_core::load::{Gate, LoadRun, Plan, Slots, load_record};
use smol::{Executor, Timer};

use crate::Client;

/// Sends each request of `plan` as it falls due, from a dispatcher on this thread.
pub async fn load(ex: &Executor<'static>, client: Arc<Client>, plan: Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    // At most C in flight (the client's slots) and Q waiting for one: past that, a request
    // is refused when it falls due, so no queue of tasks can grow without bound.
    let gate = Gate::new(plan.limit());
    // Unbounded is safe: at most C + Q tasks exist, and each sends exactly one message.
    let (done_tx, done_rx) = smol::channel::unbounded();
    let mut records = Slots::new(plan.len());
    for (i, &offset) in plan.due.iter().enumerate() {
        let due = start + offset;
        // A late wake-up sends the missed requests at once, each timed from its own due time.
        Timer::at(due).await;
        let Some(ticket) = gate.try_enter() else {
            records.refuse(i);
            continue;
        };
        let (client, plan, done_tx) = (client.clone(), plan.clone(), done_tx.clone());
        ex.spawn(async move {
            let url = plan.url(i);
            let request = async { load_record(url.as_str(), due, client.get_due(&url, due).await) };
            // Even a panic must report back, or the run would wait for this record forever.
            let record = AssertUnwindSafe(request).catch_unwind().await.ok();
            drop(ticket);
            let _ = done_tx.send((i, record)).await;
        })
        // A dropped smol Task is cancelled; detach it to let it run to the end.
        .detach();
    }
    drop(done_tx);
    while let Ok((i, record)) = done_rx.recv().await {
        records.set(i, record, &plan);
    }
    records.finish(&plan)
}
