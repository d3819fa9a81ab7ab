//! What the owned-buffer adapter costs: one client thread downloading from the embedded server
//! at L = 0, on the shared hyper engine, three ways.
//!
//! - `tokio`: a current-thread tokio runtime; hyper reads straight into its own buffer
//!   (readiness: `read(2)` into the lent buffer).
//! - `compio/owned`: a compio runtime on io_uring through `OwnedBufStream` (completion: the
//!   kernel fills an owned buffer, then one copy into hyper's; no zero-fill).
//! - `compio/compat`: compio through its generic `futures-io` layer and smol-hyper's
//!   `FuturesIo`, the path cyper-core takes (a zero-fill of hyper's free buffer and a boxed
//!   future per read, on top of the copy).
//!
//! Each is one thread with C = 20 requests in flight; the server has its own thread (on the
//! other core of a 2-core machine), so the time per request is the client's CPU per request.
//! Every body is counted before anything is timed. Run with `cargo bench --bench adapter`;
//! results and the profile that explains them are in docs/results.md.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::Knobs;
use shootout_http::adapters::{CompioCompatRuntime, CompioRuntime, TokioRuntime};
use shootout_http::engine::{AsyncClient, Runtime};
use shootout_site::{Content, Server, ServerConfig, SiteSpec, input_urls};
use url::Url;

const PAGES: usize = 400;
const CONCURRENCY: usize = 20;
const PAGE_KB: usize = 64;

/// C workers each taking the next URL until none is left; the bytes of every body, which must
/// add up to the site's.
async fn fetch_all<R: Runtime>(
    client: Arc<AsyncClient<R>>,
    urls: Arc<Vec<Url>>,
    spawn: impl Fn(
        std::pin::Pin<Box<dyn Future<Output = usize> + Send>>,
    ) -> Box<dyn Future<Output = usize> + Unpin>,
) -> usize {
    let next = Arc::new(AtomicUsize::new(0));
    let workers: Vec<_> = (0..CONCURRENCY)
        .map(|_| {
            let (client, urls, next) = (client.clone(), urls.clone(), next.clone());
            spawn(Box::pin(async move {
                let mut bytes = 0;
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(url) = urls.get(i) else { break };
                    let page = client.get(url).await.expect("the embedded server answers");
                    assert_eq!(page.status, 200, "{url}");
                    bytes += page.body.len();
                }
                bytes
            }))
        })
        .collect();
    let mut total = 0;
    for w in workers {
        total += w.await;
    }
    total
}

fn adapter(c: &mut Criterion) {
    shootout_lab::alloc::tune();
    let spec = SiteSpec {
        pages: PAGES,
        page_kb: PAGE_KB,
        seed: 42,
        quirks: false,
        links: 0,
    };
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(spec),
        threads: 1,
        ..ServerConfig::default()
    })
    .expect("the embedded server starts");
    let urls = Arc::new(input_urls(&server.base_url(), &spec));
    let knobs = Knobs {
        concurrency: CONCURRENCY,
        ..Knobs::default()
    };

    let tokio_rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let tokio_client = Arc::new(AsyncClient::new(
        TokioRuntime::new(tokio_rt.handle().clone()),
        &knobs,
    ));
    let tokio_run = || {
        tokio_rt.block_on(fetch_all(tokio_client.clone(), urls.clone(), |f| {
            let h = tokio::spawn(f);
            Box::new(Box::pin(async move { h.await.expect("a worker finishes") }))
        }))
    };

    // The ring exactly as the compio contestant's cores set it up (io_uring, or the named
    // fallback).
    let plan = shootout_compio::driver::Plan::here().expect("a compio driver");
    let compio_rt = compio::runtime::RuntimeBuilder::new()
        .with_proactor(plan.builder())
        .build()
        .expect("a compio runtime");
    eprintln!(
        "compio runs on {}",
        shootout_compio::driver::named(compio_rt.driver_type(), plan.fallback.clone())
    );
    let owned_client = Arc::new(AsyncClient::new(CompioRuntime, &knobs));
    let compat_client = Arc::new(AsyncClient::new(CompioCompatRuntime, &knobs));
    let compio_spawn = |f: std::pin::Pin<Box<dyn Future<Output = usize> + Send>>| {
        let h = compio::runtime::spawn(f);
        Box::new(Box::pin(async move { h.await.expect("a worker finishes") }))
            as Box<dyn Future<Output = usize> + Unpin>
    };
    let owned_run =
        || compio_rt.block_on(fetch_all(owned_client.clone(), urls.clone(), compio_spawn));
    let compat_run =
        || compio_rt.block_on(fetch_all(compat_client.clone(), urls.clone(), compio_spawn));

    // Verified before timed: every body, whole, by each path.
    let want = tokio_run();
    assert!(want >= PAGES * PAGE_KB * 1000, "{want} bytes");
    assert_eq!(owned_run(), want, "compio/owned lost or added bytes");
    assert_eq!(compat_run(), want, "compio/compat lost or added bytes");

    let mut group = c.benchmark_group(format!(
        "adapter N={PAGES} L=0ms S={PAGE_KB}KiB C={CONCURRENCY} T=1"
    ));
    group.throughput(Throughput::Elements(PAGES as u64));
    group.bench_function("tokio", |b| b.iter(tokio_run));
    group.bench_function("compio/owned", |b| b.iter(owned_run));
    group.bench_function("compio/compat", |b| b.iter(compat_run));
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    targets = adapter
}
criterion_main!(benches);
