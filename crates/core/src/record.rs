//! The page record, the typed fetch error, and the raw response an HTTP engine returns.
//!
//! "Nothing lost": every requested URL ends as exactly one [`PageRecord`], a success or an
//! error of a known kind. The JSON form is one object per page with exactly the fields
//! `url`, `status`, `title`, `links`, `size` and `error`, plus `final_url` when redirects were
//! followed, `latency` where a request was timed and `checksum` for a file.

use std::fmt;
use std::str::FromStr;

use bytes::Bytes;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::latency::{Latency, Span};

/// What an HTTP engine hands back for a request that got a response, whatever its status.
#[derive(Clone, Debug)]
pub struct Fetched {
    /// The HTTP status code.
    pub status: u16,
    /// The `Content-Type` header, if the server sent one.
    pub content_type: Option<String>,
    /// The body bytes, at most the configured cap. `Bytes`, so that an engine can hand over
    /// the buffer the body arrived in without copying it.
    pub body: Bytes,
    /// Where the response really came from, when redirects were followed to get it.
    pub final_url: Option<url::Url>,
    /// When the request was taken up and when its body was complete, as the engine that made
    /// it stamped them (see [`crate::latency`]); `None` where no engine made it.
    pub span: Option<Span>,
}

impl Fetched {
    /// Whether the body should be parsed as HTML: a missing Content-Type counts as HTML,
    /// as browsers sniff it; anything else must say `text/html` or `application/xhtml+xml`.
    pub fn is_html(&self) -> bool {
        match &self.content_type {
            None => true,
            Some(ct) => {
                let mime = ct
                    .split(';')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                mime == "text/html" || mime == "application/xhtml+xml"
            }
        }
    }
}

/// Why a URL did not yield a successful page. Every variant maps to one `kind` word, which
/// starts the `error` string in JSON output (for example `"timeout: no response within 30000 ms"`).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FetchError {
    /// The server answered with a non-2xx status. The record also carries the status.
    #[error("status: HTTP {0}")]
    Status(u16),
    /// No complete response arrived within the per-request timeout.
    #[error("timeout: no response within {0} ms")]
    Timeout(u64),
    /// The TCP connection could not be made (refused, unreachable, DNS failure).
    #[error("connect: {0}")]
    Connect(String),
    /// The body was larger than the configured cap.
    #[error("too_large: body exceeds {0} bytes")]
    TooLarge(usize),
    /// The connection broke or the peer spoke malformed HTTP.
    #[error("protocol: {0}")]
    Protocol(String),
    /// The URL could not be requested at all (bad syntax, unsupported scheme).
    #[error("url: {0}")]
    Url(String),
    /// The engine cannot do this request, for example https on a plain-TCP engine.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// The contestant itself failed on this URL (a worker panicked or was cancelled).
    /// Recorded rather than lost, so a broken contestant shows up as wrong, not as fast.
    #[error("internal: {0}")]
    Internal(String),
    /// The TLS handshake failed: an untrusted or expired certificate, a name mismatch, or a
    /// server that does not speak TLS.
    #[error("tls: {0}")]
    Tls(String),
    /// A redirect could not be followed: a loop, more hops than `--max-redirects`, a
    /// `Location` that is missing or not http(s), or (in a crawl) a target out of scope.
    #[error("redirect: {0}")]
    Redirect(String),
    /// The site's robots.txt disallows this URL for our user agent, so it was not fetched.
    #[error("robots: {0}")]
    Robots(String),
    /// The crawl was stopped (Ctrl-C or `--deadline-s`) after this URL was admitted and before
    /// its page was finished (it was being fetched, or still queued).
    #[error("cancelled: {0}")]
    Cancelled(String),
    /// An open-loop (`load`) request fell due with C requests in flight and Q waiting, so it
    /// was refused without being sent (see [`crate::load`]). It has no latency.
    #[error("overload: {0}")]
    Overload(String),
    /// A file of the `files` scenario could not be read (missing, unreadable, a directory):
    /// what the system said.
    #[error("io: {0}")]
    Io(String),
}

