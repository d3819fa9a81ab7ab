//! The open-loop `load` scenario: requests fall due at a rate R for D, whatever happened to the
//! ones before, and each one's latency runs from when it was due.
//!
//! Every other scenario is a closed loop: C requests in flight, the next one sent when one
//! finishes. A closed loop hides a stall. While the client (or the server) is stuck it sends
//! nothing, so a 500 ms freeze is one slow sample, not the hundred requests that should have
//! been sent during it. Load tools call this coordinated omission; wrk2 avoids it by timing
//! each request from when it was *due*. So does `load`:
//!
//! - the harness computes the schedule ([`Load::schedule`]) before anything starts, and sends it
//!   in the job, so every contestant (Rust or Python) is due at the same instants;
//! - a request that falls due while C are in flight waits, in a queue of at most Q
//!   ([`Load::queue`]); the wait counts in its latency;
//! - a request that falls due with C in flight *and* Q waiting is refused at once: an
//!   `overload` record, with no latency ([`overload_record`]);
//! - a request still unanswered a timeout after it fell due is a `timeout` record, whose
//!   latency is the time it was owed.
//!
//! What each runtime does with that is in its own crate's `load.rs`: a dispatcher that sleeps
//! on the runtime's timer until each due time and spawns (async), hands the request to a pool
//! of C threads through a bounded queue (threads, crossbeam, rayon), or sends each as soon as
//! it can after it fell due (sequential: its queueing is the lesson). The pieces every one of
//! them shares are here: the [`Plan`], the [`Gate`] that bounds what is outstanding, the
//! [`Backlog`] of a one-at-a-time client, and the records.

use std::collections::VecDeque;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::latency::Latency;
use crate::page::download_record;
use crate::record::{FetchError, Fetched, PageRecord};

/// How the due times are spaced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Spacing {
    /// Every 1/R seconds, as wrk2 sends.
    #[default]
    Even,
    /// Exponential gaps of mean 1/R from a fixed seed: arrivals as independent users make
    /// them, bunched now and then. The same seed gives every contestant the same instants.
    Poisson,
}

impl Spacing {
    /// Its name on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Spacing::Even => "even",
            Spacing::Poisson => "poisson",
        }
    }
}

impl fmt::Display for Spacing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Spacing {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "even" => Ok(Spacing::Even),
            "poisson" => Ok(Spacing::Poisson),
            _ => Err(format!("unknown spacing '{s}' (expected even or poisson)")),
        }
    }
}

/// The `load` scenario's knobs, part of [`crate::Knobs`] so that every contestant gets the
/// same ones and `compare` keys rows by them.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// R: requests falling due per second.
    pub rate: f64,
    /// D: for how long requests fall due, in milliseconds.
    pub duration_ms: u64,
    /// How the due times are spaced.
    pub spacing: Spacing,
    /// Q: how many due requests may wait for one of the C connections before the next is
    /// refused as `overload`.
    pub queue: usize,
}

impl Default for Load {
    /// 100 requests a second for 1 s, evenly spaced, up to 1,000 waiting: at the default
    /// C = 10 and L = 50 ms, half of what C connections can carry (C / L = 200/s).
    fn default() -> Self {
        Load {
            rate: 100.0,
            duration_ms: 1_000,
            spacing: Spacing::Even,
            queue: 1_000,
        }
    }
}

/// Why `load` knobs cannot be run.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InvalidLoad {
    /// The rate is zero, negative, not a number, or past [`Load::MAX_RATE`].
    #[error("rate must be a number of requests per second above 0 and at most {max}, not {got}")]
    Rate {
        /// What was given.
        got: String,
        /// [`Load::MAX_RATE`].
        max: u64,
    },
    /// The duration is zero or past an hour.
    #[error("duration must be from 1 ms to an hour, not {0} ms")]
    Duration(u64),
    /// R × D is more requests than a run holds records for.
    #[error(
        "rate {rate}/s for {secs} s is {requests} requests, more than the {max} one run records"
    )]
    TooMany {
        /// R.
        rate: String,
        /// D, in seconds.
        secs: String,
        /// R × D.
        requests: u64,
        /// [`Load::MAX_REQUESTS`].
        max: usize,
    },
    /// The queue is larger than [`Load::MAX_QUEUE`].
    #[error("queue {0} is over the limit of {max}", max = Load::MAX_QUEUE)]
    Queue(usize),
}

