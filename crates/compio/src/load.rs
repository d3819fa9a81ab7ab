//! `load`: the open loop, split across the cores. Request i is core `i % active`'s; each core
//! sleeps on its own ring's timer until each of its requests falls due and spawns it there,
//! on its own client, with its share of C and of the queue Q. Nothing moves between cores: a
//! core that draws a slow run of requests queues them while the others idle, which the tails
//! show (docs/results.md, "Latency under load").

use std::panic::AssertUnwindSafe;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_lite::FutureExt;
use shootout_core::PageRecord;
use shootout_core::load::{Gate, Plan, load_record};

use crate::cores::Core;

/// One core's part of a run: its requests (index and due offset), the run's start, and its
/// share of the queue.
pub struct Part {
    /// Every request of the run.
    pub plan: Arc<Plan>,
    /// This core's requests, by index into the plan, with when each falls due.
    pub requests: Vec<(usize, Duration)>,
    /// When the run started, for every core alike.
    pub start: Instant,
    /// How many of this core's due requests may wait for one of its connections.
    pub queue: usize,
}

/// What one core answers: each sent request's record (`None`: its task panicked), and the
/// requests it refused, by index.
pub type CoreRun = (Vec<(usize, Option<PageRecord>)>, Vec<usize>);

/// One core's requests, each sent as it falls due.
pub async fn load(core: Rc<Core>, part: Part) -> CoreRun {
    let Part {
        plan,
        requests,
        start,
        queue,
    } = part;
    // This core's share of C in flight (its client's slots) and of Q waiting.
    let gate = Gate::new(core.share + queue);
    // Unbounded is safe: at most share + queue tasks exist, and each sends one message.
    let (done_tx, done_rx) = async_channel::unbounded();
    let mut records = Vec::new();
    // A refusal is kept as its index: past capacity most requests are refused.
    let mut refused = Vec::new();
    for (i, offset) in requests {
        let due = start + offset;
        // A late wake-up sends the missed requests at once, each timed from its own due time.
        compio::time::sleep_until(due).await;
        let Some(ticket) = gate.try_enter() else {
            refused.push(i);
            continue;
        };
        let (core, plan, done_tx) = (core.clone(), plan.clone(), done_tx.clone());
        // A local task: it never leaves this core, so it need not be `Send`.
        compio::runtime::spawn(async move {
            let url = plan.url(i);
            let request =
                async { load_record(url.as_str(), due, core.client.get_due(&url, due).await) };
            // Even a panic must report back, or the run would wait for this record forever.
            let record = AssertUnwindSafe(request).catch_unwind().await.ok();
            drop(ticket);
            let _ = done_tx.send((i, record)).await;
        })
        // Dropping a compio JoinHandle cancels its task; detach it to let it run to the end.
        .detach();
    }
    drop(done_tx);
    while let Ok(done) = done_rx.recv().await {
        records.push(done);
    }
    (records, refused)
}
