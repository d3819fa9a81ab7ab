//! A request that takes too long is abandoned, and recorded as a timeout, not lost.
//!
//! Mirrors the articles' `try: await session.get(url, timeout=10) except asyncio.TimeoutError`.
//! `compio::time::timeout` races the work against the core's timer; the loser is dropped,
//! which cancels it, and on io_uring that means a cancel for the read the kernel holds. The
//! shared engine applies the same rule to every request (`--timeout-ms`), whatever the
//! runtime.
//!
//! Run with: `cargo run --release -p shootout-compio --example compio_timeouts`
//!
//! You should see: the fast page arrives; the slow one times out after 0.5 s, twice (once by
//! `compio::time::timeout`, once via the engine's own timeout, as a typed `timeout:` error).

use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig::default())?;
    let fast = server.base_url().join("/page/0")?;
    // This route holds its response for 5 s.
    let slow = server.base_url().join("/delay/5000")?;
    // The client belongs to this thread's runtime, as each core's does in the contestant.
    let client = AsyncClient::new(CompioRuntime, &Knobs::default());

    compio::runtime::Runtime::new()?.block_on(async {
        for url in [&fast, &slow] {
            let start = Instant::now();
            match compio::time::timeout(Duration::from_millis(500), client.get(url)).await {
                Ok(Ok(page)) => println!(
                    "{url}: {} bytes in {:.2} s",
                    page.body.len(),
                    start.elapsed().as_secs_f64()
                ),
                Ok(Err(e)) => println!("{url}: {e}"),
                Err(_) => println!(
                    "{url}: gave up after {:.2} s",
                    start.elapsed().as_secs_f64()
                ),
            }
        }

        // Or let the engine enforce it: the error is typed, so it lands in the record.
        let strict = AsyncClient::new(
            CompioRuntime,
            &Knobs {
                timeout_ms: 500,
                ..Knobs::default()
            },
        );
        match strict.get(&slow).await {
            Ok(page) => println!("{slow}: unexpectedly got {} bytes", page.body.len()),
            Err(e) => println!("{slow}: {e} (kind: {})", e.kind()),
        }
    });
    Ok(())
}
