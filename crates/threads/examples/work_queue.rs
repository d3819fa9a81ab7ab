//! Worker threads pulling jobs from one channel until it closes.
//!
//! Mirrors a `queue.Queue` shared by `threading.Thread` workers, each looping on `q.get()`.
//! `std::sync::mpsc` has a single consumer, so the workers share the receiver behind a
//! `Mutex`; each takes the lock only long enough to receive one job. Dropping the sender closes
//! the channel, and every worker's `recv` then fails, which is how they learn to stop.
//!
//! Run with: `cargo run --release -p shootout-threads --example work_queue`
//!
//! You should see: 12 downloads of 300 ms by 4 workers in about 0.9 s (3 rounds), each line
//! naming the worker that did it.

use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::blocking::BlockingClient;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: 12,
            ..SiteSpec::default()
        }),
        latency: Duration::from_millis(300),
        ..ServerConfig::default()
    })?;
    let client = BlockingClient::new(&Knobs::default(), 4);
    let (jobs, queue) = mpsc::channel();
    let queue = Mutex::new(queue);
    let (results, done) = mpsc::channel();

    let start = Instant::now();
    std::thread::scope(|s| {
        // Start 4 workers.
        for worker in 0..4 {
            let (queue, results, client) = (&queue, results.clone(), &client);
            s.spawn(move || {
                loop {
                    // Take one job; the lock guard is dropped at the end of this statement.
                    let job = queue
                        .lock()
                        .expect("no worker panics holding the lock")
                        .recv();
                    let Ok(url) = job else { break };
                    let outcome = client.get(&url).map(|p| p.body.len());
                    let _ = results.send((worker, url, outcome));
                }
            });
        }
        drop(results);
        // Queue every job, then close the queue so the workers stop when it is empty.
        for url in shootout_site::page_urls(&server.base_url(), 12) {
            let _ = jobs.send(url);
        }
        drop(jobs);
        for (worker, url, outcome) in done {
            match outcome {
                Ok(bytes) => println!(
                    "{:>5.0} ms  worker {worker}: {url} ({bytes} bytes)",
                    start.elapsed().as_secs_f64() * 1e3
                ),
                Err(e) => println!(
                    "{:>5.0} ms  worker {worker}: {url}: {e}",
                    start.elapsed().as_secs_f64() * 1e3
                ),
            }
        }
    });
    println!("12 downloads in {:.1} s", start.elapsed().as_secs_f64());
    Ok(())
}
