//! `shootout crawl`: one contestant crawls any http(s) site.
//!
//! The crawl runs in the contestant's own process, on the same protocol as every measured run
//! (docs/protocol.md), with `stream` set: the child writes each URL it admits and each record
//! it finishes as a line, and this process re-emits them through its [`Journal`] as they come
//! (a record a line on stdout with `--json`). Ctrl-C is forwarded to the child, and
//! `--deadline-s` stops it the same way; the journal already holds every finished record, so
//! stopping turns each URL admitted but not finished into a `cancelled` record and prints the
//! totals. Nothing here waits on the contestant, and nothing calls `process::exit`.
//!
//! Everything else is set-up around that: the flags are checked as they are parsed, and
//! robots.txt is fetched once, here, and handed to the child in the job.

mod list;
mod robots;
mod totals;

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::bail;
use clap::Args;
use indicatif::ProgressBar;
use shootout_core::job::{CrawlJob, Line};
use shootout_core::knobs::{Knob, available_threads};
use shootout_core::usage::Usage;
use shootout_core::{FetchError, Job, Journal, Knobs, Net, Scenario, Strategy, Tally};
use shootout_lab::harness::{self, ChildError, runner};
use shootout_lab::registry::{Contestant, NetSetting};
use url::Url;

use self::list::List;
use self::totals::{Cost, LocalServer, Report};
use crate::flags;

/// The exit status after Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2).
const INTERRUPTED_STATUS: u8 = 130;

#[derive(Args, Debug)]
pub struct CrawlArgs {
    /// Where to start: an http(s) URL.
    #[arg(long, value_parser = flags::http_url)]
    pub url: Url,
    /// Which contestant crawls.
    #[arg(long, value_parser = flags::contestant, default_value = "sequential")]
    pub contestant: Contestant,
    /// Stop after this many pages.
    #[arg(long, value_parser = flags::at_least_one::<usize>, default_value_t = 100)]
    pub max_pages: usize,
    /// C: most requests in flight at once; at most 100,000 (10,000 for threads and
    /// crossbeam, 1,000 for rayon: a thread per request in flight).
    #[arg(short = 'c', long, value_parser = flags::knob::<usize>(Knob::Concurrency),
          default_value_t = Knobs::default().concurrency)]
    pub concurrency: usize,
    /// T: worker threads for the runtime or pool, at most 1024 [default: available cores].
    #[arg(short = 't', long, value_parser = flags::knob::<usize>(Knob::Threads))]
    pub threads: Option<usize>,
    #[command(flatten)]
    pub limits: crate::cli::LimitArgs,
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
    #[arg(long, allow_hyphen_values = true, value_name = "HOPS",
          value_parser = flags::within::<usize>(0, u64::MAX))]
    pub max_depth: Option<usize>,
    /// Only follow URLs whose path starts with this prefix, for example /std/.
    #[arg(long, value_name = "PATH", value_parser = flags::prefix)]
    pub prefix: Option<String>,
    /// Stop after this many seconds, keeping what was finished (URLs taken on but not finished
    /// are recorded as `cancelled`); exits 0.
    #[arg(long, allow_hyphen_values = true, value_name = "SECONDS", value_parser = flags::deadline)]
    pub deadline_s: Option<Duration>,
    /// Do not fetch or obey the site's robots.txt.
    #[arg(long)]
    pub ignore_robots: bool,
    /// Fetch the URLs listed in FILE instead of crawling, with nothing parsed and no link
    /// followed: the `download` scenario's work on a crawl's own pages. FILE holds one URL a
    /// line, or a `crawl --json` output (its records that got a response). With the crawl
    /// itself and --scrape-list, it measures a crawl's floor: scripts/crawl-floor.sh.
    #[arg(long, value_name = "FILE",
          conflicts_with_all = ["scrape_list", "max_depth", "prefix", "max_pages"])]
    pub fetch_list: Option<PathBuf>,
    /// Like --fetch-list, but each page is also parsed with --extract and given its full
    /// record, as a crawl does (the `scrape` scenario's work); its links are not resolved.
    #[arg(long, value_name = "FILE", conflicts_with_all = ["max_depth", "prefix", "max_pages"])]
    pub scrape_list: Option<PathBuf>,
    #[command(flatten)]
    pub net: NetArgs,
}

