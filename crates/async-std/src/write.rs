//! `write`: a task per file on `async_std::fs`, at most C alive at once.
//!
//! Like reads, async-std's file writes are `spawn_blocking` hops: `async_std::fs::write` is one hop
//! (create, write, close on a blocking thread). With fsync the file is opened as a
//! `async_std::fs::File`, and each of `write_all`, `flush`, `sync_all` is a hop of its own.

use std::path::PathBuf;
use std::sync::Arc;

use futures_lite::AsyncWriteExt;
use shootout_core::PageRecord;
use shootout_core::files::{write_content, written};

use crate::bounded::spawn_bounded;

/// The aiofiles pattern, writing: `async with aiofiles.open(path, "wb") as f: await
/// f.write(data)`, a task each.
pub async fn write(
    paths: &[PathBuf],
    source: Arc<[u8]>,
    fsync: bool,
    concurrency: usize,
) -> Vec<PageRecord> {
    spawn_bounded(
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
                    async_std::fs::write(&path, &bytes).await
                };
                written(&path, &bytes, wrote)
            }
        },
    )
    .await
}

/// Create, write, flush (an `async_std::fs::File` writes in the background: `flush` waits for it),
/// and `fsync`.
async fn synced(path: &PathBuf, bytes: &[u8]) -> std::io::Result<()> {
    let mut file = async_std::fs::File::create(path).await?;
    file.write_all(bytes).await?;
    file.flush().await?;
    file.sync_all().await
}