impl FetchError {
    /// The kind word that starts the error string: `status`, `timeout`, `connect`, …
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Status(_) => "status",
            FetchError::Timeout(_) => "timeout",
            FetchError::Connect(_) => "connect",
            FetchError::TooLarge(_) => "too_large",
            FetchError::Protocol(_) => "protocol",
            FetchError::Url(_) => "url",
            FetchError::Unsupported(_) => "unsupported",
            FetchError::Internal(_) => "internal",
            FetchError::Tls(_) => "tls",
            FetchError::Redirect(_) => "redirect",
            FetchError::Robots(_) => "robots",
            FetchError::Cancelled(_) => "cancelled",
            FetchError::Overload(_) => "overload",
            FetchError::Io(_) => "io",
        }
    }
}

/// An error string that does not start with a known kind.
#[derive(Debug, thiserror::Error)]
#[error("unrecognised error record '{0}'")]
pub struct UnknownErrorKind(String);

impl FromStr for FetchError {
    type Err = UnknownErrorKind;

    /// Parses the string form back, so records survive the trip from a child process.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || UnknownErrorKind(s.to_owned());
        let (kind, rest) = s.split_once(": ").ok_or_else(bad)?;
        let number = |text: &str| -> Result<u64, UnknownErrorKind> {
            text.split_whitespace()
                .find_map(|w| w.parse().ok())
                .ok_or_else(bad)
        };
        Ok(match kind {
            "status" => FetchError::Status(u16::try_from(number(rest)?).map_err(|_| bad())?),
            "timeout" => FetchError::Timeout(number(rest)?),
            "connect" => FetchError::Connect(rest.to_owned()),
            "too_large" => FetchError::TooLarge(usize::try_from(number(rest)?).map_err(|_| bad())?),
            "protocol" => FetchError::Protocol(rest.to_owned()),
            "url" => FetchError::Url(rest.to_owned()),
            "unsupported" => FetchError::Unsupported(rest.to_owned()),
            "internal" => FetchError::Internal(rest.to_owned()),
            "tls" => FetchError::Tls(rest.to_owned()),
            "redirect" => FetchError::Redirect(rest.to_owned()),
            "robots" => FetchError::Robots(rest.to_owned()),
            "cancelled" => FetchError::Cancelled(rest.to_owned()),
            "overload" => FetchError::Overload(rest.to_owned()),
            "io" => FetchError::Io(rest.to_owned()),
            _ => return Err(bad()),
        })
    }
}

/// One line of output: what became of one URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageRecord {
    /// The URL as requested (after normalisation, for crawls).
    pub url: String,
    /// The HTTP status, or `None` when no response arrived (or there was no HTTP at all).
    pub status: Option<u16>,
    /// The whitespace-trimmed text of the first `<title>`, if the page was parsed and has one.
    pub title: Option<String>,
    /// The number of `<a>` elements, counted as the Python original does (with or without href).
    pub links: usize,
    /// Body bytes received.
    pub size: usize,
    /// Why this URL failed, or `None` for a success.
    #[serde(
        serialize_with = "error_to_string",
        deserialize_with = "error_from_string"
    )]
    pub error: Option<FetchError>,
    /// Where redirects led, when any were followed: the response (status, title, links, size)
    /// is the final URL's, while `url` stays the URL that was asked for. Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// How long the request took, from when it was due to its body and to this record
    /// ([`crate::latency`]): `{"body_us": …, "ready_us": …}`. Absent where nothing was
    /// fetched (`sleep`, `parse`), and for a request that got no response in a closed-loop
    /// scenario. Never compared by verification.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency: Option<Latency>,
    /// For a file of the `files` scenario: the CRC-32 of its bytes, as `zlib.crc32` gives it
    /// ([`crate::files::checksum`]), which verification checks. Absent everywhere else.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checksum: Option<u32>,
}

impl PageRecord {
    /// A record for a URL that produced no response.
    pub fn failed(url: impl Into<String>, error: FetchError) -> Self {
        PageRecord {
            url: url.into(),
            status: None,
            title: None,
            links: 0,
            size: 0,
            error: Some(error),
            final_url: None,
            latency: None,
            checksum: None,
        }
    }