impl CrawlArgs {
    /// The URL list to fetch instead of crawling, if one was given.
    fn list(&self) -> anyhow::Result<Option<List>> {
        match (&self.fetch_list, &self.scrape_list) {
            (Some(file), _) => List::read(file, Scenario::Download).map(Some),
            (_, Some(file)) => List::read(file, Scenario::Scrape).map(Some),
            (None, None) => Ok(None),
        }
    }
}

/// How `crawl` behaves on someone else's network.
#[derive(Args, Debug)]
pub struct NetArgs {
    /// The User-Agent sent, and the name robots.txt groups are matched against (up to the
    /// first '/').
    #[arg(long, default_value = Net::DEFAULT_USER_AGENT, value_name = "AGENT",
          value_parser = flags::user_agent)]
    pub user_agent: String,
    /// Redirects followed per URL, at most 100; 0 records the 3xx response itself. A crawl
    /// follows a redirect only to a URL it would crawl.
    #[arg(long, default_value_t = Net::DEFAULT_MAX_REDIRECTS, allow_hyphen_values = true,
          value_name = "N", value_parser = flags::max_redirects)]
    pub max_redirects: usize,
    /// Least time between two requests to the same host, in milliseconds, at most 60,000. A
    /// longer Crawl-delay in robots.txt wins.
    #[arg(long, default_value_t = 0, allow_hyphen_values = true, value_name = "MS",
          value_parser = flags::delay_ms)]
    pub delay_ms: u64,
    /// Send every request through this http:// proxy (https goes through CONNECT). Without
    /// it, no proxy is used, whatever HTTP_PROXY or ALL_PROXY say.
    #[arg(long, value_name = "URL", value_parser = flags::proxy)]
    pub proxy: Option<String>,
    /// Also trust the CA certificate(s) in this PEM file, on top of Mozilla's roots (for
    /// example the one `shootout serve --tls` writes).
    #[arg(long, value_name = "PEM", value_parser = flags::ca_cert)]
    pub ca_cert: Option<String>,
}

