//! `files`: `std::fs::read` in the fetch stage (C threads), the checksum in the parse stage
//! (T threads).

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::record;

use crate::pipeline::{Stages, run};

/// C reader threads keep C reads in flight; the bytes cross a bounded channel to be summed.
pub fn files(stages: &Stages, paths: &[PathBuf]) -> Vec<PageRecord> {
    run(
        stages,
        paths.len(),
        |i| paths[i].to_string_lossy().into_owned(),
        |i| std::fs::read(&paths[i]),
        |i, read| record(&paths[i], read),
    )
}
