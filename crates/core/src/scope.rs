//! URL rules for crawling: resolve, normalise, keep to scope (one origin, a path prefix,
//! robots.txt). Admitting each URL once is the [`Frontier`](crate::Frontier)'s job.
//!
//! The order matters. smol's crawler example checks "seen?" *before* normalising, so
//! `/a#top` and `/a` are both fetched. Here a URL is normalised first, then deduplicated.

use std::sync::Arc;

use url::Url;

use crate::journal::Journal;
use crate::robots::Robots;

/// Resolves `href` against the page it was found on and normalises it: the fragment is
/// dropped, an empty query is dropped, and only `http` and `https` URLs survive. The `url`
/// crate already lowercases scheme and host, removes default ports and resolves `.`/`..`.
pub fn normalise(base: &Url, href: &str) -> Option<Url> {
    let mut url = base.join(href.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    if url.query() == Some("") {
        url.set_query(None);
    }
    Some(url)
}

/// [`normalise`], as the string a [`Url`] would serialise to: what a crawl keys its frontier
/// on, so that only a URL the frontier has not seen is ever parsed into a `Url`.
///
/// Most hrefs on a real site are plain relative paths (`struct.Vec.html`,
/// `../../std/index.html#method.push`), which resolve without the URL parser: the base's
/// directory, the href's segments with `.` and `..` applied, the fragment dropped. That fast
/// path is taken only where it is exact, for an http(s) base and an href whose path holds
/// nothing the parser would change (no `%`, `\\`, `?`, `:`, whitespace, non-ASCII or other
/// bytes it percent-encodes, and not `//…`); anything else goes through [`normalise`]. A
/// test checks the two against each other. It is kept, beside the `url` crate, for a measured
/// reason: a crawl of the Rust docs meets each URL about thirty times, and joining every href
/// with `Url::join` was a large part of its per-link work (docs/results.md, "Near the limit",
/// change 2, measured before and after).
pub fn resolve(base: &Url, href: &str) -> Option<String> {
    fast_resolve(base, href).or_else(|| normalise(base, href).map(String::from))
}

/// Bytes that a URL path keeps as they are, `.` and `/` included (none of them is in the
/// path percent-encode set, and none can start a scheme, a query or a fragment).
fn plain_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'/'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'@'
        )
}

/// The fast path of [`resolve`], or `None` where it would not be exact.
fn fast_resolve(base: &Url, href: &str) -> Option<String> {
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return None;
    }
    let href = href.trim();
    // The fragment is dropped, whatever it holds.
    let path = href.split_once('#').map_or(href, |(p, _)| p);
    if path.is_empty() || path.starts_with("//") || !path.bytes().all(plain_path_byte) {
        return None;
    }
    let origin = &base[..url::Position::BeforePath];
    // The path is built in place, one `/segment` at a time, after the origin; popping a
    // segment cuts back to its `/`. (A list of segments joined at the end was an allocation
    // per link, and a crawl resolves about thirty links a page.)
    let mut out = String::with_capacity(origin.len() + base.path().len() + path.len() + 1);
    out.push_str(origin);
    let root = out.len();
    let relative = match path.strip_prefix('/') {
        Some(absolute) => absolute,
        None => {
            // The base's directory: its path up to the last `/`, whose segments are already
            // normalised.
            let dir = base.path();
            out.push_str(&dir[..dir.rfind('/')?]);
            path
        }
    };
    let pop = |out: &mut String| {
        if let Some(at) = out[root..].rfind('/') {
            out.truncate(root + at);
        }
    };
    let mut pieces = relative.split('/').peekable();
    while let Some(piece) = pieces.next() {
        let last = pieces.peek().is_none();
        match piece {
            // The URL standard's "shorten": at the root, `..` stays at the root.
            ".." => {
                pop(&mut out);
                if last {
                    out.push('/');
                }
            }
            "." => {
                if last {
                    out.push('/');
                }
            }
            _ => {
                out.push('/');
                out.push_str(piece);
            }
        }
    }
    if out.len() == root {
        out.push('/');
    }
    Some(out)
}

/// Which URLs a crawl may fetch: the root's origin (scheme, host and port) and, with
/// `--prefix`, only paths under a prefix. Redirects are followed only within it, too.
#[derive(Clone, Debug)]
pub struct Scope {
    root: Url,
    prefix: Option<String>,
    robots: Option<Arc<Robots>>,
}

impl Scope {
    /// The scope of a crawl from `root`, optionally limited to paths starting with `prefix`.
    pub fn new(root: &Url, prefix: Option<String>) -> Scope {
        Scope {
            root: root.clone(),
            prefix,
            robots: None,
        }
    }

    /// This scope, with robots.txt rules that a redirect must obey too.
    pub fn with_robots(self, robots: Option<Arc<Robots>>) -> Scope {
        Scope { robots, ..self }
    }

    /// Why robots.txt forbids fetching `url`, if it does.
    pub fn robots_refusal(&self, url: &Url) -> Option<String> {
        self.robots
            .as_ref()
            .filter(|r| !r.allows(url))
            .map(|r| r.refusal(url))
    }

