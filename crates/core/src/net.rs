//! What both HTTP engines do the same way around each request: who they say they are, which
//! redirects they follow, how long they wait between requests to one host, and which proxy
//! they go through. Written once, here, so that the blocking and the async family cannot
//! drift apart: a redirect the one follows, the other follows too.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use url::Url;

use crate::record::FetchError;
use crate::scope::Scope;

/// How a client behaves on the network. Part of [`Knobs`](crate::Knobs), so every contestant
/// of a run, and both engines, get the same values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Net {
    /// The `User-Agent` header, and the name robots.txt rules are matched against.
    pub user_agent: String,
    /// Redirects followed per request; 0 records the 3xx itself.
    pub max_redirects: usize,
    /// The least time between the starts of two requests to the same host, in milliseconds.
    pub delay_ms: u64,
    /// An `http://host:port` proxy every request goes through. Proxies in the environment
    /// (`HTTP_PROXY`, `ALL_PROXY`, …) are ignored by both engines: only this one counts.
    pub proxy: Option<String>,
    /// Extra trusted certificate authorities (PEM text), on top of the Mozilla roots.
    pub ca_pem: Option<String>,
}

impl Net {
    /// The user agent sent by default.
    pub const DEFAULT_USER_AGENT: &'static str = concat!("shootout/", env!("CARGO_PKG_VERSION"));
    /// Redirects followed by default, as browsers and most crawlers do.
    pub const DEFAULT_MAX_REDIRECTS: usize = 10;
    /// The most redirects `--max-redirects` accepts: past it, no site is still redirecting.
    pub const MAX_REDIRECTS: usize = 100;
    /// The longest `--delay-ms`: a minute per request to one host.
    pub const MAX_DELAY_MS: u64 = 60_000;

    /// Checks every value, naming the field that holds a bad one (`max_redirects`, …). The
    /// command parses its flags with the same checks ([`Net::check_user_agent`],
    /// [`Net::check_proxy`] and the two limits), so a flag is refused before a job is made.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if self.max_redirects > Self::MAX_REDIRECTS {
            return Err((
                "max_redirects",
                format!(
                    "{} is over the limit of {}",
                    self.max_redirects,
                    Self::MAX_REDIRECTS
                ),
            ));
        }
        if self.delay_ms > Self::MAX_DELAY_MS {
            return Err((
                "delay_ms",
                format!(
                    "{} is over the limit of {} (a minute per request)",
                    self.delay_ms,
                    Self::MAX_DELAY_MS
                ),
            ));
        }
        Self::check_user_agent(&self.user_agent).map_err(|why| ("user_agent", why))?;
        if let Some(p) = &self.proxy {
            Self::check_proxy(p).map_err(|why| ("proxy", why))?;
        }
        Ok(())
    }

    /// Why `agent` cannot be sent as a `User-Agent`, if it cannot: it must be non-empty
    /// printable ASCII.
    pub fn check_user_agent(agent: &str) -> Result<(), String> {
        if agent.trim().is_empty() || !agent.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
            return Err(format!("'{agent}' must be non-empty printable ASCII"));
        }
        Ok(())
    }

    /// Why `proxy` is not an `http://host:port` proxy, if it is not.
    pub fn check_proxy(proxy: &str) -> Result<(), String> {
        proxy_address(proxy).map(|_| ())
    }

    /// The proxy's host and port, if one is set (the value was checked by [`Net::check`]).
    pub fn proxy_address(&self) -> Option<(String, u16)> {
        self.proxy.as_deref().and_then(|p| proxy_address(p).ok())
    }

    /// The token robots.txt groups are matched against: the user agent up to its first `/`.
    pub fn robots_agent(&self) -> &str {
        self.user_agent
            .split(['/', ' '])
            .next()
            .unwrap_or(&self.user_agent)
    }
}

impl Default for Net {
    fn default() -> Self {
        Net {
            user_agent: Self::DEFAULT_USER_AGENT.to_owned(),
            max_redirects: Self::DEFAULT_MAX_REDIRECTS,
            delay_ms: 0,
            proxy: None,
            ca_pem: None,
        }
    }
}

