//! `shootout serve`: the embedded site (synthetic, a directory, or the fault site) on a port
//! of its own, for wrk, a browser or any crawler.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use clap::Args;
use shootout_core::Knobs;
use shootout_core::knobs::{Knob, available_threads};
use shootout_site::{Content, FaultSite, Server, ServerConfig, SiteSpec};

use crate::flags;

#[derive(Args, Debug)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Pages on the synthetic site; at most 1,000,000, and N × S at most half the memory
    /// available.
    #[arg(short = 'n', long, value_parser = flags::knob::<usize>(Knob::Pages),
          default_value_t = SiteSpec::default().pages)]
    pub pages: usize,
    /// Milliseconds each response is held; at most 60,000.
    #[arg(short = 'l', long, value_parser = flags::knob::<u64>(Knob::LatencyMs),
          default_value_t = Knobs::default().latency_ms)]
    pub latency_ms: u64,
    /// Approximate size of each page, in KiB; at most 65,536.
    #[arg(short = 's', long, value_parser = flags::knob::<usize>(Knob::PageKb),
          default_value_t = SiteSpec::default().page_kb)]
    pub page_kb: usize,
    /// Seed for the synthetic site's content.
    #[arg(long, default_value_t = SiteSpec::default().seed)]
    pub seed: u64,
    /// Up to this many extra milliseconds per response, fixed per path by the seed; at most
    /// 60,000.
    #[arg(long, value_parser = flags::jitter_ms, default_value_t = 0)]
    pub jitter_ms: u64,
    /// Serve the files under this directory instead of the synthetic site.
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Also serve the quirk pages (markup a DOM and a token stream read differently), linked
    /// from the index.
    #[arg(long)]
    pub quirks: bool,
    /// L: a sidebar of L links on every content page of the synthetic site, the same on every
    /// page of a section of L pages, as a documentation site repeats its navigation; at most
    /// 10,000, and 0 adds none. `--pages 20000 --links-per-page 100` makes a site with about
    /// 100 links a page, most of them repeated, for scripts/crawl-floor.sh.
    #[arg(long, value_name = "L", default_value_t = 0, conflicts_with = "dir",
          value_parser = flags::within::<usize>(0, shootout_site::MAX_SIDEBAR_LINKS as u64))]
    pub links_per_page: usize,
    /// Server worker threads, at most 1024 [default: available cores].
    #[arg(long, value_parser = flags::server_threads)]
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

pub fn run(args: &ServeArgs) -> anyhow::Result<()> {
    if args.dir.is_none() {
        Knobs::check_memory(args.pages, args.page_kb)?;
    }
    if args.faults {
        return serve_faults(args);
    }
    let content = match &args.dir {
        Some(d) => Content::Dir(d.clone()),
        None => Content::Synthetic(SiteSpec {
            pages: args.pages,
            page_kb: args.page_kb,
            seed: args.seed,
            quirks: args.quirks,
            links: args.links_per_page,
        }),
    };
    let server = Server::start(ServerConfig {
        content,
        port: args.port,
        latency: Duration::from_millis(args.latency_ms),
        jitter: Duration::from_millis(args.jitter_ms),
        threads: args.threads.unwrap_or_else(available_threads),
        tls: args.tls,
        shape: Default::default(),
    })
    .map_err(|e| with_port_hint(e, args.port))?;
    match &args.dir {
        Some(d) => println!(
            "serving {} at {} (latency {} ms)",
            d.display(),
            server.base_url(),
            args.latency_ms
        ),
        None => println!(
            "serving a synthetic site of {} pages of {} KiB{} at {} (latency {} ms)",
            args.pages,
            args.page_kb,
            match args.links_per_page {
                0 => String::new(),
                l => format!(", each with a sidebar of {l} links shared by its section"),
            },
            server.base_url(),
            args.latency_ms
        ),
    }
    if let Some(pem) = server.ca_pem() {
        print_ca(args, server.addr().port(), pem)?;
    }
    println!("press Ctrl-C to stop");
    server.wait();
    Ok(())
}

/// A server that could not start, with a hint where a fixed port may be the reason.
fn with_port_hint(e: shootout_site::server::ServeError, port: u16) -> anyhow::Error {
    let hint = if port != 0 {
        " (use --port 0 for any free port)"
    } else {
        ""
    };
    anyhow::anyhow!("{e}{hint}")
}

/// `serve --faults`: the fault site, each page failing its own way (docs/scenarios.md).
fn serve_faults(args: &ServeArgs) -> anyhow::Result<()> {
    let site = FaultSite::start(args.port, args.tls).map_err(|e| with_port_hint(e, args.port))?;
    println!(
        "serving the fault site ({} faulty pages, listed on its index) at {}",
        shootout_site::FAULTS.len(),
        site.base_url()
    );
    if let Some(pem) = site.ca_pem() {
        print_ca(args, site.base_url().port().unwrap_or(args.port), pem)?;
    }
    println!("press Ctrl-C to stop");
    site.wait();
    Ok(())
}

/// Writes a `--tls` server's CA certificate where `crawl --ca-cert` can read it.
fn print_ca(args: &ServeArgs, port: u16, pem: &str) -> anyhow::Result<()> {
    let path = args
        .cert_out
        .clone()
        .unwrap_or_else(|| std::env::temp_dir().join(format!("shootout-ca-{port}.pem")));
    std::fs::write(&path, pem).with_context(|| {
        format!(
            "--cert-out {}: cannot write the CA certificate",
            path.display()
        )
    })?;
    println!(
        "CA certificate: {} (crawl with --ca-cert {})",
        path.display(),
        path.display()
    );
    Ok(())
}
