//! The cores: T threads, each running its own compio runtime with its own ring, its own HTTP
//! client and its own connections. Nothing is shared between them but the page cap of a
//! crawl, the per-host pacing of `--delay-ms`, and the pools the pitfall offloads to.
//!
//! A scenario runs as one job per core ([`Cores::scatter`]): the caller's thread hands each
//! core its own part of the input, each core builds its future *on its own thread* (so the
//! future need not be `Send`, and nothing in it ever moves), and the caller waits for every
//! core's answer. There is no work stealing: a core finishes its part, then idles.

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::{Arc, mpsc};
use std::thread::JoinHandle;

use compio::driver::AsyncifyPool;
use compio::runtime::RuntimeBuilder;
use futures_lite::FutureExt;
use shootout_core::net::Pacer;
use shootout_core::{Driver, Knobs, SetupError, Strategy};
use shootout_http::adapters::CompioRuntime;
use shootout_http::engine::AsyncClient;

use crate::Client;
use crate::driver::{Plan, named};
use crate::split::shares;

/// What a job sees of the core it runs on.
pub struct Core {
    /// Which core, from 0.
    pub index: usize,
    /// This core's part of C: the most requests (or waits) it has in flight.
    pub share: usize,
    /// This core's own client: its own pool of connections, all in this core's ring.
    pub client: Client,
    /// How pages are parsed.
    pub extract: Strategy,
    /// Shared by every core: at most T parses on compio's blocking pool at once (see
    /// [`Core::unblock`]).
    blocking: Arc<async_lock::Semaphore>,
}

impl Core {
    /// Runs `work` on compio's blocking pool (T threads, shared by the cores) and waits for
    /// it without blocking this core. At most T are handed over at once: compio's pool, when
    /// every thread is busy, makes the submitting thread spin until one frees up, which would
    /// stall this core's event loop, the very thing the offload is for.
    pub async fn unblock<R: Send + 'static>(
        &self,
        work: impl FnOnce() -> R + Send + 'static,
    ) -> Result<R, compio::runtime::JoinError> {
        let _permit = self.blocking.acquire().await;
        compio::runtime::spawn_blocking(work).await
    }
}

/// A job: made on the caller's thread, turned into a future on the core's.
type Job = Box<dyn FnOnce(Rc<Core>) -> Pin<Box<dyn Future<Output = ()>>> + Send>;

/// The running cores.
pub struct Cores {
    inboxes: Vec<async_channel::Sender<Job>>,
    threads: Vec<JoinHandle<()>>,
    driver: Driver,
}

impl Cores {
    /// Starts T cores for `knobs`, with the driver `plan` names. If io_uring was planned and a
    /// core cannot set up its ring after all, and the fallback is allowed, every core starts
    /// again on the poll driver, with that core's reason as the note.
    pub fn start(name: &'static str, knobs: &Knobs, plan: Plan) -> Result<Cores, SetupError> {
        match Cores::start_with(knobs, &plan) {
            Ok(cores) => Ok(cores),
            Err(why) if plan.fallback.is_none() && !plan.required => {
                Cores::start_with(knobs, &Plan::fallback(why)).map_err(|e| SetupError::new(name, e))
            }
            Err(why) if plan.required => Err(SetupError::new(name, crate::driver::refused(&why))),
            Err(why) => Err(SetupError::new(name, why)),
        }
    }