/// Host and port of an `http://host:port` proxy URL, or why it is not one.
fn proxy_address(proxy: &str) -> Result<(String, u16), String> {
    let url = Url::parse(proxy).map_err(|e| format!("'{proxy}' is not a URL: {e}"))?;
    if url.scheme() != "http" {
        return Err(format!(
            "unknown proxy scheme '{}' in '{proxy}' (supported: http)",
            url.scheme()
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| format!("'{proxy}' has no host"))?;
    // The same rule as at connect: no resolver takes an IPv6 literal's brackets.
    let host = host
        .trim_start_matches('[')
        .trim_end_matches(']')
        .to_owned();
    Ok((host, url.port_or_known_default().unwrap_or(80)))
}

/// The redirect statuses that carry a `Location` to follow.
fn is_redirect(status: u16) -> bool {
    matches!(status, 301 | 302 | 303 | 307 | 308)
}

/// One request's trail of redirects. An engine requests [`Redirects::current`] and then asks
/// [`Redirects::next`] about the response: `true` means a redirect was followed and
/// `current` is now its target, `false` that this response is the one to keep, and an error
/// that the redirect cannot be followed. A request that is not redirected (nearly all of
/// them) costs no allocation: the first URL is borrowed, and only hops are stored.
#[derive(Debug)]
pub struct Redirects<'a> {
    max: usize,
    scope: Option<&'a Scope>,
    first: &'a Url,
    hops: Vec<Url>,
}

impl<'a> Redirects<'a> {
    /// The trail of a request for `first`: at most `max` hops, each inside `scope` if given
    /// (a crawl's), anywhere over http(s) if not.
    pub fn new(first: &'a Url, max: usize, scope: Option<&'a Scope>) -> Self {
        Redirects {
            max,
            scope,
            first,
            hops: Vec::new(),
        }
    }

    /// The URL to request now: the first, or where the last redirect pointed.
    pub fn current(&self) -> &Url {
        self.hops.last().unwrap_or(self.first)
    }

    /// What to do after a response with `status` and `location` to [`Redirects::current`].
    pub fn next(&mut self, status: u16, location: Option<&str>) -> Result<bool, FetchError> {
        if self.max == 0 || !is_redirect(status) {
            return Ok(false);
        }
        let here = self.current();
        let Some(location) = location else {
            return Err(FetchError::Redirect(format!(
                "HTTP {status} from {here} has no Location"
            )));
        };
        let mut to = here.join(location.trim()).map_err(|e| {
            FetchError::Redirect(format!(
                "Location '{location}' from {here} is not a URL: {e}"
            ))
        })?;
        to.set_fragment(None);
        if !matches!(to.scheme(), "http" | "https") {
            return Err(FetchError::Redirect(format!(
                "{here} redirects to {to}, which is not http(s)"
            )));
        }
        if to == *self.first || self.hops.contains(&to) {
            return Err(FetchError::Redirect(format!(
                "loop: {here} redirects back to {to}"
            )));
        }
        if self.hops.len() >= self.max {
            return Err(FetchError::Redirect(format!(
                "more than {} redirects (last: {here} -> {to})",
                self.max
            )));
        }
        if let Some(scope) = self.scope {
            if !scope.contains(&to) {
                return Err(FetchError::Redirect(format!(
                    "{here} redirects to {to}, outside the crawl's scope"
                )));
            }
            // A redirect is no way around robots.txt.
            if let Some(why) = scope.robots_refusal(&to) {
                return Err(FetchError::Redirect(format!(
                    "{here} redirects to {to}: {why}"
                )));
            }
        }
        self.hops.push(to);
        Ok(true)
    }

    /// Where the trail ended, if any redirect was followed.
    pub fn final_url(mut self) -> Option<Url> {
        self.hops.pop()
    }
}

/// Spaces the requests to each host at least `delay` apart (`--delay-ms`). With no delay, the
/// default, it costs one comparison per request: loopback runs are not slowed at all.
#[derive(Debug)]
pub struct Pacer {
    delay: Duration,
    next_start: Mutex<HashMap<String, Instant>>,
}

impl Pacer {
    /// A pacer for `delay_ms` between requests to one host.
    pub fn new(delay_ms: u64) -> Self {
        Pacer {
            delay: Duration::from_millis(delay_ms),
            next_start: Mutex::new(HashMap::new()),
        }
    }

    /// Books the next free start for `url`'s host and says how long to wait for it. Booking,
    /// not just asking, so C requests that ask at once get C different starts.
    pub fn reserve(&self, url: &Url) -> Duration {
        if self.delay.is_zero() {
            return Duration::ZERO;
        }
        let host = url.host_str().unwrap_or_default().to_owned();
        let now = Instant::now();
        let mut next = self.next_start.lock().unwrap_or_else(|p| p.into_inner());
        let start = next.get(&host).map_or(now, |&t| t.max(now));
        next.insert(host, start + self.delay);
        start - now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn redirects_follow_relative_locations_and_stop_at_loops_and_limits() {
        let a = url("http://h/a");
        let mut r = Redirects::new(&a, 10, None);
        assert_eq!(r.next(200, None), Ok(false));
        assert_eq!(r.next(301, Some("/b#x")), Ok(true));
        assert_eq!(r.current(), &url("http://h/b"));
        assert!(
            matches!(r.next(302, Some("a")), Err(FetchError::Redirect(m)) if m.starts_with("loop"))
        );

        let mut short = Redirects::new(&a, 1, None);
        assert!(short.next(307, Some("/1")).is_ok());
        assert!(
            matches!(short.next(307, Some("/2")), Err(FetchError::Redirect(m)) if m.contains("more than 1"))
        );

        let mut none = Redirects::new(&a, 0, None);
        assert_eq!(none.next(301, Some("/b")), Ok(false));
        assert_eq!(none.final_url(), None);

        let mut bad = Redirects::new(&a, 10, None);
        assert!(bad.next(301, None).is_err());
        assert!(bad.next(301, Some("mailto:x@y")).is_err());
    }

    #[test]
    fn a_crawl_follows_redirects_only_within_its_scope() {
        let root = url("http://h/docs/");
        let scope = Scope::new(&root, Some("/docs/".into()));
        let docs = url("http://h/docs");
        let mut inside = Redirects::new(&docs, 10, Some(&scope));
        assert!(inside.next(301, Some("/docs/")).is_ok());
        assert_eq!(inside.final_url(), Some(root.clone()));
        let mut out = Redirects::new(&root, 10, Some(&scope));
        assert!(out.next(301, Some("https://h/docs/")).is_err());
        let mut out = Redirects::new(&root, 10, Some(&scope));
        assert!(out.next(301, Some("/blog/")).is_err());

        let robots = crate::Robots::from_response(
            crate::Robots::location(&root),
            "shootout",
            200,
            b"User-agent: *\nDisallow: /docs/private/\n",
        );
        let polite = scope.with_robots(Some(std::sync::Arc::new(robots)));
        let mut hidden = Redirects::new(&root, 10, Some(&polite));
        assert!(matches!(
            hidden.next(302, Some("/docs/private/x")),
            Err(FetchError::Redirect(m)) if m.contains("disallows")
        ));
    }

    #[test]
    fn net_checks_name_the_field() {
        let bad = |n: Net| n.check().expect_err("should be refused").0;
        let ok = Net::default();
        assert!(ok.check().is_ok());
        assert_eq!(
            bad(Net {
                max_redirects: 101,
                ..ok.clone()
            }),
            "max_redirects"
        );
        assert_eq!(
            bad(Net {
                delay_ms: 60_001,
                ..ok.clone()
            }),
            "delay_ms"
        );
        assert_eq!(
            bad(Net {
                user_agent: "a\nb".into(),
                ..ok.clone()
            }),
            "user_agent"
        );
        for p in ["socks5://127.0.0.1:1080", "not a url", "https://p:1"] {
            assert_eq!(
                bad(Net {
                    proxy: Some(p.into()),
                    ..ok.clone()
                }),
                "proxy",
                "{p}"
            );
        }
        let proxied = Net {
            proxy: Some("http://[::1]:3128".into()),
            ..ok
        };
        assert_eq!(proxied.proxy_address(), Some(("::1".into(), 3128)));
        assert_eq!(Net::default().robots_agent(), "shootout");
    }

    #[test]
    fn the_pacer_books_distinct_starts_per_host() {
        let p = Pacer::new(100);
        let (a, b) = (url("http://a/1"), url("http://b/1"));
        assert_eq!(p.reserve(&a), Duration::ZERO);
        assert_eq!(p.reserve(&b), Duration::ZERO);
        let second = p.reserve(&a);
        assert!(second > Duration::from_millis(50), "{second:?}");
        assert_eq!(Pacer::new(0).reserve(&a), Duration::ZERO);
    }
}
