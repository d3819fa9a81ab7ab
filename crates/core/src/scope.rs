//! URL rules for crawling: resolve, normalise, keep to one origin, admit each URL once.
//!
//! The order matters. smol's crawler example checks "seen?" *before* normalising, so
//! `/a#top` and `/a` are both fetched. Here a URL is normalised first, then deduplicated.

use std::collections::HashSet;

use url::{Origin, Url};

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
/// per URL, and stops saying yes after `max_pages` admissions.
#[derive(Debug)]
pub struct Frontier {
    origin: Origin,
    seen: HashSet<Url>,
    max_pages: usize,
}

impl Frontier {
    /// A frontier for a crawl from `root`, which is admitted at once. The scope is the
    /// root's origin: scheme, host and port.
    pub fn new(root: &Url, max_pages: usize) -> (Frontier, Url) {
        let root = normalise(root, "").unwrap_or_else(|| root.clone());
        let mut f = Frontier {
            origin: root.origin(),
            seen: HashSet::new(),
            max_pages: max_pages.max(1),
        };
        f.seen.insert(root.clone());
        (f, root)
    }

    /// Admits `href` (found on `base`) if it is in scope, new, and under the page cap.
    pub fn admit(&mut self, base: &Url, href: &str) -> Option<Url> {
        if self.is_full() {
            return None;
        }
        let url = normalise(base, href)?;
        if url.origin() != self.origin || self.seen.contains(&url) {
            return None;
        }
        self.seen.insert(url.clone());
        Some(url)
    }

    /// Admits every href found on `base`, in order, and returns the new URLs.
    pub fn admit_all<'a>(
        &mut self,
        base: &Url,
        hrefs: impl IntoIterator<Item = &'a String>,
    ) -> Vec<Url> {
        hrefs
            .into_iter()
            .filter_map(|h| self.admit(base, h))
            .collect()
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
        let got: Vec<String> = f
            .admit_all(
                &page,
                &[
                    "/page/2".to_owned(),
                    "./2#top".to_owned(),
                    "HTTP://127.0.0.1:8080/page/./2".to_owned(),
                    "/page/2?".to_owned(),
                    "/".to_owned(),
                    "#self".to_owned(),
                    "http://127.0.0.1:9999/page/3".to_owned(),
                    "https://127.0.0.1:8080/page/3".to_owned(),
                    "mailto:a@b.invalid".to_owned(),
                    "javascript:void(0)".to_owned(),
                    "../page/3".to_owned(),
                ],
            )
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
        let base = url("http://h/");
        assert!(f.admit(&base, "/a").is_some());
        assert!(f.is_full());
        assert!(f.admit(&base, "/b").is_none());
    }
}
