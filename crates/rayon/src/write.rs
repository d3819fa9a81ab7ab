//! `write`: a `par_iter` of `std::fs` writes on the C-thread I/O pool.

use std::path::PathBuf;

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::PageRecord;
use shootout_core::files::write_record;

/// A write blocks its thread: the I/O pool's C threads, as `files` reads.
pub fn write(io: &ThreadPool, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
    io.install(|| {
        paths
            .par_iter()
            .enumerate()
            // One file per task, as in `files`.
            .with_max_len(1)
            .map(|(i, path)| write_record(path, source, i, fsync))
            .collect()
    })
}