    fn start_with(knobs: &Knobs, plan: &Plan) -> Result<Cores, String> {
        let threads = knobs.threads.max(1);
        // One blocking pool of T threads for every core (compio would make one of 256 per
        // runtime), as every other contestant's is capped at T.
        let pool = AsyncifyPool::new(threads, std::time::Duration::from_secs(60));
        let blocking = Arc::new(async_lock::Semaphore::new(threads));
        // --delay-ms is a rule per host, whichever core asks: one pacer for all.
        let pacer = Arc::new(Pacer::new(knobs.net.delay_ms));
        let (ready_tx, ready_rx) = mpsc::channel();
        let mut inboxes = Vec::with_capacity(threads);
        let mut handles = Vec::with_capacity(threads);
        for (index, share) in shares(knobs.concurrency, threads).into_iter().enumerate() {
            let (tx, rx) = async_channel::unbounded::<Job>();
            let mut proactor = plan.builder();
            proactor.reuse_thread_pool(pool.clone());
            let (knobs, pacer, blocking, ready) = (
                knobs.clone(),
                pacer.clone(),
                blocking.clone(),
                ready_tx.clone(),
            );
            let spawned = std::thread::Builder::new()
                .name(format!("compio-core-{index}"))
                .spawn(move || {
                    let runtime = match RuntimeBuilder::new().with_proactor(proactor).build() {
                        Ok(r) => r,
                        Err(e) => {
                            let why = crate::driver::explain(&e, &crate::driver::Readings::here());
                            let _ = ready.send(Err(format!("core {index}: {why}")));
                            return;
                        }
                    };
                    let _ = ready.send(Ok(runtime.driver_type()));
                    let core = Rc::new(Core {
                        index,
                        share,
                        client: AsyncClient::sharing(CompioRuntime, &knobs, share, pacer),
                        extract: knobs.extract,
                        blocking,
                    });
                    // One job at a time, until the runner drops the sender.
                    runtime.block_on(async move {
                        while let Ok(job) = rx.recv().await {
                            job(core.clone()).await;
                        }
                    });
                })
                .map_err(|e| format!("core {index}: cannot start a thread: {e}"));
            match spawned {
                Ok(h) => handles.push(h),
                Err(why) => {
                    drop(inboxes);
                    join(handles);
                    return Err(why);
                }
            }
            inboxes.push(tx);
        }
        drop(ready_tx);
        let mut types = Vec::with_capacity(threads);
        for _ in 0..threads {
            match ready_rx.recv() {
                Ok(Ok(t)) => types.push(t),
                Ok(Err(why)) => {
                    drop(inboxes);
                    join(handles);
                    return Err(why);
                }
                Err(_) => {
                    drop(inboxes);
                    join(handles);
                    return Err("a core exited while starting".into());
                }
            }
        }
        // What ran is what the runtimes say, not what was planned.
        let driver_type = types[0];
        if types.iter().any(|t| *t != driver_type) {
            drop(inboxes);
            join(handles);
            return Err(format!(
                "the cores' runtimes disagree on their driver: {types:?}"
            ));
        }
        Ok(Cores {
            inboxes,
            threads: handles,
            driver: named(driver_type, plan.fallback.clone()),
        })
    }

    /// The driver every core's runtime reported.
    pub fn driver(&self) -> &Driver {
        &self.driver
    }

    /// How many cores there are (T).
    pub fn count(&self) -> usize {
        self.inboxes.len()
    }

    /// Runs `work` once on each of the first `inputs.len()` cores, core k with `inputs[k]`,
    /// and returns each core's answer in core order: `None` for a core whose job panicked or
    /// whose thread is gone, so the caller can give that core's inputs their records.
    pub fn scatter<I, R, W, Fut>(&self, inputs: Vec<I>, work: W) -> Vec<Option<R>>
    where
        I: Send + 'static,
        R: Send + 'static,
        W: Fn(Rc<Core>, I) -> Fut + Send + Sync + 'static,
        Fut: Future<Output = R> + 'static,
    {
        debug_assert!(inputs.len() <= self.count());
        let n = inputs.len();
        let work = Arc::new(work);
        let (tx, rx) = mpsc::channel::<(usize, Option<R>)>();
        for (k, input) in inputs.into_iter().enumerate() {
            let (work, tx) = (work.clone(), tx.clone());
            let job: Job = Box::new(move |core| {
                Box::pin(async move {
                    // A panic in the orchestration must still answer, or the caller would
                    // wait forever; page tasks catch their own.
                    let out = AssertUnwindSafe(work(core, input))
                        .catch_unwind()
                        .await
                        .ok();
                    let _ = tx.send((k, out));
                })
            });
            // A core whose thread is gone refuses the job, which drops it and its sender: its
            // slot stays None.
            let _ = self.inboxes[k].try_send(job);
        }
        drop(tx);
        let mut out: Vec<Option<R>> = (0..n).map(|_| None).collect();
        // A core whose thread died drops its sender: recv ends early, and its slot stays None.
        while let Ok((k, answer)) = rx.recv() {
            out[k] = answer;
        }
        out
    }
}

impl Drop for Cores {
    fn drop(&mut self) {
        // Closing the inboxes ends every core's loop; each runtime is dropped on its thread.
        self.inboxes.clear();
        join(std::mem::take(&mut self.threads));
    }
}

fn join(threads: Vec<JoinHandle<()>>) {
    for t in threads {
        let _ = t.join();
    }
}
