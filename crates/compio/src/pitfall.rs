//! `pitfall`: the scrape of scrape.rs with the parse placed by `offload`, and a heartbeat on
//! every core that has work.
//!
//! On a work-stealing runtime one heartbeat is enough: any free worker can run it. Here a task
//! runs only on its own core, so each core gets its own heartbeat, and the lags of all of them
//! are pooled: the lag any task on any core would have seen.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::ThreadPool;
use shootout_core::page::{contained, scrape_page, task_failed};
use shootout_core::pitfall::{BLOCKING_CALL, HEARTBEAT_PERIOD, Offload};
use url::Url;

use crate::bounded::spawn_bounded;
use crate::cores::Core;
use crate::split::Answer;

/// One core's part: its records, and its heartbeat's lags.
pub async fn pitfall(
    core: Rc<Core>,
    urls: Vec<(usize, Url)>,
    offload: Offload,
    pool: Arc<ThreadPool>,
) -> (Answer, Vec<Duration>) {
    let stop = Rc::new(Cell::new(false));
    let beat = compio::runtime::spawn(heartbeat(stop.clone()));
    let share = core.share;
    let records = spawn_bounded(urls, share, move |_, url| {
        let (core, pool) = (core.clone(), pool.clone());
        async move {
            if offload == Offload::ThreadSleep {
                // The mistake: a blocking sleep holds this core, and every task on it.
                // `compio::time::sleep(..).await` would have yielded instead.
                std::thread::sleep(BLOCKING_CALL);
            }
            let fetched = core.client.get(&url).await;
            let extract = core.extract;
            let name = url.to_string();
            match offload {
                // Thread-per-core's own choice for scrape and crawl (see scrape.rs): the core
                // that fetched the page parses it, and its other tasks wait meanwhile.
                Offload::Inline => scrape_page(url.as_str(), fetched, extract),
                Offload::ThreadSleep | Offload::SpawnBlocking => core
                    .unblock(move || scrape_page(url.as_str(), fetched, extract))
                    .await
                    .unwrap_or_else(|e| task_failed(&name, crate::join_error(&e))),
                Offload::Rayon => {
                    let (tx, rx) = async_channel::bounded(1);
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
    })
    .await;
    stop.set(true);
    let lags = beat.await.unwrap_or_default();
    (records, lags)
}

/// Asks to wake every period until `stop`, and records how late each wake-up was. After a
/// late tick the next is scheduled a full period later, so one stall counts once.
async fn heartbeat(stop: Rc<Cell<bool>>) -> Vec<Duration> {
    let mut lags = Vec::new();
    while !stop.get() {
        let due = Instant::now() + HEARTBEAT_PERIOD;
        compio::time::sleep_until(due).await;
        lags.push(due.elapsed());
    }
    lags
}
