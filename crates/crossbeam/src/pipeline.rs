//! The three-stage pipeline: feed → fetch (C threads) → parse (T threads) → collect.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::thread;
use std::time::Duration;

use crossbeam_channel::{Receiver, after, bounded, select};
use shootout_core::PageRecord;
use shootout_core::page::task_failed;

/// Thread counts and the stall limit of a pipeline.
#[derive(Clone, Copy, Debug)]
pub struct Stages {
    /// Threads in the fetch stage (C).
    pub fetchers: usize,
    /// Threads in the parse stage (T).
    pub parsers: usize,
    /// How long the collector waits for any result before giving up on the rest.
    pub stall: Duration,
}

/// Runs inputs `0..n` through `fetch` (on the fetch stage) and `parse` (on the parse stage)
/// and returns one record per input, in input order.
pub fn run<M: Send>(
    stages: &Stages,
    n: usize,
    name: impl Fn(usize) -> String + Sync,
    fetch: impl Fn(usize) -> M + Sync,
    parse: impl Fn(usize, M) -> PageRecord + Sync,
) -> Vec<PageRecord> {
    // Bounds: `jobs` holds C, enough to keep every fetcher busy; `fetched` holds 2·T bodies,
    // enough to keep every parser busy while the next ones arrive, and no more, so bodies do
    // not pile up when parsing is the bottleneck; `done` holds C, one per fetch in flight.
    let (jobs_tx, jobs_rx) = bounded::<usize>(stages.fetchers.max(1));
    let (fetched_tx, fetched_rx) = bounded::<(usize, Option<M>)>(2 * stages.parsers.max(1));
    let (done_tx, done_rx) = bounded::<(usize, PageRecord)>(stages.fetchers.max(1));
    let mut records: Vec<Option<PageRecord>> = vec![None; n];
    let mut missing = "no result before the stall timeout";
    thread::scope(|s| {
        let (fetch, parse, name) = (&fetch, &parse, &name);
        let fetchers = spawn_stage(s, "fetch", stages.fetchers.min(n), &jobs_rx, move |i| {
            // A panicking fetch is passed on as `None`, so the input still reaches a record.
            let got = catch_unwind(AssertUnwindSafe(|| fetch(i))).ok();
            fetched_tx.send((i, got)).is_ok()
        });
        let parsers = spawn_stage(
            s,
            "parse",
            stages.parsers.min(n),
            &fetched_rx,
            move |(i, got)| {
                let record = match got {
                    Some(m) => catch_unwind(AssertUnwindSafe(|| parse(i, m)))
                        .unwrap_or_else(|_| task_failed(&name(i), "panicked")),
                    None => task_failed(&name(i), "panicked"),
                };
                done_tx.send((i, record)).is_ok()
            },
        );
        // The stage closures own the only senders of `fetched` and `done`: when a stage's
        // threads finish, its output channel closes and the next stage drains and stops.
        if fetchers == 0 || parsers == 0 {
            missing = "the OS refused to start the pipeline's threads";
            drop(jobs_tx);
            return;
        }

        // The collector, on this thread: feed inputs and take in records in one loop.
        // `select!` waits on whichever is ready, so a full `jobs` channel never blocks
        // the intake of results (which would deadlock once `done` filled up too).
        let (mut next, mut received) = (0, 0);
        let mut jobs = Some(jobs_tx);
        while received < n {
            match jobs.as_ref().filter(|_| next < n) {
                Some(tx) => select! {
                    send(tx, next) -> sent => {
                        if sent.is_err() { break }
                        next += 1;
                        // All inputs handed out: close `jobs` so the fetch threads can finish.
                        if next == n { jobs = None }
                    }
                    recv(done_rx) -> got => match got {
                        Ok((i, record)) => { records[i] = Some(record); received += 1 }
                        Err(_) => break,
                    },
                },
                None => select! {
                    recv(done_rx) -> got => match got {
                        Ok((i, record)) => { records[i] = Some(record); received += 1 }
                        Err(_) => break,
                    },
                    recv(after(stages.stall)) -> _ => break,
                },
            }
        }
        // Closing `jobs` lets the stages wind down; draining `done` keeps a parse thread from
        // blocking on a full channel meanwhile (and keeps any late record).
        drop(jobs);
        for (i, record) in done_rx.iter() {
            records[i].get_or_insert(record);
        }
    });
    records
        .into_iter()
        .enumerate()
        .map(|(i, r)| {
            r.unwrap_or_else(|| task_failed(&name(i), "no result before the stall timeout"))
        })
        .collect()
}

/// Starts up to `count` threads that each take items from `input` and call `work` until the
/// channel closes or `work` says stop; returns how many started.
pub fn spawn_stage<'scope, T: Send + 'scope>(
    s: &'scope thread::Scope<'scope, '_>,
    stage: &str,
    count: usize,
    input: &Receiver<T>,
    work: impl Fn(T) -> bool + Send + Clone + 'scope,
) -> usize {
    (0..count)
        .filter(|w| {
            let (input, work) = (input.clone(), work.clone());
            thread::Builder::new()
                .name(format!("{stage}-{w}"))
                .spawn_scoped(s, move || {
                    for item in input {
                        if !work(item) {
                            break;
                        }
                    }
                })
                .is_ok()
        })
        .count()
}
