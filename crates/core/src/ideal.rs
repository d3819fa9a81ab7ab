//! The ideal-time model: the fastest any contestant could finish, given its knobs.
//!
//! A run is bounded below by waiting and by computing, whichever is larger:
//!
//! - **latency-bound**: with at most C requests in flight and each held L, a batch of N
//!   independent requests needs `ceil(N / C) · L`. The sequential baseline has C = 1, so its
//!   ideal is `N · L`. A crawl cannot fetch a page before it has fetched a page linking to
//!   it, so the pages at depth k or deeper (`n_≥k` of them) cannot start before `k · L`,
//!   and then need `ceil(n_≥k / C)` more rounds: the bound is `max over k of
//!   (k + ceil(n_≥k / C)) · L`. (Summing `ceil(n_level / C)` level by level is *not* a lower
//!   bound: a crawler that starts a child as soon as its parent arrives, without waiting for
//!   the rest of the level, beats it; we measured 0.92× of that sum.)
//! - **CPU-bound**: parsing that takes `W` on one core takes at least `W / T` on T threads.
//!
//! `wall / ideal` is then how close a run came to the limit: 1.00 is perfect.

use std::time::Duration;

use serde::{Deserialize, Serialize};

/// Which of the two bounds decides an ideal time; rows carry it as `"latency"` or `"cpu"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Bound {
    /// Waiting: the requests' latency, C at a time.
    Latency,
    /// Computing: the single-core parse time, T cores at once.
    Cpu,
    /// Reading: a bare `read` loop over the same files, with as many reads in flight
    /// (`files`).
    Disk,
}

/// The two lower bounds of one run, and the ideal time (the larger).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Ideal {
    /// The bound from waiting: `max over k of (k + ceil(n_≥k / C)) · L`, where `n_≥k` is the
    /// number of requests at depth k or deeper (one level, k = 0, outside crawls).
    pub latency_bound: Duration,
    /// The bound from computing: single-core CPU time divided by T.
    pub cpu_bound: Duration,
    /// The bound from reading (`files` only): a bare loop's time to read and checksum the
    /// same files, cold or warm as the run's were, measured in calibration.
    #[serde(default)]
    pub disk_bound: Duration,
}

impl Ideal {
    /// The model's inputs: requests per level, concurrency C, latency L, the single-core CPU
    /// time of the run's parsing, and threads T.
    pub fn new(
        levels: &[usize],
        concurrency: usize,
        latency: Duration,
        single_core: Duration,
        threads: usize,
    ) -> Ideal {
        let c = concurrency.max(1);
        // rounds = max over depth k of: k rounds to reach depth k, then the rest C at a time.
        let rounds = (0..levels.len())
            .map(|k| k + levels[k..].iter().sum::<usize>().div_ceil(c))
            .max()
            .unwrap_or(0);
        Ideal {
            latency_bound: latency * u32::try_from(rounds).unwrap_or(u32::MAX),
            cpu_bound: single_core / u32::try_from(threads.max(1)).unwrap_or(u32::MAX),
            disk_bound: Duration::ZERO,
        }
    }

    /// The disk's bound alone: the `files` scenario's ideal.
    pub fn disk(floor: Duration) -> Ideal {
        Ideal {
            latency_bound: Duration::ZERO,
            cpu_bound: Duration::ZERO,
            disk_bound: floor,
        }
    }

    /// The ideal time: whichever bound is largest.
    pub fn time(&self) -> Duration {
        self.latency_bound.max(self.cpu_bound).max(self.disk_bound)
    }

    /// Which bound decides the ideal.
    pub fn bound_by(&self) -> Bound {
        if self.disk_bound > self.latency_bound.max(self.cpu_bound) {
            Bound::Disk
        } else if self.cpu_bound > self.latency_bound {
            Bound::Cpu
        } else {
            Bound::Latency
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: Duration = Duration::from_millis(1);

    #[test]
    fn latency_bound_rounds_up_per_level() {
        let i = Ideal::new(&[10], 3, 100 * MS, Duration::ZERO, 1);
        assert_eq!(i.time(), 400 * MS);
        let seq = Ideal::new(&[10], 1, 100 * MS, Duration::ZERO, 1);
        assert_eq!(seq.time(), 1000 * MS);
        // Depth 0: ceil(21/8) = 3 rounds; depth 1: 1 + ceil(20/8) = 4; depth 2: 2 + 2 = 4.
        let crawl = Ideal::new(&[1, 4, 16], 8, 10 * MS, Duration::ZERO, 1);
        assert_eq!(crawl.time(), 40 * MS);
        // A deep, thin chain: one round per level, whatever C is.
        let chain = Ideal::new(&[1, 1, 1, 1], 100, 10 * MS, Duration::ZERO, 1);
        assert_eq!(chain.time(), 40 * MS);
        // Sequential: every page is its own round.
        let seq = Ideal::new(&[1, 4, 16], 1, 10 * MS, Duration::ZERO, 1);
        assert_eq!(seq.time(), 210 * MS);
    }

    #[test]
    fn the_larger_bound_wins() {
        let i = Ideal::new(&[4], 4, 10 * MS, 100 * MS, 2);
        assert_eq!((i.time(), i.bound_by()), (50 * MS, Bound::Cpu));
        let j = Ideal::new(&[], 4, 10 * MS, 100 * MS, 4);
        assert_eq!(j.time(), 25 * MS);
    }
}
