//! The page writer: it writes a page anchor by anchor and counts what it wrote, so the page
//! knows its own title, link count and targets without a parser.

use std::fmt::Write as _;

use bytes::Bytes;

use super::rng::Rng;
use super::{HTML, Resource};

/// Builds one HTML page and counts its anchors as it writes them.
pub(super) struct PageWriter {
    pub(super) html: String,
    links: usize,
    targets: Vec<String>,
}

impl PageWriter {
    pub(super) fn new(title_html: &str) -> PageWriter {
        let mut html = String::with_capacity(4096);
        html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        // Whitespace around the title text: the record wants it trimmed.
        let _ = write!(html, "<title>\n    {title_html}\n  </title>\n");
        // Anchors inside <style>, <script> and comments are text, not elements: a regex
        // scraper counts them, a real parser does not.
        html.push_str(
            "<style>nav a[href] { color: #036 } /* <a href=\"/style-trap\"> */</style>\n",
        );
        html.push_str(
            "<script>var trap = \"<a href='/script-trap'>not a link</a>\"; if (1 < 2) {}</script>\n",
        );
        html.push_str("</head>\n<body>\n<!-- <a href=\"/comment-trap\">commented out</a> -->\n");
        PageWriter {
            html,
            links: 0,
            targets: Vec::new(),
        }
    }

    /// An `<a>` with this href; `target` is the same-origin path it leads to, if any.
    pub(super) fn link(&mut self, href: &str, text: &str, target: Option<String>) {
        let _ = write!(self.html, "<a href=\"{href}\">{text}</a>");
        self.links += 1;
        if let Some(t) = target {
            self.targets.push(t);
        }
    }

    /// An `<a>` without href: it still counts as a link, as in the Python original.
    pub(super) fn bare_anchor(&mut self, name: &str) {
        let _ = write!(self.html, "<a id=\"{name}\" name=\"{name}\"></a>");
        self.links += 1;
    }

    pub(super) fn raw(&mut self, s: &str) {
        self.html.push_str(s);
    }

    pub(super) fn pad_to(&mut self, bytes: usize, rng: &mut Rng) {
        let closing = "</main>\n</body>\n</html>\n";
        let mut block = 0;
        while self.html.len() + closing.len() < bytes {
            let _ = write!(self.html, "<section class=\"block-{block}\"><div><p>");
            for _ in 0..40 {
                self.html.push_str(rng.word());
                self.html.push(' ');
            }
            // Entities and inline markup a parser must cope with.
            self.html
                .push_str("&lt;T&gt; &amp; <em>emphasis</em> <code>x &lt; y</code></p>\n");
            self.html.push_str(
                "<ul><li>one</li><li>two<ul><li>nested</li></ul></li></ul></div></section>\n",
            );
            block += 1;
        }
        self.html.push_str(closing);
    }

    pub(super) fn finish(self, title: String) -> Resource {
        Resource {
            status: 200,
            content_type: HTML,
            body: Bytes::from(self.html),
            title: Some(title),
            links: self.links,
            targets: self.targets,
        }
    }
}
