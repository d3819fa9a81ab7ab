//! The `stream` strategy: lol_html's tokeniser fires a handler per `<a>` and per `<title>`
//! text; no tree is built.

use std::cell::RefCell;
use std::sync::LazyLock;

use super::{Extracted, Extractor, Hrefs, decode};

/// The streaming strategy: lol_html's tokeniser, which tracks just enough of the tree
/// builder's state to know when it is inside `<script>`, `<style>`, `<title>` or a comment,
/// and calls a handler for each `<a>` start tag and each piece of `<title>` text. Nothing is
/// kept but the fields we want.
#[derive(Clone, Copy, Debug, Default)]
pub struct StreamExtractor;

/// What the handlers gather while the tokens go by.
#[derive(Default)]
struct Gathered {
    titles: usize,
    raw_title: String,
    links: usize,
    hrefs: Hrefs,
    base: Option<String>,
}

// Compiled once, like the DOM strategy's selectors.
static STREAM_ANCHOR: LazyLock<lol_html::Selector> =
    LazyLock::new(|| "a".parse().expect("'a' is a valid CSS selector"));
static STREAM_TITLE: LazyLock<lol_html::Selector> =
    LazyLock::new(|| "title".parse().expect("'title' is a valid CSS selector"));
static STREAM_BASE: LazyLock<lol_html::Selector> = LazyLock::new(|| {
    "base[href]"
        .parse()
        .expect("'base[href]' is a valid CSS selector")
});

impl Extractor for StreamExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        use std::borrow::Cow;

        use lol_html::html_content::{Element, TextChunk};
        use lol_html::{ElementContentHandlers, HtmlRewriter, Settings};

        // The handlers share one record; lol_html calls them one at a time on this thread.
        let gathered = RefCell::new(Gathered::default());
        let on_anchor = ElementContentHandlers::default().element(|a: &mut Element<'_, '_>| {
            let mut g = gathered.borrow_mut();
            g.links += 1;
            if let Some(href) = a.get_attribute("href") {
                // lol_html hands attributes over as written: `&amp;` is still `&amp;`.
                g.hrefs.push(&decode(href, true));
            }
            Ok(())
        });
        let on_title = ElementContentHandlers::default()
            .element(|_: &mut Element<'_, '_>| {
                gathered.borrow_mut().titles += 1;
                Ok(())
            })
            .text(|t: &mut TextChunk<'_>| {
                let mut g = gathered.borrow_mut();
                // Only the first <title> counts, as in the DOM strategy.
                if g.titles == 1 {
                    g.raw_title.push_str(t.as_str());
                }
                Ok(())
            });
        let on_base = ElementContentHandlers::default().element(|b: &mut Element<'_, '_>| {
            let mut g = gathered.borrow_mut();
            // The first one counts, as in the DOM.
            if g.base.is_none() {
                g.base = b.get_attribute("href").map(|href| decode(href, true));
            }
            Ok(())
        });
        let settings = Settings::new()
            // Not strict: lol_html would otherwise stop at markup whose meaning it cannot
            // decide without a tree (rare, such as `<select><xmp>`). Keep going, like a browser.
            .with_strict(false)
            .append_element_content_handler((Cow::Borrowed(&*STREAM_ANCHOR), on_anchor))
            .append_element_content_handler((Cow::Borrowed(&*STREAM_TITLE), on_title))
            .append_element_content_handler((Cow::Borrowed(&*STREAM_BASE), on_base));
        // The rewriter's output is the document itself, which we do not need: drop it.
        let mut rewriter = HtmlRewriter::new(settings, |_: &[u8]| {});
        // lol_html fails only on a memory limit (none is set) or a handler error (ours never
        // fail); should it fail anyway, what was gathered up to that point stands.
        let _ = rewriter.write(body).and_then(|()| rewriter.end());
        let g = gathered.into_inner();
        Extracted {
            title: (g.titles > 0).then(|| decode(g.raw_title, false).trim().to_owned()),
            links: g.links,
            hrefs: g.hrefs,
            base: g.base,
        }
    }
}
