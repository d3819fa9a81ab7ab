//! robots.txt: which URLs of a site a crawler may fetch, parsed by the maintained
//! `texting_robots` crate (Google's matching rules: the longest rule wins, `*` and `$`).
//!
//! A crawl fetches `/robots.txt` once, before it starts, and its frontier asks [`Robots::allows`]
//! for every URL it admits: a disallowed URL is recorded as `robots` and never fetched. What
//! a status means follows RFC 9309: 2xx is the rules, 4xx means no rules, and a server error
//! means "assume everything is disallowed".

use std::fmt;
use std::time::Duration;

use url::Url;

/// The rules of one site for one user agent.
pub struct Robots {
    source: Url,
    rules: Rules,
}

enum Rules {
    /// A parsed robots.txt.
    Parsed(Box<texting_robots::Robot>),
    /// No robots.txt (a 4xx): everything is allowed.
    AllowAll,
    /// The server failed (5xx): nothing is allowed.
    DisallowAll(u16),
}

impl Robots {
    /// Where `root`'s site keeps its robots.txt.
    pub fn location(root: &Url) -> Url {
        root.join("/robots.txt")
            .expect("an absolute path joins onto any http(s) URL")
    }

    /// The rules for `agent` from the response to [`Robots::location`]: its status and body.
    pub fn from_response(source: Url, agent: &str, status: u16, body: &[u8]) -> Robots {
        let rules = match status {
            200..=299 => match texting_robots::Robot::new(agent, body) {
                Ok(r) => Rules::Parsed(Box::new(r)),
                // The parser is forgiving; a file it still cannot read states no rules.
                Err(_) => Rules::AllowAll,
            },
            500..=599 => Rules::DisallowAll(status),
            _ => Rules::AllowAll,
        };
        Robots { source, rules }
    }

    /// Rules that allow everything (`--ignore-robots`, or no robots.txt).
    pub fn allow_all(source: Url) -> Robots {
        Robots {
            source,
            rules: Rules::AllowAll,
        }
    }

    /// Whether `url` may be fetched.
    pub fn allows(&self, url: &Url) -> bool {
        match &self.rules {
            Rules::Parsed(r) => r.allowed(url.as_str()),
            Rules::AllowAll => true,
            Rules::DisallowAll(_) => false,
        }
    }

    /// The `Crawl-delay` the file asks of this agent, if any.
    pub fn crawl_delay(&self) -> Option<Duration> {
        match &self.rules {
            Rules::Parsed(r) => r
                .delay
                .filter(|d| d.is_finite() && *d > 0.0)
                .map(|d| Duration::from_secs_f32(d.min(3600.0))),
            _ => None,
        }
    }

    /// Why `url` is not fetched, for its record.
    pub fn refusal(&self, url: &Url) -> String {
        match &self.rules {
            Rules::DisallowAll(status) => format!(
                "{} answered HTTP {status}, so every URL counts as disallowed",
                self.source
            ),
            _ => format!("{} disallows {}", self.source, url.path()),
        }
    }
}

impl fmt::Debug for Robots {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let rules = match &self.rules {
            Rules::Parsed(_) => "parsed".to_owned(),
            Rules::AllowAll => "allow all".to_owned(),
            Rules::DisallowAll(s) => format!("disallow all (HTTP {s})"),
        };
        write!(f, "Robots({}: {rules})", self.source)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn rules_by_status_and_agent() {
        let src = Robots::location(&url("http://h/docs/index.html"));
        assert_eq!(src.as_str(), "http://h/robots.txt");
        let txt = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 2\n\n\
                    User-agent: shootout\nDisallow: /slow/\nAllow: /slow/ok\n";
        let ours = Robots::from_response(src.clone(), "shootout", 200, txt);
        assert!(!ours.allows(&url("http://h/slow/x")));
        assert!(ours.allows(&url("http://h/slow/ok")));
        // Our own group replaces `*`, as the standard says.
        assert!(ours.allows(&url("http://h/private/x")));
        let other = Robots::from_response(src.clone(), "otherbot", 200, txt);
        assert!(!other.allows(&url("http://h/private/x")));
        assert_eq!(other.crawl_delay(), Some(Duration::from_secs(2)));

        assert!(
            Robots::from_response(src.clone(), "shootout", 404, b"").allows(&url("http://h/a"))
        );
        let down = Robots::from_response(src.clone(), "shootout", 503, b"");
        assert!(!down.allows(&url("http://h/a")));
        assert!(down.refusal(&url("http://h/a")).contains("HTTP 503"));
    }
}
