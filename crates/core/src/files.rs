//! The ground of the `files` scenario (waiting on the disk): a set of N files of S KiB with
//! seeded content, written into a directory of its own before any clock starts; the checksum
//! a contestant gives each file it reads, checked against the one computed as it was written;
//! and the page cache, emptied of the set ("cold") and checked.
//!
//! Here live the set, its checks, its cache state ([`Cache`]), the record a contestant makes of
//! each file it read or wrote ([`record`], [`written`]), the bytes `write` puts in each file
//! ([`write_content`]), and the bare loops the ideals come from ([`FileSet::bare_read`],
//! [`FileSet::bare_write`]). Each contestant's `files.rs` and `write.rs` hold only how its
//! runtime reads and writes.
//!
//! - **Content.** File `i` holds the bytes of a xorshift64* stream seeded by (seed, `i`): the
//!   same on every run and machine, different in every file, and not compressible, so no
//!   layer below can shortcut a read.
//! - **Checksum.** CRC-32 (IEEE), as Python's `zlib.crc32` computes it, so a Python contestant
//!   gives the same number with the standard library.
//! - **Room.** The disk is checked before anything is written: the set, plus a tenth of it and
//!   64 MiB to spare, must fit in what the file system has free for this user.
//! - **Cold.** [`FileSet::evict`] flushes each file (`fsync`) and asks the kernel to drop its
//!   pages (`posix_fadvise(POSIX_FADV_DONTNEED)`, which needs no root), then counts with
//!   `mincore` how many are still in memory. It reports what it found, never what it asked
//!   for: a file system that keeps its pages (tmpfs) shows as not evicted. On a VM the host may
//!   still cache the disk, so "cold" here means the guest's cache was evicted, no more.
//! - **Gone at the end.** The directory is removed when the [`FileSet`] is dropped, on an
//!   error too (a set that failed half way removes what it wrote).

use std::fmt;
use std::fs::File;
use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::record::{FetchError, PageRecord};

/// Whether a run's files were in the page cache when its clock started. Every `files` row
/// names one; `compare` keys rows by it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cache {
    /// Every file evicted from the guest's page cache before the run (and checked so): each
    /// read waits on the disk.
    Cold,
    /// Every file read once before the run: each read is a copy out of memory.
    Warm,
}

impl Cache {
    /// Both, in the order a table shows them.
    pub const ALL: [Cache; 2] = [Cache::Cold, Cache::Warm];

    /// `cold` or `warm`.
    pub fn name(self) -> &'static str {
        match self {
            Cache::Cold => "cold",
            Cache::Warm => "warm",
        }
    }
}

impl fmt::Display for Cache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Cache {
    type Err = String;

    fn from_str(s: &str) -> Result<Cache, String> {
        Cache::ALL
            .into_iter()
            .find(|c| c.name() == s)
            .ok_or_else(|| format!("unknown cache state '{s}' (expected cold or warm)"))
    }
}

/// The record of a file a contestant read: its size and checksum, or an `io` error. Every
/// contestant makes its records here, whatever API read the bytes.
pub fn record(path: &Path, read: std::io::Result<Vec<u8>>) -> PageRecord {
    match read {
        Ok(bytes) => bytes_record(path, &bytes),
        Err(e) => io_record(path, e),
    }
}

/// Reads the file at `path` with `std::fs::read` and makes its record: what the blocking
/// contestants do for each file, on whichever thread their model puts it.
pub fn read_record(path: &Path) -> PageRecord {
    record(path, std::fs::read(path))
}

/// The bytes `write` puts in file `index`: the source file's, with its first 8 bytes replaced
/// by `index` (little-endian), so every file differs and a contestant that writes one buffer
/// N times is caught. Made by the contestant, on its clock: building a file is part of writing
/// it.
pub fn write_content(source: &[u8], index: usize) -> Vec<u8> {
    let mut bytes = source.to_vec();
    let tag = (index as u64).to_le_bytes();
    let n = tag.len().min(bytes.len());
    bytes[..n].copy_from_slice(&tag[..n]);
    bytes
}

