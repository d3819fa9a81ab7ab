//! The lab's overhead, measured: each model's `sleep` and `download` as the lab runs them (its
//! `Runner`, in this process), beside a minimal program of the same pattern on the same
//! runtime, with the same client, written as its users write it. Each pair is one criterion
//! group entry: `tokio/lab` beside `tokio/minimal`.
//!
//! Hypothesis: the pairs are level. The lab adds a record per input (a `PageRecord` with its
//! URL as a `String`) and a `catch_unwind` around each task, which cost a few hundred
//! nanoseconds against waits of 5 ms; any model whose `lab` entry is clearly slower than its
//! `minimal` one does more than its runtime needs, and its crate should say why.
//!
//! The minimal programs build their runtime, pool and client outside the timed loop, as the
//! lab does. compio's keeps T threads alive with a runtime each, as any thread-per-core
//! program must, and hands each its share.
//!
//! Run with: `cargo bench --bench lean` (about 2 minutes on 2 cores). `SHOOTOUT_LEAN_SLEEP=N,L,C`
//! sets the `sleep` pair's knobs (see [`sleep_knobs`]).

// Only its criterion configuration is used here.
#[allow(dead_code)]
mod common;

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, mpsc};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use shootout_core::{Knobs, Model};
use shootout_http::adapters::{AsyncStdRuntime, CompioRuntime, SmolRuntime, TokioRuntime};
use shootout_http::blocking::BlockingClient;
use shootout_http::engine::AsyncClient;
use shootout_lab::registry;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};
use url::Url;

/// `sleep`: 100 waits of 5 ms, all at once: the ideal is 5 ms (the sequential baseline's, 0.5 s).
///
/// `SHOOTOUT_LEAN_SLEEP=N,L,C` (L in ms) sets other knobs, as in
/// `SHOOTOUT_LEAN_SLEEP=10000,100,10000 cargo bench --bench lean -- 'lean sleep.*/tokio/'`:
/// the pattern at 10,000 waits, where a runtime's timer wheel and spawning loop show.
fn sleep_knobs() -> Knobs {
    let knobs = Knobs {
        pages: 100,
        latency_ms: 5,
        concurrency: 100,
        threads: 2,
        ..Knobs::default()
    };
    let Ok(spec) = std::env::var("SHOOTOUT_LEAN_SLEEP") else {
        return knobs;
    };
    let numbers: Vec<usize> = spec
        .split(',')
        .map(|n| n.trim().parse())
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| panic!("SHOOTOUT_LEAN_SLEEP={spec:?}: {e}; want N,L,C"));
    let [pages, latency_ms, concurrency] = numbers[..] else {
        panic!("SHOOTOUT_LEAN_SLEEP={spec:?}: want three numbers, N,L,C");
    };
    let knobs = Knobs {
        pages,
        latency_ms: latency_ms as u64,
        concurrency,
        ..knobs
    };
    knobs
        .validate()
        .unwrap_or_else(|e| panic!("SHOOTOUT_LEAN_SLEEP={spec:?}: {e}"));
    knobs
}

/// `download`: 20 pages of 16 KiB, each held 5 ms, 10 at a time: the ideal is 10 ms.
fn download_knobs() -> Knobs {
    Knobs {
        pages: 20,
        latency_ms: 5,
        page_kb: 16,
        concurrency: 10,
        threads: 2,
        ..Knobs::default()
    }
}

/// One timed call: the number of inputs it finished (so the work cannot be optimised away).
type Program = Box<dyn FnMut() -> usize>;

fn lean(c: &mut Criterion) {
    shootout_lab::alloc::tune();
    let (sleep, download) = (sleep_knobs(), download_knobs());
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: download.pages,
            page_kb: download.page_kb,
            seed: 42,
            quirks: false,
            links: 0,
        }),
        latency: download.latency(),
        threads: 1,
        ..ServerConfig::default()
    })
    .expect("the bench server starts");
    let urls = server.site().expect("synthetic site").page_urls();

    let mut group = c.benchmark_group(format!(
        "lean sleep N={} L={}ms C={} T={}",
        sleep.pages, sleep.latency_ms, sleep.concurrency, sleep.threads
    ));
    group.throughput(Throughput::Elements(sleep.pages as u64));
    for model in registry::models() {
        // A model with a thread per wait cannot hold every C the override allows (rayon's pool
        // stops at 1,000): leave it out, as `shootout run` does, rather than abort the bench.
        let (limit, why) = model.max_concurrency();
        if sleep.concurrency > limit {
            eprintln!(
                "lean: {} left out at C={}: over its limit of {limit} ({why})",
                model.name(),
                sleep.concurrency
            );
            continue;
        }
        let runner = model.prepare(&sleep).expect("the runner builds");
        let (n, wait) = (sleep.pages, sleep.latency());
        group.bench_function(BenchmarkId::new(model.name(), "lab"), |b| {
            b.iter(|| runner.sleep(n, wait).len())
        });
        let mut minimal = minimal_sleep(model, &sleep);
        group.bench_function(BenchmarkId::new(model.name(), "minimal"), |b| {
            b.iter(&mut minimal)
        });
    }
    group.finish();

    let mut group = c.benchmark_group(format!(
        "lean download N={} L={}ms S={}KiB C={} T={}",
        download.pages,
        download.latency_ms,
        download.page_kb,
        download.concurrency,
        download.threads
    ));
    group.throughput(Throughput::Elements(download.pages as u64));
    for model in registry::models() {
        let runner = model.prepare(&download).expect("the runner builds");
        group.bench_function(BenchmarkId::new(model.name(), "lab"), |b| {
            b.iter(|| runner.download(&urls).len())
        });
        let mut minimal = minimal_download(model, &download, &urls);
        group.bench_function(BenchmarkId::new(model.name(), "minimal"), |b| {
            b.iter(&mut minimal)
        });
    }
    group.finish();
}

