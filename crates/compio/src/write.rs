//! `write`: the files dealt round-robin to the cores; on each, a task per file on `compio::fs`,
//! at most the core's share of C alive.
//!
//! On io_uring each step is an entry in the core's ring: `openat` (create), `write`, `fsync`
//! if asked, `close`. On the poll fallback compio runs each on its thread pool.

use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;

use compio::BufResult;
use compio::fs::File;
use compio::io::AsyncWriteAtExt;
use shootout_core::PageRecord;
use shootout_core::files::{write_content, written};

use crate::bounded::spawn_bounded;
use crate::cores::Core;

/// One core's files, written through its own ring. The ring owns each buffer while the kernel
/// writes it (compio's owned-buffer I/O): the bytes go in and come back out.
pub async fn write(
    core: Rc<Core>,
    paths: Vec<(usize, PathBuf)>,
    source: Arc<[u8]>,
    fsync: bool,
) -> Vec<(usize, Option<PageRecord>)> {
    spawn_bounded(paths, core.share, move |i, path| {
        let source = source.clone();
        async move {
            let bytes = write_content(&source, i);
            let (bytes, wrote) = write_one(&path, bytes, fsync).await;
            written(&path, &bytes, wrote)
        }
    })
    .await
}

/// Create, write the whole buffer at offset 0, `fsync` if asked, close: each a submission.
async fn write_one(path: &PathBuf, bytes: Vec<u8>, fsync: bool) -> (Vec<u8>, std::io::Result<()>) {
    let mut file = match File::create(path).await {
        Ok(f) => f,
        Err(e) => return (bytes, Err(e)),
    };
    let BufResult(wrote, bytes) = file.write_all_at(bytes, 0).await;
    let finished = async {
        wrote?;
        if fsync {
            file.sync_all().await?;
        }
        file.close().await
    };
    (bytes, finished.await)
}
