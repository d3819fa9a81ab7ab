//! `sleep`: N simulated downloads, waited for one after another.

use std::time::Duration;

use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

/// Blocks the thread for each wait in turn: N·L in total, like `time.sleep` in a loop.
pub fn sleep(n: usize, wait: Duration) -> Vec<PageRecord> {
    (0..n)
        .map(|i| {
            std::thread::sleep(wait);
            sleep_record(i)
        })
        .collect()
}