/// A multi-thread tokio runtime of `threads` workers, timers and sockets on.
fn tokio_runtime(threads: usize) -> Arc<tokio::runtime::Runtime> {
    Arc::new(
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(threads)
            .enable_all()
            .build()
            .expect("tokio starts"),
    )
}

/// A single-thread tokio runtime.
fn tokio_current_thread() -> Arc<tokio::runtime::Runtime> {
    Arc::new(
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("tokio starts"),
    )
}

/// The same `sleep` as a minimal program on `model`'s runtime.
fn minimal_sleep(model: &dyn Model, k: &Knobs) -> Program {
    let (n, c, t, wait) = (k.pages, k.concurrency, k.threads, k.latency());
    match model.name() {
        "sequential" => Box::new(move || {
            (0..n).for_each(|_| std::thread::sleep(wait));
            n
        }),
        "tokio" | "hybrid" | "tokio-current-thread" => {
            let rt = if model.name() == "tokio-current-thread" {
                tokio_current_thread()
            } else {
                tokio_runtime(t)
            };
            Box::new(move || {
                rt.block_on(async {
                    let limit = Arc::new(tokio::sync::Semaphore::new(c));
                    let mut tasks = Vec::with_capacity(n);
                    for i in 0..n {
                        let permit = limit.clone().acquire_owned().await.expect("open");
                        tasks.push(tokio::spawn(async move {
                            tokio::time::sleep(wait).await;
                            drop(permit);
                            i
                        }));
                    }
                    let mut done = 0;
                    for task in tasks {
                        done += usize::from(task.await.is_ok());
                    }
                    done
                })
            })
        }
        "async-std" => Box::new(move || {
            async_std::task::block_on(async {
                let limit = Arc::new(async_lock::Semaphore::new(c));
                let mut tasks = Vec::with_capacity(n);
                for i in 0..n {
                    let permit = limit.acquire_arc().await;
                    tasks.push(async_std::task::spawn(async move {
                        async_std::task::sleep(wait).await;
                        drop(permit);
                        i
                    }));
                }
                let mut done = 0;
                for task in tasks {
                    task.await;
                    done += 1;
                }
                done
            })
        }),
        "smol" => {
            let ex = smol_executor(t);
            Box::new(move || {
                smol::block_on(async {
                    let limit = Arc::new(async_lock::Semaphore::new(c));
                    let mut tasks = Vec::with_capacity(n);
                    for i in 0..n {
                        let permit = limit.acquire_arc().await;
                        tasks.push(ex.spawn(async move {
                            smol::Timer::after(wait).await;
                            drop(permit);
                            i
                        }));
                    }
                    let mut done = 0;
                    for task in tasks {
                        task.await;
                        done += 1;
                    }
                    done
                })
            })
        }
        "compio" => {
            let cores = CompioCores::start(t, |_| ());
            Box::new(move || {
                cores.each(move |_, core, cores| {
                    let share = n / cores + usize::from(core < n % cores);
                    Box::pin(async move {
                        let tasks: Vec<_> = (0..share)
                            .map(|_| compio::runtime::spawn(compio::time::sleep(wait)))
                            .collect();
                        let mut done = 0;
                        for task in tasks {
                            done += usize::from(task.await.is_ok());
                        }
                        done
                    })
                })
            })
        }
        "threads" => Box::new(move || {
            let next = AtomicUsize::new(0);
            std::thread::scope(|s| {
                let workers: Vec<_> = (0..c.min(n))
                    .map(|_| {
                        s.spawn(|| {
                            let mut done = 0;
                            while next.fetch_add(1, Ordering::Relaxed) < n {
                                std::thread::sleep(wait);
                                done += 1;
                            }
                            done
                        })
                    })
                    .collect();
                workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
            })
        }),
        "rayon" => {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(c)
                .build()
                .expect("rayon starts");
            Box::new(move || {
                pool.install(|| {
                    (0..n)
                        .into_par_iter()
                        .map(|_| std::thread::sleep(wait))
                        .count()
                })
            })
        }
        "crossbeam" => Box::new(move || {
            let (work, inbox) = crossbeam_channel::bounded(c);
            let (done_tx, done_rx) = crossbeam_channel::unbounded();
            std::thread::scope(|s| {
                for _ in 0..c.min(n) {
                    let (inbox, done_tx) = (inbox.clone(), done_tx.clone());
                    s.spawn(move || {
                        for i in inbox {
                            std::thread::sleep(wait);
                            let _ = done_tx.send(i);
                        }
                    });
                }
                drop(done_tx);
                for i in 0..n {
                    let _ = work.send(i);
                }
                drop(work);
                done_rx.iter().count()
            })
        }),
        other => panic!("no minimal sleep for {other}: add one beside the others"),
    }
}

