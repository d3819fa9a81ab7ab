//! `pitfall`: scrape with a heartbeat on the same runtime, parsing where `offload` says.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use shootout_core::Strategy;
use shootout_core::page::{contained, scrape_page, task_failed};
use shootout_core::pitfall::{BLOCKING_CALL, HEARTBEAT_PERIOD, Offload, PitfallRun};
use tokio::sync::oneshot;
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// The scrape of scrape.rs, with the parse placed by `offload`, and a heartbeat alongside.
pub async fn pitfall(
    client: Arc<Client>,
    pool: Arc<ThreadPool>,
    urls: &[Url],
    concurrency: usize,
    offload: Offload,
    extract: Strategy,
) -> PitfallRun {
    let stop = Arc::new(AtomicBool::new(false));
    let beat = tokio::spawn(heartbeat(stop.clone()));
    let records = spawn_bounded(
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, pool, url) = (client.clone(), pool.clone(), urls[i].clone());
            async move {
                if offload == Offload::ThreadSleep {
                    // The mistake: a blocking sleep holds this worker thread, and every task
                    // queued on it. `tokio::time::sleep(..).await` would have yielded instead.
                    std::thread::sleep(BLOCKING_CALL);
                }
                let fetched = client.get(&url).await;
                let name = url.to_string();
                match offload {
                    // The mistake: parsing right here keeps the worker busy for the whole parse.
                    Offload::Inline => scrape_page(url.as_str(), fetched, extract),
                    Offload::ThreadSleep | Offload::SpawnBlocking => {
                        tokio::task::spawn_blocking(move || {
                            scrape_page(url.as_str(), fetched, extract)
                        })
                        .await
                        .unwrap_or_else(|e| task_failed(&name, e))
                    }
                    Offload::Rayon => {
                        let (tx, rx) = oneshot::channel();
                        pool.spawn(move || {
                            // rayon aborts the process on a panic in `spawn`: contain it here,
                            // so a bad page sends its own error record instead.
                            let _ = tx.send(contained(url.as_str(), || {
                                scrape_page(url.as_str(), fetched, extract)
                            }));
                        });
                        rx.await.unwrap_or_else(|e| task_failed(&name, e))
                    }
                }
            }
        },
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    let lags = beat.await.unwrap_or_default();
    PitfallRun { records, lags }
}

/// Asks to wake every period until `stop`, and records how late each wake-up was. After a
/// late tick the next is scheduled a full period later, so one stall counts once.
async fn heartbeat(stop: Arc<AtomicBool>) -> Vec<Duration> {
    let mut lags = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let due = Instant::now() + HEARTBEAT_PERIOD;
        tokio::time::sleep_until(due.into()).await;
        lags.push(due.elapsed());
    }
    lags
}
