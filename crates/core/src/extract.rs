//! HTML extraction: body bytes in, title, link count and hrefs out, by one of three strategies.
//!
//! Every contestant calls [`Strategy::extract`] (through [`crate::page`]) with the strategy
//! its [`Knobs`](crate::Knobs) name, so a strategy is swapped without touching a contestant.
//!
//! | strategy | how | fits |
//! |---|---|---|
//! | [`Strategy::Dom`] | html5ever builds the whole tree (through `scraper`), CSS selectors query it | querying structure: "the third cell of every row", siblings, parents. What BeautifulSoup does |
//! | [`Strategy::Stream`] | lol_html tokenises and fires a handler per `<a>` and per `<title>` text; no tree | extraction: a few fields per page, at several times the speed and a fraction of the memory |
//! | [`Strategy::Naive`] | a byte scan for `<a` and `<title>` | nothing: it counts anchors inside comments, scripts and styles, and the verifier marks it ✗. It is here to show that a wrong answer fast is not a result |
//!
//! `dom` and `stream` give the same answer on the synthetic site and on every page of the
//! Rust documentation. They disagree only where the HTML5 tree builder rewrites the markup it
//! was given, which a tokeniser cannot see; the synthetic site's `/quirks/…` pages show each
//! case, and the tests below pin both answers:
//!
//! - **misnested formatting**: `<p><a href=x>one</p><p>two</a></p>` is one `<a>` tag, but the
//!   tree builder *reconstructs* the still-open `<a>` inside the second paragraph, so the DOM
//!   holds two `<a>` elements; `<a href=x><div>…</a>` is split the same way by the adoption
//!   agency. `dom` counts 2, `stream` counts 1. A browser shows two links.
//! - **framesets**: in a `<frameset>` document the tree builder drops every tag but frames,
//!   so an `<a>` there is no element. `dom` counts 0, `stream` counts 1.
//!
//! Cases where the two agree, pinned as well: an `<a>` in a comment, `<script>`, `<style>`,
//! `<textarea>` or `<noscript>` is text (both parse with scripting on, as browsers do); an
//! `<a>` inside `<a>` closes the first; `<a>` in `<template>` counts; the first of several
//! `<title>`s wins, wherever it is, and a `<title>` that is never closed runs to the end of the
//! document.

use std::cell::RefCell;
use std::fmt;
use std::str::FromStr;
use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use scraper::{Html, Selector};
use serde::{Deserialize, Serialize};

/// What extraction finds in one HTML body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Whitespace-trimmed text of the first `<title>` element, if any.
    pub title: Option<String>,
    /// The number of `<a>` elements, with or without `href` (the Python original's count).
    pub links: usize,
    /// The `href` values, in document order, with character references decoded, not yet
    /// resolved or filtered.
    pub hrefs: Vec<String>,
    /// The `href` of the first `<base href>`, if any: what relative links resolve against.
    pub base: Option<String>,
}

/// A strategy that turns HTML bytes into an [`Extracted`].
///
/// Implementations must be pure CPU work with no shared state, so a contestant may call them
/// from any thread or blocking pool.
pub trait Extractor: Send + Sync {
    /// Extracts title, link count and hrefs from an HTML body.
    fn extract(&self, body: &[u8]) -> Extracted;
}

/// How pages are turned into records; part of every contestant's [`Knobs`](crate::Knobs).
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Strategy {
    /// Build the DOM with html5ever, then query it ([`DomExtractor`]).
    Dom,
    /// Stream the tokens through lol_html; no tree ([`StreamExtractor`]).
    #[default]
    Stream,
    /// Scan bytes for `<a` and `<title>` ([`NaiveExtractor`]): fast, and wrong.
    Naive,
}

impl Strategy {
    /// Every strategy, in the order tables list them.
    pub const ALL: [Strategy; 3] = [Strategy::Dom, Strategy::Stream, Strategy::Naive];