/// The record of a file a contestant wrote: the size and checksum of the bytes it wrote, or an
/// `io` error. (The parent reads every file back too: a record cannot vouch for the disk.)
pub fn written(path: &Path, bytes: &[u8], wrote: std::io::Result<()>) -> PageRecord {
    match wrote {
        Ok(()) => bytes_record(path, bytes),
        Err(e) => io_record(path, e),
    }
}

/// Creates (or truncates) the file at `path` and writes `bytes` to it with `std::fs`, flushing
/// it with `fsync` before it is closed if asked: one file of `write`, as the blocking
/// contestants and the bare loop write it.
pub fn write_file(path: &Path, bytes: &[u8], fsync: bool) -> std::io::Result<()> {
    let mut file = File::create(path)?;
    file.write_all(bytes)?;
    if fsync {
        file.sync_all()?;
    }
    Ok(())
}

/// Builds file `index` from `source` and writes it with [`write_file`], and makes its record.
pub fn write_record(path: &Path, source: &[u8], index: usize, fsync: bool) -> PageRecord {
    let bytes = write_content(source, index);
    let wrote = write_file(path, &bytes, fsync);
    written(path, &bytes, wrote)
}

/// A file's record when its bytes are known: their size and checksum.
fn bytes_record(path: &Path, bytes: &[u8]) -> PageRecord {
    file_record(path, bytes.len(), checksum(bytes))
}

/// The record of a file at `path` of `size` bytes whose checksum is `sum`: what a contestant
/// returns for it, and what the ground truth expects.
pub fn file_record(path: &Path, size: usize, sum: u32) -> PageRecord {
    PageRecord {
        url: path.to_string_lossy().into_owned(),
        status: None,
        title: None,
        links: 0,
        size,
        error: None,
        final_url: None,
        latency: None,
        checksum: Some(sum),
    }
}

/// A file's record when the system said no.
fn io_record(path: &Path, e: std::io::Error) -> PageRecord {
    PageRecord::failed(path.to_string_lossy(), FetchError::Io(e.to_string()))
}

/// The most files a set may have.
pub const MAX_FILES: usize = 1_000_000;
/// The largest file a set may have, in KiB (1 GiB).
pub const MAX_FILE_KIB: usize = 1 << 20;
/// The most bytes a whole set may have (64 GiB), whatever the free space.
pub const MAX_TOTAL_BYTES: u64 = 64 << 30;

/// What set of files to write.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileSpec {
    /// How many files (N).
    pub files: usize,
    /// The size of each, in KiB (S).
    pub kib: usize,
    /// The seed of every file's content.
    pub seed: u64,
}

impl FileSpec {
    /// The bytes of the whole set.
    pub fn total_bytes(&self) -> u64 {
        self.files as u64 * self.kib as u64 * 1024
    }

    /// The bytes the file system must have free before the set is written: the set, a tenth
    /// of it, and 64 MiB.
    pub fn room_needed(&self) -> u64 {
        let total = self.total_bytes();
        total + total / 10 + (64 << 20)
    }

    /// Whether the file system that holds `dir` has [`FileSpec::room_needed`] free, said
    /// before anything is written.
    pub fn check_room(&self, dir: &Path) -> Result<(), FilesError> {
        let free = free_bytes(dir).map_err(|e| FilesError::Write {
            dir: dir.to_owned(),
            why: e.to_string(),
        })?;
        if free < self.room_needed() {
            return Err(FilesError::NoRoom {
                dir: dir.to_owned(),
                set: self.total_bytes(),
                need: self.room_needed(),
                free,
            });
        }
        Ok(())
    }

    /// Whether N and S are within their limits.
    pub fn check(&self) -> Result<(), FilesError> {
        if !(1..=MAX_FILES).contains(&self.files) {
            return Err(FilesError::Count(self.files));
        }
        if !(1..=MAX_FILE_KIB).contains(&self.kib) {
            return Err(FilesError::Size(self.kib));
        }
        if self.total_bytes() > MAX_TOTAL_BYTES {
            return Err(FilesError::Total(self.total_bytes()));
        }
        Ok(())
    }
}