pub fn run(args: &CrawlArgs) -> anyhow::Result<ExitCode> {
    let contestant = args.contestant;
    let root = args.url.clone();
    let mut knobs = knobs(args);
    flags::concurrency_within_limit(contestant, knobs.concurrency)?;
    contestant
        .ready()
        .map_err(|why| anyhow::anyhow!("{}: {why}", contestant.name()))?;
    refuse_unsupported(contestant, &knobs.net, "")?;
    let list = args.list()?;

    // Every check has passed: the first request is robots.txt (a list was crawled already,
    // obeying it).
    let robots = if args.ignore_robots || list.is_some() {
        None
    } else {
        Some(robots::obey(&root, &mut knobs)?)
    };
    refuse_unsupported(contestant, &knobs.net, " (robots.txt's Crawl-delay)")?;
    let job = match &list {
        Some(list) => {
            // Measured once, as a crawl is; the records come after the clock stops.
            let mut job = Job::new(contestant.name(), list.scenario, knobs.clone());
            job.urls = Some(list.urls.clone());
            job
        }
        None => {
            let mut job = Job::new(contestant.name(), Scenario::Crawl, knobs.clone());
            job.crawl = Some(CrawlJob {
                root: root.to_string(),
                max_pages: args.max_pages,
                max_depth: args.max_depth,
                prefix: args.prefix.clone(),
                robots,
            });
            job.stream = true;
            job
        }
    };

    let out: Option<Box<dyn std::io::Write + Send>> = if args.json {
        // Buffered, and handed on every 100 ms: lines arrive as pages finish, without a
        // system call per page.
        Some(Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout(),
        )))
    } else {
        None
    };
    // Without --json the records are printed sorted at the end, so the journal keeps them.
    let journal = Arc::new(Journal::new(out, !args.json));
    // A list's URLs are all taken on at once: stopped, each unfinished one is `cancelled`.
    for url in list.iter().flat_map(|l| &l.urls) {
        journal.admitted(url);
    }
    let report = Report {
        root: root.clone(),
        contestant,
        knobs,
        json: args.json,
    };
    let spinner = ProgressBar::new_spinner();
    spinner.enable_steady_tick(Duration::from_millis(100));
    harness::stop_on_ctrl_c();
    let server = LocalServer::of(&root);
    let (children, mine) = (Usage::children(), Usage::now());
    let start = Instant::now();
    let mut flushed = Instant::now();

    let ran = runner::run(contestant, &job, Duration::MAX, |event| {
        match event {
            runner::Event::Line(Line::Admitted(url)) => journal.admitted(url),
            runner::Event::Line(Line::Record(r)) => journal.finished(r),
            // A streamed crawl runs once: no repetition follows.
            runner::Event::Line(Line::Done(_) | Line::Repetition(_)) => {}
            runner::Event::Tick => {
                if flushed.elapsed() >= Duration::from_millis(100) {
                    flushed = Instant::now();
                    journal.flush();
                    let (finished, pending) = journal.progress();
                    spinner.set_message(format!(
                        "{} {root} with {}: {finished} done, {pending} to go",
                        match &list {
                            None => "crawling",
                            Some(l) if l.scenario == Scenario::Download => "fetching a list from",
                            Some(_) => "scraping a list from",
                        },
                        contestant.name()
                    ));
                }
                if args.deadline_s.is_some_and(|d| start.elapsed() >= d) {
                    return Some("the --deadline-s passed".to_owned());
                }
            }
        }
        None
    });
    spinner.finish_and_clear();
    let cost = Cost::measured(
        start,
        &children,
        &mine,
        server.as_ref(),
        ran.end.as_ref().ok(),
    );

    let stopped = match &ran.end {
        Ok(_) => None,
        Err(ChildError::Stopped(why)) => Some(why.clone()),
        Err(e) => {
            // The contestant failed mid-crawl: every URL it took on and did not finish gets an
            // `internal` record naming why, so nothing is lost.
            let why = format!("{} failed: {e}", contestant.name());
            let (tally, records) = journal.close_failed(&why);
            report.print(&tally, &records, &cost, Some(&why))?;
            bail!("{why}");
        }
    };
    if let Some(why) = stopped {
        let (tally, records) = journal.close(&why);
        report.print(&tally, &records, &cost, Some(&why))?;
        let status = if harness::interrupted() {
            INTERRUPTED_STATUS
        } else {
            0
        };
        return Ok(ExitCode::from(status));
    }
    // A root that cannot be reached at all is bad input, not a crawl result.
    if let [only] = ran.records.as_slice()
        && let Some(
            e @ (FetchError::Connect(_)
            | FetchError::Url(_)
            | FetchError::Timeout(_)
            | FetchError::Tls(_)),
        ) = &only.error
    {
        bail!("cannot crawl {root}: {e}");
    }
    journal.complete(&ran.records);
    report.print(&Tally::of(&ran.records), &ran.records, &cost, None)?;
    Ok(ExitCode::SUCCESS)
}

/// The crawl's knobs from its flags (each was checked as it was parsed).
fn knobs(args: &CrawlArgs) -> Knobs {
    Knobs {
        // N and S describe the synthetic site; a real crawl's only bound is --max-pages, which
        // goes to the crawl itself, with no limit but memory.
        pages: 0,
        latency_ms: 0,
        page_kb: 0,
        concurrency: args.concurrency,
        threads: args.threads.unwrap_or_else(available_threads),
        timeout_ms: args.limits.timeout_ms,
        max_body: args.limits.max_body,
        extract: args.extract,
        fsync: false,
        net: Net {
            user_agent: args.net.user_agent.clone(),
            max_redirects: args.net.max_redirects,
            delay_ms: args.net.delay_ms,
            proxy: args.net.proxy.clone(),
            ca_pem: args.net.ca_cert.clone(),
        },
        load: Default::default(),
        shape: Default::default(),
    }
}

/// Refuses a network setting the contestant does not honour (the articles' Python programs
/// neither pace requests nor take a proxy), before any request it would make.
fn refuse_unsupported(contestant: Contestant, net: &Net, source: &str) -> anyhow::Result<()> {
    for setting in contestant.refuses() {
        let (set, flag) = match setting {
            NetSetting::Proxy => (net.proxy.is_some(), "--proxy"),
            NetSetting::Delay => (net.delay_ms > 0, "--delay-ms"),
        };
        if set {
            bail!(
                "{}: {flag}{source} is not supported by this contestant; use a Rust contestant{}",
                contestant.name(),
                if source.is_empty() {
                    ""
                } else {
                    ", or --ignore-robots"
                }
            );
        }
    }
    Ok(())
}
