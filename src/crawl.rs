//! `shootout crawl`: one contestant crawls any http(s) site.
//!
//! Everything here is set-up and reporting around [`Runner::crawl`]: the flags are checked
//! before any request, robots.txt is fetched once, and a watcher thread shows progress and
//! stops the crawl on Ctrl-C or at the deadline. Stopping never waits for the contestant: the
//! [`Journal`] already holds every finished record, so the watcher writes a `cancelled` record
//! for each URL it admitted but has not finished (being fetched, or still queued), prints the
//! summary, and exits.
//!
//! [`Runner::crawl`]: shootout_core::Runner::crawl

use std::io::Write as _;
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use indicatif::ProgressBar;
use shootout_core::measure::Usage;
use shootout_core::{
    Contestant, CrawlSpec, FetchError, Journal, Knobs, Net, PageRecord, Robots, Tally,
};
use shootout_http::blocking::BlockingClient;
use shootout_lab::label::human_secs;
use shootout_lab::{harness, registry};
use url::Url;

use crate::check_concurrency;
use crate::cli::CrawlArgs;

/// The exit status after Ctrl-C, as a shell reports a process ended by SIGINT (128 + 2).
const INTERRUPTED_STATUS: i32 = 130;

/// A crawl stops early for one of these: Ctrl-C, or the deadline.
struct Stop {
    why: &'static str,
    status: i32,
}

pub fn crawl(args: &CrawlArgs) -> anyhow::Result<ExitCode> {
    let root =
        Url::parse(&args.url).with_context(|| format!("'{}' is not a valid URL", args.url))?;
    if !matches!(root.scheme(), "http" | "https") {
        bail!("'{}' is not an http(s) URL", args.url);
    }
    let contestant = registry::find(&args.contestant).with_context(|| {
        format!(
            "unknown contestant '{}' (known: {})",
            args.contestant,
            registry::names()
        )
    })?;
    let (mut knobs, deadline) = checked(args)?;
    check_concurrency(contestant, knobs.concurrency)?;
    let python = shootout_lab::python::is_python(contestant.name());
    if python {
        check_python(&knobs).with_context(|| contestant.name())?;
    }

    // Every check has passed: the first request is robots.txt.
    let robots = if args.ignore_robots {
        None
    } else {
        Some(obey_robots(&root, &mut knobs)?)
    };
    if python && knobs.net.delay_ms > 0 {
        bail!(
            "{}: robots.txt asks for a Crawl-delay of {} ms, and the python-* contestants do not \
             pace requests (use a Rust contestant, or --ignore-robots)",
            contestant.name(),
            knobs.net.delay_ms
        );
    }
    let runner = contestant.prepare(&knobs)?;
    let out: Option<Box<dyn std::io::Write + Send>> = if args.json {
        // Buffered, and flushed by the watcher every 100 ms: lines arrive as pages finish,
        // without a system call per page.
        Some(Box::new(std::io::BufWriter::with_capacity(
            64 * 1024,
            std::io::stdout(),
        )))
    } else {
        None
    };
    // Without --json the records are printed sorted at the end, so the journal keeps them.
    let journal = Arc::new(Journal::new(out, !args.json));
    let spec = CrawlSpec {
        max_pages: args.max_pages,
        max_depth: args.max_depth,
        prefix: args.prefix.clone(),
        robots: robots.map(Arc::new),
        journal: Some(journal.clone()),
    };
    let report = Report {
        root: root.clone(),
        contestant,
        knobs: knobs.clone(),
        json: args.json,
    };
    let spinner = ProgressBar::new_spinner();
    spinner.enable_steady_tick(Duration::from_millis(100));
    harness::stop_on_ctrl_c();
    let server = LocalServer::of(&root);
    let before = Usage::now();
    let start = Instant::now();

    // The watcher shows progress, and on Ctrl-C or at the deadline ends the process with
    // what the journal holds. It returns when the crawl ends by itself.
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let watcher = {
        let (journal, spinner, report) = (journal.clone(), spinner.clone(), report.clone());
        let stop = move || {
            if harness::INTERRUPTED.load(Ordering::SeqCst) {
                Some(Stop {
                    why: "interrupted (Ctrl-C)",
                    status: INTERRUPTED_STATUS,
                })
            } else if deadline.is_some_and(|d| start.elapsed() >= d) {
                Some(Stop {
                    why: "the --deadline-s passed",
                    status: 0,
                })
            } else {
                None
            }
        };
        std::thread::Builder::new()
            .name("crawl-watch".into())
            .spawn(move || {
                while let Err(mpsc::RecvTimeoutError::Timeout) =
                    done_rx.recv_timeout(Duration::from_millis(100))
                {
                    journal.flush();
                    let (finished, pending) = journal.progress();
                    spinner.set_message(format!(
                        "crawling {} with {}: {finished} done, {pending} to go",
                        report.root,
                        report.contestant.name()
                    ));
                    if let Some(Stop { why, status }) = stop() {
                        spinner.finish_and_clear();
                        let (tally, records) = journal.close(why);
                        let cost = Cost::since(start, &before, server.as_ref());
                        let _ = report.print(&tally, &records, &cost, Some(why));
                        // The contestant is mid-crawl; its threads end with the process.
                        std::process::exit(status);
                    }
                }
            })
            .context("cannot start the crawl's watcher thread")?
    };

    let records = runner.crawl(&root, &spec);
    let mut cost = Cost::since(start, &before, server.as_ref());
    if python {
        // The Python child's own measurements, around the crawl alone, as for every contestant.
        if let Some((wall, cpu, peak_rss)) = shootout_lab::python::last_cost() {
            cost = Cost {
                wall,
                cpu,
                peak_rss,
                ..cost
            };
        }
    }
    drop(done_tx);
    // If the watcher is stopping the crawl right now, it exits the process: this waits for
    // that rather than racing it to print.
    let _ = watcher.join();
    spinner.finish_and_clear();

    // A root that cannot be reached at all is bad input, not a crawl result.
    if let [only] = records.as_slice()
        && let Some(
            e @ (FetchError::Connect(_)
            | FetchError::Url(_)
            | FetchError::Timeout(_)
            | FetchError::Tls(_)),
        ) = &only.error
    {
        bail!("cannot crawl {root}: {e}");
    }
    journal.complete(&records);
    report.print(&Tally::of(&records), &records, &cost, None)?;
    Ok(ExitCode::SUCCESS)
}

