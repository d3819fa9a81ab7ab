//! `files`: C threads, each blocking on one `std::fs::read` at a time.
//!
//! Reading a file blocks a thread whether or not the bytes are cached, so threads are how std
//! overlaps the waits: C threads give C reads in flight, as in `download`.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::read_record;

use crate::pool::run_pool;

/// The same pool as `download`, with a file in place of a URL.
pub fn files(paths: &[PathBuf], concurrency: usize) -> Vec<PageRecord> {
    run_pool(
        paths.len(),
        concurrency,
        |i| paths[i].to_string_lossy().into_owned(),
        |i| read_record(&paths[i]),
    )
}