    /// The lowercase name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Dom => "dom",
            Strategy::Stream => "stream",
            Strategy::Naive => "naive",
        }
    }

    /// One line for `--help` and `shootout list`.
    pub fn about(self) -> &'static str {
        match self {
            Strategy::Dom => {
                "html5ever builds the whole tree, selectors query it (BeautifulSoup's way)"
            }
            Strategy::Stream => "lol_html fires a handler per <a> and <title>; no tree is built",
            Strategy::Naive => {
                "a byte scan for <a and <title>: fast, and wrong (counts anchors in comments and scripts)"
            }
        }
    }

    /// Whether the strategy is meant to be right. `naive` is not: it is run to be caught.
    pub fn is_sound(self) -> bool {
        self != Strategy::Naive
    }

    /// The extractor behind this strategy.
    pub fn extractor(self) -> &'static dyn Extractor {
        match self {
            Strategy::Dom => &DomExtractor,
            Strategy::Stream => &StreamExtractor,
            Strategy::Naive => &NaiveExtractor,
        }
    }

    /// Extracts title, link count and hrefs from `body` with this strategy.
    pub fn extract(self, body: &[u8]) -> Extracted {
        self.extractor().extract(body)
    }

    /// Does the one-off work of the first call (compiling selectors, touching code pages), so
    /// it never lands inside a timed region.
    pub fn warm_up(self) {
        std::hint::black_box(self.extract(b"<title>warm-up</title><a href=x>x</a>"));
    }
}

impl fmt::Display for Strategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The error for a strategy name that does not exist.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("unknown extraction strategy '{0}' (expected one of: dom, stream, naive)")]
pub struct UnknownStrategy(pub String);

impl FromStr for Strategy {
    type Err = UnknownStrategy;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Strategy::ALL
            .into_iter()
            .find(|st| st.name() == s.trim())
            .ok_or_else(|| UnknownStrategy(s.to_owned()))
    }
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
static BASE: LazyLock<Selector> =
    LazyLock::new(|| Selector::parse("base[href]").expect("'base[href]' is a valid CSS selector"));

/// Bodies at least this large are built into a DOM one at a time, process-wide.
///
/// A DOM takes about ten times its page (the Rust docs' largest page, 8.5 MB of HTML, becomes
/// a 90 MB tree), so two threads building trees of multi-megabyte pages at once double a
/// crawl's peak memory. One large document is built at a time; a smaller one (at most about
/// 10 MB of tree) never waits, so the many small pages keep every core busy. The lock is held
/// only while parsing, which waits on nothing else, so it cannot deadlock. Before and after
/// each large tree, freed memory is handed back to the system.
pub const LARGE_DOCUMENT: usize = 1 << 20;

static BUILDING_A_LARGE_DOM: Mutex<()> = Mutex::new(());

/// Held while a large document is built into a tree (see [`LARGE_DOCUMENT`]).
struct LargeDom {
    _one_at_a_time: MutexGuard<'static, ()>,
}

impl LargeDom {
    /// Waits for any other large tree to be done, if `body` is large; `None` otherwise.
    fn enter(body: &[u8]) -> Option<LargeDom> {
        (body.len() >= LARGE_DOCUMENT).then(|| {
            let one_at_a_time = BUILDING_A_LARGE_DOM
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            // What the small trees before freed is spread over every thread's arena; return
            // it now, before the peak this tree is about to make (measured: 10 MiB lower
            // with C = 10 threads that each parse).
            give_back_free_memory();
            LargeDom {
                _one_at_a_time: one_at_a_time,
            }
        })
    }
}

impl Drop for LargeDom {
    fn drop(&mut self) {
        // The tree was dropped just before: return its memory before the next one is built.
        give_back_free_memory();
    }
}