/// The same `download` as a minimal program on `model`'s runtime, with the same client.
fn minimal_download(model: &dyn Model, k: &Knobs, urls: &[Url]) -> Program {
    let (c, t) = (k.concurrency, k.threads);
    let urls: Arc<[Url]> = urls.into();
    let n = urls.len();
    let ok =
        |got: Result<shootout_core::Fetched, shootout_core::FetchError>| usize::from(got.is_ok());
    match model.name() {
        "sequential" => {
            let client = BlockingClient::new(k, 1);
            Box::new(move || urls.iter().map(|u| ok(client.get(u))).sum())
        }
        "tokio" | "hybrid" | "tokio-current-thread" => {
            let rt = if model.name() == "tokio-current-thread" {
                tokio_current_thread()
            } else {
                tokio_runtime(t)
            };
            let client = Arc::new(AsyncClient::new(TokioRuntime::new(rt.handle().clone()), k));
            Box::new(move || {
                rt.block_on(async {
                    let limit = Arc::new(tokio::sync::Semaphore::new(c));
                    let mut tasks = Vec::with_capacity(n);
                    for i in 0..n {
                        let permit = limit.clone().acquire_owned().await.expect("open");
                        let (client, urls) = (client.clone(), urls.clone());
                        tasks.push(tokio::spawn(async move {
                            let got = client.get(&urls[i]).await;
                            drop(permit);
                            ok(got)
                        }));
                    }
                    let mut done = 0;
                    for task in tasks {
                        done += task.await.unwrap_or(0);
                    }
                    done
                })
            })
        }
        "async-std" => {
            let client = Arc::new(AsyncClient::new(AsyncStdRuntime, k));
            Box::new(move || {
                async_std::task::block_on(async {
                    let limit = Arc::new(async_lock::Semaphore::new(c));
                    let mut tasks = Vec::with_capacity(n);
                    for i in 0..n {
                        let permit = limit.acquire_arc().await;
                        let (client, urls) = (client.clone(), urls.clone());
                        tasks.push(async_std::task::spawn(async move {
                            let got = client.get(&urls[i]).await;
                            drop(permit);
                            ok(got)
                        }));
                    }
                    let mut done = 0;
                    for task in tasks {
                        done += task.await;
                    }
                    done
                })
            })
        }
        "smol" => {
            let ex = smol_executor(t);
            let client = Arc::new(AsyncClient::new(SmolRuntime::new(ex.clone()), k));
            Box::new(move || {
                smol::block_on(async {
                    let limit = Arc::new(async_lock::Semaphore::new(c));
                    let mut tasks = Vec::with_capacity(n);
                    for i in 0..n {
                        let permit = limit.acquire_arc().await;
                        let (client, urls) = (client.clone(), urls.clone());
                        tasks.push(ex.spawn(async move {
                            let got = client.get(&urls[i]).await;
                            drop(permit);
                            ok(got)
                        }));
                    }
                    let mut done = 0;
                    for task in tasks {
                        done += task.await;
                    }
                    done
                })
            })
        }
        "compio" => {
            // Each core its own client (its own connections, in its own ring) and its share of C.
            let knobs = k.clone();
            let cores = CompioCores::start(t, move |cores| {
                let share = (c / cores).max(1);
                (AsyncClient::new(CompioRuntime, &knobs), share)
            });
            Box::new(move || {
                let urls = urls.clone();
                cores.each(
                    move |state: Arc<(AsyncClient<CompioRuntime>, usize)>, core, cores| {
                        let urls = urls.clone();
                        Box::pin(async move {
                            let limit = Arc::new(async_lock::Semaphore::new(state.1));
                            let tasks: Vec<_> = (core..urls.len())
                                .step_by(cores)
                                .map(|i| {
                                    let (state, urls, limit) =
                                        (state.clone(), urls.clone(), limit.clone());
                                    compio::runtime::spawn(async move {
                                        let _permit = limit.acquire().await;
                                        ok(state.0.get(&urls[i]).await)
                                    })
                                })
                                .collect();
                            let mut done = 0;
                            for task in tasks {
                                done += task.await.unwrap_or(0);
                            }
                            done
                        })
                    },
                )
            })
        }
        "threads" => {
            let client = BlockingClient::new(k, c);
            Box::new(move || {
                let next = AtomicUsize::new(0);
                std::thread::scope(|s| {
                    let workers: Vec<_> = (0..c.min(n))
                        .map(|_| {
                            s.spawn(|| {
                                let mut done = 0;
                                loop {
                                    let i = next.fetch_add(1, Ordering::Relaxed);
                                    if i >= n {
                                        break done;
                                    }
                                    done += ok(client.get(&urls[i]));
                                }
                            })
                        })
                        .collect();
                    workers.into_iter().map(|w| w.join().unwrap_or(0)).sum()
                })
            })
        }
        "rayon" => {
            let (client, pool) = (
                BlockingClient::new(k, c),
                rayon::ThreadPoolBuilder::new()
                    .num_threads(c)
                    .build()
                    .expect("rayon starts"),
            );
            Box::new(move || pool.install(|| urls.par_iter().map(|u| ok(client.get(u))).sum()))
        }
        "crossbeam" => {
            let client = BlockingClient::new(k, c);
            Box::new(move || {
                let (work, inbox) = crossbeam_channel::bounded::<usize>(c);
                let (done_tx, done_rx) = crossbeam_channel::unbounded();
                std::thread::scope(|s| {
                    for _ in 0..c.min(n) {
                        let (inbox, done_tx, client, urls) =
                            (inbox.clone(), done_tx.clone(), &client, &urls);
                        s.spawn(move || {
                            for i in inbox {
                                let _ = done_tx.send(ok(client.get(&urls[i])));
                            }
                        });
                    }
                    drop(done_tx);
                    for i in 0..n {
                        let _ = work.send(i);
                    }
                    drop(work);
                    done_rx.iter().sum()
                })
            })
        }
        other => panic!("no minimal download for {other}: add one beside the others"),
    }
}

