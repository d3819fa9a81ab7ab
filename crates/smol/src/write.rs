//! `write`: a task per file on `smol::fs` (async-fs), at most C alive at once.
//!
//! Like reads, async-fs writes are `unblock` hops to the blocking pool: `smol::fs::write` is one
//! (create, write, close on a pool thread). With fsync the file is opened as an `async_fs::File`,
//! and each of `write_all`, `flush`, `sync_all` is a hop of its own.

use std::path::PathBuf;
use std::sync::Arc;

use shootout_core::PageRecord;
use shootout_core::files::{write_content, written};
use smol::Executor;
use smol::io::AsyncWriteExt;

use crate::bounded::spawn_bounded;

/// The aiofiles pattern, writing, a task each, on this contestant's own executor.
pub async fn write(
    ex: &Executor<'static>,
    paths: &[PathBuf],
    source: Arc<[u8]>,
    fsync: bool,
    concurrency: usize,
) -> Vec<PageRecord> {
    spawn_bounded(
        ex,
        paths.len(),
        concurrency,
        |i| paths[i].to_string_lossy().into_owned(),
        |i| {
            let (path, source) = (paths[i].clone(), source.clone());
            async move {
                let bytes = write_content(&source, i);
                let wrote = if fsync {
                    synced(&path, &bytes).await
                } else {
                    smol::fs::write(&path, &bytes).await
                };
                written(&path, &bytes, wrote)
            }
        },
    )
    .await
}

/// Create, write, flush (an `async_fs::File` writes in the background: `flush` waits for it),
/// and `fsync`.
async fn synced(path: &PathBuf, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = smol::fs::File::create(path).await?;
    file.write_all(bytes).await?;
    file.flush().await?;
    file.sync_all().await
}
