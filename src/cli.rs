//! The command line: every command's arguments, grouped by what they set. `KnobArgs` are the
//! scenario's knobs (the same for every contestant), `ClientArgs` the part of them `crawl`
//! shares, `SiteArgs` the embedded site, and `HarnessArgs` how each run is carried out.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use shootout_core::knobs::available_threads;
use shootout_core::{Knobs, Net, Scenario, Strategy};
use shootout_lab::harness;
use shootout_site::SiteSpec;

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
    Tour(TourArgs),
    /// Run one scenario with some or all contestants and print its leaderboard.
    Run(RunArgs),
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
    Crawl(CrawlArgs),
    /// Serve the synthetic site (or a directory) on 127.0.0.1 until interrupted.
    Serve(ServeArgs),
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
    Report(ReportArgs),
    /// Compare two results files (a report's results.jsonl, or `run --json` output): the ratio
    /// of median wall times for every row they have in common, and whether their spreads
    /// overlap.
    Compare(CompareArgs),
    /// List the contestants and scenarios.
    List,
    /// Internal: run one job in this process and print the result as JSON.
    #[command(name = harness::CHILD_COMMAND, hide = true)]
    Child {
        /// The job, as JSON.
        job: String,
    },
}

/// The scenario parameters every contestant gets. `-n`, `-l`, `-c` and `-t` take comma
/// separated lists: every combination is a point, run and reported on its own.
#[derive(Args, Debug, Clone)]
pub struct KnobArgs {
    /// N: pages to download or parse (sleep: number of waits; crawl: pages on the site); at
    /// most 1,000,000, and N × S at most half the memory available. A list sweeps.
    #[arg(short = 'n', long, value_delimiter = ',', default_values_t = [Knobs::default().pages])]
    pub pages: Vec<usize>,
    /// L: milliseconds the server holds each response (sleep: length of each wait); at most
    /// 60,000. A list sweeps.
    #[arg(short = 'l', long, value_delimiter = ',', default_values_t = [Knobs::default().latency_ms])]
    pub latency_ms: Vec<u64>,
    /// S: approximate size of each page, in KiB; at most 65,536.
    #[arg(short = 's', long, default_value_t = Knobs::default().page_kb)]
    pub page_kb: usize,
    /// C: most requests (or waits) in flight at once; at most 100,000 (10,000 for threads and
    /// crossbeam, 1,000 for rayon: a thread per request in flight). A list sweeps; a
    /// contestant not named with --contestants sits out the points past its limit.
    #[arg(short = 'c', long, value_delimiter = ',', default_values_t = [Knobs::default().concurrency])]
    pub concurrency: Vec<usize>,
    /// T: worker threads for every runtime and pool, at most 1024 [default: available
    /// cores]. A list sweeps.
    #[arg(short = 't', long, value_delimiter = ',')]
    pub threads: Vec<usize>,
    #[command(flatten)]
    pub limits: LimitArgs,
    /// How pages are parsed: dom (a full html5ever tree, like BeautifulSoup), stream (lol_html
    /// handlers, no tree), tokenize (the lab's own tokeniser, no tree: the fastest) or naive (a
    /// byte scan: fast and wrong, to be caught). Comma separated to compare [default: tokenize
    /// for scrape and crawl, dom,stream,tokenize for parse, dom for pitfall]
    #[arg(long, value_delimiter = ',', value_name = "STRATEGY")]
    pub extract: Vec<Strategy>,
}

/// The two limits every request has, in `run`, `tour` and `crawl` alike.
#[derive(Args, Debug, Clone)]
pub struct LimitArgs {
    /// Per-request timeout in milliseconds; at most an hour.
    #[arg(long, default_value_t = Knobs::DEFAULT_TIMEOUT_MS)]
    pub timeout_ms: u64,
    /// Largest body accepted, in bytes; at most 1 GiB.
    #[arg(long, default_value_t = Knobs::DEFAULT_MAX_BODY)]
    pub max_body: usize,
}

/// What `crawl` gives its one contestant's client and pool.
#[derive(Args, Debug, Clone)]
pub struct ClientArgs {
    /// C: most requests in flight at once; at most 100,000 (10,000 for threads and
    /// crossbeam, 1,000 for rayon: a thread per request in flight).
    #[arg(short = 'c', long, default_value_t = Knobs::default().concurrency)]
    pub concurrency: usize,
    /// T: worker threads for the runtime or pool, at most 1024 [default: available cores].
    #[arg(short = 't', long)]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub limits: LimitArgs,
}

