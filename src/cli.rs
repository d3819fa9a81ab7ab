//! The command line: the commands, and the groups of arguments they share. `KnobArgs` are the
//! scenario's knobs (the same for every contestant), `LimitArgs` the two every request has,
//! `SiteArgs` the embedded site, and `HarnessArgs` how each run is carried out. Each command's
//! own arguments live beside its `run`, in `cmd/<name>.rs`; every value is checked as it is
//! parsed ([`crate::flags`]).

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use shootout_core::knobs::{Knob, Shape, available_threads};
use shootout_core::load::{Load, Spacing};
use shootout_core::{Knobs, Net, Strategy};
use shootout_lab::{harness, rounds};

use crate::cmd;
use crate::flags;

/// Download-and-scrape jobs written once per concurrency model (sequential, async runtimes,
/// thread pools), checked against ground truth and measured against the ideal time.
///
/// With no command, runs the tour: every scenario with every contestant, against an embedded
/// site on 127.0.0.1, at small defaults.
#[derive(Parser, Debug)]
#[command(name = "shootout", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Cmd>,
    /// The Python interpreter for the python-* contestants [default: $SHOOTOUT_PYTHON, then
    /// .venv/bin/python]. It needs python/requirements.txt installed; `just python` makes
    /// such a .venv. Without one, the Python rows are skipped with a note.
    #[arg(long, global = true, value_name = "PATH")]
    pub python: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Cmd {
    /// Run every scenario with every contestant and print a leaderboard per scenario (the default).
    Tour(cmd::tour::TourArgs),
    /// Run one scenario with some or all contestants and print its leaderboard.
    Run(cmd::run::RunArgs),
    /// Crawl any http(s) site with one contestant and print what it found.
    ///
    /// Only URLs of the root's origin (scheme, host, port) are followed, robots.txt is
    /// obeyed, and redirects are followed within that scope. With --json each record is one
    /// line on stdout, written as its page is done. Ctrl-C (or --deadline-s) stops the crawl:
    /// every URL it had taken on but not finished (fetching, or queued) is recorded as
    /// `cancelled`, the totals are printed, and the exit
    /// status is 130 (0 for a deadline).
    ///
    /// A polite crawl of a real site:
    /// shootout crawl --url https://doc.rust-lang.org/stable/std/ --prefix /stable/std/
    /// --max-pages 200 --delay-ms 500 -c 4 --json
    ///
    /// Proxies in the environment are ignored by every contestant; pass --proxy to use one.
    Crawl(cmd::crawl::CrawlArgs),
    /// Serve the synthetic site (or a directory) on 127.0.0.1 until interrupted.
    Serve(cmd::serve::ServeArgs),
    /// Run the report's suite and write every run, a page of charts and (optionally) the
    /// tables of docs/results.md.
    ///
    /// The suite: every scenario at the tour's knobs (Python rows included when an interpreter
    /// is ready); pages/s against C = 1 … 10,000 for sleep and download, with sleep's peak
    /// memory; and parse's speedup against T = 1 … every core, for dom and tokenize. Each entry
    /// runs --runs times, in rounds, each run in a fresh process and verified.
    ///
    /// It writes DIR/results.jsonl (a machine record, then every run as it ends, then one
    /// median row per entry) and DIR/index.html (self-contained: open it from disk). Ctrl-C
    /// stops it; results.jsonl keeps every finished run and the page shows them.
    Report(cmd::report::ReportArgs),
    /// Compare two results files (a report's results.jsonl, or `run --json` output): the ratio
    /// of median wall times for every row they have in common, and whether their spreads
    /// overlap.
    Compare(cmd::compare::CompareArgs),
    /// List the contestants (what each shows, its driver here, how it starts and whether it
    /// can), the scenarios and the extraction strategies.
    List(cmd::list::ListArgs),
    /// Internal: run the job on stdin as a Rust contestant's child (docs/protocol.md).
    #[command(name = harness::CHILD_COMMAND, hide = true)]
    Child,
    /// Internal: measure the single-core reference of the job on stdin.
    #[command(name = harness::CALIBRATE_COMMAND, hide = true)]
    Calibrate,
}