/// After a large tree is dropped, hands the memory it freed back to the system. glibc keeps
/// freed memory in the freeing thread's arena, where another thread's next large tree cannot
/// use it; `malloc_trim` releases the free pages of every arena. A no-op elsewhere.
fn give_back_free_memory() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only releases free memory; it is thread-safe and has no
    // preconditions.
    unsafe {
        libc::malloc_trim(0);
    }
}

impl Extractor for DomExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        // Declared before the tree, so dropped after it.
        let _large = LargeDom::enter(body);
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
        let base = doc
            .select(&BASE)
            .next()
            .and_then(|b| b.value().attr("href"))
            .map(str::to_owned);
        Extracted {
            title,
            links,
            hrefs,
            base,
        }
    }
}

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
    hrefs: Vec<String>,
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
                g.hrefs.push(decode(href, true));
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

/// What the tree builder does to text that a tokeniser passes through raw: character
/// references are decoded (by the attribute rules inside attributes), line breaks are
/// normalised to `\n`, and NUL becomes U+FFFD. Most text has none of these, and is returned
/// as it came, without a copy.
fn decode(raw: String, attribute: bool) -> String {
    if memchr::memchr3(b'&', b'\r', 0, raw.as_bytes()).is_none() {
        return raw;
    }
    let text = if attribute {
        htmlize::unescape_attribute(raw)
    } else {
        htmlize::unescape(raw)
    };
    if memchr::memchr2(b'\r', 0, text.as_bytes()).is_none() {
        return text.into_owned();
    }
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{FFFD}")
}

/// The naive strategy: find `<a` and `<title>` in the bytes, as a quick regex scraper does.
/// It does not know that comments, `<script>` and `<style>` hold text, not tags, so it counts
/// the anchors in them and follows their hrefs. It exists to be caught by the verifier.
#[derive(Clone, Copy, Debug, Default)]
pub struct NaiveExtractor;

impl Extractor for NaiveExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        let mut out = Extracted::default();
        let mut at = 0;
        while let Some(offset) = memchr::memchr(b'<', &body[at..]) {
            let tag = &body[at + offset + 1..];
            let end = memchr::memchr(b'>', tag).unwrap_or(tag.len());
            let head = &tag[..end];
            if is_tag(head, b"a") {
                out.links += 1;
                if let Some(href) = attribute(head, b"href") {
                    out.hrefs
                        .push(decode(String::from_utf8_lossy(href).into_owned(), true));
                }
            } else if out.title.is_none() && is_tag(head, b"title") {
                let text = &tag[(end + 1).min(tag.len())..];
                let close = memchr::memmem::find(text, b"</title").unwrap_or(text.len());
                let raw = String::from_utf8_lossy(&text[..close]).into_owned();
                out.title = Some(decode(raw, false).trim().to_owned());
            }
            at += offset + 1;
        }
        out
    }
}

/// Whether `head` (what follows a `<`) starts the tag `name`, in any case.
fn is_tag(head: &[u8], name: &[u8]) -> bool {
    head.len() >= name.len()
        && head[..name.len()].eq_ignore_ascii_case(name)
        && head
            .get(name.len())
            .is_none_or(|b| b.is_ascii_whitespace() || *b == b'/')
}