impl Load {
    /// The highest rate accepted: a million requests a second, past anything one client
    /// process sends over loopback (10^9 is a typo, and would be refused).
    pub const MAX_RATE: f64 = 1_000_000.0;
    /// The longest duration: an hour, in milliseconds.
    pub const MAX_DURATION_MS: u64 = 3_600_000;
    /// The most due requests in one run: each gets a record, and the records are held until
    /// the run ends (about 150 bytes each in the child).
    pub const MAX_REQUESTS: usize = 500_000;
    /// The largest queue.
    pub const MAX_QUEUE: usize = 100_000;

    /// Checks the knobs: each a one-line error.
    pub fn check(&self) -> Result<(), InvalidLoad> {
        if !(self.rate.is_finite() && self.rate > 0.0 && self.rate <= Self::MAX_RATE) {
            return Err(InvalidLoad::Rate {
                got: self.rate.to_string(),
                max: Self::MAX_RATE as u64,
            });
        }
        if self.duration_ms == 0 || self.duration_ms > Self::MAX_DURATION_MS {
            return Err(InvalidLoad::Duration(self.duration_ms));
        }
        let requests = self.rate * self.duration_ms as f64 / 1e3;
        if requests > Self::MAX_REQUESTS as f64 {
            return Err(InvalidLoad::TooMany {
                rate: self.rate.to_string(),
                secs: (self.duration_ms as f64 / 1e3).to_string(),
                requests: requests as u64,
                max: Self::MAX_REQUESTS,
            });
        }
        if self.queue > Self::MAX_QUEUE {
            return Err(InvalidLoad::Queue(self.queue));
        }
        Ok(())
    }

    /// D as a [`Duration`].
    pub fn duration(&self) -> Duration {
        Duration::from_millis(self.duration_ms)
    }

    /// When each request falls due, from the start of the run, in microseconds: every
    /// instant in `[0, D)` the spacing gives (at least one request). Deterministic: the
    /// Poisson gaps come from a fixed seed, so every contestant gets the same schedule.
    pub fn schedule(&self) -> Vec<u64> {
        let end = self.duration_ms as f64 * 1e3;
        let gap = 1e6 / self.rate;
        let mut due = Vec::with_capacity((end / gap).ceil() as usize + 1);
        match self.spacing {
            Spacing::Even => {
                let n = ((end / gap).ceil() as usize).max(1);
                due.extend((0..n).map(|i| (i as f64 * gap) as u64));
            }
            Spacing::Poisson => {
                let mut rng = SplitMix64(0x5eed_10ad);
                let mut t = 0.0;
                while t < end && due.len() < Self::MAX_REQUESTS {
                    due.push(t as u64);
                    // Inverse transform: -ln(U) / R for U in (0, 1].
                    let u = 1.0 - rng.unit();
                    t += -u.ln() * gap;
                }
            }
        }
        due
    }
}

/// A small, fixed-seed generator for the Poisson gaps (SplitMix64): reproducible everywhere,
/// and no dependency for eight lines.
struct SplitMix64(u64);

impl SplitMix64 {
    /// A uniform number in [0, 1).
    fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A `load` job's inputs, as a contestant holds them: the site's pages, the schedule, C and Q.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The pages requests cycle through: request i asks for `pages[i % len]`.
    pub pages: Vec<Url>,
    /// When request i falls due, from the start of the run.
    pub due: Vec<Duration>,
    /// C: the most requests in flight.
    pub concurrency: usize,
    /// Q: the most due requests waiting for a connection.
    pub queue: usize,
}

impl Plan {
    /// How many requests fall due.
    pub fn len(&self) -> usize {
        self.due.len()
    }

    /// Whether none does.
    pub fn is_empty(&self) -> bool {
        self.due.is_empty()
    }

