//! `sleep`: N waits in the fetch stage (C threads); nothing to parse.

use std::time::Duration;

use shootout_core::PageRecord;
use shootout_core::page::sleep_record;

use crate::pipeline::{Stages, run};

/// The wait is the "fetch"; the parse stage just makes the record.
pub fn sleep(stages: &Stages, n: usize, wait: Duration) -> Vec<PageRecord> {
    run(
        stages,
        n,
        |i| format!("sleep:{i}"),
        |_| std::thread::sleep(wait),
        |i, ()| sleep_record(i),
    )
}
