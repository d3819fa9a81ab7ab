//! `sleep`: N waits as a `par_iter` on the C-thread I/O pool.

use std::time::Duration;

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

use shootout_core::page::contained;

/// Each wait blocks a pool thread, so C threads overlap C waits: ceil(N/C) rounds.
pub fn sleep(io: &ThreadPool, n: usize, wait: Duration) -> Vec<PageRecord> {
    io.install(|| {
        (0..n)
            .into_par_iter()
            // One item per task: rayon would otherwise hand a thread a run of waits in a row.
            .with_max_len(1)
            .map(|i| {
                contained(&format!("sleep:{i}"), || {
                    std::thread::sleep(wait);
                    sleep_record(i)
                })
            })
            .collect()
    })
}
