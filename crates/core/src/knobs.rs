//! Scenarios and the knobs every contestant takes.
//!
//! "Same work, same knobs": every contestant is handed the same [`Knobs`], and every runtime or
//! pool it builds is sized from `threads` and `concurrency`, never from its own defaults.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::extract::Strategy;
use crate::load::{InvalidLoad, Load};
use crate::net::Net;

/// One job that every contestant implements, in a file of the same name in every crate.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scenario {
    /// N simulated downloads that each wait L on a timer; no network at all.
    Sleep,
    /// GET N pages from the site; the server holds each response L.
    Download,
    /// Download and parse N pages into records (title, link count, size).
    Scrape,
    /// Follow links from the root, same origin only, each URL once, up to a page cap.
    Crawl,
    /// CPU only: parse N in-memory pages. The ground on which parallelism wins.
    Parse,
    /// Scrape N pages while a heartbeat measures how late the event loop runs, once per way
    /// of placing the parsing (inline, blocking call, blocking pool, rayon).
    Pitfall,
    /// Open loop: requests fall due at a rate R for D, whatever happened to the earlier ones,
    /// and each one's latency runs from when it was due ([`crate::load`]).
    Load,
    /// Waiting on the disk: read N files of S KiB, C in flight, through each runtime's own
    /// file API, from a set written before the clock, cold or warm ([`crate::files`]).
    Files,
    /// `files`' other half: write N files of S KiB, C in flight, through each runtime's own
    /// file API (each flushed with `fsync` when [`Knobs::fsync`] says), then read back and
    /// checked by the parent.
    Write,
}

impl Scenario {
    /// Every scenario, in the order the tour runs them.
    pub const ALL: [Scenario; 9] = [
        Scenario::Sleep,
        Scenario::Download,
        Scenario::Scrape,
        Scenario::Crawl,
        Scenario::Parse,
        Scenario::Pitfall,
        Scenario::Load,
        Scenario::Files,
        Scenario::Write,
    ];

    /// The lowercase name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Scenario::Sleep => "sleep",
            Scenario::Download => "download",
            Scenario::Scrape => "scrape",
            Scenario::Crawl => "crawl",
            Scenario::Parse => "parse",
            Scenario::Pitfall => "pitfall",
            Scenario::Load => "load",
            Scenario::Files => "files",
            Scenario::Write => "write",
        }
    }

    /// One line for `shootout list`.
    pub fn about(self) -> &'static str {
        match self {
            Scenario::Sleep => {
                "N timer waits of L ms, no network: pure waiting (time.sleep vs asyncio.sleep)"
            }
            Scenario::Download => "GET N pages, each held L ms by the server: I/O-bound",
            Scenario::Scrape => "download and parse N pages into records (title, links, size)",
            Scenario::Crawl => "follow same-origin links from /, each URL once, as deep as they go",
            Scenario::Parse => "parse N in-memory pages: CPU-bound, where parallelism wins",
            Scenario::Pitfall => {
                "scrape with a heartbeat on the event loop: parsing inline vs offloaded"
            }
            Scenario::Load => {
                "open loop: GETs fall due at R/s for D s; latency from when each was due"
            }
            Scenario::Files => {
                "read N files of S KiB from disk, C in flight, cold and warm (aiofiles vs open)"
            }
            Scenario::Write => {
                "write N files of S KiB to disk, C in flight (fsync each: --fsync), read back"
            }
        }
    }

    /// Whether the scenario fetches pages from the server (all but `sleep`, `parse`, `files`
    /// and `write`).
    pub fn fetches(self) -> bool {
        !matches!(
            self,
            Scenario::Sleep | Scenario::Parse | Scenario::Files | Scenario::Write
        )
    }

    /// Whether the scenario needs the synthetic site's pages (all but `sleep`, which waits on
    /// timers, and `files` and `write`, which read and write files of their own).
    pub fn serves(self) -> bool {
        !matches!(self, Scenario::Sleep | Scenario::Files | Scenario::Write)
    }

    /// Whether the scenario works on files on disk (`files`, `write`).
    pub fn on_disk(self) -> bool {
        matches!(self, Scenario::Files | Scenario::Write)
    }

    /// Whether the scenario parses HTML, so that the extraction strategy matters.
    pub fn parses(self) -> bool {
        matches!(
            self,
            Scenario::Scrape | Scenario::Crawl | Scenario::Parse | Scenario::Pitfall
        )
    }

    /// The extraction strategies a run of this scenario uses when none is asked for.
    ///
    /// - `scrape` and `crawl` tokenise: extraction is all they need, and with a DOM the
    ///   parsing hides the runtimes (a crawl of real docs is then CPU-bound on html5ever).
    ///   `tokenize` is the fastest strategy that verifies (docs/results.md, "Near the limit").
    /// - `parse` compares the three sound strategies side by side.
    /// - `pitfall` keeps the DOM: its lesson is a parse long enough to stall an event loop.
    /// - `sleep` and `download` parse nothing; the value is carried but never used.
    pub fn default_strategies(self) -> &'static [Strategy] {
        match self {
            Scenario::Parse => &[Strategy::Dom, Strategy::Stream, Strategy::Tokenize],
            Scenario::Pitfall => &[Strategy::Dom],
            Scenario::Sleep
            | Scenario::Download
            | Scenario::Scrape
            | Scenario::Crawl
            | Scenario::Load
            | Scenario::Files
            | Scenario::Write => &[Strategy::Tokenize],
        }
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a scenario name that does not exist.
#[derive(Debug, thiserror::Error)]
#[error(
    "unknown scenario '{0}' (expected one of: sleep, download, scrape, crawl, parse, pitfall, load, \
     files, write)"
)]
pub struct UnknownScenario(pub String);

