//! `load`: the open loop on the C-thread I/O pool. This thread sleeps until each request
//! falls due and spawns it into the pool; rayon's own queues are where a request waits when
//! C are busy, and a [`Gate`] bounds them at Q, since rayon's queues have no bound of their
//! own.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::Instant;

use rayon::ThreadPool;
use shootout_core::load::{Gate, LoadRun, Plan, Slots, load_record};
use shootout_http::blocking::BlockingClient;

/// Each request a rayon job on the I/O pool, spawned as it falls due.
pub fn load(io: &ThreadPool, client: &BlockingClient, plan: &Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    let gate = Gate::new(plan.limit());
    let (done_tx, done_rx) = mpsc::channel();
    let mut records = Slots::new(plan.len());
    // `in_place_scope`: this thread dispatches, and every pool thread fetches. (`scope`
    // would run the dispatcher on one of the C threads.)
    io.in_place_scope(|s| {
        for (i, &offset) in plan.due.iter().enumerate() {
            let due = start + offset;
            std::thread::sleep(due.saturating_duration_since(Instant::now()));
            let Some(ticket) = gate.try_enter() else {
                records.refuse(i);
                continue;
            };
            let done_tx = done_tx.clone();
            s.spawn(move |_| {
                let url = plan.url(i);
                // rayon aborts the process on a panic in a spawned job: catch it here.
                let record = catch_unwind(AssertUnwindSafe(|| {
                    load_record(url.as_str(), due, client.get_due(&url, due))
                }))
                .ok();
                drop(ticket);
                let _ = done_tx.send((i, record));
            });
        }
    });
    drop(done_tx);
    for (i, record) in done_rx {
        records.set(i, record, plan);
    }
    records.finish(plan)
}
