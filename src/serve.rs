//! `shootout serve`: the embedded site (synthetic, a directory, or the fault site) on a port
//! of its own, for wrk, a browser or any crawler.

use std::time::Duration;

use anyhow::Context;
use shootout_core::Knobs;
use shootout_core::knobs::available_threads;
use shootout_site::{Content, FaultSite, Server, ServerConfig, SiteSpec};

use crate::check_server;
use crate::cli::ServeArgs;

pub fn serve(args: &ServeArgs) -> anyhow::Result<()> {
    // The same limits as a measured run's site, with the same flag names.
    Knobs {
        pages: args.pages,
        latency_ms: args.latency_ms,
        page_kb: args.page_kb,
        threads: args.threads.unwrap_or_else(available_threads),
        ..Knobs::default()
    }
    .validate()?;
    check_server(args.jitter_ms, None)?;
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
        }),
    };
    let server = Server::start(ServerConfig {
        content,
        port: args.port,
        latency: Duration::from_millis(args.latency_ms),
        jitter: Duration::from_millis(args.jitter_ms),
        threads: args.threads.unwrap_or_else(available_threads),
        tls: args.tls,
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
            "serving a synthetic site of {} pages of {} KiB at {} (latency {} ms)",
            args.pages,
            args.page_kb,
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
