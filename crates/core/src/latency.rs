//! Per-request latency: stamped where each request is made, binned after the clock stops.
//!
//! # Where it is measured
//!
//! A request's latency runs from when it was **due** to when its body was complete, and on to
//! when its record was ready (for `scrape` and `crawl`, after parsing, so that waiting for a
//! parser shows). When it was due depends on the scenario:
//!
//! - closed loop (`download`, `scrape`, `crawl`, `pitfall`): when a task or thread took the
//!   request up. The two HTTP engines stamp it on entry to `get`, before they wait for a
//!   connection slot, and stamp the body's end ([`Span`], carried in [`Fetched`]);
//! - open loop (`load`): the time the schedule set for it, whatever happened to the ones
//!   before ([`crate::load`]). A request that had to wait for a free connection has its wait
//!   counted. Measuring from when it was *sent* would hide exactly the stalls a latency test
//!   is for (coordinated omission).
//!
//! # Why each record carries its own latency
//!
//! The two instants become a [`Latency`] in the request's record, and the harness bins every
//! record into an HdrHistogram after the child's clock has stopped. The alternative, a
//! histogram per thread or core merged at the end, would need per-thread state in every
//! runtime, or a lock on the hot path. Carried in the record, the hot path is two clock reads
//! and 16 bytes in a struct the request already builds; no runtime needs anything of its own;
//! and a Python child sends the same two numbers with no histogram library.
//!
//! [`Fetched`]: crate::record::Fetched

use std::time::{Duration, Instant};

use base64::Engine as _;
use hdrhistogram::Histogram;
use hdrhistogram::serialization::{Deserializer, Serializer, V2DeflateSerializer};
use serde::{Deserialize, Serialize};

/// When a request fell due and when its body was complete: stamped by the HTTP engines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// When the request was taken up (closed loop) or scheduled (open loop).
    pub due: Instant,
    /// When the last byte of the body had arrived.
    pub body: Instant,
}

impl Span {
    /// A span that starts at `due` and whose body is complete now.
    pub fn since(due: Instant) -> Span {
        Span {
            due,
            body: Instant::now(),
        }
    }

    /// The latency of a record that is ready now.
    pub fn ready_now(self) -> Latency {
        Latency::between(self.due, self.body, Instant::now())
    }
}

/// A request's latency, as its record carries it: `{"body_us": …, "ready_us": …}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    /// Microseconds from due to the body's end.
    pub body_us: u64,
    /// Microseconds from due to the record being ready (after parsing, where there is any).
    pub ready_us: u64,
}

impl Latency {
    /// The latency of a request due at `due`, whose body ended at `body` and whose record
    /// was ready at `ready`.
    pub fn between(due: Instant, body: Instant, ready: Instant) -> Latency {
        let us = |t: Instant| t.saturating_duration_since(due).as_micros() as u64;
        Latency {
            body_us: us(body),
            ready_us: us(ready).max(us(body)),
        }
    }
}

/// How many significant digits the histograms keep: 3, HdrHistogram's usual, so every value
/// is binned within 0.1% of itself.
pub const SIGNIFICANT_DIGITS: u8 = 3;

/// The largest latency a histogram holds, in microseconds (one hour; the longest `load` run
/// plus its request timeout is shorter). A longer value is clamped to it.
pub const MAX_US: u64 = 3_600_000_000;

/// The percentiles a row shows, from an HdrHistogram of microseconds, with the histogram
/// itself in HdrHistogram's interchange form.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tail {
    /// Values binned.
    pub samples: u64,
    /// The median, in milliseconds.
    pub p50_ms: f64,
    /// The 90th percentile, in milliseconds.
    pub p90_ms: f64,
    /// The 99th percentile, in milliseconds.
    pub p99_ms: f64,
    /// The 99.9th percentile, in milliseconds.
    pub p999_ms: f64,
    /// The largest value, in milliseconds.
    pub max_ms: f64,
    /// The whole histogram: V2 compressed (deflate), base64, as HdrHistogram's own tools
    /// (`HistogramLogProcessor`, the plotter at hdrhistogram.github.io) read it. Values are
    /// microseconds.
    pub hist: String,
}