/// smol's own executor on `threads` threads that run it until the bench ends.
fn smol_executor(threads: usize) -> Arc<smol::Executor<'static>> {
    let ex = Arc::new(smol::Executor::new());
    for _ in 0..threads {
        let ex = ex.clone();
        std::thread::spawn(move || smol::block_on(ex.run(smol::future::pending::<()>())));
    }
    ex
}

/// A job for one core: its state, its index and the number of cores, turned into a future on
/// the core's own thread.
type CoreJob<S> =
    Box<dyn FnOnce(Arc<S>, usize, usize) -> Pin<Box<dyn Future<Output = usize>>> + Send>;

/// T threads, each running its own compio runtime until the bench ends, with state of its own
/// made on its thread: a thread-per-core program's shape, built outside the timed loop.
struct CompioCores<S> {
    inboxes: Vec<mpsc::Sender<(CoreJob<S>, mpsc::Sender<usize>)>>,
}

impl<S: 'static> CompioCores<S> {
    fn start(threads: usize, state: impl Fn(usize) -> S + Send + Clone + 'static) -> Self {
        let inboxes = (0..threads)
            .map(|core| {
                let (tx, rx) = mpsc::channel::<(CoreJob<S>, mpsc::Sender<usize>)>();
                let state = state.clone();
                std::thread::spawn(move || {
                    let runtime = compio::runtime::Runtime::new().expect("compio starts");
                    let mine = Arc::new(state(threads));
                    for (job, answer) in rx {
                        let done = runtime.block_on(job(mine.clone(), core, threads));
                        let _ = answer.send(done);
                    }
                });
                tx
            })
            .collect();
        CompioCores { inboxes }
    }

    /// Runs `job` on every core at once and adds up what they finished.
    fn each(
        &self,
        job: impl Fn(Arc<S>, usize, usize) -> Pin<Box<dyn Future<Output = usize>>>
        + Send
        + Clone
        + 'static,
    ) -> usize {
        let (answer, answers) = mpsc::channel();
        for inbox in &self.inboxes {
            let job = job.clone();
            let _ = inbox.send((Box::new(job), answer.clone()));
        }
        drop(answer);
        answers.iter().sum()
    }
}

criterion_group! { name = benches; config = common::config(); targets = lean }
criterion_main!(benches);
