//! Thread-per-core: T threads, each running its own runtime over its own share of the work,
//! and what that means when one core draws the slow pages.
//!
//! Mirrors the Python pattern of one event loop per process: `multiprocessing.Pool(T)` where
//! each worker runs `asyncio.run(main(its_urls))`. Each worker owns its loop, its sockets and
//! its share of the URLs, and shares nothing with the others; the parent deals the URLs out
//! beforehand and collects the results. In Rust the workers are threads, not processes (there
//! is no GIL to escape), and each runtime is compio on its own io_uring ring.
//!
//! Two rounds of 20 pages on 2 cores, 10 requests in flight per core:
//! 1. every page held 300 ms by the server: each core finishes in about 0.3 s;
//! 2. the same, but the pages dealt to core 0 are held 1.2 s: core 0 takes 1.2 s, and core 1
//!    is done at 0.3 s and then sits idle. Nothing moves its work over, because no task ever
//!    leaves the core that spawned it. A work-stealing runtime (tokio) would keep both threads
//!    busy, but here, with every page waiting on the network, there is nothing to steal: the
//!    wall time is the slowest core's either way. Stealing pays when the slow part is CPU.
//!
//! Run with: `cargo run --release -p shootout-compio --example thread_per_core`
//!
//! You should see, per round, one line per core with its pages, its driver and its time, then
//! the round's wall time: about 0.3 s, then about 1.2 s with core 1 idle for 0.9 s of it.

use std::sync::Arc;
use std::time::Instant;

use shootout_core::Knobs;
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};
use url::Url;

const CORES: usize = 2;
const PAGES: usize = 20;
const PER_CORE: usize = 10;

fn main() -> anyhow::Result<()> {
    // /delay/MS holds its answer MS ms: the server's latency, chosen per URL.
    let server = Server::start(ServerConfig::default())?;
    let base = server.base_url();
    for slow_core_0 in [false, true] {
        let urls: Vec<Url> = (0..PAGES)
            .map(|i| {
                let ms = if slow_core_0 && i % CORES == 0 {
                    1200
                } else {
                    300
                };
                base.join(&format!("/delay/{ms}?page={i}"))
            })
            .collect::<Result<_, _>>()?;
        // Deal the URLs round-robin, before anything starts: page i to core i % CORES.
        let mut shares: Vec<Vec<Url>> = vec![Vec::new(); CORES];
        for (i, url) in urls.into_iter().enumerate() {
            shares[i % CORES].push(url);
        }
        let start = Instant::now();
        let started = Arc::new(start);
        let reports = std::thread::scope(|s| {
            let workers: Vec<_> = shares
                .into_iter()
                .enumerate()
                .map(|(core, urls)| {
                    let started = started.clone();
                    s.spawn(move || one_core(core, urls, *started))
                })
                .collect();
            workers
                .into_iter()
                .map(|w| w.join().expect("a core's thread finishes"))
                .collect::<anyhow::Result<Vec<String>>>()
        })?;
        println!(
            "{}:",
            if slow_core_0 {
                "core 0 draws the slow pages"
            } else {
                "every page alike"
            }
        );
        for r in reports {
            println!("  {r}");
        }
        println!("  wall {:.2} s\n", start.elapsed().as_secs_f64());
    }
    Ok(())
}

/// One core: its own runtime (and ring), its own client (and connections), its own pages.
fn one_core(core: usize, urls: Vec<Url>, started: Instant) -> anyhow::Result<String> {
    let runtime = compio::runtime::Runtime::new()?;
    let driver = runtime.driver_type();
    // Built on this thread and used only here: its connections live in this thread's ring.
    let client = AsyncClient::new(
        CompioRuntime,
        &Knobs {
            concurrency: PER_CORE,
            ..Knobs::default()
        },
    );
    let client = std::rc::Rc::new(client);
    let n = urls.len();
    let ok = runtime.block_on(async {
        // A task per page, on this core only: the tasks may share the Rc'd client, and need
        // not be Send.
        let tasks: Vec<_> = urls
            .into_iter()
            .map(|url| {
                let client = client.clone();
                compio::runtime::spawn(async move { client.get(&url).await.is_ok() })
            })
            .collect();
        let mut ok = 0;
        for t in tasks {
            ok += usize::from(t.await.unwrap_or(false));
        }
        ok
    });
    Ok(format!(
        "core {core}: {ok} of {n} pages on {driver:?}, done at {:.2} s",
        started.elapsed().as_secs_f64()
    ))
}
