//! A minimal event loop built from scratch: futures, wakers, a ready queue and a timer heap.
//!
//! This is the Python articles' event-loop pseudocode made real and correct. An event loop
//! does not run things at the same time; it runs whichever task is *ready*, and sleeps only
//! when no task is. Three "downloads" of 2 s each finish in about 2 s on one thread, because
//! while each waits, the loop is free to run the others. For teaching only: real executors
//! (tokio, smol) add I/O readiness (epoll), work stealing and much more care.
//!
//! Run with: `cargo run --release --example event_loop`
//!
//! You should see: three downloads start at 0.0 s and finish at about 2.0 s, on one thread.

use std::cell::RefCell;
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::future::Future;
use std::pin::Pin;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// A spawned future plus the way back into the ready queue.
///
/// The future sits behind a Mutex only because `Wake` requires `Send + Sync`; this loop is
/// single-threaded, so the lock is never contended.
struct Task {
    future: Mutex<Option<Pin<Box<dyn Future<Output = ()> + Send>>>>,
    ready_queue: Sender<Arc<Task>>,
}

impl Wake for Task {
    /// Waking a task means: put it back in the ready queue, to be polled again.
    fn wake(self: Arc<Self>) {
        let _ = self.ready_queue.send(self.clone());
    }
}

/// Pending timers, earliest deadline first. `Reverse` turns Rust's max-heap into a min-heap;
/// the sequence number breaks ties, since a `Waker` cannot be compared.
#[derive(Default)]
struct Timers {
    heap: BinaryHeap<Reverse<(Instant, u64)>>,
    wakers: std::collections::HashMap<u64, Waker>,
    next_id: u64,
}

thread_local! {
    // The loop and its futures share one thread, so the timer heap can be thread-local.
    static TIMERS: RefCell<Timers> = RefCell::new(Timers::default());
}

/// A future that completes at `deadline`: the `asyncio.sleep` of this loop.
struct Sleep {
    deadline: Instant,
    registered: bool,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if Instant::now() >= self.deadline {
            return Poll::Ready(());
        }
        // Not yet: leave our waker with the timer heap, and say "pending". Whoever polls us
        // (the loop) will not poll again until the waker is used.
        if !self.registered {
            TIMERS.with(|t| {
                let mut t = t.borrow_mut();
                let id = t.next_id;
                t.next_id += 1;
                t.heap.push(Reverse((self.deadline, id)));
                t.wakers.insert(id, cx.waker().clone());
            });
            self.registered = true;
        }
        Poll::Pending
    }
}

fn sleep(d: Duration) -> Sleep {
    Sleep {
        deadline: Instant::now() + d,
        registered: false,
    }
}

/// The event loop: a ready queue of tasks and a timer heap.
struct EventLoop {
    ready: Receiver<Arc<Task>>,
    sender: Sender<Arc<Task>>,
    live_tasks: usize,
}

impl EventLoop {
    fn new() -> Self {
        let (sender, ready) = channel();
        EventLoop {
            ready,
            sender,
            live_tasks: 0,
        }
    }

    /// `asyncio.create_task`: wrap the future in a task and mark it ready to run.
    fn spawn(&mut self, future: impl Future<Output = ()> + Send + 'static) {
        let task = Arc::new(Task {
            future: Mutex::new(Some(Box::pin(future))),
            ready_queue: self.sender.clone(),
        });
        self.live_tasks += 1;
        let _ = self.sender.send(task);
    }

    /// `loop.run_until_complete`: run until every task has finished.
    fn run(&mut self) {
        while self.live_tasks > 0 {
            // 1. Poll every ready task once. A task that is not done has registered a waker
            //    somewhere (here: with a timer), which will put it back in this queue.
            while let Ok(task) = self.ready.try_recv() {
                let waker = Waker::from(task.clone());
                let mut cx = Context::from_waker(&waker);
                let mut slot = task.future.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(future) = slot.as_mut()
                    && future.as_mut().poll(&mut cx).is_ready()
                {
                    // Finished: drop the future so a stray wake-up does nothing.
                    *slot = None;
                    self.live_tasks -= 1;
                }
            }
            // 2. Nothing is ready: sleep until the earliest timer is due, then wake every
            //    task whose timer has expired. (A real loop would wait in epoll here, for
            //    sockets and timers at once.)
            let due = TIMERS.with(|t| t.borrow().heap.peek().map(|Reverse((at, _))| *at));
            if let Some(at) = due {
                std::thread::sleep(at.saturating_duration_since(Instant::now()));
            }
            TIMERS.with(|t| {
                let mut t = t.borrow_mut();
                while let Some(Reverse((at, id))) = t.heap.peek().copied() {
                    if at > Instant::now() {
                        break;
                    }
                    t.heap.pop();
                    if let Some(w) = t.wakers.remove(&id) {
                        w.wake();
                    }
                }
            });
        }
    }
}

/// A simulated download: the `async def download()` of the articles.
async fn download(name: &'static str, start: Instant) {
    println!("{:>4.1} s  {name}: started", start.elapsed().as_secs_f64());
    sleep(Duration::from_secs(2)).await;
    println!("{:>4.1} s  {name}: done", start.elapsed().as_secs_f64());
}

fn main() -> anyhow::Result<()> {
    let start = Instant::now();
    let mut event_loop = EventLoop::new();
    for name in ["page 1", "page 2", "page 3"] {
        event_loop.spawn(download(name, start));
    }
    event_loop.run();
    println!(
        "all three in {:.1} s on one thread",
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