/// What a Python contestant's crawl needs, checked before any request: an interpreter, and
/// no flag it does not honour (the articles' programs neither pace requests nor take a proxy).
fn check_python(knobs: &Knobs) -> anyhow::Result<()> {
    shootout_lab::python::interpreter()?;
    if knobs.net.proxy.is_some() {
        bail!("--proxy is not supported by the python-* contestants; use a Rust contestant");
    }
    if knobs.net.delay_ms > 0 {
        bail!("--delay-ms is not supported by the python-* contestants; use a Rust contestant");
    }
    Ok(())
}

/// The crawl's knobs and deadline from its flags, each checked, before any request: a bad
/// value is one line that names its flag.
fn checked(args: &CrawlArgs) -> anyhow::Result<(Knobs, Option<Duration>)> {
    if args.max_pages == 0 {
        bail!("--max-pages must be at least 1");
    }
    if let Some(p) = &args.prefix
        && !p.starts_with('/')
    {
        bail!("--prefix '{p}' must be a path starting with '/', for example /std/");
    }
    let deadline = match args.deadline_s {
        Some(s) if !(s.is_finite() && s > 0.0 && s <= 7.0 * 86_400.0) => {
            bail!("--deadline-s {s} must be more than 0 and at most a week (604800)")
        }
        Some(s) => Some(Duration::from_secs_f64(s)),
        None => None,
    };
    let ca_pem = match &args.net.ca_cert {
        None => None,
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("--ca-cert {}: cannot read it", path.display()))?;
            if let Err(why) = shootout_http::tls::parse_ca_pem(&text) {
                bail!("--ca-cert {}: {why}", path.display());
            }
            Some(text)
        }
    };
    let knobs = Knobs {
        // N and S describe the synthetic site; a real crawl's only bound is --max-pages, which
        // goes to `crawl` itself, with no limit but memory.
        pages: 0,
        latency_ms: 0,
        page_kb: 0,
        concurrency: args.client.concurrency,
        threads: args.client.threads(),
        timeout_ms: args.client.limits.timeout_ms,
        max_body: args.client.limits.max_body,
        extract: args.extract,
        net: Net {
            user_agent: args.net.user_agent.clone(),
            max_redirects: args.net.max_redirects,
            delay_ms: args.net.delay_ms,
            proxy: args.net.proxy.clone(),
            ca_pem,
        },
    };
    knobs.validate()?;
    Ok((knobs, deadline))
}

/// Fetches the site's robots.txt, refuses a root it disallows, and lets a longer
/// `Crawl-delay` than `--delay-ms` win.
fn obey_robots(root: &Url, knobs: &mut Knobs) -> anyhow::Result<Robots> {
    let robots = fetch_robots(root, knobs)?;
    if !robots.allows(root) {
        bail!(
            "{} (user agent '{}'); pass --ignore-robots to crawl it anyway",
            robots.refusal(root),
            knobs.net.robots_agent()
        );
    }
    if let Some(asked) = robots.crawl_delay() {
        let asked_ms = u64::try_from(asked.as_millis())
            .unwrap_or(u64::MAX)
            .min(Net::MAX_DELAY_MS);
        if asked_ms > knobs.net.delay_ms {
            eprintln!(
                "robots.txt asks for Crawl-delay: {:.1} s, so requests to the host are spaced that far apart",
                asked_ms as f64 / 1000.0
            );
            knobs.net.delay_ms = asked_ms;
        }
    }
    Ok(robots)
}

