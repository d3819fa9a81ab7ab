//! URL rules for crawling: resolve, normalise, keep to one origin, admit each URL once.
//!
//! The order matters. smol's crawler example checks "seen?" *before* normalising, so
//! `/a#top` and `/a` are both fetched. Here a URL is normalised first, then deduplicated.

use std::collections::HashSet;

use url::Url;

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

/// The crawl frontier's bookkeeping: which URLs are in scope and which were already admitted.
///
/// It holds no queue, because how work is queued (a `VecDeque`, a channel, a task per URL) is
/// each contestant's own choice. It only answers "should this URL be fetched?", exactly once
/// per URL, and stops saying yes after `max_pages` admissions. The links it is given are
/// already resolved and normalised (by [`crate::page::crawl_page`], in each page's own task),
/// so the one coordinator that owns the frontier does only a comparison and a hash lookup per
/// link.
#[derive(Debug)]
pub struct Frontier {
    root: Url,
    seen: HashSet<Url>,
    max_pages: usize,
}

impl Frontier {
    /// A frontier for a crawl from `root`, which is admitted at once. The scope is the
    /// root's origin: scheme, host and port.
    pub fn new(root: &Url, max_pages: usize) -> (Frontier, Url) {
        let root = normalise(root, "").unwrap_or_else(|| root.clone());
        let mut f = Frontier {
            root: root.clone(),
            seen: HashSet::new(),
            max_pages: max_pages.max(1),
        };
        f.seen.insert(root.clone());
        (f, root)
    }

    /// Whether `url` has the root's origin. The same test as `url.origin() == root.origin()`
    /// without building (and allocating) two `Origin`s per link.
    fn in_scope(&self, url: &Url) -> bool {
        url.scheme() == self.root.scheme()
            && url.host_str() == self.root.host_str()
            && url.port_or_known_default() == self.root.port_or_known_default()
    }

    /// Admits `url` (a normalised link) if it is in scope, new, and under the page cap.
    pub fn admit(&mut self, url: Url) -> Option<Url> {
        if self.is_full() || !self.in_scope(&url) || self.seen.contains(&url) {
            return None;
        }
        self.seen.insert(url.clone());
        Some(url)
    }

    /// Admits every link, in order, and returns the new URLs.
    pub fn admit_all(&mut self, links: impl IntoIterator<Item = Url>) -> Vec<Url> {
        links.into_iter().filter_map(|u| self.admit(u)).collect()
    }

    /// How many URLs have been admitted, the root included.
    pub fn admitted(&self) -> usize {
        self.seen.len()
    }

    /// Whether the page cap is reached.
    pub fn is_full(&self) -> bool {
        self.seen.len() >= self.max_pages
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    #[test]
    fn normalises_before_deduplicating() {
        let (mut f, root) = Frontier::new(&url("http://127.0.0.1:8080"), 100);
        assert_eq!(root.as_str(), "http://127.0.0.1:8080/");
        let page = url("http://127.0.0.1:8080/page/1");
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
        let got: Vec<String> = f
            .admit_all(hrefs.iter().filter_map(|h| normalise(&page, h)))
            .into_iter()
            .map(String::from)
            .collect();
        assert_eq!(
            got,
            [
                "http://127.0.0.1:8080/page/2",
                "http://127.0.0.1:8080/page/1",
                "http://127.0.0.1:8080/page/3"
            ]
        );
        assert_eq!(f.admitted(), 4);
    }

    #[test]
    fn stops_at_the_page_cap() {
        let (mut f, _) = Frontier::new(&url("http://h/"), 2);
        assert!(f.admit(url("http://h/a")).is_some());
        assert!(f.is_full());
        assert!(f.admit(url("http://h/b")).is_none());
    }
}