/// The scenario parameters every contestant gets. `-n`, `-l`, `-c` and `-t` take comma
/// separated lists: every combination is a point, run and reported on its own.
#[derive(Args, Debug, Clone)]
pub struct KnobArgs {
    /// N: pages to download or parse (sleep: number of waits; crawl: pages on the site; files:
    /// files on disk); at most 1,000,000, and N × S at most half the memory available (files:
    /// the free disk, with room to spare). A list sweeps.
    #[arg(short = 'n', long, value_delimiter = ',', value_parser = flags::knob::<usize>(Knob::Pages),
          default_values_t = [Knobs::default().pages])]
    pub pages: Vec<usize>,
    /// L: milliseconds the server holds each response (sleep: length of each wait); at most
    /// 60,000. A list sweeps.
    #[arg(short = 'l', long, value_delimiter = ',', value_parser = flags::knob::<u64>(Knob::LatencyMs),
          default_values_t = [Knobs::default().latency_ms])]
    pub latency_ms: Vec<u64>,
    /// S: approximate size of each page, in KiB (files: each file's exact size); at most 65,536.
    #[arg(short = 's', long, value_parser = flags::knob::<usize>(Knob::PageKb),
          default_value_t = Knobs::default().page_kb)]
    pub page_kb: usize,
    /// C: most requests (or waits) in flight at once; at most 100,000 (10,000 for threads and
    /// crossbeam, 1,000 for rayon: a thread per request in flight). A list sweeps; a
    /// contestant not named with --contestants sits out the points past its limit.
    #[arg(short = 'c', long, value_delimiter = ',', value_parser = flags::knob::<usize>(Knob::Concurrency),
          default_values_t = [Knobs::default().concurrency])]
    pub concurrency: Vec<usize>,
    /// T: worker threads for every runtime and pool, at most 1024 [default: available
    /// cores]. A list sweeps.
    #[arg(short = 't', long, value_delimiter = ',', value_parser = flags::knob::<usize>(Knob::Threads))]
    pub threads: Vec<usize>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// How pages are parsed: dom (a full html5ever tree, like BeautifulSoup), stream (lol_html
    /// handlers, no tree), tokenize (the lab's own tokeniser, no tree: the fastest) or naive (a
    /// byte scan: fast and wrong, to be caught). Comma separated to compare [default: tokenize
    /// for scrape and crawl, dom,stream,tokenize for parse, dom for pitfall]
    #[arg(long, value_delimiter = ',', value_name = "STRATEGY")]
    pub extract: Vec<Strategy>,
    /// write: flush each file to the disk (fsync) before closing it; off, a write ends in the
    /// page cache, as most programs' writes do. Named in every write row.
    #[arg(long)]
    pub fsync: bool,
    #[command(flatten)]
    pub load: LoadArgs,
}

/// The open-loop `load` scenario's knobs (the other scenarios ignore them).
#[derive(Args, Debug, Clone)]
pub struct LoadArgs {
    /// load: R, requests falling due per second, above 0 and at most 1,000,000. A list sweeps
    /// the rate, and `run` then names each contestant's capacity: the highest rate whose p99
    /// meets --slo-ms.
    #[arg(long, value_delimiter = ',', value_parser = flags::rate,
          default_values_t = [Load::default().rate])]
    pub rate: Vec<f64>,
    /// load: D, for how many seconds requests fall due (above 0, at most 3,600; R × D at most
    /// 500,000 requests).
    #[arg(long, value_parser = flags::duration_s, default_value_t = Load::default().duration_ms as f64 / 1e3)]
    pub duration_s: f64,
    /// load: even (every 1/R s, as wrk2 sends) or poisson (exponential gaps from a fixed seed,
    /// the same instants for every contestant).
    #[arg(long, default_value_t = Spacing::Even)]
    pub spacing: Spacing,
    /// load: Q, how many due requests may wait for one of the C connections; past that a due
    /// request is refused as `overload`. At most 100,000.
    #[arg(long, value_parser = flags::within::<usize>(0, Load::MAX_QUEUE as u64),
          default_value_t = Load::default().queue)]
    pub queue: usize,
    /// load: the latency objective of a rate sweep, in ms: a rate is within capacity while
    /// every request is answered and its p99 is at most this [default: 2·L + 5 ms].
    #[arg(long, value_parser = flags::within::<u64>(1, Knobs::MAX_LATENCY_MS))]
    pub slo_ms: Option<u64>,
}