/// Fetches and parses the site's robots.txt before the crawl. A site that cannot be reached
/// is reported here, as the root would be.
fn fetch_robots(root: &Url, knobs: &Knobs) -> anyhow::Result<Robots> {
    let at = Robots::location(root);
    let client = BlockingClient::new(knobs, 1);
    match client.get(&at) {
        Ok(f) => Ok(Robots::from_response(
            at,
            knobs.net.robots_agent(),
            f.status,
            &f.body,
        )),
        Err(e @ (FetchError::Connect(_) | FetchError::Timeout(_) | FetchError::Tls(_))) => {
            bail!("cannot crawl {root}: {e} (while fetching {at})")
        }
        // Anything else (a broken or oversized file) states no rules.
        Err(e) => {
            eprintln!("note: {at} could not be read ({e}); crawling as if it had no rules");
            Ok(Robots::allow_all(at))
        }
    }
}

/// A server on this machine that the crawl fetches from: its process, and the CPU time it had
/// used when the crawl started.
#[derive(Clone, Copy)]
struct LocalServer {
    pid: u32,
    cpu_before: Duration,
}

impl LocalServer {
    /// The process listening on `root`'s port, if `root` is on this machine and the process
    /// can be read (see `listening_process`).
    fn of(root: &Url) -> Option<LocalServer> {
        let local = match root.host()? {
            url::Host::Domain(d) => d == "localhost",
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        if !local {
            return None;
        }
        let pid = shootout_core::measure::listening_process(root.port_or_known_default()?)?;
        Some(LocalServer {
            pid,
            cpu_before: shootout_core::measure::process_cpu(pid)?,
        })
    }
}

/// What a crawl cost: its wall time, the CPU time of this process meanwhile, the process's
/// peak resident memory, and, for a server on this machine, that server's CPU time meanwhile.
struct Cost {
    wall: Duration,
    cpu: Duration,
    peak_rss: u64,
    /// The local server's pid and the CPU it spent during the crawl.
    server: Option<(u32, Duration)>,
}

impl Cost {
    fn since(start: Instant, before: &Usage, server: Option<&LocalServer>) -> Cost {
        let wall = start.elapsed();
        let after = Usage::now();
        // A Python contestant crawls in a child process: once it has been waited for, its CPU
        // (and its pool workers') counts here, and its peak if it is the larger. (That is for
        // a stopped crawl; one that ends by itself reports the child's own measurements.)
        let children = Usage::children();
        Cost {
            wall,
            cpu: after.cpu.saturating_sub(before.cpu) + children.cpu,
            // The whole process's peak: the crawl's, plus the few MiB the runner started with.
            peak_rss: after.peak_rss.max(children.peak_rss),
            server: server.and_then(|s| {
                let now = shootout_core::measure::process_cpu(s.pid)?;
                Some((s.pid, now.saturating_sub(s.cpu_before)))
            }),
        }
    }
}

/// How the end of a crawl is printed, whether it ended by itself or was stopped.
#[derive(Clone)]
struct Report {
    root: Url,
    contestant: &'static dyn Contestant,
    knobs: Knobs,
    json: bool,
}

impl Report {
    /// Prints the records (unless they are on stdout already, with `--json`) and the totals.
    fn print(
        &self,
        tally: &Tally,
        records: &[PageRecord],
        cost: &Cost,
        stopped: Option<&str>,
    ) -> anyhow::Result<()> {
        let mut totals = self.totals(tally, cost);
        if let Some(why) = stopped {
            totals.push_str(&format!("; stopped: {why}"));
        }
        if self.json {
            // The records are on stdout already, a line each; the totals go to stderr, out of
            // their way.
            eprintln!("{totals}");
            return Ok(());
        }
        let mut sorted: Vec<&PageRecord> = records.iter().collect();
        // Most links first, as the Python original sorts its summary.
        sorted.sort_by(|a, b| b.links.cmp(&a.links).then(a.url.cmp(&b.url)));
        let mut out = std::io::BufWriter::new(std::io::stdout().lock());
        for r in &sorted {
            writeln!(out, "{r}")?;
        }
        writeln!(out, "\n{totals}")?;
        out.flush()?;
        Ok(())
    }

    /// The closing line of a crawl: how many URLs, how they fared, and what it cost.
    fn totals(&self, tally: &Tally, cost: &Cost) -> String {
        let c = self.contestant;
        let kinds: Vec<&str> = tally.kinds.iter().copied().collect();
        format!(
            "{} URLs from {} in {} with {} (C={}, T={}, extract={}): {} ok, {} failed{}; cpu {}{}, peak mem {:.1} MiB",
            tally.records,
            self.root,
            human_secs(cost.wall.as_secs_f64()),
            c.name(),
            c.effective(&self.knobs).concurrency,
            c.effective(&self.knobs).threads,
            if shootout_lab::python::is_python(c.name()) {
                "bs4+lxml".to_owned()
            } else {
                self.knobs.extract.to_string()
            },
            tally.records - tally.failed,
            tally.failed,
            if kinds.is_empty() {
                String::new()
            } else {
                format!(" ({})", kinds.join(", "))
            },
            human_secs(cost.cpu.as_secs_f64()),
            // The server shares the machine: its CPU is beside the client's, not in it.
            cost.server.map_or_else(String::new, |(pid, cpu)| format!(
                ", server cpu {} (pid {pid})",
                human_secs(cpu.as_secs_f64())
            )),
            cost.peak_rss as f64 / (1024.0 * 1024.0),
        )
    }
}