    /// Request i's URL: its page with `?r=i`, so that every request has a URL of its own and
    /// the verifier can account for each exactly once. The server ignores the query.
    pub fn url(&self, i: usize) -> Url {
        request_url(&self.pages[i % self.pages.len()], i)
    }

    /// The most requests outstanding (in flight or waiting) before the next is refused.
    pub fn limit(&self) -> usize {
        self.concurrency.saturating_add(self.queue)
    }

    /// Request i's record when it fell due with C in flight and Q waiting.
    pub fn overload(&self, i: usize) -> PageRecord {
        overload_record(self.url(i).as_str(), self.concurrency, self.queue)
    }
}

/// `page` asked for as request `i` of a `load` run: `page?r=i`.
pub fn request_url(page: &Url, i: usize) -> Url {
    let mut url = page.clone();
    url.set_query(Some(&format!("r={i}")));
    url
}

/// The record of a request refused because C were in flight and Q waiting: no latency.
pub fn overload_record(url: &str, concurrency: usize, queue: usize) -> PageRecord {
    PageRecord::failed(
        url,
        FetchError::Overload(format!("{concurrency} in flight and {queue} waiting")),
    )
}

/// The record of a request that fell due at `due`: as `download` records it, with its latency
/// from `due`, errors included (a timeout's latency is how long it was owed). The engines'
/// `get_due` stamp a response's span from `due` already.
pub fn load_record(url: &str, due: Instant, result: Result<Fetched, FetchError>) -> PageRecord {
    let failed = result.is_err();
    let mut record = download_record(url, result);
    if failed {
        let now = Instant::now();
        record.latency = Some(Latency::between(due, now, now));
    }
    record
}

/// What bounds a run's outstanding requests: at most [`Plan::limit`] admitted and not yet
/// finished. Lock-free, shared by every task or thread; an admitted request holds a
/// [`Ticket`], and dropping it (at the end of the request, or in a panic's unwinding) lets
/// the next one in.
#[derive(Clone, Debug)]
pub struct Gate {
    outstanding: Arc<AtomicUsize>,
    limit: usize,
}

/// One admitted request's place in a [`Gate`].
#[derive(Debug)]
pub struct Ticket(Arc<AtomicUsize>);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

impl Gate {
    /// A gate admitting at most `limit` at once.
    pub fn new(limit: usize) -> Gate {
        Gate {
            outstanding: Arc::new(AtomicUsize::new(0)),
            limit,
        }
    }

    /// A ticket, or `None` if `limit` are outstanding (the request is an overload).
    pub fn try_enter(&self) -> Option<Ticket> {
        self.outstanding
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| {
                (n < self.limit).then_some(n + 1)
            })
            .ok()
            .map(|_| Ticket(self.outstanding.clone()))
    }
}

/// The queue of a client that sends one request at a time (the sequential baselines): which
/// requests have fallen due and wait, which were refused because Q were already waiting.
///
/// Used as: [`Backlog::next`] gives the next request to send, after sleeping until it is due
/// if none is waiting; requests that fell due while the last one was being sent join the
/// queue, or are refused when it holds Q.
#[derive(Debug)]
pub struct Backlog {
    next_due: usize,
    waiting: VecDeque<usize>,
    queue: usize,
    /// Whether the last step sent a request: what fell due since then fell due while it was
    /// in flight, so only Q of it may wait. After a wait, the first goes straight out.
    sent: bool,
}

/// What [`Backlog::next`] says to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Step {
    /// Send request i.
    Send(usize),
    /// Request i fell due with the queue full: record it as an overload.
    Refuse(usize),
    /// Wait this long: the next request is not due yet.
    Wait(Duration),
    /// Every request has been sent or refused.
    Done,
}

impl Backlog {
    /// A backlog for a run whose queue holds `queue`.
    pub fn new(queue: usize) -> Backlog {
        Backlog {
            next_due: 0,
            waiting: VecDeque::new(),
            queue,
            sent: false,
        }
    }

