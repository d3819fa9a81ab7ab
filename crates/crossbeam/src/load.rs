//! `load`: the open loop on C scoped threads. This thread sleeps until each request falls
//! due and offers it on a bounded crossbeam channel of Q; the C fetch threads receive from it
//! (crossbeam's channels are multi-consumer, so no lock is needed). A full channel means C
//! are in flight and Q waiting, and the request is refused.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::thread;
use std::time::Instant;

use crossbeam_channel::{TrySendError, bounded, unbounded};
use shootout_core::load::{LoadRun, Plan, Slots, load_record};
use shootout_http::blocking::BlockingClient;

/// C fetch threads, fed as requests fall due.
pub fn load(client: &BlockingClient, plan: &Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    // bounded(0) is a rendezvous: with Q = 0 a request goes out only if a thread is idle.
    let (queue_tx, queue_rx) = bounded::<(usize, Instant)>(plan.queue);
    let (done_tx, done_rx) = unbounded();
    let mut records = Slots::new(plan.len());
    thread::scope(|s| {
        for w in 0..plan.concurrency.min(plan.len()) {
            let (queue_rx, done_tx) = (queue_rx.clone(), done_tx.clone());
            let started = thread::Builder::new()
                .name(format!("load-{w}"))
                .spawn_scoped(s, move || {
                    for (i, due) in queue_rx {
                        let url = plan.url(i);
                        let record = catch_unwind(AssertUnwindSafe(|| {
                            load_record(url.as_str(), due, client.get_due(&url, due))
                        }))
                        .ok();
                        if done_tx.send((i, record)).is_err() {
                            break;
                        }
                    }
                });
            // A thread the OS refuses to start: the others do the work, more slowly.
            if started.is_err() {
                break;
            }
        }
        drop((done_tx, queue_rx));
        for (i, &offset) in plan.due.iter().enumerate() {
            let due = start + offset;
            thread::sleep(due.saturating_duration_since(Instant::now()));
            if let Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) =
                queue_tx.try_send((i, due))
            {
                records.refuse(i);
            }
        }
        // Closing the queue ends each thread's loop once it is empty.
        drop(queue_tx);
        for (i, record) in done_rx {
            records.set(i, record, plan);
        }
    });
    records.finish(plan)
}
