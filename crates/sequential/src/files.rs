//! `files`: read each file with `std::fs::read`, one after another.
//!
//! The articles' plain `open(path).read()` in a loop: each read blocks the only thread until
//! the disk (cold) or the page cache (warm) hands the bytes over.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::read_record;

/// One read in flight: a cold read waits on the disk alone.
pub fn files(paths: &[PathBuf]) -> Vec<PageRecord> {
    paths.iter().map(|path| read_record(path)).collect()
}
