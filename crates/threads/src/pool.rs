//! N jobs on W scoped worker threads; the tool every scenario in this crate uses.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;

use shootout_core::PageRecord;
use shootout_core::page::task_failed;

/// Runs `job(i)` for every `i` in `0..n` on up to `workers` threads and returns the records in
/// input order.
///
/// - The work queue is one shared counter: every input is known up front, so "take the next
///   index" is all a queue has to do, and an atomic does it without a lock.
/// - Records come back over `mpsc`, so no thread ever locks a shared result vector.
/// - The threads are *scoped*: they may borrow `job` and whatever it captures (the client,
///   the URLs, the pages) because `thread::scope` joins them all before returning. No `Arc`.
/// - A thread the OS refuses to start (too many threads) is not a crash: the others do the
///   work. If none starts, every input gets an `internal` record saying so.
pub fn run_pool(
    n: usize,
    workers: usize,
    name: impl Fn(usize) -> String + Sync,
    job: impl Fn(usize) -> PageRecord + Sync,
) -> Vec<PageRecord> {
    let next = AtomicUsize::new(0);
    let (done_tx, done_rx) = mpsc::channel();
    let mut records: Vec<Option<PageRecord>> = vec![None; n];
    let mut refusal = None;
    thread::scope(|s| {
        for w in 0..workers.min(n) {
            let (done_tx, next, job, name) = (done_tx.clone(), &next, &job, &name);
            let started = thread::Builder::new()
                .name(format!("worker-{w}"))
                .spawn_scoped(s, move || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            break;
                        }
                        // A panic in one job becomes that input's record; the thread goes on.
                        let record = catch_unwind(AssertUnwindSafe(|| job(i)))
                            .unwrap_or_else(|_| task_failed(&name(i), "panicked"));
                        if done_tx.send((i, record)).is_err() {
                            break;
                        }
                    }
                });
            if let Err(e) = started {
                refusal = Some(format!(
                    "the OS started only {w} of {} threads: {e}",
                    workers.min(n)
                ));
                break;
            }
        }
        // Drop our sender, so the loop below ends when every worker has finished.
        drop(done_tx);
        for (i, record) in done_rx {
            records[i] = Some(record);
        }
    });
    let why = refusal.unwrap_or_else(|| "never reported".to_owned());
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| r.unwrap_or_else(|| task_failed(&name(i), &why)))
        .collect()
}