/// The two limits every request has, in `run`, `tour` and `crawl` alike.
#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Per-request timeout in milliseconds; at most an hour.
    #[arg(long, value_parser = flags::knob::<u64>(Knob::TimeoutMs), default_value_t = Knobs::DEFAULT_TIMEOUT_MS)]
    pub timeout_ms: u64,
    /// Largest body accepted, in bytes; at most 1 GiB.
    #[arg(long, value_parser = flags::knob::<usize>(Knob::MaxBody), default_value_t = Knobs::DEFAULT_MAX_BODY)]
    pub max_body: usize,
}

/// More points than this in one sweep is almost surely a typo (and hours of runs).
pub const MAX_POINTS: usize = 100;

impl KnobArgs {
    /// The knobs at every point of the sweep (one point without lists): every N, then every
    /// L, C and T within it. Each value was checked as it was parsed; what is left is the
    /// sweep's size.
    pub fn points(&self) -> anyhow::Result<Vec<Knobs>> {
        let threads = if self.threads.is_empty() {
            vec![available_threads()]
        } else {
            self.threads.clone()
        };
        let count = self.pages.len()
            * self.latency_ms.len()
            * self.concurrency.len()
            * threads.len()
            * self.load.rate.len();
        if count > MAX_POINTS {
            anyhow::bail!(
                "{count} points in the sweep (-n × -l × -c × -t × --rate) is over the limit of \
                 {MAX_POINTS}"
            );
        }
        let mut points = Vec::with_capacity(count);
        for &pages in &self.pages {
            for &latency_ms in &self.latency_ms {
                for &concurrency in &self.concurrency {
                    for (&threads, &rate) in threads
                        .iter()
                        .flat_map(|t| self.load.rate.iter().map(move |r| (t, r)))
                    {
                        let load = Load {
                            rate,
                            duration_ms: (self.load.duration_s * 1e3).round() as u64,
                            spacing: self.load.spacing,
                            queue: self.load.queue,
                        };
                        // R × D past what a run records: one line, before anything starts.
                        load.check()
                            .map_err(|e| anyhow::anyhow!("--rate/--duration-s: {e}"))?;
                        points.push(Knobs {
                            pages,
                            latency_ms,
                            page_kb: self.page_kb,
                            concurrency,
                            threads,
                            timeout_ms: self.limits.timeout_ms,
                            max_body: self.limits.max_body,
                            // Each run sets its own; see `harness::runs_for`.
                            extract: self.extract.first().copied().unwrap_or_default(),
                            // The synthetic site needs no network settings: no redirects, no
                            // robots, no proxy.
                            net: Net::default(),
                            load,
                            fsync: self.fsync,
                            // From the site's flags: see `SiteArgs::shape`.
                            shape: Shape::default(),
                        });
                    }
                }
            }
        }
        Ok(points)
    }
}

