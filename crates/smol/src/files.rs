//! `files`: a task per file on `smol::fs::read` (the async-fs crate), at most C alive at once.
//!
//! epoll cannot wait on a regular file, so async-fs, as smol's docs recommend for files, runs
//! each `std::fs` call on the `blocking` crate's thread pool (`unblock`, capped at T threads
//! here) and awaits its result: a hop to the pool and back per call.

use std::path::PathBuf;

use shootout_core::PageRecord;
use shootout_core::files::record;
use smol::Executor;

use crate::bounded::spawn_bounded;

/// The aiofiles pattern, a task each, on this contestant's own executor.
pub async fn files(
    ex: &Executor<'static>,
    paths: &[PathBuf],
    concurrency: usize,
) -> Vec<PageRecord> {
    spawn_bounded(
        ex,
        paths.len(),
        concurrency,
        |i| paths[i].to_string_lossy().into_owned(),
        |i| {
            let path = paths[i].clone();
            async move {
                let read = smol::fs::read(&path).await;
                record(&path, read)
            }
        },
    )
    .await
}
