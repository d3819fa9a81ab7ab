//! Seeing inside a running async program: `tracing` spans filtered by `RUST_LOG`, a warning
//! for slow work, and how many tasks are alive.
//!
//! Mirrors asyncio's debug mode (`asyncio.run(main(), debug=True)`, which logs callbacks that
//! take too long) and `asyncio.all_tasks()`. tokio logs nothing by itself: you give each task
//! a `tracing` span (here `scrape{url=…}`), log events inside it, and a subscriber prints them
//! with their span, filtered by `RUST_LOG` as `logging.basicConfig(level=…)` filters Python's
//! logs. The runtime's metrics count the tasks alive (`num_alive_tasks`), the length of
//! `all_tasks()`.
//!
//! For a live view of every task (polls, wake-ups, time busy and idle), tokio has
//! tokio-console, the closest thing to watching `asyncio.all_tasks()` change. tokio records
//! what the console shows only when built with `--cfg tokio_unstable`, so it is a feature of
//! its own here (`console`, which adds the console-subscriber crate's layer beside the printing
//! one, and keeps scraping for 30 s so there is something to watch):
//!
//! ```sh
//! cargo install --locked tokio-console
//! RUSTFLAGS="--cfg tokio_unstable" cargo run --release -p shootout-tokio --example debugging --features console
//! tokio-console        # in another terminal: it connects to 127.0.0.1:6669
//! ```
//!
//! Run with: `RUST_LOG=debugging=debug cargo run --release -p shootout-tokio --example debugging`
//! (without `RUST_LOG`, only the info lines and the warning show)
//!
//! You should see: 5 or more tasks alive while 5 pages are fetched (the 5 scrapes, and the
//! HTTP engine's connection tasks as they open); a debug line as each fetch starts and an info
//! line with its status and title as it ends, each inside its `scrape{url=…}` span; a warning
//! for the one slow page (held 600 ms); after joining, the connection tasks still alive (one
//! per pooled connection); and 0 once the client, and with it its pool, is dropped. With
//! `--features console`, tokio-console lists the tasks as they come and go (about 37 while we
//! watched: the scrapes, spawned at this file's lines, and the engine's connection tasks),
//! with each one's polls and its busy and idle time.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::page::scrape_page;
use shootout_core::{Knobs, Strategy};
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};
use tracing::{Instrument, debug, info, info_span, warn};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::prelude::*;

// Without the cfg, tokio records nothing for the console to show: say so at build time.
#[cfg(all(feature = "console", not(tokio_unstable)))]
compile_error!(
    "the console feature needs RUSTFLAGS=\"--cfg tokio_unstable\": only then does tokio record \
     the task data tokio-console shows"
);

/// Longer than this is worth a warning, as asyncio's debug mode warns about slow callbacks
/// (its threshold, `loop.slow_callback_duration`, is 100 ms).
const SLOW: Duration = Duration::from_millis(500);

type Client = AsyncClient<TokioRuntime>;

async fn scrape(client: Arc<Client>, url: url::Url) {
    let start = Instant::now();
    debug!("fetching");
    let record = scrape_page(url.as_str(), client.get(&url).await, Strategy::Tokenize);
    let took = start.elapsed();
    info!(status = ?record.status, title = ?record.title, ms = took.as_millis() as u64, "done");
    if took > SLOW {
        warn!(ms = took.as_millis() as u64, "slow page");
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // RUST_LOG decides what is printed; without it, info and above. The filter belongs to the
    // printing layer only, so the console layer (with `--features console`) sees every task.
    let print = tracing_subscriber::fmt::layer()
        .with_target(false)
        .with_ansi(std::io::stdout().is_terminal())
        .with_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")));
    let subscriber = tracing_subscriber::registry().with(print);
    // console-subscriber serves the task data on 127.0.0.1:6669, where tokio-console connects.
    #[cfg(feature = "console")]
    let subscriber = subscriber.with(console_subscriber::spawn());
    subscriber.init();

    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(100),
        ..ServerConfig::default()
    })?;
    let client = Arc::new(Client::new(
        TokioRuntime::new(tokio::runtime::Handle::current()),
        &Knobs::default(),
    ));
    let base = server.base_url();
    // Four ordinary pages, and one the server holds 500 ms more (`/delay/500`).
    let mut urls: Vec<url::Url> = (0..4)
        .map(|i| base.join(&format!("/page/{i}")))
        .collect::<Result<_, _>>()?;
    urls.push(base.join("/delay/500")?);

    let tasks: Vec<_> = urls
        .into_iter()
        .map(|url| {
            // The span goes with the task: every event inside it is printed with its URL.
            let span = info_span!("scrape", url = %url.path());
            tokio::spawn(scrape(client.clone(), url).instrument(span))
        })
        .collect();
    let metrics = tokio::runtime::Handle::current().metrics();
    info!(
        alive = metrics.num_alive_tasks(),
        "tasks alive while the pages load"
    );
    for t in tasks {
        t.await?;
    }
    #[cfg(feature = "console")]
    {
        // Something to watch: the same five pages, once a second, for 30 s.
        info!("tokio-console can connect now (run `tokio-console`); scraping for 30 s");
        for _ in 0..30 {
            let round: Vec<_> = (0..5)
                .map(|i| {
                    let url = base.join(&format!("/page/{i}")).expect("a valid path");
                    let span = info_span!("scrape", url = %url.path());
                    tokio::spawn(scrape(client.clone(), url).instrument(span))
                })
                .collect();
            for t in round {
                t.await?;
            }
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
    }
    // Still alive: the HTTP engine's connection tasks, one per pooled keep-alive connection.
    info!(
        alive = metrics.num_alive_tasks(),
        "tasks alive after joining them"
    );
    // Dropping the client drops its pool, which closes those connections and ends their tasks.
    drop(client);
    tokio::time::sleep(Duration::from_millis(50)).await;
    info!(
        alive = metrics.num_alive_tasks(),
        "tasks alive after dropping the client"
    );
    Ok(())
}
