//! `load`: the open loop on C threads. This thread sleeps until each request falls due and
//! hands it to the workers through a bounded `sync_channel` of Q: a full channel means C are
//! in flight and Q waiting, and the request is refused.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Instant;

use shootout_core::load::{LoadRun, Plan, Slots, load_record};
use shootout_http::blocking::BlockingClient;

/// C worker threads, each blocking on one request at a time, fed as requests fall due.
pub fn load(client: &BlockingClient, plan: &Arc<Plan>) -> LoadRun {
    let start = Instant::now();
    // The queue: Q requests wait here for a free worker. `sync_channel(0)` would be a
    // rendezvous, so Q = 0 needs no special case: a request goes out only if a worker is idle.
    let (queue_tx, queue_rx) = mpsc::sync_channel::<(usize, Instant)>(plan.queue);
    // std's receiver has one owner; the workers take turns at it through a mutex, held only
    // while taking the next request, never while fetching.
    let queue_rx = Mutex::new(queue_rx);
    let (done_tx, done_rx) = mpsc::channel();
    let mut records = Slots::new(plan.len());
    thread::scope(|s| {
        for w in 0..plan.concurrency.min(plan.len()) {
            let (queue_rx, done_tx) = (&queue_rx, done_tx.clone());
            let started = thread::Builder::new()
                .name(format!("load-{w}"))
                .spawn_scoped(s, move || {
                    loop {
                        let next = queue_rx.lock().map(|rx| rx.recv());
                        let Ok(Ok((i, due))) = next else { break };
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
        drop(done_tx);
        for (i, &offset) in plan.due.iter().enumerate() {
            let due = start + offset;
            thread::sleep(due.saturating_duration_since(Instant::now()));
            match queue_tx.try_send((i, due)) {
                Ok(()) => {}
                Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
                    records.refuse(i);
                }
            }
        }
        // Closing the queue ends each worker's loop once it is empty.
        drop(queue_tx);
        for (i, record) in done_rx {
            records.set(i, record, plan);
        }
    });
    records.finish(plan)
}