/// Why a set of files could not be made. Each is one line, said before anything is read.
#[derive(Debug, thiserror::Error)]
pub enum FilesError {
    /// N is 0 or past [`MAX_FILES`].
    #[error("the number of files must be from 1 to {MAX_FILES}, not {0}")]
    Count(usize),
    /// S is 0 or past [`MAX_FILE_KIB`].
    #[error("the file size must be from 1 to {MAX_FILE_KIB} KiB, not {0} KiB")]
    Size(usize),
    /// The whole set is past [`MAX_TOTAL_BYTES`].
    #[error("the file set would be {} MiB; at most {} MiB", .0 >> 20, MAX_TOTAL_BYTES >> 20)]
    Total(u64),
    /// The file system has too little free space for the set and room to spare.
    #[error(
        "the file set needs {} MiB free in {} ({} MiB of files, with room to spare), but it has {} MiB",
        .need >> 20, .dir.display(), .set >> 20, .free >> 20
    )]
    NoRoom {
        /// Where it was to be written.
        dir: PathBuf,
        /// The bytes of the set.
        set: u64,
        /// The bytes it needs free ([`FileSpec::room_needed`]).
        need: u64,
        /// The bytes free for this user.
        free: u64,
    },
    /// The directory could not be made, written or checked.
    #[error("cannot write the file set in {}: {why}", .dir.display())]
    Write {
        /// Where it was to be written.
        dir: PathBuf,
        /// What the system said.
        why: String,
    },
}

