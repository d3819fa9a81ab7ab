//! `load`: the open loop, one request at a time. Each is sent as soon as the last one is done
//! and it has fallen due; what falls due meanwhile queues (at most Q) and every moment it
//! waits counts in its latency. The queueing is the lesson: at a rate over 1/L, the queue
//! fills and the tail is all waiting.

use std::time::Instant;

use shootout_core::load::{Backlog, LoadRun, Plan, Slots, Step, load_record};
use shootout_core::page::contained;
use shootout_http::blocking::BlockingClient;

/// Sends each request of `plan` in turn, as soon as it can after it falls due.
pub fn load(client: &BlockingClient, plan: &Plan) -> LoadRun {
    let start = Instant::now();
    let mut backlog = Backlog::new(plan.queue);
    let mut records = Slots::new(plan.len());
    loop {
        match backlog.next(&plan.due, start.elapsed()) {
            Step::Send(i) => {
                let (url, due) = (plan.url(i), start + plan.due[i]);
                let record = contained(url.as_str(), || {
                    load_record(url.as_str(), due, client.get_due(&url, due))
                });
                records.set(i, Some(record), plan);
            }
            Step::Refuse(i) => records.refuse(i),
            Step::Wait(d) => std::thread::sleep(d),
            Step::Done => break,
        }
    }
    records.finish(plan)
}
