//! A request that takes too long is abandoned, and recorded as a timeout, not lost.
//!
//! Mirrors the articles' `try: await session.get(url, timeout=10) except asyncio.TimeoutError`.
//! `tokio::time::timeout(d, fut)` wraps any future and gives `Err(Elapsed)` if it is not done
//! in time; the inner future is dropped, which cancels it (and closes its connection). The
//! shared engine applies the same rule to every request with the `--timeout-ms` knob.
//!
//! Run with: `cargo run --release -p shootout-tokio --example tokio_timeouts`
//!
//! You should see: the fast page arrives; the slow one times out after 0.5 s, twice (once via
//! `tokio::time::timeout`, once via the engine's own timeout, as a typed `timeout:` error).

use std::time::{Duration, Instant};

use shootout_core::Knobs;
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig::default())?;
    let fast = server.base_url().join("/page/0")?;
    // This route holds its response for 5 s.
    let slow = server.base_url().join("/delay/5000")?;
    let client = AsyncClient::new(
        TokioRuntime::new(tokio::runtime::Handle::current()),
        &Knobs::default(),
    );

    // Wrap any future in a deadline.
    for url in [&fast, &slow] {
        let start = Instant::now();
        match tokio::time::timeout(Duration::from_millis(500), client.get(url)).await {
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
        TokioRuntime::new(tokio::runtime::Handle::current()),
        &Knobs {
            timeout_ms: 500,
            ..Knobs::default()
        },
    );
    match strict.get(&slow).await {
        Ok(page) => println!("{slow}: unexpectedly got {} bytes", page.body.len()),
        Err(e) => println!("{slow}: {e} (kind: {})", e.kind()),
    }
    Ok(())
}