impl FromStr for Scenario {
    type Err = UnknownScenario;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scenario::ALL
            .into_iter()
            .find(|sc| sc.name() == s)
            .ok_or_else(|| UnknownScenario(s.to_owned()))
    }
}

/// The scenario parameters. Every contestant gets the same values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Knobs {
    /// N: pages to download or parse (for `sleep`, simulated downloads; for `crawl`, the pages
    /// the synthetic site holds; for `files`, the files).
    pub pages: usize,
    /// L: how long the server holds each response (for `sleep`, how long each wait lasts).
    pub latency_ms: u64,
    /// S: approximate body size of each synthetic page, in KiB (for `files`, each file's
    /// exact size).
    pub page_kb: usize,
    /// C: the most requests (or waits) in flight at once.
    pub concurrency: usize,
    /// T: worker threads for every runtime and pool.
    pub threads: usize,
    /// Per-request timeout, in milliseconds.
    pub timeout_ms: u64,
    /// Largest body accepted, in bytes; a larger one is recorded as `too_large`.
    pub max_body: usize,
    /// How HTML is turned into records (scenarios that parse; see [`Strategy`]).
    #[serde(default)]
    pub extract: Strategy,
    /// How the HTTP clients behave on the network: user agent, redirects, per-host delay,
    /// proxy, extra trusted CAs.
    #[serde(default)]
    pub net: Net,
    /// The `load` scenario's rate R, duration D, spacing and queue Q.
    #[serde(default)]
    pub load: Load,
    /// `write`: flush each file to the disk (`fsync`) before closing it. Off by default: a
    /// write then ends in the page cache, as most programs' writes do.
    #[serde(default)]
    pub fsync: bool,
    /// How the embedded site skews and stalls its responses (the harness's server reads
    /// it; contestants ignore it).
    #[serde(default)]
    pub shape: Shape,
}

/// Tails on purpose: a seeded share of the site's pages held k × L, and a window in which
/// every response is frozen. Reproducible: the same seed slows the same paths, and the stall
/// starts a fixed time after the first request of each run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Shape {
    /// The share of paths, in percent (0–100), held `slow_factor` × L instead of L.
    pub slow_pct: u8,
    /// k: how many times L a slow path is held (1–1,000).
    pub slow_factor: u32,
    /// The stall starts this many ms after the first request of each run.
    pub stall_after_ms: u64,
    /// For how many ms every response is frozen (0: no stall).
    pub stall_ms: u64,
    /// The share of the site's HTML pages, in percent (0–100), served `heavy_factor` times
    /// their size (padded with an HTML comment: the same title and links, k × the bytes).
    #[serde(default)]
    pub heavy_pct: u8,
    /// k: how many times its size a heavy page weighs (1–1,000).
    #[serde(default)]
    pub heavy_factor: u32,
}

impl Shape {
    /// Whether it changes anything.
    pub fn is_plain(&self) -> bool {
        self.slow_pct == 0 && self.stall_ms == 0 && self.heavy_pct == 0
    }

