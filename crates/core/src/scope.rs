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