    /// The next step `elapsed` into the run. One request is sent at a time, so "in flight"
    /// is the one the caller has just finished; the queue holds Q beyond it.
    pub fn next(&mut self, due: &[Duration], elapsed: Duration) -> Step {
        // Everything due by now joins the queue in order, or is refused when it is full.
        if self.next_due < due.len() && due[self.next_due] <= elapsed {
            let i = self.next_due;
            self.next_due += 1;
            let room = if self.sent {
                self.queue
            } else {
                self.queue + 1
            };
            if self.waiting.len() >= room {
                return Step::Refuse(i);
            }
            self.waiting.push_back(i);
            return self.next(due, elapsed);
        }
        self.sent = !self.waiting.is_empty();
        match self.waiting.pop_front() {
            Some(i) => Step::Send(i),
            None if self.next_due < due.len() => Step::Wait(due[self.next_due] - elapsed),
            None => Step::Done,
        }
    }
}

/// What a `load` run returns: the records of the requests that were sent, and the indices
/// of those refused. A refusal is held as its index, 4 bytes, not as a record: past capacity
/// most requests are refused (456,000 of 500,000 at 10× capacity), and a record each, held
/// until the run ends, was 164–252 MiB. Their records are made one at a time as they are
/// written out ([`Plan::overload`]), after the clock stops.
#[derive(Debug, Default)]
pub struct LoadRun {
    /// One record per request that was sent (a response, a timeout or another error), in
    /// any order.
    pub answered: Vec<PageRecord>,
    /// The requests refused as `overload`, by index into the plan, in order.
    pub refused: Vec<u32>,
}

impl LoadRun {
    /// Every record, the refused ones made now: for a caller that wants them all at once.
    pub fn into_records(self, plan: &Plan) -> Vec<PageRecord> {
        let refused = self.refused.iter().map(|&i| plan.overload(i as usize));
        self.answered.into_iter().chain(refused).collect()
    }
}

/// Collects a run's outcomes by request index, from tasks or threads that finish in any
/// order: each sent request's record, each refusal's index. [`Slots::finish`] gives a request
/// that never reported (its task panicked, or was lost) an `internal` record rather than
/// none.
#[derive(Debug)]
pub struct Slots {
    /// Whether request i has an outcome yet.
    seen: Vec<bool>,
    run: LoadRun,
}

impl Slots {
    /// Room for `n` requests.
    pub fn new(n: usize) -> Slots {
        Slots {
            seen: vec![false; n],
            run: LoadRun::default(),
        }
    }

    /// Request i's record (`None`: its task panicked).
    pub fn set(&mut self, i: usize, record: Option<PageRecord>, plan: &Plan) {
        self.seen[i] = true;
        self.run.answered.push(
            record.unwrap_or_else(|| crate::page::task_failed(plan.url(i).as_str(), "panicked")),
        );
    }

    /// Request i was refused: C in flight and Q waiting when it fell due.
    pub fn refuse(&mut self, i: usize) {
        self.seen[i] = true;
        self.run.refused.push(u32::try_from(i).unwrap_or(u32::MAX));
    }