    /// One line for a table's heading: `10% of pages held 10×L; every response frozen 500 ms
    /// at 750 ms`, or nothing.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.slow_pct > 0 {
            parts.push(format!(
                "{}% of pages held {}×L",
                self.slow_pct, self.slow_factor
            ));
        }
        if self.heavy_pct > 0 {
            parts.push(format!(
                "{}% of pages {}× their size",
                self.heavy_pct, self.heavy_factor
            ));
        }
        if self.stall_ms > 0 {
            parts.push(format!(
                "every response frozen for {} ms from {} ms into each run",
                self.stall_ms, self.stall_after_ms
            ));
        }
        parts.join("; ")
    }
}

/// One of the numeric knobs, by the name a job's JSON gives it (`pages`, `latency_ms`, …).
/// Its limits live here, once: core checks every job against them, and the command's flags
/// are parsed against the same numbers (the CLI maps each knob to its flag).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Knob {
    /// N, [`Knobs::pages`].
    Pages,
    /// L, [`Knobs::latency_ms`].
    LatencyMs,
    /// S, [`Knobs::page_kb`].
    PageKb,
    /// C, [`Knobs::concurrency`].
    Concurrency,
    /// T, [`Knobs::threads`].
    Threads,
    /// [`Knobs::timeout_ms`].
    TimeoutMs,
    /// [`Knobs::max_body`].
    MaxBody,
}

impl Knob {
    /// Every numeric knob, in the order of [`Knobs`]' fields.
    pub const ALL: [Knob; 7] = [
        Knob::Pages,
        Knob::LatencyMs,
        Knob::PageKb,
        Knob::Concurrency,
        Knob::Threads,
        Knob::TimeoutMs,
        Knob::MaxBody,
    ];

    /// The knob's name in a job's JSON.
    pub fn name(self) -> &'static str {
        match self {
            Knob::Pages => "pages",
            Knob::LatencyMs => "latency_ms",
            Knob::PageKb => "page_kb",
            Knob::Concurrency => "concurrency",
            Knob::Threads => "threads",
            Knob::TimeoutMs => "timeout_ms",
            Knob::MaxBody => "max_body",
        }
    }

    /// The least value a run can use: 1 for a knob that divides or paces (C, T, the timeout,
    /// the body cap), 0 for the others (no pages, no latency and empty pages are runs too).
    pub fn min(self) -> u64 {
        match self {
            Knob::Concurrency | Knob::Threads | Knob::TimeoutMs | Knob::MaxBody => 1,
            Knob::Pages | Knob::LatencyMs | Knob::PageKb => 0,
        }
    }

    /// The largest value accepted. Past it a run does not measure anything: 100,000 waits is
    /// the largest `sleep` we measured (docs/results.md); a latency or a timeout past an hour
    /// is a run nobody waits for; 64 MiB pages are past the body cap of any real site; and
    /// thread pools past 1024 threads only measure the OS's scheduler.
    pub fn max(self) -> u64 {
        match self {
            Knob::Pages => 1_000_000,
            Knob::LatencyMs => Knobs::MAX_LATENCY_MS,
            Knob::PageKb => 64 * 1024,
            Knob::Concurrency => 100_000,
            Knob::Threads => Knobs::MAX_THREADS,
            Knob::TimeoutMs => 3_600_000,
            Knob::MaxBody => 1 << 30,
        }
    }

    /// Checks one value against [`Knob::min`] and [`Knob::max`].
    pub fn check(self, value: u64) -> Result<u64, InvalidKnobs> {
        if value < self.min() {
            Err(InvalidKnobs::TooSmall {
                knob: self,
                min: self.min(),
            })
        } else if value > self.max() {
            Err(InvalidKnobs::OverLimit {
                knob: self,
                value,
                limit: self.max(),
            })
        } else {
            Ok(value)
        }
    }

    /// This knob's value in `knobs`.
    fn of(self, knobs: &Knobs) -> u64 {
        let as_u64 = |v: usize| u64::try_from(v).unwrap_or(u64::MAX);
        match self {
            Knob::Pages => as_u64(knobs.pages),
            Knob::LatencyMs => knobs.latency_ms,
            Knob::PageKb => as_u64(knobs.page_kb),
            Knob::Concurrency => as_u64(knobs.concurrency),
            Knob::Threads => as_u64(knobs.threads),
            Knob::TimeoutMs => knobs.timeout_ms,
            Knob::MaxBody => as_u64(knobs.max_body),
        }
    }
}