    /// Whether this record is a success.
    pub fn is_ok(&self) -> bool {
        self.error.is_none()
    }
}

impl fmt::Display for PageRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let status = self
            .status
            .map_or_else(|| "---".to_owned(), |s| s.to_string());
        match &self.error {
            None => write!(
                f,
                "{status} {:>4} links {:>8} B  {}  {}",
                self.links,
                self.size,
                self.title.as_deref().unwrap_or("(no title)"),
                self.url
            ),
            Some(e) => write!(f, "{status} {e}  {}", self.url),
        }?;
        match &self.final_url {
            Some(to) => write!(f, " -> {to}"),
            None => Ok(()),
        }
    }
}

fn error_to_string<S: Serializer>(e: &Option<FetchError>, s: S) -> Result<S::Ok, S::Error> {
    match e {
        Some(e) => s.serialize_some(&e.to_string()),
        None => s.serialize_none(),
    }
}

fn error_from_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<FetchError>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| t.parse().map_err(serde::de::Error::custom))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_round_trip_through_their_string_form() {
        let all = [
            FetchError::Status(404),
            FetchError::Timeout(30_000),
            FetchError::Connect("connection refused".into()),
            FetchError::TooLarge(1024),
            FetchError::Protocol("connection reset".into()),
            FetchError::Url("relative URL without a base".into()),
            FetchError::Unsupported("https".into()),
            FetchError::Internal("worker panicked".into()),
            FetchError::Tls("invalid peer certificate: UnknownIssuer".into()),
            FetchError::Redirect("loop back to http://h/a".into()),
            FetchError::Robots("disallowed by http://h/robots.txt".into()),
            FetchError::Cancelled("interrupted".into()),
            FetchError::Overload("50 in flight and 1000 waiting".into()),
            FetchError::Io("No such file or directory (os error 2)".into()),
        ];
        for e in all {
            let back: FetchError = e.to_string().parse().expect("round trip");
            assert_eq!(back, e);
            assert!(e.to_string().starts_with(e.kind()));
        }
        assert!("nonsense".parse::<FetchError>().is_err());
    }

    #[test]
    fn json_has_exactly_the_documented_fields() {
        let r = PageRecord::failed("http://x/", FetchError::Timeout(5));
        let v: serde_json::Value = serde_json::to_value(&r).expect("serialise");
        let mut keys: Vec<_> = v.as_object().expect("object").keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["error", "links", "size", "status", "title", "url"]);
        assert_eq!(v["error"], "timeout: no response within 5 ms");
        let back: PageRecord = serde_json::from_value(v).expect("deserialise");
        assert_eq!(back, r);
        // `final_url` appears only where redirects were followed.
        let moved = PageRecord {
            final_url: Some("http://x/dir/".into()),
            ..r
        };
        let v: serde_json::Value = serde_json::to_value(&moved).expect("serialise");
        assert_eq!(v["final_url"], "http://x/dir/");
        let back: PageRecord = serde_json::from_value(v).expect("deserialise");
        assert_eq!(back, moved);
        // So does `latency`, where the request was timed.
        let timed = PageRecord {
            latency: Some(Latency {
                body_us: 1500,
                ready_us: 1700,
            }),
            ..moved
        };
        let v: serde_json::Value = serde_json::to_value(&timed).expect("serialise");
        assert_eq!(
            v["latency"],
            serde_json::json!({"body_us": 1500, "ready_us": 1700})
        );
        let back: PageRecord = serde_json::from_value(v).expect("deserialise");
        assert_eq!(back, timed);
    }

    #[test]
    fn content_type_decides_html() {
        let mut f = Fetched {
            status: 200,
            content_type: None,
            body: Bytes::new(),
            final_url: None,
            span: None,
        };
        assert!(f.is_html());
        f.content_type = Some("text/HTML; charset=utf-8".into());
        assert!(f.is_html());
        f.content_type = Some("text/plain".into());
        assert!(!f.is_html());
    }
}