    /// Every request's outcome.
    pub fn finish(mut self, plan: &Plan) -> LoadRun {
        for (i, seen) in self.seen.iter().enumerate() {
            if !seen {
                let url = plan.url(i);
                self.run
                    .answered
                    .push(crate::page::task_failed(url.as_str(), "never reported"));
            }
        }
        self.run.refused.sort_unstable();
        self.run
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_cover_the_duration_at_the_rate() {
        let even = Load {
            rate: 100.0,
            duration_ms: 1_000,
            ..Load::default()
        };
        let due = even.schedule();
        assert_eq!(due.len(), 100);
        assert_eq!((due[0], due[1], due[99]), (0, 10_000, 990_000));
        let poisson = Load {
            spacing: Spacing::Poisson,
            rate: 1_000.0,
            duration_ms: 10_000,
            ..even
        };
        let due = poisson.schedule();
        // 10,000 expected; a Poisson count has a standard deviation of 100.
        assert!((9_500..=10_500).contains(&due.len()), "{}", due.len());
        assert!(due.windows(2).all(|w| w[0] <= w[1]));
        assert!(due.iter().all(|&t| t < 10_000_000));
        assert_eq!(poisson.schedule(), due, "the same seed, the same instants");
    }

    #[test]
    fn bad_knobs_are_one_line_each() {
        let with = |rate: f64, duration_ms: u64| Load {
            rate,
            duration_ms,
            ..Load::default()
        };
        for bad in [0.0, -5.0, f64::NAN, f64::INFINITY, 1e9] {
            let e = with(bad, 1000).check().expect_err("refused");
            assert!(e.to_string().starts_with("rate must be"), "{e}");
        }
        assert!(matches!(
            with(10.0, 0).check(),
            Err(InvalidLoad::Duration(0))
        ));
        assert!(matches!(
            with(10.0, 3_600_001).check(),
            Err(InvalidLoad::Duration(_))
        ));
        assert!(matches!(
            with(1e6, 3_600_000).check(),
            Err(InvalidLoad::TooMany { .. })
        ));
        assert_eq!(Load::default().check(), Ok(()));
    }

    #[test]
    fn slots_hold_refusals_as_indices_and_lose_nothing() {
        let plan = Plan {
            pages: vec![Url::parse("http://h/page/0").expect("url")],
            due: vec![Duration::ZERO; 4],
            concurrency: 1,
            queue: 0,
        };
        let mut slots = Slots::new(4);
        slots.refuse(2);
        slots.set(
            0,
            Some(PageRecord::failed(
                "http://h/page/0?r=0",
                FetchError::Timeout(5),
            )),
            &plan,
        );
        slots.set(1, None, &plan);
        let run = slots.finish(&plan);
        assert_eq!(run.refused, [2]);
        let all = run.into_records(&plan);
        let kinds: Vec<(String, &str)> = all
            .iter()
            .map(|r| (r.url.clone(), r.error.as_ref().map_or("", FetchError::kind)))
            .collect();
        assert_eq!(
            kinds,
            [
                ("http://h/page/0?r=0".to_owned(), "timeout"),
                ("http://h/page/0?r=1".to_owned(), "internal"),
                ("http://h/page/0?r=3".to_owned(), "internal"),
                ("http://h/page/0?r=2".to_owned(), "overload"),
            ]
        );
    }

    #[test]
    fn the_gate_admits_up_to_its_limit_and_lets_the_next_in_on_drop() {
        let gate = Gate::new(2);
        let a = gate.try_enter().expect("first");
        let _b = gate.try_enter().expect("second");
        assert!(gate.try_enter().is_none(), "a third is an overload");
        drop(a);
        assert!(gate.try_enter().is_some());
    }

    #[test]
    fn a_backlog_queues_what_fell_due_and_refuses_past_q() {
        let ms = Duration::from_millis;
        let due: Vec<Duration> = (0..5).map(|i| ms(10 * i)).collect();
        let mut b = Backlog::new(2);
        assert_eq!(b.next(&due, ms(0)), Step::Send(0));
        // Request 0 took 45 ms: 1..=4 fell due meanwhile; the queue holds 2.
        assert_eq!(b.next(&due, ms(45)), Step::Refuse(3));
        assert_eq!(b.next(&due, ms(45)), Step::Refuse(4));
        assert_eq!(b.next(&due, ms(45)), Step::Send(1));
        assert_eq!(b.next(&due, ms(46)), Step::Send(2));
        assert_eq!(b.next(&due, ms(47)), Step::Done);
        // On time, it waits for the next one, and sends it when it falls due, even with Q = 0.
        let mut b = Backlog::new(0);
        assert_eq!(b.next(&due, ms(0)), Step::Send(0));
        assert_eq!(b.next(&due, ms(4)), Step::Wait(ms(6)));
        assert_eq!(b.next(&due, ms(10)), Step::Send(1));
        // With Q = 0, what falls due while one is in flight is refused.
        assert_eq!(b.next(&due, ms(25)), Step::Refuse(2));
    }
}