/// The bytes of file `index` of a set seeded with `seed`: `len` bytes of a xorshift64*
/// stream.
pub fn content(seed: u64, index: usize, len: usize) -> Vec<u8> {
    // A state that is never zero (xorshift's one fixed point), different for every file.
    let mut state = (seed ^ (index as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1;
    let mut out = Vec::with_capacity(len + 8);
    while out.len() < len {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        out.extend_from_slice(&state.wrapping_mul(0x2545_F491_4F6C_DD1D).to_le_bytes());
    }
    out.truncate(len);
    out
}

/// The checksum a contestant gives a file it read: CRC-32 (IEEE) of its bytes, as Python's
/// `zlib.crc32(data)` gives it.
pub fn checksum(bytes: &[u8]) -> u32 {
    crc32fast::hash(bytes)
}

/// The name of file `index` in its set's directory.
pub fn file_name(index: usize) -> String {
    format!("f{index:07}")
}

/// A set of files written to disk, removed when dropped.
#[derive(Debug)]
pub struct FileSet {
    dir: PathBuf,
    spec: FileSpec,
    sums: Vec<u32>,
}

/// Where a set's pages are, as `mincore` counted them.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Residency {
    /// Pages of the set in the page cache.
    pub resident: u64,
    /// Pages of the set in all.
    pub pages: u64,
}

impl Residency {
    /// Whether none of the set's pages is in the page cache.
    pub fn evicted(&self) -> bool {
        self.resident == 0
    }

    /// The share of the set's pages in the page cache, in percent (0 for an empty set).
    pub fn percent(&self) -> f64 {
        if self.pages == 0 {
            0.0
        } else {
            self.resident as f64 * 100.0 / self.pages as f64
        }
    }
}

impl FileSet {
    /// Writes the set `spec` into a new directory under `parent`, after checking N, S and the
    /// free space. Each file is written whole and closed; its checksum is kept as ground truth.
    pub fn write(parent: &Path, spec: FileSpec) -> Result<FileSet, FilesError> {
        spec.check()?;
        let failed = |dir: &Path, e: std::io::Error| FilesError::Write {
            dir: dir.to_owned(),
            why: e.to_string(),
        };
        spec.check_room(parent)?;
        // A name no other set in this process or another has: pid and a counter.
        static SETS: AtomicU64 = AtomicU64::new(0);
        let dir = parent.join(format!(
            "shootout-files-{}-{}",
            std::process::id(),
            SETS.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir(&dir).map_err(|e| failed(parent, e))?;
        // From here the set owns the directory: an error drops it, and the drop removes it.
        let mut set = FileSet {
            dir,
            spec,
            sums: Vec::with_capacity(spec.files),
        };
        let len = spec.kib * 1024;
        for i in 0..spec.files {
            let bytes = content(spec.seed, i, len);
            set.sums.push(checksum(&bytes));
            File::create(set.path(i))
                .and_then(|mut f| f.write_all(&bytes))
                .map_err(|e| failed(&set.dir, e))?;
        }
        Ok(set)
    }

    /// The directory the set is in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// What set it is.
    pub fn spec(&self) -> FileSpec {
        self.spec
    }

    /// The path of file `index`.
    pub fn path(&self, index: usize) -> PathBuf {
        self.dir.join(file_name(index))
    }

    /// The checksum of every file, by index: the ground truth.
    pub fn sums(&self) -> &[u32] {
        &self.sums
    }

    /// Where `write` puts its files: a directory in the set's, emptied before each run.
    pub fn write_dir(&self) -> PathBuf {
        self.dir.join("written")
    }

    /// The path `write` puts file `index` at.
    pub fn write_path(&self, index: usize) -> PathBuf {
        self.write_dir().join(file_name(index))
    }

    /// Empties (and makes) [`FileSet::write_dir`] for the next run, off the clock: what the
    /// last run wrote is moved aside (renamed, not removed) and the file system synced
    /// (`syncfs`), so its dirty pages are on the disk before the next clock starts rather than
    /// written back during it.
    ///
    /// Why not remove the files: ext4 without a journal (this lab's VM) skips, when it
    /// allocates an inode, every inode deleted in the last minute (five, if its table block is
    /// dirty), and checks each one it skips. Right after 10,000 files were removed, writing
    /// 10,000 more took 1.1-2.6 s instead of 0.24 s, the kernel busy in `recently_deleted` and
    /// `rwsem_spin_on_owner`. So the files moved aside stay until the set is dropped, unless
    /// the disk would then be too full for another run ([`FileSpec::room_needed`] for `n`
    /// files): then they are removed first, and the next run may pay for it.
    pub fn clear_writes_for(&self, n: usize) -> std::io::Result<()> {
        let dir = self.write_dir();
        if dir.exists() {
            static MOVED: AtomicU64 = AtomicU64::new(0);
            let aside = self
                .dir
                .join(format!("written-{}", MOVED.fetch_add(1, Ordering::Relaxed)));
            std::fs::rename(&dir, aside)?;
        }
        let room = FileSpec {
            files: n.max(1),
            ..self.spec
        };
        if room.check_room(&self.dir).is_err() {
            for entry in std::fs::read_dir(&self.dir)? {
                let path = entry?.path();
                if path.is_dir() {
                    std::fs::remove_dir_all(path)?;
                }
            }
        }
        std::fs::create_dir(&dir)?;
        let handle = File::open(&dir)?;
        // SAFETY: syncfs takes a descriptor this process holds open; it touches no memory of
        // ours.
        if unsafe { libc::syncfs(handle.as_raw_fd()) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok(())
    }

    /// The checksums `write`'s first `n` files must have: file 0 of this set is their source
    /// ([`write_content`]).
    pub fn write_sums(&self, n: usize) -> Vec<u32> {
        let source = content(self.spec.seed, 0, self.spec.kib * 1024);
        (0..n)
            .map(|i| checksum(&write_content(&source, i)))
            .collect()
    }

    /// Reads back `n` files a `write` run wrote and says what is wrong with them: missing,
    /// short, or not the bytes they should hold (at most 5 named, then a count).
    pub fn check_writes(&self, n: usize) -> Vec<String> {
        let source = content(self.spec.seed, 0, self.spec.kib * 1024);
        let mut problems = Vec::new();
        let mut count = 0;
        for i in 0..n {
            let path = self.write_path(i);
            let problem = match std::fs::read(&path) {
                Err(e) => Some(format!("{}: cannot read it back ({e})", path.display())),
                Ok(bytes) if bytes != write_content(&source, i) => Some(format!(
                    "{}: read back {} bytes that are not the ones it should hold",
                    path.display(),
                    bytes.len()
                )),
                Ok(_) => None,
            };
            if let Some(p) = problem {
                count += 1;
                if problems.len() < 5 {
                    problems.push(p);
                }
            }
        }
        if count > problems.len() {
            problems.push(format!(
                "{} more files wrong on disk",
                count - problems.len()
            ));
        }
        problems
    }

    /// Empties the page cache of the set: each file is flushed to disk (a dirty page cannot
    /// be dropped) and its pages dropped. Returns what is still resident after it, counted,
    /// not assumed.
    pub fn evict(&self) -> std::io::Result<Residency> {
        for i in 0..self.spec.files {
            let file = File::open(self.path(i))?;
            file.sync_all()?;
            // SAFETY: posix_fadvise takes a descriptor this process holds open and plain
            // integers; it reads and writes no memory of ours.
            let rc =
                unsafe { libc::posix_fadvise(file.as_raw_fd(), 0, 0, libc::POSIX_FADV_DONTNEED) };
            if rc != 0 {
                return Err(std::io::Error::from_raw_os_error(rc));
            }
        }
        self.residency()
    }

    /// How many of the set's pages are in the page cache now.
    pub fn residency(&self) -> std::io::Result<Residency> {
        let mut all = Residency::default();
        for i in 0..self.spec.files {
            let one = resident_pages(&self.path(i))?;
            all.resident += one.resident;
            all.pages += one.pages;
        }
        Ok(all)
    }
}

/// What a bare read of a set took: the floor a contestant is measured against.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BareRead {
    /// The wall time of reading and checksumming every file.
    pub wall: Duration,
    /// Files whose checksum differed from the ground truth (0 unless the disk lies).
    pub wrong: usize,
}

impl FileSet {
    /// The bare read loop: every file opened, read whole (`read` until it returns 0, into a
    /// buffer each thread keeps) and checksummed, by `in_flight` threads that each take the next file
    /// until none is left, so `in_flight` reads are outstanding at a time. Nothing is between
    /// the loop and the system calls: no runtime, no pool hop, no ring, no allocation. Warm,
    /// with T threads, it is the `files` scenario's floor for T; cold (after
    /// [`FileSet::evict`]), with C threads, its floor for C reads in flight. The threads and
    /// their buffers are made before the clock.
    pub fn bare_read(&self, in_flight: usize) -> std::io::Result<BareRead> {
        let wrong = std::sync::atomic::AtomicUsize::new(0);
        let wall = on_threads(
            self.spec.files,
            in_flight,
            // One buffer a thread, kept from file to file and touched before the clock: a
            // floor pays no allocation, and no first touch of fresh memory, per file. One byte
            // more than a file, so the read that finds the end has room to say so.
            || vec![0u8; self.spec.kib * 1024 + 1],
            |buf, i| {
                // The fewest system calls a whole file can be read with, not knowing its size:
                // open, read until a read returns 0, close. (No `statx`, as `std::fs::read`
                // makes, and no `lseek`, as `File::read_to_end` makes: every contestant's
                // read does at least this.)
                let mut file = File::open(self.path(i))?;
                let mut filled = 0;
                loop {
                    match file.read(&mut buf[filled..])? {
                        0 => break,
                        n => filled += n,
                    }
                    if filled == buf.len() {
                        break;
                    }
                }
                drop(file);
                // A file longer than the set's size fills the spare byte: wrong.
                if filled == buf.len() || checksum(&buf[..filled]) != self.sums[i] {
                    wrong.fetch_add(1, Ordering::Relaxed);
                }
                Ok(())
            },
        )?;
        Ok(BareRead {
            wall,
            wrong: wrong.into_inner(),
        })
    }
}

impl FileSet {
    /// The bare write loop, `write`'s floor: `threads` threads that each take the next of `n`
    /// files and create it, write its bytes (made before the clock, one buffer a file) and
    /// close it, `fsync` first if asked, into [`FileSet::write_dir`] (emptied before and after,
    /// by [`FileSet::clear_writes_for`]).
    /// Every contestant's write does at least this, and builds the bytes too.
    pub fn bare_write(&self, n: usize, threads: usize, fsync: bool) -> std::io::Result<Duration> {
        self.clear_writes_for(n)?;
        let source = content(self.spec.seed, 0, self.spec.kib * 1024);
        let files: Vec<Vec<u8>> = (0..n).map(|i| write_content(&source, i)).collect();
        let wall = on_threads(
            n,
            threads,
            || (),
            |(), i| write_file(&self.write_path(i), &files[i], fsync),
        )?;
        self.clear_writes_for(n)?;
        Ok(wall)
    }
}

/// Runs `each(state, i)` for every `i` in `0..n` on `threads` threads, each taking the next
/// `i` until none is left, each with its own `state` made before the clock. The threads start
/// together behind a barrier, and the wall is the first thread's own start to the last one's
/// end: a clock read by this thread after the barrier would start late, as it waits for a core
/// behind the very threads it released.
fn on_threads<S>(
    n: usize,
    threads: usize,
    state: impl Fn() -> S + Sync,
    each: impl Fn(&mut S, usize) -> std::io::Result<()> + Sync,
) -> std::io::Result<Duration> {
    use std::sync::atomic::AtomicUsize;
    let next = AtomicUsize::new(0);
    let threads = threads.max(1);
    let start = std::sync::Barrier::new(threads + 1);
    let spans = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| -> std::io::Result<(Instant, Instant)> {
                    let mut mine = state();
                    start.wait();
                    let began = Instant::now();
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= n {
                            return Ok((began, Instant::now()));
                        }
                        each(&mut mine, i)?;
                    }
                })
            })
            .collect();
        start.wait();
        workers
            .into_iter()
            .map(|w| {
                w.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("a bare-loop thread panicked")))
            })
            .collect::<std::io::Result<Vec<_>>>()
    })?;
    let first = spans.iter().map(|s| s.0).min();
    let last = spans.iter().map(|s| s.1).max();
    Ok(match (first, last) {
        (Some(first), Some(last)) => last.duration_since(first),
        _ => Duration::ZERO,
    })
}

