//! Mixing sync and async: calling async code from a plain function, and the panic you get
//! when you do it from inside a runtime.
//!
//! Mirrors `asyncio.run(main())` called from ordinary code, and Python's "asyncio.run() cannot
//! be called from a running event loop". In Rust, `Runtime::block_on` is `asyncio.run`: it
//! runs a future to the end on the calling thread. Call it from a thread that is already
//! running tasks and tokio panics ("Cannot start a runtime from within a runtime"), because
//! that thread would stop driving its other tasks while it waits. Inside async code, the
//! answer is `.await`; from sync code that async code calls (a callback, a trait you cannot
//! change), run it on the blocking pool with `spawn_blocking` and `Handle::block_on` there.
//! (The third mistake, `.await` in a non-async function, does not compile at all: error
//! E0728, shown as a compile-fail doctest in `shootout_tokio::lessons`.)
//!
//! Run with: `cargo run --release -p shootout-tokio --example sync_async`
//!
//! You should see: a title fetched from sync code; the nested `block_on` caught as a panic
//! with tokio's message; then the same call done right from the blocking pool.

use std::time::Duration;

use shootout_core::page::scrape_page;
use shootout_core::{Knobs, PageRecord, Strategy};
use shootout_http::adapters::TokioRuntime;
use shootout_http::engine::AsyncClient;
use shootout_site::{Server, ServerConfig};
use tokio::runtime::{Handle, Runtime};
use url::Url;

/// Async code: fetch a page and parse it.
async fn scrape(url: Url) -> PageRecord {
    let client = AsyncClient::new(TokioRuntime::new(Handle::current()), &Knobs::default());
    let fetched = client.get(&url).await;
    scrape_page(url.as_str(), fetched, Strategy::Tokenize)
}

/// Sync code that needs an async result, written the way the panic below invites: it
/// assumes it may block the thread it is called on.
fn title_blocking(handle: &Handle, url: Url) -> Option<String> {
    handle.block_on(scrape(url)).title
}

fn main() -> anyhow::Result<()> {
    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(50),
        ..ServerConfig::default()
    })?;
    let url = server.base_url().join("/page/0")?;
    // Built once, like the loop `asyncio.run` makes.
    let runtime = Runtime::new()?;

    // 1. From sync code: block_on is asyncio.run.
    let title = title_blocking(runtime.handle(), url.clone());
    println!("1. from sync code:        {title:?}");

    // 2. From inside the runtime: the same sync function panics, because its thread is a
    //    runtime worker busy running this task. (Caught here so the example can go on; a
    //    real program would crash.)
    std::panic::set_hook(Box::new(|info| {
        println!(
            "2. block_on inside async: panicked: {}",
            payload(info.payload())
        );
    }));
    let nested = runtime.block_on(async {
        let handle = Handle::current();
        let url = url.clone();
        tokio::spawn(async move { title_blocking(&handle, url) }).await
    });
    let _ = std::panic::take_hook();
    assert!(nested.is_err(), "the nested block_on should have panicked");

    // 3. The fix when sync code must be called from async code: run it on the blocking
    //    pool, whose threads are not driving tasks, so blocking there is allowed.
    let title = runtime.block_on(async {
        let handle = Handle::current();
        tokio::task::spawn_blocking(move || title_blocking(&handle, url)).await
    })?;
    println!("3. from spawn_blocking:   {title:?}");
    Ok(())
}

/// A panic's message, whatever type it was raised with.
fn payload(p: &(dyn std::any::Any + Send)) -> &str {
    p.downcast_ref::<&str>()
        .copied()
        .or_else(|| p.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}
