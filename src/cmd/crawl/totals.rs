//! What a crawl cost and how its end is printed: the records (sorted, without `--json`) and
//! one closing line of totals.

use std::io::Write as _;
use std::time::{Duration, Instant};

use shootout_core::job::Done;
use shootout_core::latency::Tail;
use shootout_core::usage::{self, Usage};
use shootout_core::{Knobs, PageRecord, Tally};
use shootout_lab::label::human_secs;
use shootout_lab::registry::Contestant;
use url::Url;

/// A server on this machine that the crawl fetches from: every process that holds its
/// listening socket (a master and its workers), and the CPU time they had used when the crawl
/// started. `None` inside when the port is local but its processes cannot be read: the totals
/// then say the server's CPU is unknown, never a zero that was not measured.
pub struct LocalServer(Option<(Vec<u32>, Duration)>);

impl LocalServer {
    /// The server behind `root`, if `root` is on this machine.
    pub fn of(root: &Url) -> Option<LocalServer> {
        let local = match root.host()? {
            url::Host::Domain(d) => d == "localhost",
            url::Host::Ipv4(ip) => ip.is_loopback(),
            url::Host::Ipv6(ip) => ip.is_loopback(),
        };
        if !local {
            return None;
        }
        let read = || {
            let pids = usage::listening_processes(root.port_or_known_default()?)?;
            let cpu = total_cpu(&pids)?;
            Some((pids, cpu))
        };
        Some(LocalServer(read()))
    }

    /// The CPU its processes spent since [`LocalServer::of`], and how many they are; `None`
    /// if it cannot be read.
    fn spent(&self) -> Option<(usize, Duration)> {
        let (pids, before) = self.0.as_ref()?;
        Some((pids.len(), total_cpu(pids)?.saturating_sub(*before)))
    }
}

/// The CPU time of every process in `pids`, or `None` if one cannot be read.
fn total_cpu(pids: &[u32]) -> Option<Duration> {
    pids.iter().map(|&pid| usage::process_cpu(pid)).sum()
}

/// What a crawl cost.
pub struct Cost {
    /// Its wall time.
    wall: Duration,
    /// The contestant's CPU time: around the crawl alone, as its closing line says; or, for a
    /// crawl that was stopped (no closing line), its whole process's, start-up included.
    cpu: Duration,
    /// Whether `cpu` is the whole process's.
    whole_process: bool,
    /// The contestant's peak resident memory.
    peak_rss: u64,
    /// This process's CPU meanwhile: reading the child's lines and writing them out again.
    relaying: Duration,
    /// For a server on this machine: how many processes it is and the CPU they spent during
    /// the crawl, or `None` inside when they cannot be read.
    server: Option<Option<(usize, Duration)>>,
}

impl Cost {
    /// The cost of a crawl that started at `start`, when this process's children had used
    /// `children` and this process `mine`; `done` is the child's closing line, if it sent one.
    pub fn measured(
        start: Instant,
        children: &Usage,
        mine: &Usage,
        server: Option<&LocalServer>,
        done: Option<&Done>,
    ) -> Cost {
        let wall = start.elapsed();
        let relaying = Usage::now().cpu.saturating_sub(mine.cpu);
        let server = server.map(LocalServer::spent);
        match done {
            Some(d) => Cost {
                wall: d.wall(),
                cpu: d.cpu(),
                whole_process: false,
                peak_rss: d.peak_rss,
                relaying,
                server,
            },
            // The child has been waited for: its CPU (and its pool workers') now counts as
            // this process's children's.
            None => {
                let after = Usage::children();
                Cost {
                    wall,
                    cpu: after.cpu.saturating_sub(children.cpu),
                    whole_process: true,
                    peak_rss: after.peak_rss,
                    relaying,
                    server,
                }
            }
        }
    }
}

/// `; latency p50 … p99 … p99.9 … max …` over every page that was fetched: from when a
/// worker took it up to its record (after parsing). Nothing if none was timed.
fn latencies(records: &[PageRecord]) -> String {
    let timed = records.iter().filter_map(|r| r.latency).map(|l| l.ready_us);
    match Tail::of(timed) {
        Ok(Some(t)) => {
            let ms = |v: f64| human_secs(v / 1e3);
            format!(
                "; latency p50 {}, p90 {}, p99 {}, p99.9 {}, max {} ({} pages, from taken up to \
                 record)",
                ms(t.p50_ms),
                ms(t.p90_ms),
                ms(t.p99_ms),
                ms(t.p999_ms),
                ms(t.max_ms),
                t.samples
            )
        }
        Ok(None) | Err(_) => String::new(),
    }
}

/// How the end of a crawl is printed, whether it ended by itself or was stopped.
pub struct Report {
    pub root: Url,
    pub contestant: Contestant,
    pub knobs: Knobs,
    pub json: bool,
}

impl Report {
    /// Prints the records (unless they are on stdout already, with `--json`) and the totals.
    pub fn print(
        &self,
        tally: &Tally,
        records: &[PageRecord],
        cost: &Cost,
        stopped: Option<&str>,
    ) -> anyhow::Result<()> {
        let mut totals = self.totals(tally, cost);
        totals.push_str(&latencies(records));
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
        let eff = c.effective(&self.knobs);
        let kinds: Vec<&str> = tally.kinds.iter().copied().collect();
        let parsing = match c.parser() {
            Some(p) => format!("parser={p}"),
            None => format!("extract={}", self.knobs.extract),
        };
        format!(
            "{} URLs from {} in {} with {} (C={}, T={}, {parsing}): {} ok, {} failed{}; cpu {}, \
             relaying {}{}, peak mem {:.1} MiB{}",
            tally.records,
            self.root,
            human_secs(cost.wall.as_secs_f64()),
            c.name(),
            eff.concurrency,
            eff.threads,
            tally.records - tally.failed,
            tally.failed,
            if kinds.is_empty() {
                String::new()
            } else {
                format!(" ({})", kinds.join(", "))
            },
            human_secs(cost.cpu.as_secs_f64()),
            // This process's own CPU, reading the child's lines and writing them out again:
            // the cost of running the contestant in a process of its own.
            human_secs(cost.relaying.as_secs_f64()),
            // The server shares the machine: its CPU is beside the client's, not in it.
            match cost.server {
                None => String::new(),
                Some(None) => ", server cpu unknown (its processes cannot be read)".into(),
                Some(Some((n, cpu))) => format!(
                    ", server cpu {}{}",
                    // Read in clock ticks: a zero is less than one.
                    if cpu.is_zero() {
                        format!(
                            "under {}",
                            human_secs(usage::process_cpu_tick().as_secs_f64())
                        )
                    } else {
                        human_secs(cpu.as_secs_f64())
                    },
                    if n > 1 {
                        format!(" ({n} processes)")
                    } else {
                        String::new()
                    }
                ),
            },
            cost.peak_rss as f64 / (1024.0 * 1024.0),
            if cost.whole_process {
                "; cpu and peak mem are its whole process's, start-up included (it was stopped \
                 before its closing line)"
            } else {
                ""
            },
        )
    }
}
