//! URL rules for crawling: resolve, normalise, keep to scope (one origin, a path prefix, a
//! depth, robots.txt), admit each URL once.
//!
//! The order matters. smol's crawler example checks "seen?" *before* normalising, so
//! `/a#top` and `/a` are both fetched. Here a URL is normalised first, then deduplicated.

use std::collections::HashMap;
use std::sync::Arc;

use url::Url;

use crate::journal::Journal;
use crate::page::Scraped;
use crate::record::{FetchError, PageRecord};
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

/// The crawl frontier's bookkeeping: which URLs are in scope and which were already admitted.
///
/// It holds no queue, because how work is queued (a `VecDeque`, a channel, a task per URL) is
/// each contestant's own choice. It only answers "should this URL be fetched?", exactly once
/// per URL, and stops saying yes after `max_pages` admissions. The links it is given are
/// already resolved and normalised (by [`crate::page::crawl_page`], in each page's own task),
/// so the one coordinator that owns the frontier does only a comparison and a hash lookup per
/// link.
///
/// A link robots.txt disallows is admitted too, but never fetched: [`Frontier::finish`] adds
/// its `robots` record at once, so it still gets exactly one record.
#[derive(Debug)]
pub struct Frontier {
    scope: Arc<Scope>,
    /// Every URL seen, with its depth (hops from the root).
    depth: HashMap<String, usize>,
    admitted: usize,
    max_pages: usize,
    max_depth: usize,
    robots: Option<Arc<Robots>>,
    journal: Option<Arc<Journal>>,
}

impl Frontier {
    /// A frontier for a crawl from `root`, which is admitted at once.
    pub fn new(root: &Url, spec: &CrawlSpec) -> (Frontier, Url) {
        let root = normalise(root, "").unwrap_or_else(|| root.clone());
        let mut f = Frontier {
            scope: Arc::new(
                Scope::new(&root, spec.prefix.clone()).with_robots(spec.robots.clone()),
            ),
            depth: HashMap::new(),
            admitted: 1,
            max_pages: spec.max_pages.max(1),
            max_depth: spec.max_depth.unwrap_or(usize::MAX),
            robots: spec.robots.clone(),
            journal: spec.journal.clone(),
        };
        f.depth.insert(root.as_str().to_owned(), 0);
        if let Some(j) = &f.journal {
            j.admitted(&root);
        }
        (f, root)
    }

    /// The crawl's scope, for the HTTP client: redirects are followed only inside it.
    pub fn scope(&self) -> Arc<Scope> {
        self.scope.clone()
    }

    /// Takes a finished page: adds its record to `records` (and tells the journal), and
    /// returns the URLs among its links to fetch next.
    pub fn finish(&mut self, page: Scraped, records: &mut Vec<PageRecord>) -> Vec<Url> {
        let depth = self.depth.get(&page.record.url).map_or(1, |d| d + 1);
        // Where a redirect led is now fetched: a link to it later is not fetched again.
        if let Some(to) = &page.record.final_url {
            self.depth.entry(to.clone()).or_insert(depth - 1);
        }
        if let Some(j) = &self.journal {
            j.finished(&page.record);
        }
        records.push(page.record);
        page.links
            .into_iter()
            .filter_map(|u| self.admit(u, depth, records))
            .collect()
    }

    /// Admits `url` (a normalised link found `depth` hops from the root) if it is in scope,
    /// new, within the depth limit and under the page cap, and robots.txt allows it.
    fn admit(&mut self, url: Url, depth: usize, records: &mut Vec<PageRecord>) -> Option<Url> {
        if self.is_full()
            || depth > self.max_depth
            || !self.scope.contains(&url)
            || self.depth.contains_key(url.as_str())
        {
            return None;
        }
        // A stopped crawl takes no new URLs.
        if self.journal.as_ref().is_some_and(|j| j.is_closed()) {
            return None;
        }
        self.depth.insert(url.as_str().to_owned(), depth);
        self.admitted += 1;
        if let Some(robots) = self.robots.as_ref().filter(|r| !r.allows(&url)) {
            let record = PageRecord::failed(url.as_str(), FetchError::Robots(robots.refusal(&url)));
            if let Some(j) = &self.journal {
                j.finished(&record);
            }
            records.push(record);
            return None;
        }
        if let Some(j) = &self.journal {
            j.admitted(&url);
        }
        Some(url)
    }