impl Drop for FileSet {
    fn drop(&mut self) {
        // Best effort: a set that cannot be removed leaves a directory named for what it is.
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The bytes free for this user on the file system that holds `dir`.
fn free_bytes(dir: &Path) -> std::io::Result<u64> {
    let path = std::ffi::CString::new(dir.as_os_str().as_bytes())
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidInput, "a NUL in the path"))?;
    // SAFETY: statvfs reads the NUL-terminated path we own and writes only into the struct we
    // hand it; a zeroed statvfs is a valid value of that plain C struct.
    let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statvfs(path.as_ptr(), &mut st) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(st.f_bavail as u64 * st.f_frsize as u64)
}

/// How many of the pages of the file at `path` are in the page cache (`mincore` over a
/// read-only mapping of it, which reads nothing from the disk).
fn resident_pages(path: &Path) -> std::io::Result<Residency> {
    let file = File::open(path)?;
    let len = file.metadata()?.len() as usize;
    if len == 0 {
        return Ok(Residency::default());
    }
    // SAFETY: sysconf reads nothing of ours.
    let page = usize::try_from(unsafe { libc::sysconf(libc::_SC_PAGESIZE) }).unwrap_or(4096);
    let pages = len.div_ceil(page);
    // SAFETY: a fresh read-only shared mapping of a file we hold open; it is unmapped below,
    // and nothing reads through it (mincore only asks where its pages are).
    let map = unsafe {
        libc::mmap(
            std::ptr::null_mut(),
            len,
            libc::PROT_READ,
            libc::MAP_SHARED,
            file.as_raw_fd(),
            0,
        )
    };
    if map == libc::MAP_FAILED {
        return Err(std::io::Error::last_os_error());
    }
    let mut vec = vec![0u8; pages];
    // SAFETY: `map` is a mapping of `len` bytes made above, and `vec` has one byte for each
    // of its pages, as mincore requires.
    let rc = unsafe { libc::mincore(map, len, vec.as_mut_ptr()) };
    let err = std::io::Error::last_os_error();
    // SAFETY: the mapping made above, of that length, unmapped once.
    unsafe { libc::munmap(map, len) };
    if rc != 0 {
        return Err(err);
    }
    Ok(Residency {
        resident: vec.iter().filter(|&&b| b & 1 == 1).count() as u64,
        pages: pages as u64,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(files: usize, kib: usize) -> FileSpec {
        FileSpec {
            files,
            kib,
            seed: 7,
        }
    }

    /// A directory of this test's own under the target directory (a real disk, not tmpfs).
    fn scratch(name: &str) -> PathBuf {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../target/files-tests")
            .join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a scratch directory");
        dir
    }

    /// Whether `dir` is on ext4, xfs or btrfs, whose pages `posix_fadvise` drops.
    fn on_a_disk(dir: &Path) -> bool {
        let path = std::ffi::CString::new(dir.as_os_str().as_bytes()).expect("a path");
        // SAFETY: statfs reads the path we own and writes only into the struct we hand it.
        let mut st: libc::statfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statfs(path.as_ptr(), &mut st) } != 0 {
            return false;
        }
        const EXT4: i64 = 0xEF53;
        const XFS: i64 = 0x5846_5342;
        const BTRFS: i64 = 0x9123_683E;
        matches!(st.f_type as i64, EXT4 | XFS | BTRFS)
    }

    #[test]
    fn a_set_holds_seeded_content_and_its_checksums() {
        let parent = scratch("content");
        let set = FileSet::write(&parent, spec(20, 4)).expect("a small set");
        assert_eq!(set.sums().len(), 20);
        for i in 0..20 {
            let bytes = std::fs::read(set.path(i)).expect("each file reads back");
            assert_eq!(bytes.len(), 4096);
            assert_eq!(bytes, content(7, i, 4096));
            assert_eq!(checksum(&bytes), set.sums()[i], "file {i}");
        }
        // Every file differs, and another seed gives other files.
        let distinct: std::collections::HashSet<u32> = set.sums().iter().copied().collect();
        assert_eq!(distinct.len(), 20);
        assert_ne!(content(8, 0, 64), content(7, 0, 64));
        // CRC-32 as zlib gives it: zlib.crc32(b"123456789") == 0xCBF43926.
        assert_eq!(checksum(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn written_files_are_read_back_and_a_wrong_one_is_named() {
        let parent = scratch("written");
        let set = FileSet::write(&parent, spec(1, 4)).expect("a source");
        let source = std::fs::read(set.path(0)).expect("the source reads");
        set.clear_writes_for(3).expect("an empty directory");
        // Nothing written yet: all 3 missing, said with the path.
        let missing = set.check_writes(3);
        assert_eq!(missing.len(), 3, "{missing:?}");
        assert!(missing[0].contains("cannot read it back"), "{missing:?}");
        for i in 0..3 {
            let r = write_record(&set.write_path(i), &source, i, i == 1);
            assert!(r.is_ok(), "{r:?}");
            assert_eq!((r.size, r.checksum), (4096, Some(set.write_sums(3)[i])));
        }
        assert!(set.check_writes(3).is_empty());
        // Every file differs (its index in its first bytes), and one with the bytes of
        // another is caught on the disk, whatever its record said.
        assert_ne!(set.write_sums(2)[0], set.write_sums(2)[1]);
        std::fs::copy(set.write_path(0), set.write_path(2)).expect("copied");
        let wrong = set.check_writes(3);
        assert_eq!(wrong.len(), 1, "{wrong:?}");
        assert!(wrong[0].contains("f0000002"), "{wrong:?}");
        // A path whose directory does not exist is an `io` record, not a panic.
        let r = write_record(&set.dir().join("nowhere/f"), &source, 0, false);
        assert_eq!(r.error.as_ref().map(FetchError::kind), Some("io"));
        // The bare write leaves the directory empty, before and after.
        let took = set.bare_write(10, 2, false).expect("the bare write writes");
        assert!(took > Duration::ZERO);
        assert_eq!(
            std::fs::read_dir(set.write_dir()).expect("listed").count(),
            0
        );
    }

    #[test]
    fn the_bare_read_reads_every_file_warm_and_cold() {
        let parent = scratch("bare");
        let set = FileSet::write(&parent, spec(40, 16)).expect("a set");
        for in_flight in [1, 3, 64] {
            let warm = set.bare_read(in_flight).expect("a warm read");
            assert_eq!(warm.wrong, 0, "{in_flight} in flight");
            set.evict().expect("evict");
            let cold = set.bare_read(in_flight).expect("a cold read");
            assert_eq!(cold.wrong, 0, "{in_flight} in flight");
            // Every file was read: every page is back in the cache.
            let back = set.residency().expect("mincore");
            assert_eq!(back.resident, back.pages, "{in_flight} in flight");
        }
        // A file changed behind the set's back is counted, not missed.
        std::fs::write(set.path(5), b"not what was written").expect("overwrite");
        assert_eq!(set.bare_read(2).expect("a read").wrong, 1);
    }

    #[test]
    fn the_set_is_removed_when_dropped() {
        let parent = scratch("dropped");
        let dir = {
            let set = FileSet::write(&parent, spec(3, 1)).expect("a small set");
            assert!(set.path(2).exists());
            set.dir().to_owned()
        };
        assert!(!dir.exists(), "{} is still there", dir.display());
    }

    #[test]
    fn bad_sets_are_one_line_each_and_write_nothing() {
        let parent = scratch("bad");
        let errors = [
            FileSet::write(&parent, spec(0, 4)).expect_err("no files"),
            FileSet::write(&parent, spec(MAX_FILES + 1, 4)).expect_err("too many files"),
            FileSet::write(&parent, spec(10, 0)).expect_err("empty files"),
            FileSet::write(&parent, spec(10, MAX_FILE_KIB + 1)).expect_err("files too big"),
            FileSet::write(&parent, spec(MAX_FILES, MAX_FILE_KIB)).expect_err("a set too big"),
            FileSet::write(&parent.join("missing/deeper"), spec(1, 1)).expect_err("no directory"),
        ];
        for e in &errors {
            let line = e.to_string();
            assert!(!line.contains('\n') && !line.is_empty(), "{line:?}");
        }
        assert!(
            matches!(errors[5], FilesError::Write { .. }),
            "{}",
            errors[5]
        );
        let left = std::fs::read_dir(&parent).expect("the parent").count();
        assert_eq!(left, 0, "nothing written");
    }

    #[test]
    fn too_little_room_is_said_before_anything_is_written() {
        let parent = scratch("room");
        let free = free_bytes(&parent).expect("statvfs");
        // A set of 1 GiB files just past what is free (within the total limit, or the total
        // limit speaks first, which also writes nothing).
        let files = (free / (1 << 30) + 1) as usize;
        match FileSet::write(&parent, spec(files, MAX_FILE_KIB)) {
            Err(FilesError::NoRoom { need, free: f, .. }) => assert!(need > f),
            Err(FilesError::Total(_)) => {}
            other => panic!("expected no room, got {other:?}"),
        }
        assert_eq!(std::fs::read_dir(&parent).expect("the parent").count(), 0);
    }

    #[test]
    fn eviction_is_counted_not_assumed() {
        let parent = scratch("evict");
        let set = FileSet::write(&parent, spec(8, 64)).expect("a set");
        let warm = set.residency().expect("mincore");
        assert_eq!(warm.pages, 8 * 16);
        // Just written: its pages are in the cache.
        assert_eq!(warm.resident, warm.pages, "{warm:?}");
        let cold = set.evict().expect("evict");
        assert_eq!(cold.pages, warm.pages);
        // On a disk the pages go; on tmpfs they stay, and the count says so either way.
        assert_eq!(cold, set.residency().expect("mincore"));
        if on_a_disk(&parent) {
            assert!(cold.evicted(), "{cold:?}");
        }
        // Reading a file brings its pages back.
        std::fs::read(set.path(0)).expect("a read");
        let after = set.residency().expect("mincore");
        assert!(after.resident >= 16, "{after:?}");
    }
}
