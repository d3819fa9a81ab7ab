//! A counting semaphore from std parts: at most N threads inside at once.

use std::sync::{Condvar, Mutex, PoisonError};

/// Lets at most `permits` threads run [`Gate::run`] at the same time; the others wait.
///
/// The scrape and crawl here run C threads, because each thread waits on one socket at a
/// time. Parsing needs a core, not a socket: with all C threads parsing at once, C parses
/// would share T cores (each slower, none sooner) and C documents would be in memory at once
/// (a DOM is about ten times its page: 90 MB for an 8.5 MB page). The gate keeps parsing to T
/// threads, as every other contestant's T-thread parse pool does.
#[derive(Debug)]
pub struct Gate {
    free: Mutex<usize>,
    freed: Condvar,
}

impl Gate {
    /// A gate with `permits` permits (at least 1).
    pub fn new(permits: usize) -> Gate {
        Gate {
            free: Mutex::new(permits.max(1)),
            freed: Condvar::new(),
        }
    }

    /// Waits for a permit, runs `work`, and gives the permit back, even if `work` panics.
    pub fn run<R>(&self, work: impl FnOnce() -> R) -> R {
        {
            // A poisoned lock only means another thread panicked while counting; the count
            // itself is still right.
            let mut free = self.free.lock().unwrap_or_else(PoisonError::into_inner);
            while *free == 0 {
                free = self
                    .freed
                    .wait(free)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            *free -= 1;
        }
        let _permit = Permit(self);
        work()
    }
}

/// Gives its permit back when dropped, on return or on unwind.
struct Permit<'a>(&'a Gate);

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        *self.0.free.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        self.0.freed.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[test]
    fn never_lets_more_than_its_permits_in() {
        let gate = Gate::new(2);
        let (inside, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| {
                    gate.run(|| {
                        let now = inside.fetch_add(1, Ordering::SeqCst) + 1;
                        most.fetch_max(now, Ordering::SeqCst);
                        std::thread::sleep(Duration::from_millis(20));
                        inside.fetch_sub(1, Ordering::SeqCst);
                    });
                });
            }
        });
        assert_eq!(most.load(Ordering::SeqCst), 2);
    }

    #[test]
    fn a_panic_gives_the_permit_back() {
        let gate = Gate::new(1);
        let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            gate.run(|| panic!("inside the gate"))
        }));
        assert_eq!(gate.run(|| 7), 7);
    }
}