    /// How many URLs have been admitted, the root and those robots.txt refused included.
    pub fn admitted(&self) -> usize {
        self.admitted
    }

    /// Whether the page cap is reached.
    pub fn is_full(&self) -> bool {
        self.admitted >= self.max_pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    /// A finished page at `at` linking to `links`.
    fn page(at: &str, links: &[&str]) -> Scraped {
        let at = url(at);
        Scraped {
            record: PageRecord::failed(at.as_str(), FetchError::Status(200)),
            links: links.iter().filter_map(|h| normalise(&at, h)).collect(),
        }
    }

    fn strings(urls: Vec<Url>) -> Vec<String> {
        urls.into_iter().map(String::from).collect()
    }

    #[test]
    fn normalises_before_deduplicating() {
        let (mut f, root) = Frontier::new(&url("http://127.0.0.1:8080"), &CrawlSpec::pages(100));
        assert_eq!(root.as_str(), "http://127.0.0.1:8080/");
        let hrefs = [
            "/page/2",
            "./2#top",
            "HTTP://127.0.0.1:8080/page/./2",
            "/page/2?",
            "/",
            "#self",
            "http://127.0.0.1:9999/page/3",
            "https://127.0.0.1:8080/page/3",
            "http://localhost:8080/page/3",
            "mailto:a@b.invalid",
            "javascript:void(0)",
            "../page/3",
        ];
        let mut records = Vec::new();
        let got = f.finish(page("http://127.0.0.1:8080/page/1", &hrefs), &mut records);
        assert_eq!(
            strings(got),
            [
                "http://127.0.0.1:8080/page/2",
                "http://127.0.0.1:8080/page/1",
                "http://127.0.0.1:8080/page/3"
            ]
        );
        assert_eq!((f.admitted(), records.len()), (4, 1));
    }

    #[test]
    fn stops_at_the_page_cap() {
        let (mut f, _) = Frontier::new(&url("http://h/"), &CrawlSpec::pages(2));
        let got = f.finish(page("http://h/", &["/a", "/b"]), &mut Vec::new());
        assert_eq!(strings(got), ["http://h/a"]);
        assert!(f.is_full());
    }

    #[test]
    fn depth_and_prefix_limit_the_crawl() {
        let spec = CrawlSpec {
            max_pages: 100,
            max_depth: Some(1),
            prefix: Some("/docs/".into()),
            ..CrawlSpec::default()
        };
        let (mut f, root) = Frontier::new(&url("http://h/docs/"), &spec);
        let mut records = Vec::new();
        let first = f.finish(page(root.as_str(), &["/docs/a", "/blog/b"]), &mut records);
        assert_eq!(strings(first), ["http://h/docs/a"]);
        // /docs/a is at depth 1: its links would be at depth 2.
        let second = f.finish(page("http://h/docs/a", &["/docs/deeper"]), &mut records);
        assert!(second.is_empty());
    }

    #[test]
    fn robots_refusals_get_a_record_and_are_not_fetched() {
        let root = url("http://h/");
        let robots = Robots::from_response(
            Robots::location(&root),
            "shootout",
            200,
            b"User-agent: *\nDisallow: /private/\n",
        );
        let spec = CrawlSpec {
            max_pages: 100,
            robots: Some(Arc::new(robots)),
            ..CrawlSpec::default()
        };
        let (mut f, root) = Frontier::new(&root, &spec);
        let mut records = Vec::new();
        let next = f.finish(
            page(root.as_str(), &["/private/x", "/public"]),
            &mut records,
        );
        assert_eq!(strings(next), ["http://h/public"]);
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].url, "http://h/private/x");
        assert_eq!(
            records[1].error.as_ref().map(FetchError::kind),
            Some("robots")
        );
        // Seen once, recorded once.
        assert!(
            f.finish(page("http://h/public", &["/private/x"]), &mut records)
                .is_empty()
        );
        assert_eq!(records.len(), 3);
    }
}