/// Why a histogram could not be built or read back.
#[derive(Debug, thiserror::Error)]
pub enum HistError {
    /// The histogram could not be created (the bounds are wrong: a bug).
    #[error("cannot create a histogram: {0}")]
    Create(String),
    /// The encoded histogram is not base64.
    #[error("the histogram is not base64: {0}")]
    Base64(String),
    /// The bytes are not a V2 (compressed) histogram.
    #[error("the histogram does not decode: {0}")]
    Decode(String),
    /// The histogram could not be encoded.
    #[error("the histogram does not encode: {0}")]
    Encode(String),
}

/// An empty histogram of microseconds, 1 µs to an hour, 3 significant digits: about 30 KiB.
pub fn histogram() -> Result<Histogram<u64>, HistError> {
    Histogram::new_with_bounds(1, MAX_US, SIGNIFICANT_DIGITS)
        .map_err(|e| HistError::Create(e.to_string()))
}

impl Tail {
    /// Bins `micros`, each clamped into the histogram's range. `None` for no values.
    pub fn of(micros: impl IntoIterator<Item = u64>) -> Result<Option<Tail>, HistError> {
        let mut h = histogram()?;
        for us in micros {
            h.saturating_record(us.clamp(1, MAX_US));
        }
        Tail::from_histogram(&h)
    }

    /// The percentiles of `h`, and `h` encoded. `None` if `h` is empty.
    pub fn from_histogram(h: &Histogram<u64>) -> Result<Option<Tail>, HistError> {
        if h.is_empty() {
            return Ok(None);
        }
        let ms = |us: u64| us as f64 / 1e3;
        // `highest_equivalent`: a percentile is reported as the top of its bucket, so it never
        // reads lower than a value that was recorded (HdrHistogram's own convention).
        let at = |q: f64| ms(h.highest_equivalent(h.value_at_quantile(q)));
        let mut bytes = Vec::new();
        V2DeflateSerializer::new()
            .serialize(h, &mut bytes)
            .map_err(|e| HistError::Encode(format!("{e:?}")))?;
        Ok(Some(Tail {
            samples: h.len(),
            p50_ms: at(0.50),
            p90_ms: at(0.90),
            p99_ms: at(0.99),
            p999_ms: at(0.999),
            max_ms: ms(h.highest_equivalent(h.max())),
            hist: base64::engine::general_purpose::STANDARD.encode(bytes),
        }))
    }

    /// The histogram [`Tail::hist`] holds.
    pub fn decode(&self) -> Result<Histogram<u64>, HistError> {
        decode(&self.hist)
    }
}

/// Reads a histogram in the interchange form [`Tail::hist`] uses.
pub fn decode(hist: &str) -> Result<Histogram<u64>, HistError> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(hist.trim())
        .map_err(|e| HistError::Base64(e.to_string()))?;
    Deserializer::new()
        .deserialize(&mut bytes.as_slice())
        .map_err(|e| HistError::Decode(format!("{e:?}")))
}

/// Microseconds in `d`, for binning.
pub fn micros(d: Duration) -> u64 {
    d.as_micros().min(u128::from(MAX_US)) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_the_histograms_and_round_trip() {
        // 1..=1000 ms: p50 is 500 ms, p99 990 ms, the max 1 s, each within the 0.1% binning.
        let tail = Tail::of((1..=1000).map(|ms| ms * 1000))
            .expect("bins")
            .expect("not empty");
        assert_eq!(tail.samples, 1000);
        for (got, want) in [
            (tail.p50_ms, 500.0),
            (tail.p90_ms, 900.0),
            (tail.p99_ms, 990.0),
            (tail.p999_ms, 999.0),
            (tail.max_ms, 1000.0),
        ] {
            assert!(got >= want && got <= want * 1.001, "{got} for {want}");
        }
        let back = Tail::from_histogram(&tail.decode().expect("decodes"))
            .expect("bins")
            .expect("not empty");
        assert_eq!(back, tail);
        assert!(Tail::of([]).expect("bins").is_none());
        assert!(decode("not base64!").is_err());
        assert!(decode("aGVsbG8=").is_err(), "base64, but not a histogram");
    }

    #[test]
    fn a_record_is_never_ready_before_its_body() {
        let due = Instant::now();
        let body = due + Duration::from_millis(5);
        let l = Latency::between(due, body, due);
        assert_eq!((l.body_us, l.ready_us), (5000, 5000));
        // A clock that reads earlier than `due` (it cannot, but saturate anyway) gives 0.
        let l = Latency::between(body, due, body);
        assert_eq!(l.body_us, 0);
    }
}
