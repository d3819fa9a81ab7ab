//! HTML extraction: body bytes in, title, link count and hrefs out.
//!
//! Extraction sits behind one small interface ([`Extractor`]) because a later comparison will
//! swap the strategy (a full DOM parse here; a streaming tokenizer later) while every contestant
//! keeps calling the same function.

use std::sync::LazyLock;

use scraper::{Html, Selector};

/// What extraction finds in one HTML body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Whitespace-trimmed text of the first `<title>` element, if any.
    pub title: Option<String>,
    /// The number of `<a>` elements, with or without `href` (the Python original's count).
    pub links: usize,
    /// The raw `href` values, in document order, not yet resolved or filtered.
    pub hrefs: Vec<String>,
}

/// A strategy that turns HTML bytes into an [`Extracted`].
///
/// Implementations must be pure CPU work with no shared state, so a contestant may call them
/// from any thread or blocking pool.
pub trait Extractor: Send + Sync {
    /// Extracts title, link count and hrefs from an HTML body.
    fn extract(&self, body: &[u8]) -> Extracted;
}

/// The DOM strategy: html5ever (through `scraper`) builds the whole tree, then CSS selectors
/// query it. Spec-compliant: `<a>` inside `<script>` or comments is not counted.
#[derive(Clone, Copy, Debug, Default)]
pub struct DomExtractor;

// Build each selector once for the whole process. smol's crawler example re-parses its
// selector on every page; that is wasted CPU inside the very work we measure.
static TITLE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("title").expect("'title' is a valid CSS selector"));
static ANCHOR: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("a").expect("'a' is a valid CSS selector"));

impl Extractor for DomExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        // Invalid UTF-8 is replaced rather than rejected, as browsers do.
        let text = String::from_utf8_lossy(body);
        // `Html` is !Send (it uses non-atomic reference counts), so it never leaves this
        // function: callers on other threads get plain owned data back.
        let doc = Html::parse_document(&text);
        let title = doc
            .select(&TITLE)
            .next()
            .map(|t| t.text().collect::<String>().trim().to_owned());
        let mut links = 0;
        let mut hrefs = Vec::new();
        for a in doc.select(&ANCHOR) {
            links += 1;
            if let Some(href) = a.value().attr("href") {
                hrefs.push(href.to_owned());
            }
        }
        Extracted {
            title,
            links,
            hrefs,
        }
    }
}

/// Extracts with the default strategy ([`DomExtractor`]). Every contestant calls this.
pub fn extract(body: &[u8]) -> Extracted {
    DomExtractor.extract(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_anchors_like_a_browser_does() {
        let html = br#"<html><head><title>
              Fish &amp; Chips </title>
            <script>var s = "<a href='/no'>";</script></head>
            <body><!-- <a href="/commented"> -->
            <a href="/one">1</a> <a name="anchor-without-href">x</a>
            <p><a href="two#frag">2</a></p></body></html>"#;
        let e = extract(html);
        assert_eq!(e.title.as_deref(), Some("Fish & Chips"));
        assert_eq!(e.links, 3);
        assert_eq!(e.hrefs, ["/one", "two#frag"]);
    }

    #[test]
    fn garbage_in_is_not_a_panic() {
        let e = extract(&[0xff, 0xfe, 0, b'<', b'a', b'>', 0xc3]);
        assert_eq!(e.title, None);
        assert_eq!(e.links, 1);
        assert_eq!(extract(b""), Extracted::default());
    }
}
