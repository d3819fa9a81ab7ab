//! A request that takes too long is abandoned, and recorded as a timeout, not lost.
//!
//! Mirrors the articles' `try: await session.get(url, timeout=10) except asyncio.TimeoutError`.
//! smol has no `timeout` function; it has something more general: race the work against a
//! `Timer` with `FutureExt::or`, and whichever finishes first wins. The loser is dropped, which
//! cancels it. The shared engine applies the same rule to every request (`--timeout-ms`).
//!
//! Run with: `cargo run --release -p shootout-smol --example smol_timeouts`
//!
//! You should see: the fast page arrives; the slow one times out after 0.5 s, twice (once by
//! racing a Timer, once via the engine's own timeout, as a typed `timeout:` error).

use std::sync::Arc;
use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::adapters::SmolRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};
use smol::future::FutureExt;
use smol::{Executor, Timer};

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig::default())?;
    let fast = server.base_url().join("/page/0")?;
    // This route holds its response for 5 s.
    let slow = server.base_url().join("/delay/5000")?;
    let ex = Arc::new(Executor::new());
    let client = AsyncClient::new(SmolRuntime::new(ex.clone()), &Knobs::default());

    smol::block_on(ex.run(async {
        // Race the request against a timer.
        for url in [&fast, &slow] {
            let start = Instant::now();
            let request = async { Some(client.get(url).await) };
            let deadline = async {
                Timer::after(Duration::from_millis(500)).await;
                None
            };
            match request.or(deadline).await {
                Some(Ok(page)) => println!(
                    "{url}: {} bytes in {:.2} s",
                    page.body.len(),
                    start.elapsed().as_secs_f64()
                ),
                Some(Err(e)) => println!("{url}: {e}"),
                None => println!(
                    "{url}: gave up after {:.2} s",
                    start.elapsed().as_secs_f64()
                ),
            }
        }

        // Or let the engine enforce it: the error is typed, so it lands in the record.
        let strict = AsyncClient::new(
            SmolRuntime::new(ex.clone()),
            &Knobs {
                timeout_ms: 500,
                ..Knobs::default()
            },
        );
        match strict.get(&slow).await {
            Ok(page) => println!("{slow}: unexpectedly got {} bytes", page.body.len()),
            Err(e) => println!("{slow}: {e} (kind: {})", e.kind()),
        }
    }));
    Ok(())
}
