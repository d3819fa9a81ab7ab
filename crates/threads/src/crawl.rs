//! `crawl`: a coordinator owns the frontier; C worker threads share one job channel.

use std::collections::VecDeque;
use std::sync::{Mutex, mpsc};
use std::thread;

use shootout_core::page::{Scraped, contained_crawl, crawl_page, task_failed};
use shootout_core::{CrawlSpec, Frontier, PageRecord, Strategy};
use shootout_http::blocking::BlockingClient;
use url::Url;

use crate::gate::Gate;

/// Workers take URLs from one `mpsc` receiver behind a `Mutex` (mpsc has a single consumer,
/// so the lock is what lets C threads share it), fetch, parse (at most T at once), and report
/// back. Only the
/// coordinator (this thread) touches the frontier, so a URL is admitted at most once.
pub fn crawl(
    client: &BlockingClient,
    root: &Url,
    spec: &CrawlSpec,
    concurrency: usize,
    parsing: &Gate,
    extract: Strategy,
) -> Vec<PageRecord> {
    let (mut frontier, root) = Frontier::new(root, spec);
    // Borrowed by the scoped threads: a redirect is followed only within it.
    let scope = frontier.scope();
    let scope = scope.as_ref();
    let (job_tx, job_rx) = mpsc::channel::<Url>();
    let job_rx = Mutex::new(job_rx);
    let (done_tx, done_rx) = mpsc::channel::<Scraped>();
    let mut records = Vec::new();
    thread::scope(|s| {
        let mut started = 0;
        for w in 0..concurrency.min(spec.max_pages.max(1)) {
            let (job_rx, done_tx) = (&job_rx, done_tx.clone());
            let ok = thread::Builder::new()
                .name(format!("crawler-{w}"))
                .spawn_scoped(s, move || {
                    loop {
                        // The guard is a temporary: the lock is released as soon as a URL (or
                        // the end of the channel) arrives, before the slow fetch.
                        let next = job_rx.lock().unwrap_or_else(|p| p.into_inner()).recv();
                        let Ok(url) = next else { break };
                        let page = contained_crawl(&url, || {
                            let fetched = client.get_within(&url, scope);
                            // At most T of the C threads parse at once (see gate.rs).
                            parsing.run(|| crawl_page(&url, fetched, extract, scope))
                        });
                        if done_tx.send(page).is_err() {
                            break;
                        }
                    }
                })
                .is_ok();
            started += usize::from(ok);
        }
        drop(done_tx);
        if started == 0 {
            records.push(task_failed(
                root.as_str(),
                "the OS refused to start any thread",
            ));
            return;
        }
        let mut queue = VecDeque::from([root]);
        let mut in_flight = 0;
        loop {
            // Hand out every queued URL; idle workers pick them up.
            while let Some(url) = queue.pop_front() {
                if job_tx.send(url).is_ok() {
                    in_flight += 1;
                }
            }
            if in_flight == 0 {
                break;
            }
            let Ok(page) = done_rx.recv() else {
                break;
            };
            in_flight -= 1;
            queue.extend(frontier.finish(page, &mut records));
        }
        // Closing the job channel ends every worker's loop; the scope then joins them.
        drop(job_tx);
    });
    records
}
