//! `write`: C threads, each blocking on one `std::fs` write at a time.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::write_record;

use crate::pool::run_pool;

/// The same pool as `files`, writing where it read.
pub fn write(paths: &[PathBuf], source: &[u8], fsync: bool, concurrency: usize) -> Vec<PageRecord> {
    run_pool(
        paths.len(),
        concurrency,
        |i| paths[i].to_string_lossy().into_owned(),
        |i| write_record(&paths[i], source, i, fsync),
    )
}
