//! `files`: the files dealt round-robin to the cores; on each, a task per file on
//! `compio::fs`, at most the core's share of C alive.
//!
//! This is the one contestant whose file reads are not a thread-pool hop. On io_uring every
//! step is an entry submitted to the core's own ring: `openat`, `statx` (for the size),
//! `read` and `close`; the core's thread never blocks on them, and the kernel completes each
//! (a read of a page that is not cached is handed to the kernel's own io-wq workers). On the
//! poll fallback (epoll cannot wait on a file) compio runs each of them on its thread pool
//! instead, as tokio::fs does, and the row names the fallback.
//!
//! Why not `compio::fs::read(path)`? It reads into an empty `Vec` that grows 32 bytes at a time
//! when full, one ring entry per growth: 9 reads for a 4 KiB file, 19 for 4 MiB. `std::fs::read`
//! (under tokio::fs, async-fs and every thread pool here) asks for the size first and reads
//! once; so does this, for the same work.

use std::path::PathBuf;
use std::rc::Rc;

use compio::BufResult;
use compio::fs::File;
use compio::io::AsyncReadAtExt;
use shootout_core::PageRecord;
use shootout_core::files::record;

use crate::bounded::spawn_bounded;
use crate::cores::Core;

/// One core's files, read through its own ring.
pub async fn files(
    core: Rc<Core>,
    paths: Vec<(usize, PathBuf)>,
) -> Vec<(usize, Option<PageRecord>)> {
    spawn_bounded(paths, core.share, |_, path| async move {
        let read = read(&path).await;
        record(&path, read)
    })
    .await
}

/// `std::fs::read`'s steps, each submitted to the ring: open, the size, one read of it (and
/// the read that finds the end), close.
async fn read(path: &PathBuf) -> std::io::Result<Vec<u8>> {
    let file = File::open(path).await?;
    let len = file.metadata().await?.len();
    let room = usize::try_from(len).unwrap_or(usize::MAX).saturating_add(1);
    let BufResult(read, bytes) = file.read_to_end_at(Vec::with_capacity(room), 0).await;
    // Closed through the ring too, rather than by the drop (a `close(2)` on this thread).
    file.close().await?;
    read.map(|_| bytes)
}