impl fmt::Display for Knob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A knob value that no contestant can run with. Each names the knob as a job's JSON does;
/// the command says which of its flags set it.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum InvalidKnobs {
    /// A knob under its least value (see [`Knob::min`]): zero threads, say.
    #[error("{knob} must be at least {min}")]
    TooSmall {
        /// The knob.
        knob: Knob,
        /// Its least value.
        min: u64,
    },
    /// A knob past its limit (see [`Knob::max`]): the run would hang, run out of memory or
    /// overflow rather than measure anything.
    #[error("{knob} {value} is over the limit of {limit}")]
    OverLimit {
        /// The knob.
        knob: Knob,
        /// The value given.
        value: u64,
        /// The largest value accepted.
        limit: u64,
    },
    /// A network setting that cannot be used (see [`Net::check`]).
    #[error("net.{field}: {why}")]
    Net {
        /// The field of [`Net`].
        field: &'static str,
        /// What is wrong with its value.
        why: String,
    },
    /// The `load` knobs cannot be run (see [`Load::check`]).
    #[error("load: {0}")]
    Load(#[from] InvalidLoad),
    /// The site's pages (N × S) would not fit in memory.
    #[error(
        "pages {pages} × page_kb {page_kb} is {need_mib} MiB of pages, more than half of the \
         {available_mib} MiB of memory available"
    )]
    TooMuchMemory {
        /// N.
        pages: usize,
        /// S.
        page_kb: usize,
        /// N × S, in MiB.
        need_mib: u64,
        /// The memory the OS says is available, in MiB.
        available_mib: u64,
    },
}

impl Knobs {
    /// The default per-request timeout: 30 s, what a crawler user would expect.
    pub const DEFAULT_TIMEOUT_MS: u64 = 30_000;
    /// The default body cap: 32 MiB, since real documentation pages reach several MiB.
    pub const DEFAULT_MAX_BODY: usize = 32 * 1024 * 1024;
    /// The longest latency L (and the longest jitter), in milliseconds: a minute.
    pub const MAX_LATENCY_MS: u64 = 60_000;
    /// The most threads in any pool (the server's included).
    pub const MAX_THREADS: u64 = 1024;

    /// Checks the values every contestant relies on: every [`Knob`] within its limits, and
    /// the network settings. (Whether the pages fit in memory depends on whether a site is
    /// built: see [`Knobs::check_memory`].)
    pub fn validate(&self) -> Result<(), InvalidKnobs> {
        for knob in Knob::ALL {
            knob.check(knob.of(self))?;
        }
        self.load.check()?;
        self.net
            .check()
            .map_err(|(field, why)| InvalidKnobs::Net { field, why })
    }

    /// Checks that a site of `pages` pages of `page_kb` KiB fits in half of the memory
    /// available: the server holds every page, and `parse` holds them again in the child.
    /// Without this, a typo in `--page-kb` hangs the machine while the site is generated.
    pub fn check_memory(pages: usize, page_kb: usize) -> Result<(), InvalidKnobs> {
        let need = u64::try_from(pages)
            .unwrap_or(u64::MAX)
            .saturating_mul(u64::try_from(page_kb).unwrap_or(u64::MAX))
            .saturating_mul(1024);
        match available_memory().filter(|&a| need > a / 2) {
            Some(available) => Err(InvalidKnobs::TooMuchMemory {
                pages,
                page_kb,
                need_mib: need >> 20,
                available_mib: available >> 20,
            }),
            None => Ok(()),
        }
    }

    /// L as a [`Duration`].
    pub fn latency(&self) -> Duration {
        Duration::from_millis(self.latency_ms)
    }

    /// The per-request timeout as a [`Duration`].
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms)
    }
}

impl Default for Knobs {
    /// Small values, so the tour finishes in seconds; pages of 64 KiB, so parsing is visible.
    fn default() -> Self {
        Knobs {
            pages: 40,
            latency_ms: 50,
            page_kb: 64,
            concurrency: 10,
            threads: available_threads(),
            timeout_ms: Self::DEFAULT_TIMEOUT_MS,
            max_body: Self::DEFAULT_MAX_BODY,
            extract: Strategy::default(),
            net: Net::default(),
            load: Load::default(),
            fsync: false,
            shape: Shape::default(),
        }
    }
}

/// The memory the OS says is available to new allocations (`MemAvailable`), in bytes, where
/// it says (Linux); `None` elsewhere.
pub fn available_memory() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = meminfo.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// The number of cores the OS lets this process use (at least 1).
pub fn available_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}
