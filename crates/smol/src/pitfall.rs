//! `pitfall`: scrape with a heartbeat on the same runtime, parsing where `offload` says.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use shootout_core::Strategy;
use shootout_core::page::{contained, scrape_page, task_failed};
use shootout_core::pitfall::{BLOCKING_CALL, HEARTBEAT_PERIOD, Offload, PitfallRun};
use smol::{Executor, Timer};
use url::Url;

use crate::Client;
use crate::bounded::spawn_bounded;

/// The scrape of scrape.rs, with the parse placed by `offload`, and a heartbeat alongside.
pub async fn pitfall(
    ex: &Executor<'static>,
    client: Arc<Client>,
    pool: Arc<ThreadPool>,
    urls: &[Url],
    concurrency: usize,
    offload: Offload,
    extract: Strategy,
) -> PitfallRun {
    let stop = Arc::new(AtomicBool::new(false));
    let beat = ex.spawn(heartbeat(stop.clone()));
    let records = spawn_bounded(
        ex,
        urls.len(),
        concurrency,
        |i| urls[i].to_string(),
        |i| {
            let (client, pool, url) = (client.clone(), pool.clone(), urls[i].clone());
            async move {
                if offload == Offload::ThreadSleep {
                    // The mistake: a blocking sleep holds this thread, and every task queued on
                    // it. `Timer::after(..).await` would have yielded instead.
                    std::thread::sleep(BLOCKING_CALL);
                }
                let fetched = client.get(&url).await;
                let name = url.to_string();
                match offload {
                    // The mistake: parsing right here keeps the thread busy for the whole parse.
                    Offload::Inline => scrape_page(url.as_str(), fetched, extract),
                    Offload::ThreadSleep | Offload::SpawnBlocking => {
                        smol::unblock(move || scrape_page(url.as_str(), fetched, extract)).await
                    }
                    Offload::Rayon => {
                        let (tx, rx) = smol::channel::bounded(1);
                        pool.spawn(move || {
                            // rayon aborts the process on a panic in `spawn`: contain it here,
                            // so a bad page sends its own error record instead.
                            let _ = tx.try_send(contained(url.as_str(), || {
                                scrape_page(url.as_str(), fetched, extract)
                            }));
                        });
                        rx.recv().await.unwrap_or_else(|e| task_failed(&name, e))
                    }
                }
            }
        },
    )
    .await;
    stop.store(true, Ordering::Relaxed);
    let lags = beat.await;
    PitfallRun { records, lags }
}

/// Asks to wake every period until `stop`, and records how late each wake-up was. After a
/// late tick the next is scheduled a full period later, so one stall counts once.
async fn heartbeat(stop: Arc<AtomicBool>) -> Vec<Duration> {
    let mut lags = Vec::new();
    while !stop.load(Ordering::Relaxed) {
        let due = Instant::now() + HEARTBEAT_PERIOD;
        Timer::at(due).await;
        lags.push(due.elapsed());
    }
    lags
}
