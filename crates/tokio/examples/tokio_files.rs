//! 1,000 small files read through `tokio::fs`: every call is a hop to the blocking pool.
//!
//! Mirrors the articles' async context manager, `async with aiofiles.open(path) as f: data =
//! await f.read()`, one task per file with `asyncio.gather`. An event loop cannot wait on a
//! regular file (epoll says a file is always ready), so aiofiles, and `tokio::fs` the same way,
//! hands each call to a thread pool and awaits the answer: `tokio::fs::read` is a
//! `spawn_blocking` of `std::fs::read`. The work per file is the same; what each call adds is
//! the hop. Set beside `compio_files`, which submits the same reads to io_uring instead.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_files`
//!
//! You should see two lines, each "1000 files, 3.9 MiB, every checksum right": a plain
//! `std::fs::read` loop on one thread, then `tokio::fs::read` one task a file with 32 in flight
//! on a blocking pool of 2 threads, each with its time and µs a file. Warm (the files were just
//! written, so they are in the page cache), expect tokio::fs at 0.9-2× the plain loop's µs a
//! file (we saw 5.0-11.5 µs against 5.6-6.3): two blocking threads read at once, and each file
//! pays the hop there and back. Cold files (`shootout run files`) are where reads in flight pay,
//! and where the hop's cost shows: 35 µs a file over a bare loop on 10,000 cold files.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use shootout_core::files::{FileSet, FileSpec, checksum};

const FILES: usize = 1_000;
const IN_FLIGHT: usize = 32;

fn main() -> anyhow::Result<()> {
    // The set is written (and its checksums kept) before any clock starts, and removed when
    // `set` is dropped, at the end or on an error.
    let set = FileSet::write(
        &std::env::temp_dir(),
        FileSpec {
            files: FILES,
            kib: 4,
            seed: 1,
        },
    )?;
    let paths: Arc<Vec<PathBuf>> = Arc::new((0..FILES).map(|i| set.path(i)).collect());

    // The baseline: one thread, one blocking read after another.
    let start = Instant::now();
    let sums: Vec<u32> = paths
        .iter()
        .map(|p| std::fs::read(p).map(|b| checksum(&b)))
        .collect::<Result<_, _>>()?;
    report("std::fs::read loop, 1 thread", start, &sums, set.sums());

    // Two workers and a blocking pool of two threads: the pool is where every read runs.
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .max_blocking_threads(2)
        .build()?;
    let start = Instant::now();
    let sums = runtime.block_on(read_all(paths))?;
    report("tokio::fs::read, 32 in flight", start, &sums, set.sums());
    Ok(())
}

/// A task per file, at most `IN_FLIGHT` alive: what `asyncio.gather` with a `Semaphore(32)`
/// does. Returns every file's checksum, in order.
async fn read_all(paths: Arc<Vec<PathBuf>>) -> anyhow::Result<Vec<u32>> {
    // Bounded, so 1,000 files never mean 1,000 tasks queued on a pool of two threads.
    let gate = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut tasks = Vec::with_capacity(paths.len());
    for i in 0..paths.len() {
        let (paths, gate) = (paths.clone(), gate.clone());
        tasks.push(tokio::spawn(async move {
            let _permit = gate.acquire_owned().await?;
            // spawn_blocking(std::fs::read) underneath: the hop there and back is the cost.
            let bytes = tokio::fs::read(&paths[i]).await?;
            anyhow::Ok(checksum(&bytes))
        }));
    }
    let mut sums = Vec::with_capacity(tasks.len());
    for t in tasks {
        sums.push(t.await??);
    }
    Ok(sums)
}

/// Prints one line, after checking every checksum against the set's.
fn report(what: &str, start: Instant, got: &[u32], want: &[u32]) {
    let took = start.elapsed();
    let wrong = got.iter().zip(want).filter(|(g, w)| g != w).count();
    let verdict = if wrong == 0 && got.len() == want.len() {
        "every checksum right".to_owned()
    } else {
        format!("{wrong} checksums WRONG")
    };
    println!(
        "{what:<32} {} files, {:.1} MiB, {verdict}: {:.1} ms, {:.1} µs a file",
        got.len(),
        (got.len() * 4) as f64 / 1024.0,
        took.as_secs_f64() * 1e3,
        took.as_secs_f64() * 1e6 / got.len().max(1) as f64
    );
}
