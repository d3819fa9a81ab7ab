//! HTML extraction: body bytes in, title, link count and hrefs out, by one of four strategies.
//!
//! Every contestant calls [`Strategy::extract`] (through [`crate::page`]) with the strategy
//! its [`Knobs`](crate::Knobs) name, so a strategy is swapped without touching a contestant.
//!
//! | strategy | how | fits |
//! |---|---|---|
//! | [`Strategy::Dom`] | html5ever builds the whole tree (through `scraper`), CSS selectors query it | querying structure: "the third cell of every row", siblings, parents. What BeautifulSoup does |
//! | [`Strategy::Stream`] | lol_html tokenises and fires a handler per `<a>` and per `<title>` text; no tree | extraction with a library that can also rewrite pages: several times the DOM's speed, a fraction of its memory |
//! | [`Strategy::Tokenize`] (the default) | the lab's own WHATWG tokeniser reads `<a href>`, `<base href>` and the first `<title>` and skips everything else at `memchr` speed | extraction: about 3.5× `stream` and 15× `dom` on the Rust docs, within 0.85× of a bare byte scan |
//! | [`Strategy::Naive`] | a byte scan for `<a` and `<title>` | nothing: it counts anchors inside comments, scripts and styles, and the verifier marks it ✗. It is here to show that a wrong answer fast is not a result |
//!
//! `dom`, `stream` and `tokenize` give the same answer on the synthetic site and on every page
//! of the Rust documentation. The tokenisers disagree with `dom` only where the HTML5 tree
//! builder rewrites the markup it was given, which a tokeniser cannot see; the synthetic
//! site's `/quirks/…` pages show each case, and the tests below pin every answer:
//!
//! - **misnested formatting**: `<p><a href=x>one</p><p>two</a></p>` is one `<a>` tag, but the
//!   tree builder *reconstructs* the still-open `<a>` inside the second paragraph, so the DOM
//!   holds two `<a>` elements; `<a href=x><div>…</a>` is split the same way by the adoption
//!   agency. `dom` counts 2, the tokenisers count 1. A browser shows two links.
//! - **framesets**: in a `<frameset>` document the tree builder drops every tag but frames,
//!   so an `<a>` there is no element. `dom` counts 0, the tokenisers count 1.
//!
//! Cases where the two agree, pinned as well: an `<a>` in a comment, `<script>`, `<style>`,
//! `<textarea>` or `<noscript>` is text (both parse with scripting on, as browsers do); an
//! `<a>` inside `<a>` closes the first; `<a>` in `<template>` counts; the first of several
//! `<title>`s wins, wherever it is, and a `<title>` that is never closed runs to the end of the
//! document.
//!
//! Each strategy has its file: `dom.rs`, `stream.rs`, `tokenize.rs`, `naive.rs`; this one holds what they
//! share (the [`Extractor`] trait, [`Extracted`], [`Strategy`]) and the tests that pin them
//! against each other.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

mod dom;
mod hrefs;
mod naive;
mod stream;
mod tokenize;

pub use dom::{DomExtractor, LARGE_DOCUMENT};
pub use hrefs::Hrefs;
pub use naive::NaiveExtractor;
pub use stream::StreamExtractor;
pub use tokenize::TokenizeExtractor;

/// What extraction finds in one HTML body.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Extracted {
    /// Whitespace-trimmed text of the first `<title>` element, if any.
    pub title: Option<String>,
    /// The number of `<a>` elements, with or without `href` (the Python original's count).
    pub links: usize,
    /// The `href` values, in document order, with character references decoded, not yet
    /// resolved or filtered.
    pub hrefs: Hrefs,
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
    Stream,
    /// The lab's own WHATWG tokeniser, which reads only the fields we want
    /// ([`TokenizeExtractor`]). The default: the fastest strategy that verifies.
    #[default]
    Tokenize,
    /// Scan bytes for `<a` and `<title>` ([`NaiveExtractor`]): fast, and wrong.
    Naive,
}

impl Strategy {
    /// Every strategy, in the order tables list them.
    pub const ALL: [Strategy; 4] = [
        Strategy::Dom,
        Strategy::Stream,
        Strategy::Tokenize,
        Strategy::Naive,
    ];

    /// The lowercase name used on the command line and in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Strategy::Dom => "dom",
            Strategy::Stream => "stream",
            Strategy::Tokenize => "tokenize",
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
            Strategy::Tokenize => {
                "the lab's own WHATWG tokeniser reads <a>, <base> and <title> and skips the rest"
            }
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
            Strategy::Tokenize => &TokenizeExtractor,
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
#[error("unknown extraction strategy '{0}' (expected one of: dom, stream, tokenize, naive)")]
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

/// What the tree builder does to text that a tokeniser passes through raw: character
/// references are decoded (by the attribute rules inside attributes), line breaks are
/// normalised to `\n`, and NUL becomes U+FFFD. Most text has none of these, and is returned
/// as it came, without a copy.
fn decode(raw: String, attribute: bool) -> String {
    if !needs_decoding(&raw) {
        return raw;
    }
    let text = if attribute {
        htmlize::unescape_attribute(raw)
    } else {
        htmlize::unescape(raw)
    };
    normalise(text.into_owned())
}

/// An attribute value as a tree builder reads it: bytes that are not UTF-8 replaced with
/// U+FFFD, character references decoded. Most values have neither, and are borrowed as they
/// are, without a copy.
fn attribute_value(raw: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(raw) {
        Ok(plain) if !needs_decoding(plain) => Cow::Borrowed(plain),
        _ => Cow::Owned(decode(String::from_utf8_lossy(raw).into_owned(), true)),
    }
}

/// Whether [`decode`] would change `text`: it holds a character reference, a carriage
/// return or a NUL.
fn needs_decoding(text: &str) -> bool {
    memchr::memchr3(b'&', b'\r', 0, text.as_bytes()).is_some()
}

/// Line breaks normalised to `\n` and NUL to U+FFFD, for text in which character references
/// are not decoded (raw text, CDATA). Returned as it came when it has neither.
fn normalise(text: String) -> String {
    if memchr::memchr2(b'\r', 0, text.as_bytes()).is_none() {
        return text;
    }
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('\0', "\u{FFFD}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOUND: [Strategy; 3] = [Strategy::Dom, Strategy::Stream, Strategy::Tokenize];

    /// What `strategy` makes of `html`, as (title, link count, hrefs).
    fn run(strategy: Strategy, html: &str) -> (Option<String>, usize, Hrefs) {
        let e = strategy.extract(html.as_bytes());
        (e.title, e.links, e.hrefs)
    }

    /// Asserts that both sound strategies give exactly `want`.
    fn both(html: &str, want: (Option<&str>, usize, &[&str])) {
        for s in SOUND {
            let (title, links, hrefs) = run(s, html);
            let hrefs: Vec<&str> = hrefs.iter().collect();
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
            "unknown extraction strategy 'nonsense' (expected one of: dom, stream, tokenize, naive)"
        );
    }
}
