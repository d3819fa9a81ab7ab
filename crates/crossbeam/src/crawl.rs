//! `crawl`: the pipeline in a loop; the collector owns the frontier and feeds new URLs back.

use std::collections::{HashSet, VecDeque};
use std::thread;

use crossbeam_channel::{after, bounded, select};
use shootout_core::page::{Scraped, contained_crawl, crawl_page, task_failed};
use shootout_core::{CrawlSpec, Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::pipeline::{Stages, spawn_stage};

/// The collector (this thread) owns the frontier, so each URL is admitted once. It hands URLs
/// to the fetch stage and takes scraped pages from the parse stage in one `select!`, so a full
/// channel in one direction never blocks the other: with bounded channels in a cycle, a
/// blocking `send` here would deadlock as soon as the parse stage waited on us.
pub fn crawl(
    stages: &Stages,
    client: &BlockingClient,
    root: &Url,
    spec: &CrawlSpec,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, spec);
    // Borrowed by the scoped threads: a redirect is followed only within it.
    let scope = frontier.scope();
    let scope = scope.as_ref();
    let (jobs_tx, jobs_rx) = bounded::<Url>(stages.fetchers.max(1));
    let (fetched_tx, fetched_rx) = bounded(2 * stages.parsers.max(1));
    let (done_tx, done_rx) = bounded::<(Url, Scraped)>(stages.fetchers.max(1));
    let mut records = Vec::new();
    thread::scope(|s| {
        let fetchers = spawn_stage(s, "fetch", stages.fetchers, &jobs_rx, move |url: Url| {
            let got = client.get_within(&url, scope);
            fetched_tx.send((url, got)).is_ok()
        });
        let parsers = spawn_stage(
            s,
            "parse",
            stages.parsers,
            &fetched_rx,
            move |(url, got): (Url, _)| {
                let page = contained_crawl(&url, || crawl_page(&url, got, extract, scope));
                done_tx.send((url, page)).is_ok()
            },
        );
        if fetchers == 0 || parsers == 0 {
            records.push(task_failed(
                root.as_str(),
                "the OS refused to start the pipeline's threads",
            ));
            return;
        }
        let mut queue = VecDeque::from([root]);
        let mut in_flight: HashSet<Url> = HashSet::new();
        loop {
            if queue.is_empty() && in_flight.is_empty() {
                break;
            }
            let event = match queue.front().cloned() {
                Some(next) => select! {
                    send(jobs_tx, next.clone()) -> sent => match sent {
                        Ok(()) => Event::Sent(next),
                        Err(_) => Event::Closed,
                    },
                    recv(done_rx) -> got => got.map_or(Event::Closed, Event::Done),
                },
                None => select! {
                    recv(done_rx) -> got => got.map_or(Event::Closed, Event::Done),
                    // Every request has its own timeout; silence well past it means a stage
                    // is stuck. Stop, and record what never came back rather than hang.
                    recv(after(stages.stall)) -> _ => Event::Closed,
                },
            };
            match event {
                Event::Sent(url) => {
                    queue.pop_front();
                    in_flight.insert(url);
                }
                Event::Done((url, page)) => {
                    in_flight.remove(&url);
                    queue.extend(frontier.finish(page, &mut records));
                }
                Event::Closed => break,
            }
        }
        // Closing `jobs` lets the fetch threads finish, which closes `fetched`, and so on;
        // draining `done` keeps a parse thread from blocking on a full channel meanwhile.
        drop(jobs_tx);
        for (url, page) in done_rx.iter() {
            in_flight.remove(&url);
            records.push(page.record);
        }
        // Only after a stall: whatever was admitted but never answered still gets a record.
        for url in in_flight.drain().chain(queue.drain(..)) {
            records.push(task_failed(
                url.as_str(),
                "no result before the stall timeout",
            ));
        }
    });
    records
}

/// What the collector's `select!` saw.
enum Event {
    /// A URL went to the fetch stage.
    Sent(Url),
    /// A scraped page came back.
    Done((Url, Scraped)),
    /// A channel closed or the stall timeout passed: stop.
    Closed,
}
