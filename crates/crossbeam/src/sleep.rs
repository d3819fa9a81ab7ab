//! `sleep`: N waits in the fetch stage (C threads); nothing to parse.

use std::time::Duration;

use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

use crate::pipeline::{Stages, run};

/// The wait is the "fetch"; the parse stage just makes the record.
///
/// Not as lean as a bare fetch stage could be: every wait also crosses to the parse stage and
/// then to the collector, two channel hops and T more threads. benches/lean.rs measured 8.9 ms
/// against 8.3 ms for a minimal program of C threads on one channel (100 waits of 5 ms, all at
/// once). Kept: the pipeline, its bounded channels and `select!`, is what this contestant
/// shows, and it costs the same in every scenario.
pub fn sleep(stages: &Stages, n: usize, wait: Duration) -> Vec<PageRecord> {
    run(
        stages,
        n,
        |i| format!("sleep:{i}"),
        |_| std::thread::sleep(wait),
        |i, ()| sleep_record(i),
    )
}
