//! `sleep`: N waits on C threads, each thread blocked for the whole of each wait.

use std::time::Duration;

use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

use crate::pool::run_pool;

/// Like the articles' threads calling `time.sleep`: waits overlap only as far as there are
/// threads, and every waiting thread costs a stack and a kernel task.
///
/// The pool names its threads, catches a panic per input and reports each record over a
/// channel: benches/lean.rs measured 7.1 ms against 6.9 ms for bare scoped threads that only
/// count (100 waits of 5 ms, all at once), about 2 µs per thread.
pub fn sleep(n: usize, wait: Duration, concurrency: usize) -> Vec<PageRecord> {
    run_pool(
        n,
        concurrency,
        |i| format!("sleep:{i}"),
        |i| {
            std::thread::sleep(wait);
            sleep_record(i)
        },
    )
}
