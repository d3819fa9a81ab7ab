//! The `pitfall` scenario: what CPU work and blocking calls do to an event loop, measured.
//!
//! While a runtime scrapes pages, a heartbeat task on the same runtime asks to wake every
//! [`HEARTBEAT_PERIOD`] and records how late each wake-up is. A runtime whose threads are
//! free wakes it on time; a runtime whose threads are busy parsing, or stuck in a blocking
//! call, wakes it late. The lag is the cost every other task on that runtime pays.
//!
//! Each async contestant runs the same scrape in each [`Offload`] variant.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::Knobs;
use crate::record::PageRecord;
use crate::setup::SetupError;

/// How often the heartbeat asks to wake.
pub const HEARTBEAT_PERIOD: Duration = Duration::from_millis(10);

/// How long the blocking call of [`Offload::ThreadSleep`] lasts, per page.
pub const BLOCKING_CALL: Duration = Duration::from_millis(5);

/// Where a page task's CPU work (and blocking calls) go.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Offload {
    /// Parse inside the async task, on the runtime's own thread: the pitfall.
    Inline,
    /// Call `std::thread::sleep` (a blocking call) inside the async task, then parse
    /// offloaded: the other pitfall, a blocking call where an `.await` belongs.
    ThreadSleep,
    /// Parse on the runtime's blocking pool (`spawn_blocking`, `unblock`): the fix.
    SpawnBlocking,
    /// Parse on a rayon pool of T threads, the result sent back on a channel: the other fix.
    Rayon,
}

impl Offload {
    /// Every variant, in the order the leaderboard lists them.
    pub const ALL: [Offload; 4] = [
        Offload::Inline,
        Offload::ThreadSleep,
        Offload::SpawnBlocking,
        Offload::Rayon,
    ];

    /// The variant's name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Offload::Inline => "inline",
            Offload::ThreadSleep => "thread-sleep",
            Offload::SpawnBlocking => "spawn-blocking",
            Offload::Rayon => "rayon",
        }
    }
}

impl fmt::Display for Offload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Offload {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Offload::ALL
            .into_iter()
            .find(|o| o.name() == s)
            .ok_or_else(|| {
                format!(
                    "unknown variant '{s}' (expected inline, thread-sleep, spawn-blocking or rayon)"
                )
            })
    }
}

/// What a pitfall run returns: the records, and how late each heartbeat was.
#[derive(Clone, Debug, Default)]
pub struct PitfallRun {
    /// One record per URL, as in `scrape`.
    pub records: Vec<PageRecord>,
    /// The lateness of every heartbeat tick.
    pub lags: Vec<Duration>,
}

/// The rayon pool of the [`Offload::Rayon`] variant, for `contestant`: T threads, like every
/// other pool, named so a profile shows whose they are. One function, so the three runtimes'
/// pitfalls offload to the very same kind of pool.
pub fn offload_pool(
    contestant: &'static str,
    knobs: &Knobs,
) -> Result<rayon::ThreadPool, SetupError> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(knobs.threads)
        .thread_name(move |i| format!("{contestant}-pitfall-rayon-{i}"))
        .build()
        .map_err(|e| SetupError::new(contestant, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variants_round_trip_by_name() {
        for o in Offload::ALL {
            assert_eq!(o.name().parse::<Offload>(), Ok(o));
        }
        assert!("nope".parse::<Offload>().is_err());
    }
}
