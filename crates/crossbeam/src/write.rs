//! `write`: the bytes built in the parse stage's place would be backwards here, so the fetch
//! stage (C threads) builds and writes each file, and the second stage only makes its record.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::{write_content, write_file, written};

use crate::pipeline::{Stages, run};

/// C writer threads keep C writes in flight.
pub fn write(stages: &Stages, paths: &[PathBuf], source: &[u8], fsync: bool) -> Vec<PageRecord> {
    run(
        stages,
        paths.len(),
        |i| paths[i].to_string_lossy().into_owned(),
        |i| {
            let bytes = write_content(source, i);
            let wrote = write_file(&paths[i], &bytes, fsync);
            (bytes, wrote)
        },
        |i, (bytes, wrote)| written(&paths[i], &bytes, wrote),
    )
}
