//! Run CPU work on the rayon pool and await its result from async code.

use std::panic::{AssertUnwindSafe, catch_unwind};

use rayon::ThreadPool;
use tokio::sync::oneshot;

/// Spawns `work` on `pool` and waits for its result without blocking the async worker: the
/// task is parked until rayon sends the answer back on the oneshot. `None` if `work` panicked.
pub async fn on_rayon<T: Send + 'static>(
    pool: &ThreadPool,
    work: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = oneshot::channel();
    pool.spawn(move || {
        // A panic must not kill a rayon thread silently: send `None` instead.
        let _ = tx.send(catch_unwind(AssertUnwindSafe(work)).ok());
    });
    rx.await.ok().flatten()
}
