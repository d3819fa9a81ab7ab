//! `write`: write each file with `std::fs`, one after another.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::write_record;

/// One write in flight: each blocks the only thread until the page cache (or, with fsync, the
/// disk) has the bytes.
pub fn write(paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
    paths
        .iter()
        .enumerate()
        .map(|(i, path)| write_record(path, source, i, fsync))
        .collect()
}