/// How the embedded site behaves during measured runs.
#[derive(Args, Debug, Clone)]
pub struct SiteArgs {
    /// Seed for the synthetic site's content.
    #[arg(long, default_value_t = 42)]
    pub seed: u64,
    /// Up to this many extra milliseconds per response, fixed per path by the seed; at most
    /// 60,000.
    #[arg(long, value_parser = flags::jitter_ms, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Worker threads of the embedded server, at most 1024 [default: available cores].
    #[arg(long, value_parser = flags::server_threads)]
    pub server_threads: Option<usize>,
    /// Add the quirk pages to the site and to every scenario's inputs: markup the HTML5 tree
    /// builder rewrites, on which a DOM and a token stream disagree (the DOM is the truth).
    #[arg(long)]
    pub quirks: bool,
    /// Hold this share of the site's pages (in percent, 0–100, chosen by the seed: the same
    /// ones every run) --slow-factor × L instead of L: tails on purpose.
    #[arg(long, value_parser = flags::within::<u8>(0, 100), default_value_t = 0)]
    pub slow_pct: u8,
    /// k for --slow-pct: a slow page is held k × L (1–1,000).
    #[arg(long, value_parser = flags::within::<u32>(1, 1000), default_value_t = 10)]
    pub slow_factor: u32,
    /// Freeze every response for this many ms, --stall-after-ms after each run's first
    /// request: a stall the client cannot see coming (at most 60,000).
    #[arg(long, value_parser = flags::jitter_ms, default_value_t = 0)]
    pub stall_ms: u64,
    /// When --stall-ms starts, in ms after each run's first request (at most 60,000).
    #[arg(long, value_parser = flags::jitter_ms, default_value_t = 0)]
    pub stall_after_ms: u64,
    /// Serve this share of the site's HTML pages (in percent, 0–100, chosen by the seed)
    /// --heavy-factor times their size: the same title and links, padded with a comment.
    #[arg(long, value_parser = flags::within::<u8>(0, 100), default_value_t = 0)]
    pub heavy_pct: u8,
    /// k for --heavy-pct: a heavy page weighs k × its size (2–1,000).
    #[arg(long, value_parser = flags::within::<u32>(2, 1000), default_value_t = 10)]
    pub heavy_factor: u32,
}

impl SiteArgs {
    /// The site's slow pages and stall.
    pub fn shape(&self) -> Shape {
        Shape {
            slow_pct: self.slow_pct,
            slow_factor: self.slow_factor,
            stall_after_ms: self.stall_after_ms,
            stall_ms: self.stall_ms,
            heavy_pct: self.heavy_pct,
            heavy_factor: self.heavy_factor,
        }
    }
}

/// How the harness runs each contestant.
#[derive(Args, Debug, Clone)]
pub struct HarnessArgs {
    /// Kill a contestant's run (or a single-core reference) after this many seconds.
    #[arg(long, value_parser = flags::at_least_one::<u64>, default_value_t = 600)]
    pub limit_s: u64,
    /// Run each contestant this many times (each in a fresh process, in rounds: every
    /// contestant once, then again) and report the run with the median wall time; every run
    /// is verified. Single runs are noisy on shared machines.
    #[arg(long, value_parser = flags::at_least_one::<usize>, default_value_t = 1)]
    pub runs: usize,
    /// How long each run measures its scenario: a run shorter than this is repeated inside its
    /// process (at most 1,000 times) and the median repetition reported, every repetition
    /// verified. Between 1 and 60,000.
    #[arg(long, value_parser = flags::budget_ms,
          default_value_t = rounds::DEFAULT_BUDGET.as_millis() as u64)]
    pub budget_ms: u64,
}

/// What `tour` and `run` share: the knobs, the site, how each run is carried out, and the
/// output.
#[derive(Args, Debug)]
pub struct MeasureArgs {
    #[command(flatten)]
    pub knobs: KnobArgs,
    #[command(flatten)]
    pub site: SiteArgs,
    #[command(flatten)]
    pub harness: HarnessArgs,
    /// Print one JSON object per run instead of tables.
    #[arg(long)]
    pub json: bool,
}
