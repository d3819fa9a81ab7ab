//! `files`: a task per file on `async_std::fs::read`, at most C alive at once.
//!
//! epoll cannot wait on a regular file (a file is always "ready"), so `async_std::fs` does not
//! wait on the reactor at all: each call is a `spawn_blocking` of the `std::fs` call, a hop to
//! the `blocking` crate's pool (capped at T threads here) and back. C tasks keep at most C
//! reads queued for that pool; T of them run at a time.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::record;

use crate::bounded::spawn_bounded;

/// The aiofiles pattern: `async with aiofiles.open(path) as f: await f.read()`, a task each.
pub async fn files(paths: &[PathBuf], concurrency: usize) -> Vec<PageRecord> {
    spawn_bounded(
        paths.len(),
        concurrency,
        |i| paths[i].to_string_lossy().into_owned(),
        |i| {
            let path = paths[i].clone();
            async move {
                let read = async_std::fs::read(&path).await;
                record(&path, read)
            }
        },
    )
    .await
}
