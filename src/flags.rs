//! How flags are parsed and checked: against the limits of the layer that owns each one, so a
//! bad value is refused by clap, in one line that names the flag, before anything is built.
//!
//! A knob's limits are core's ([`Knob::min`], [`Knob::max`]); a contestant's own limit on C is
//! its registry entry's; the network settings' checks are [`Net`]'s. This file only maps them
//! to flags: nothing here is a second copy of a limit.

use std::time::Duration;

use shootout_core::knobs::Knob;
use shootout_core::load::Load;
use shootout_core::{Knobs, Net};
use shootout_lab::registry::{self, Contestant};
use shootout_lab::rounds;
use url::Url;

/// A value parser for the flag of `knob`, within the knob's limits.
pub fn knob<T: TryFrom<u64>>(
    knob: Knob,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |text| {
        let value = number(text)?;
        knob.check(value)
            .map_err(|_| bounds(value, knob.min(), knob.max()))?;
        T::try_from(value).map_err(|_| format!("{value} does not fit this machine"))
    }
}

/// A value parser for a whole number in `min..=max` (a flag that is no knob: `--runs`, the
/// server's threads, …).
pub fn within<T: TryFrom<u64>>(
    min: u64,
    max: u64,
) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static {
    move |text| {
        let value = number(text)?;
        if value < min || value > max {
            return Err(bounds(value, min, max));
        }
        T::try_from(value).map_err(|_| format!("{value} does not fit this machine"))
    }
}

/// The longest jitter: as long as the longest latency.
pub fn jitter_ms(text: &str) -> Result<u64, String> {
    within(0, Knobs::MAX_LATENCY_MS)(text)
}

/// The server's worker threads: a pool like any other.
pub fn server_threads(text: &str) -> Result<usize, String> {
    within(1, Knobs::MAX_THREADS)(text)
}

/// `--budget-ms`: at least a millisecond, at most [`rounds::MAX_BUDGET`].
pub fn budget_ms(text: &str) -> Result<u64, String> {
    within(1, rounds::MAX_BUDGET.as_millis() as u64)(text)
}

/// `--rate`: requests per second, above 0, at most [`Load::MAX_RATE`].
pub fn rate(text: &str) -> Result<f64, String> {
    let rate: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of requests per second"))?;
    // The rate alone (1 ms of it): R × D is checked once both are known.
    let load = Load {
        rate,
        duration_ms: 1,
        ..Load::default()
    };
    load.check().map(|()| rate).map_err(|e| e.to_string())
}

/// `--duration-s`: above 0, at most an hour (to the millisecond).
pub fn duration_s(text: &str) -> Result<f64, String> {
    let secs: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    let ms = secs * 1e3;
    if !(ms.is_finite() && ms >= 1.0 && ms <= Load::MAX_DURATION_MS as f64) {
        return Err(format!(
            "must be from 0.001 to {} seconds, not {text}",
            Load::MAX_DURATION_MS / 1000
        ));
    }
    Ok(secs)
}

/// At least one: `--runs`, `--limit-s`, `--max-pages`.
pub fn at_least_one<T: TryFrom<u64>>(text: &str) -> Result<T, String> {
    within(1, u64::MAX)(text)
}

/// `--max-redirects`, within [`Net::MAX_REDIRECTS`].
pub fn max_redirects(text: &str) -> Result<usize, String> {
    within(0, Net::MAX_REDIRECTS as u64)(text)
}

/// `--delay-ms`, within [`Net::MAX_DELAY_MS`].
pub fn delay_ms(text: &str) -> Result<u64, String> {
    within(0, Net::MAX_DELAY_MS)(text)
}

/// `--user-agent`, as [`Net::check_user_agent`] allows.
pub fn user_agent(text: &str) -> Result<String, String> {
    Net::check_user_agent(text).map(|()| text.to_owned())
}

/// `--proxy`, as [`Net::check_proxy`] allows.
pub fn proxy(text: &str) -> Result<String, String> {
    Net::check_proxy(text).map(|()| text.to_owned())
}

/// An http(s) URL.
pub fn http_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text).map_err(|e| format!("'{text}' is not a valid URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(format!("'{text}' is not an http(s) URL"));
    }
    Ok(url)
}

/// A path prefix, such as `/std/`.
pub fn prefix(text: &str) -> Result<String, String> {
    if !text.starts_with('/') {
        return Err(format!(
            "'{text}' must be a path starting with '/', for example /std/"
        ));
    }
    Ok(text.to_owned())
}

/// `--deadline-s`: more than nothing, at most a week.
pub fn deadline(text: &str) -> Result<Duration, String> {
    let s: f64 = text
        .trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a number of seconds"))?;
    if !(s.is_finite() && s > 0.0 && s <= 7.0 * 86_400.0) {
        return Err(format!(
            "{s} must be more than 0 and at most a week (604800)"
        ));
    }
    Ok(Duration::from_secs_f64(s))
}

/// `--ca-cert`: the PEM text of a file of CA certificates, checked to hold at least one.
pub fn ca_cert(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read it ({e})"))?;
    shootout_http::tls::parse_ca_pem(&text)?;
    Ok(text)
}

/// A registered contestant, by name.
pub fn contestant(text: &str) -> Result<Contestant, String> {
    registry::find(text.trim()).ok_or_else(|| {
        format!(
            "unknown contestant '{}' (known: {})",
            text.trim(),
            registry::names()
        )
    })
}

/// Refuses a C past what `contestant` can measure anything at (its registry entry's limit),
/// naming the flag that set it: the registry names the knob, `concurrency`, and its flag is
/// `--concurrency`.
pub fn concurrency_within_limit(contestant: Contestant, concurrency: usize) -> anyhow::Result<()> {
    contestant
        .check_concurrency(concurrency)
        .map_err(|e| anyhow::anyhow!("--{e}"))
}

fn number(text: &str) -> Result<u64, String> {
    text.trim()
        .parse()
        .map_err(|_| format!("'{text}' is not a whole number"))
}

fn bounds(value: u64, min: u64, max: u64) -> String {
    if value < min {
        format!("must be at least {min}")
    } else {
        format!("{value} is over the limit of {max}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_knob_flag_is_held_to_the_knobs_own_limits() {
        let threads = knob::<usize>(Knob::Threads);
        assert_eq!(threads("2"), Ok(2));
        assert_eq!(threads("0"), Err("must be at least 1".into()));
        assert_eq!(
            threads("2000"),
            Err(format!("2000 is over the limit of {}", Knob::Threads.max()))
        );
        assert!(threads("two").is_err());
        assert_eq!(knob::<u64>(Knob::LatencyMs)("0"), Ok(0));
    }
}
