//! `files`: a `par_iter` of `std::fs::read` on the C-thread I/O pool.
//!
//! A read blocks its thread, so the files go to the pool sized for blocking work (C threads),
//! not the T-thread CPU pool, as `download` does.

use std::path::PathBuf;

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::PageRecord;
use shootout_core::files::read_record;

/// `Pool.map(read, paths)` with C threads.
pub fn files(io: &ThreadPool, paths: &[PathBuf]) -> Vec<PageRecord> {
    io.install(|| {
        paths
            .par_iter()
            // One file per task: rayon would otherwise hand a thread a run of files in a row.
            .with_max_len(1)
            .map(|path| read_record(path))
            .collect()
    })
}
