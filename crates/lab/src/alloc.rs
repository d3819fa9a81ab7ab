//! The memory allocator every contestant runs on, and how it is tuned.
//!
//! Every contestant runs in a child process of the same binary, so they all share one global
//! allocator: the system's (glibc's `malloc` on Linux), or mimalloc with `--features
//! mimalloc`. Measured on a crawl of the Rust documentation (docs/results.md), glibc's
//! defaults held up to 2× the memory a contestant was using, for two reasons this module
//! removes at start-up, before any thread exists:
//!
//! - glibc serves a block of 128 KiB or more with its own `mmap`, and returns it to the system
//!   when freed, but each time it frees such a block it raises that threshold to the block's
//!   size (up to 32 MiB). After the first large page, every body and DOM array of a few MiB
//!   was carved from a heap instead, and stayed there after it was freed. The threshold is
//!   fixed at 1 MiB here. (Not at 128 KiB: hyper's read buffers reach a few hundred KiB, and
//!   mapping and unmapping one per response cost 30% of the download throughput.)
//! - every thread that allocates gets an arena of its own, up to eight per core, and an arena
//!   keeps what is freed in it. A contestant with C = 10 threads that each fetch and parse
//!   kept ten arenas of DOM garbage. Four arenas per core are allowed here. Not two: smol's
//!   and async-std's blocking pools start their parse threads late, and with two per core such
//!   a thread could land in an arena another thread was using; about one `parse --extract dom`
//!   run in twenty then took 25-30% more CPU and 40% more wall (9 of 160 runs, against none
//!   of 80 with four or eight per core), while a crawl of the Rust documentation peaked within
//!   5 MiB of the same memory with two or four (docs/results.md, "Numbers you can trust").
//!
//! mimalloc was measured too, and held more memory on the same crawls (docs/results.md).

/// Blocks at least this large get their own mapping, returned to the system when freed.
#[cfg(all(target_os = "linux", target_env = "gnu", not(feature = "mimalloc")))]
const MMAP_THRESHOLD: i32 = 1 << 20;

/// Arenas glibc may create per core (its own default is eight on 64-bit systems).
#[cfg(all(target_os = "linux", target_env = "gnu", not(feature = "mimalloc")))]
const ARENAS_PER_CORE: usize = 4;

/// Applies the tuning above to the system allocator; a no-op with mimalloc or outside glibc.
/// Call it first thing in `main`, before any thread starts.
pub fn tune() {
    #[cfg(all(target_os = "linux", target_env = "gnu", not(feature = "mimalloc")))]
    {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let arenas = i32::try_from(ARENAS_PER_CORE * cores).unwrap_or(i32::MAX);
        // SAFETY: mallopt only changes allocator parameters; it is safe to call at any time,
        // and these two values are within glibc's documented ranges.
        unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
            libc::mallopt(libc::M_ARENA_MAX, arenas);
        }
    }
}

/// The allocator this build uses, for the record of a run.
pub const NAME: &str = if cfg!(feature = "mimalloc") {
    "mimalloc"
} else {
    "system"
};