/// The value of `name="…"` (or `'…'`, or unquoted) inside a tag's head.
fn attribute<'a>(head: &'a [u8], name: &[u8]) -> Option<&'a [u8]> {
    let lower = head.to_ascii_lowercase();
    let mut needle = name.to_vec();
    needle.push(b'=');
    let start = memchr::memmem::find(&lower, &needle)? + needle.len();
    let rest = &head[start..];
    match rest.first() {
        Some(&q @ (b'"' | b'\'')) => {
            let value = &rest[1..];
            Some(&value[..memchr::memchr(q, value).unwrap_or(value.len())])
        }
        _ => Some(
            &rest[..rest
                .iter()
                .position(u8::is_ascii_whitespace)
                .unwrap_or(rest.len())],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOUND: [Strategy; 2] = [Strategy::Dom, Strategy::Stream];

    /// What `strategy` makes of `html`, as (title, link count, hrefs).
    fn run(strategy: Strategy, html: &str) -> (Option<String>, usize, Vec<String>) {
        let e = strategy.extract(html.as_bytes());
        (e.title, e.links, e.hrefs)
    }

    /// Asserts that both sound strategies give exactly `want`.
    fn both(html: &str, want: (Option<&str>, usize, &[&str])) {
        for s in SOUND {
            let (title, links, hrefs) = run(s, html);
            let hrefs: Vec<&str> = hrefs.iter().map(String::as_str).collect();
            assert_eq!(
                (title.as_deref(), links, hrefs.as_slice()),
                (want.0, want.1, want.2),
                "{s} on {html:?}"
            );
        }
    }

    #[test]
    fn counts_anchors_like_a_browser_does() {
        let html = r#"<html><head><title>
              Fish &amp; Chips </title>
            <script>var s = "<a href='/no'>";</script>
            <style>/* <a href="/no"> */</style></head>
            <body><!-- <a href="/commented"> -->
            <a href="/one">1</a> <a name="anchor-without-href">x</a>
            <p><a href="two#frag">2</a></p></body></html>"#;
        both(html, (Some("Fish & Chips"), 3, &["/one", "two#frag"]));
        // The byte scan counts the three anchors hidden in text.
        let (title, links, _) = run(Strategy::Naive, html);
        assert_eq!((title.as_deref(), links), (Some("Fish & Chips"), 6));
    }

    #[test]
    fn character_references_are_decoded_in_titles_and_hrefs() {
        both(
            "<title>caf&eacute; &lt;T&gt; &#x41;&#66; &amp</title>\
             <a href=\"/q?a=1&amp;b=2&copy=3\">x</a><a href='&#47;p'>y</a>",
            (Some("café <T> AB &"), 2, &["/q?a=1&b=2&copy=3", "/p"]),
        );
    }

    #[test]
    fn line_breaks_and_nul_are_normalised() {
        both(
            "<title>a\r\nb\rc\0d</title><a href=\"x\r\ny\">x</a>",
            (Some("a\nb\nc\u{FFFD}d"), 1, &["x\ny"]),
        );
    }

    #[test]
    fn the_first_title_wins_wherever_it_is() {
        both(
            "<head></head><body><p>x</p><title>In body</title><title>Second</title></body>",
            (Some("In body"), 0, &[]),
        );
        both(
            "<title>Head</title><body><title>Body</title>",
            (Some("Head"), 0, &[]),
        );
        both("<p>no title <a>x</a>", (None, 1, &[]));
        both("<title></title>", (Some(""), 0, &[]));
    }

    #[test]
    fn an_unclosed_title_runs_to_the_end() {
        both(
            "<title>Open <a href=/x>not a link</a>",
            (Some("Open <a href=/x>not a link</a>"), 0, &[]),
        );
    }

    #[test]
    fn raw_text_elements_hide_anchors() {
        for wrapper in [
            "textarea", "noscript", "xmp", "noembed", "noframes", "iframe", "script", "style",
        ] {
            both(
                &format!("<body><{wrapper}><a href=/hidden>h</a></{wrapper}><a href=/shown>s</a>"),
                (None, 1, &["/shown"]),
            );
        }
        // <plaintext> never ends: everything after it is text.
        both(
            "<a href=/a>a</a><plaintext><a href=/b>b</a>",
            (None, 1, &["/a"]),
        );
    }

    #[test]
    fn the_first_base_href_is_found_by_both() {
        let html =
            b"<head><base target=_top><base href=\"/docs/?a=1&amp;b=2\"><base href=/other/></head>\
                     <a href=x>x</a>";
        for s in [Strategy::Dom, Strategy::Stream] {
            let e = s.extract(html);
            assert_eq!(e.base.as_deref(), Some("/docs/?a=1&b=2"), "{s}");
            assert_eq!(e.hrefs, ["x"], "{s}");
        }
        assert_eq!(Strategy::Dom.extract(b"<a href=x>x</a>").base, None);
        assert_eq!(Strategy::Stream.extract(b"<a href=x>x</a>").base, None);
    }

    #[test]
    fn nested_and_template_anchors_agree() {
        // A second <a> closes the first: two elements either way.
        both(
            "<a href=/1>one<a href=/2>two</a></a>",
            (None, 2, &["/1", "/2"]),
        );
        both(
            "<template><a href=/t>t</a></template><a href=/u>u</a>",
            (None, 2, &["/t", "/u"]),
        );
        both(
            "<svg><a href=/s>s</a><title>svg title</title></svg><a href=/h>h</a>",
            (Some("svg title"), 2, &["/s", "/h"]),
        );
    }

    #[test]
    fn misnested_anchors_are_where_dom_and_stream_differ() {
        // The tree builder reconstructs the open <a> in the next paragraph: two elements.
        let reconstructed = "<p><a href=/x>one</p><p>two</a></p>";
        assert_eq!(run(Strategy::Dom, reconstructed).1, 2);
        assert_eq!(run(Strategy::Stream, reconstructed).1, 1);
        // The adoption agency splits an <a> around a block: two elements.
        let adopted = "<a href=/y><div>block</a>after</div>";
        assert_eq!(run(Strategy::Dom, adopted).1, 2);
        assert_eq!(run(Strategy::Stream, adopted).1, 1);
        // The clone carries the href too, so the DOM lists it twice.
        let formatting = "<p><b><a href=/b>one</b>two</a>";
        assert_eq!(run(Strategy::Dom, formatting).2, ["/b", "/b"]);
        assert_eq!(run(Strategy::Stream, formatting).2, ["/b"]);
    }

    #[test]
    fn a_frameset_drops_anchors_only_in_the_dom() {
        // A frameset document has no body: the tree builder drops every other tag.
        let frameset = "<frameset><a href=/fs>x</a></frameset>";
        assert_eq!(run(Strategy::Dom, frameset).1, 0);
        assert_eq!(run(Strategy::Stream, frameset).1, 1);
    }

    #[test]
    fn large_documents_are_built_one_at_a_time_and_right() {
        // Over LARGE_DOCUMENT, so each DOM parse takes the process-wide lock; two threads at
        // once must all finish, each with the right answer.
        let html = format!(
            "<title>big</title>{}",
            "<p><a href=/x>x</a></p>".repeat(LARGE_DOCUMENT / 20)
        );
        assert!(html.len() >= LARGE_DOCUMENT);
        std::thread::scope(|s| {
            for _ in 0..2 {
                s.spawn(|| {
                    let (title, links, _) = run(Strategy::Dom, &html);
                    assert_eq!(
                        (title.as_deref(), links),
                        (Some("big"), LARGE_DOCUMENT / 20)
                    );
                });
            }
        });
    }

    #[test]
    fn garbage_in_is_not_a_panic() {
        for s in Strategy::ALL {
            let e = s.extract(&[0xff, 0xfe, 0, b'<', b'a', b'>', 0xc3]);
            assert_eq!((e.title, e.links), (None, 1), "{s}");
            assert_eq!(s.extract(b""), Extracted::default(), "{s}");
            for cut in [
                "<",
                "<a",
                "<a href",
                "<a href='",
                "<title",
                "<title>x",
                "<!--",
            ] {
                let _ = s.extract(cut.as_bytes());
            }
        }
    }

    #[test]
    fn strategies_parse_by_name_and_reject_others() {
        for s in Strategy::ALL {
            assert_eq!(s.name().parse::<Strategy>(), Ok(s));
        }
        let err = "nonsense".parse::<Strategy>().expect_err("not a strategy");
        assert_eq!(
            err.to_string(),
            "unknown extraction strategy 'nonsense' (expected one of: dom, stream, naive)"
        );
    }
}