impl ClientArgs {
    /// T, defaulting to every core.
    pub fn threads(&self) -> usize {
        self.threads.unwrap_or_else(available_threads)
    }
}

/// More points than this in one sweep is almost surely a typo (and hours of runs).
pub const MAX_POINTS: usize = 100;

impl KnobArgs {
    /// The knobs at every point of the sweep (one point without lists), each validated: every
    /// N, then every L, C and T within it.
    pub fn points(&self) -> anyhow::Result<Vec<Knobs>> {
        let threads = if self.threads.is_empty() {
            vec![available_threads()]
        } else {
            self.threads.clone()
        };
        let count =
            self.pages.len() * self.latency_ms.len() * self.concurrency.len() * threads.len();
        if count > MAX_POINTS {
            anyhow::bail!(
                "{count} points in the sweep (-n × -l × -c × -t) is over the limit of {MAX_POINTS}"
            );
        }
        let mut points = Vec::with_capacity(count);
        for &pages in &self.pages {
            for &latency_ms in &self.latency_ms {
                for &concurrency in &self.concurrency {
                    for &threads in &threads {
                        let knobs = Knobs {
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
                        };
                        knobs.validate()?;
                        points.push(knobs);
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
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Worker threads of the embedded server [default: available cores].
    #[arg(long)]
    pub server_threads: Option<usize>,
    /// Add the quirk pages to the site and to every scenario's inputs: markup the HTML5 tree
    /// builder rewrites, on which a DOM and a token stream disagree (the DOM is the truth).
    #[arg(long)]
    pub quirks: bool,
}

/// How the harness runs each contestant.
#[derive(Args, Debug, Clone)]
pub struct HarnessArgs {
    /// Kill a contestant's run (or a single-core reference) after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub limit_s: u64,
    /// Run each contestant this many times (each in a fresh process, in rounds: every
    /// contestant once, then again) and report the run with the median wall time; every run
    /// is verified. Single runs are noisy on shared machines.
    #[arg(long, default_value_t = 1)]
    pub runs: usize,
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

#[derive(Args, Debug)]
pub struct TourArgs {
    #[command(flatten)]
    pub measure: MeasureArgs,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario: sleep, download, scrape, crawl, parse or pitfall.
    pub scenario: Scenario,
    /// Contestants to run, comma separated [default: all].
    #[arg(long, value_delimiter = ',')]
    pub contestants: Vec<String>,
    /// Crawl only: stop after this many pages [default: the whole site].
    #[arg(long)]
    pub max_pages: Option<usize>,
    #[command(flatten)]
    pub measure: MeasureArgs,
}

#[derive(Args, Debug)]
pub struct ReportArgs {
    /// Where to write results.jsonl and index.html (made if missing).
    #[arg(long, default_value = "target/report", value_name = "DIR")]
    pub out: PathBuf,
    /// The smaller suite: smaller pages and waits, C up to 100 (under 2 minutes on 2
    /// cores, with --runs 2). For a first look, and for CI.
    #[arg(long)]
    pub quick: bool,
    /// Runs per entry [default: 5, or 2 with --quick].
    #[arg(long)]
    pub runs: Option<usize>,
    /// Also replace the generated part of this Markdown file (between its `<!-- report:begin`
    /// and `<!-- report:end -->` lines) with the suite's tables; `just results` passes
    /// docs/results.md. Left alone if the report is stopped early.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,
    /// Kill a run (or a single-core reference) after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub limit_s: u64,
}

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The first results file (A).
    pub a: PathBuf,
    /// The second results file (B); ratios are B / A.
    pub b: PathBuf,
}

#[derive(Args, Debug)]
pub struct CrawlArgs {
    /// Where to start: an http(s) URL.
    #[arg(long)]
    pub url: String,
    /// Which contestant crawls.
    #[arg(long, default_value = "sequential")]
    pub contestant: String,
    /// Stop after this many pages.
    #[arg(long, default_value_t = 100)]
    pub max_pages: usize,
    #[command(flatten)]
    pub client: ClientArgs,
    /// How pages are parsed: tokenize (the lab's own tokeniser, no tree), stream (lol_html
    /// handlers, no tree), dom (a full html5ever tree) or naive (a byte scan that also follows
    /// links in comments and scripts).
    #[arg(long, default_value_t = Strategy::default(), value_name = "STRATEGY")]
    pub extract: Strategy,
    /// Print JSON Lines records (one object per URL, each as soon as it is done) instead of
    /// a summary; the totals go to stderr.
    #[arg(long)]
    pub json: bool,
    /// Follow links at most this many hops from the root (0: the root only) [default: no limit].
    #[arg(long, allow_hyphen_values = true, value_name = "HOPS")]
    pub max_depth: Option<usize>,
    /// Only follow URLs whose path starts with this prefix, for example /std/.
    #[arg(long, value_name = "PATH")]
    pub prefix: Option<String>,
    /// Stop after this many seconds, keeping what was finished (URLs taken on but not finished
    /// are recorded as `cancelled`); exits 0.
    #[arg(long, allow_hyphen_values = true, value_name = "SECONDS")]
    pub deadline_s: Option<f64>,
    /// Do not fetch or obey the site's robots.txt.
    #[arg(long)]
    pub ignore_robots: bool,
    #[command(flatten)]
    pub net: NetArgs,
}

/// How `crawl` behaves on someone else's network.
#[derive(Args, Debug)]
pub struct NetArgs {
    /// The User-Agent sent, and the name robots.txt groups are matched against (up to the
    /// first '/').
    #[arg(long, default_value = Net::DEFAULT_USER_AGENT, value_name = "AGENT")]
    pub user_agent: String,
    /// Redirects followed per URL, at most 100; 0 records the 3xx response itself. A crawl
    /// follows a redirect only to a URL it would crawl.
    #[arg(long, default_value_t = Net::DEFAULT_MAX_REDIRECTS, allow_hyphen_values = true, value_name = "N")]
    pub max_redirects: usize,
    /// Least time between two requests to the same host, in milliseconds, at most 60,000. A
    /// longer Crawl-delay in robots.txt wins.
    #[arg(
        long,
        default_value_t = 0,
        allow_hyphen_values = true,
        value_name = "MS"
    )]
    pub delay_ms: u64,
    /// Send every request through this http:// proxy (https goes through CONNECT). Without
    /// it, no proxy is used, whatever HTTP_PROXY or ALL_PROXY say.
    #[arg(long, value_name = "URL")]
    pub proxy: Option<String>,
    /// Also trust the CA certificate(s) in this PEM file, on top of Mozilla's roots (for
    /// example the one `shootout serve --tls` writes).
    #[arg(long, value_name = "PEM")]
    pub ca_cert: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Pages on the synthetic site.
    #[arg(short = 'n', long, default_value_t = SiteSpec::default().pages)]
    pub pages: usize,
    /// Milliseconds each response is held.
    #[arg(short = 'l', long, default_value_t = Knobs::default().latency_ms)]
    pub latency_ms: u64,
    /// Approximate size of each page, in KiB.
    #[arg(short = 's', long, default_value_t = SiteSpec::default().page_kb)]
    pub page_kb: usize,
    /// Seed for the synthetic site's content.
    #[arg(long, default_value_t = SiteSpec::default().seed)]
    pub seed: u64,
    /// Up to this many extra milliseconds per response, fixed per path by the seed; at most
    /// 60,000.
    #[arg(long, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Serve the files under this directory instead of the synthetic site.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Also serve the quirk pages (markup a DOM and a token stream read differently), linked
    /// from the index.
    #[arg(long)]
    pub quirks: bool,
    /// Server worker threads [default: available cores].
    #[arg(long)]
    pub threads: Option<usize>,
    /// Serve https with a certificate made at start for 127.0.0.1, localhost and ::1, signed
    /// by a CA made at start too; the CA's certificate is written to --cert-out for `crawl
    /// --ca-cert`.
    #[arg(long)]
    pub tls: bool,
    /// Where --tls writes the CA certificate (PEM) [default: shootout-ca-PORT.pem in the
    /// temporary directory].
    #[arg(long, value_name = "PATH", requires = "tls")]
    pub cert_out: Option<PathBuf>,
    /// Serve the fault site instead: pages that fail on purpose (404, 500, a hang, a reset,
    /// garbage, a truncated body, a 200 MiB body, redirect loops, charsets, robots.txt …),
    /// each linked from the index. docs/scenarios.md lists each fault and the record it gets.
    #[arg(long, conflicts_with_all = ["dir", "quirks"])]
    pub faults: bool,
}