    /// [`Scope::contains`] for a URL as its canonical string (see [`resolve`]): a string that
    /// starts with the root's origin and a `/` is tested without parsing it; any other is
    /// parsed first (it may still be in scope: `http://user@host/` has the root's origin).
    pub fn contains_str(&self, url: &str) -> bool {
        let origin = &self.root[..url::Position::BeforePath];
        match url.strip_prefix(origin) {
            Some(path) if path.starts_with('/') => {
                let path = path.split_once('?').map_or(path, |(p, _)| p);
                self.prefix.as_deref().is_none_or(|p| path.starts_with(p))
            }
            _ => Url::parse(url).is_ok_and(|u| self.contains(&u)),
        }
    }

    /// Whether `url` is in scope. The origin test is `url.origin() == root.origin()` without
    /// building (and allocating) two `Origin`s per link.
    pub fn contains(&self, url: &Url) -> bool {
        url.scheme() == self.root.scheme()
            && url.host_str() == self.root.host_str()
            && url.port_or_known_default() == self.root.port_or_known_default()
            && self
                .prefix
                .as_deref()
                .is_none_or(|p| url.path().starts_with(p))
    }
}

/// Everything a crawl is told besides where to start: how far it may go, and who is told
/// about each record as it is made.
#[derive(Clone, Debug, Default)]
pub struct CrawlSpec {
    /// Stop admitting URLs after this many (the root included).
    pub max_pages: usize,
    /// Follow links at most this many hops from the root (0: the root only).
    pub max_depth: Option<usize>,
    /// Admit only paths that start with this prefix (the root is always fetched).
    pub prefix: Option<String>,
    /// The site's robots.txt rules; `None` allows everything.
    pub robots: Option<Arc<Robots>>,
    /// Told of every admitted URL and every finished record, as they happen.
    pub journal: Option<Arc<Journal>>,
}

impl CrawlSpec {
    /// A crawl of at most `max_pages` pages, with no other limit.
    pub fn pages(max_pages: usize) -> CrawlSpec {
        CrawlSpec {
            max_pages,
            ..CrawlSpec::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives exactly what the URL parser gives, wherever it answers at all,
    /// and answers for the hrefs real pages hold.
    #[test]
    fn the_fast_path_resolves_exactly_as_the_url_parser_does() {
        let bases = [
            "http://h/",
            "http://h/a/b.html",
            "https://h:8443/a/b/",
            "http://u:p@h/a/b/c?q=1#f",
            "http://127.0.0.1:8080/std/vec/struct.Vec.html",
            "http://h/a//b/",
        ];
        let pieces = [
            "a",
            "b.html",
            ".",
            "..",
            "",
            "x-y_z~",
            "!$&'()*+,;=@",
            "...",
            ".a",
            "a.",
        ];
        let mut fast = 0;
        let mut hrefs: Vec<String> = [
            "struct.Vec.html",
            "../../std/index.html#method.push",
            "/",
            "/a/../../b",
            "./",
            "..",
            "../",
            "a//..",
            "//other/x",
            "#top",
            "?q",
            "a?b",
            "a%2e",
            "%2e%2e/x",
            "a b",
            " a ",
            "a\\b",
            "http:x",
            "mailto:m",
            "é",
            "a\tb",
            "a#b#c",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for a in pieces {
            for b in pieces {
                for sep in ["/", "//"] {
                    hrefs.push(format!("{a}{sep}{b}"));
                    hrefs.push(format!("/{a}{sep}{b}"));
                    hrefs.push(format!("{a}{sep}{b}/"));
                    hrefs.push(format!("{a}{sep}{b}#{a}"));
                }
            }
        }
        for base in bases {
            let base = Url::parse(base).expect("test base");
            for href in &hrefs {
                let slow = normalise(&base, href).map(String::from);
                if let Some(got) = fast_resolve(&base, href) {
                    fast += 1;
                    assert_eq!(Some(&got), slow.as_ref(), "{href:?} on {base}");
                }
                assert_eq!(resolve(&base, href), slow, "{href:?} on {base}");
            }
        }
        assert!(
            fast > hrefs.len(),
            "the fast path answered only {fast} times"
        );
    }

    #[test]
    fn scope_on_strings_agrees_with_scope_on_urls() {
        let root = Url::parse("http://h:8080/docs/").expect("root");
        for prefix in [None, Some("/docs/".to_owned())] {
            let scope = Scope::new(&root, prefix);
            for url in [
                "http://h:8080/docs/a",
                "http://h:8080/blog",
                "http://h:8080/docs?x",
                "http://h:8081/docs/a",
                "http://h:80/docs/a",
                "http://h.evil:8080/docs/a",
                "https://h:8080/docs/a",
                "http://user@h:8080/docs/a",
                "http://h:8080/",
            ] {
                let parsed = Url::parse(url).expect("test URL");
                assert_eq!(
                    scope.contains_str(parsed.as_str()),
                    scope.contains(&parsed),
                    "{url}"
                );
            }
        }
    }
}
