//! The `tokenize` strategy: the lab's own HTML tokeniser, cut down to what extraction reads.
//!
//! It follows the WHATWG tokeniser (HTML §13.2.5) state by state wherever a state can change
//! what we extract: tags and their attributes (quoted values may hold `>`), comments
//! (`<!-->`, `--!>`), doctypes, bogus comments, CDATA in foreign content, and the text states
//! a start tag switches to (RCDATA for `<title>`/`<textarea>`, RAWTEXT for `<style>`,
//! `<noscript>`, …, script data with its escaped and double-escaped states, PLAINTEXT). The
//! tree builder's part, choosing those text states, is simulated as lol_html simulates it: a
//! stack of namespaces for `<svg>` and `<math>`, with their integration points and the tags
//! that break out of them. Everything else is skipped at `memchr` speed: text runs to the
//! next `<`, a tag we do not read is walked only far enough to find its `>`, and no token,
//! attribute list or output is ever built.
//!
//! Why a tokeniser of our own rather than lol_html's: lol_html is a *rewriter*. Every byte
//! goes through its output sink, each page builds a selector VM, and each matched element
//! is handed to a handler as a mutable `Element` with its attributes parsed into a list.
//! That costs about half of `stream`'s time (docs/results.md, "Near the limit"). Reading three
//! fields needs none of it.
//!
//! It answers as `stream` does, including where both differ from the DOM (misnested `<a>`,
//! framesets; see the module above): they are both tokenisers. The tests in `mod.rs` pin all
//! three sound strategies, and a test below checks it against `stream` on generated markup.

use super::{Extracted, Extractor, attribute_value, decode, normalise};

/// The `tokenize` strategy: a WHATWG tokeniser that reads only `<a href>`, `<base href>` and
/// the first `<title>`, and skips the rest of the page without building tokens.
#[derive(Clone, Copy, Debug, Default)]
pub struct TokenizeExtractor;

impl Extractor for TokenizeExtractor {
    fn extract(&self, body: &[u8]) -> Extracted {
        scan(body).0
    }
}

/// Extracts from `body`, and says whether the first `<title>` was a foreign one (in `<svg>`
/// or `<math>`, where its end is found by simulating the tree builder, not by tokenising).
fn scan(body: &[u8]) -> (Extracted, bool) {
    let mut scan = Scan {
        b: body,
        out: Extracted::default(),
        title: Title::NotYet,
        ns: vec![Level::new(Ns::Html, &[])],
        foreign_title: false,
    };
    scan.run();
    let foreign = scan.foreign_title;
    (scan.finish(), foreign)
}

/// The namespace the tokeniser is in, as far as the tree builder's feedback goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ns {
    Html,
    Svg,
    MathMl,
}

/// The text state a start tag switches the tokeniser to (chosen by the tree builder).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TextKind {
    /// `<title>`, `<textarea>`: character references are decoded, tags are text.
    RcData,
    /// `<style>`, `<iframe>`, `<xmp>`, `<noembed>`, `<noframes>`, `<noscript>` (scripting on,
    /// as in browsers): everything up to the end tag is raw text.
    RawText,
    /// `<script>`: raw text, with the `<!--` escape states.
    Script,
    /// `<plaintext>`: the rest of the document is text.
    PlainText,
}

/// Where the first `<title>` stands.
enum Title {
    /// None seen yet.
    NotYet,
    /// The first `<title>` is foreign (inside `<svg>` or `<math>`), where its content is
    /// markup, not RCDATA: its text is gathered from the text between tags until its end tag.
    /// `depth` counts nested `<title>`s, so the right end tag closes it.
    /// It also ends when the foreign element it sits in closes: `ns_len` is the length of
    /// the namespace stack it was opened at.
    Gathering {
        text: String,
        depth: usize,
        ns_len: usize,
    },
    /// Found: its text, not yet trimmed.
    Done(String),
}

/// One page being scanned.
struct Scan<'a> {
    b: &'a [u8],
    out: Extracted,
    title: Title,
    /// The namespace stack of lol_html's tree-builder simulator: the bottom is HTML, and
    /// `<svg>`, `<math>` and integration points push. An integration point's entry keeps its
    /// name, so that only its own end tag leaves it (lol_html leaves on any point's name).
    ns: Vec<Level>,
    /// Whether the first `<title>` was foreign.
    foreign_title: bool,
}

/// HTML's whitespace, plus CR (the input stream turns CR into LF before tokenising).
fn is_space(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b'\r' | b' ')
}

/// What ends a tag's name: whitespace, `/` or `>`.
fn ends_name(c: u8) -> bool {
    is_space(c) || c == b'/' || c == b'>'
}

/// Whether `b[at..]` starts with `name` (ASCII case-insensitively) followed by what ends a
/// tag's name. This is the tokeniser's "appropriate end tag".
fn closes(b: &[u8], at: usize, name: &[u8]) -> bool {
    let end = at + name.len();
    b.get(at..end).is_some_and(|n| n.eq_ignore_ascii_case(name))
        && b.get(end).is_some_and(|&c| ends_name(c))
}

/// `name` is one of `names`, ASCII case-insensitively.
fn one_of(name: &[u8], names: &[&[u8]]) -> bool {
    names.iter().any(|n| n.eq_ignore_ascii_case(name))
}

/// The index just past `needle` in `b[from..]`, or the end of `b` if it never comes.
fn past(b: &[u8], from: usize, needle: &[u8]) -> usize {
    memchr::memmem::find(&b[from..], needle).map_or(b.len(), |at| from + at + needle.len())
}

/// Reads a tag's attributes from `i` (just after its name) to the `>` that ends the tag,
/// through the attribute states of §13.2.5.32–42, calling `on_attr` with each raw name and
/// value. Returns the index after the `>` and whether the tag ended in `/>`, or `None` if the
/// document ends inside the tag (then the tag is dropped, as the tokeniser drops it).
fn attributes<'a>(
    b: &'a [u8],
    mut i: usize,
    mut on_attr: impl FnMut(&'a [u8], &'a [u8]),
) -> Option<(usize, bool)> {
    loop {
        // Before attribute name (also where every other attribute state comes back to).
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        match *b.get(i)? {
            b'>' => return Some((i + 1, false)),
            b'/' => {
                // Self-closing start tag state: `/>` ends the tag; any other `/` is ignored.
                i += 1;
                if *b.get(i)? == b'>' {
                    return Some((i + 1, true));
                }
                continue;
            }
            _ => {}
        }
        // Attribute name: its first character may be `=`; quotes and `<` are part of it.
        let start = i;
        i += 1;
        while b
            .get(i)
            .is_some_and(|&c| !is_space(c) && !matches!(c, b'/' | b'>' | b'='))
        {
            i += 1;
        }
        let name = &b[start..i];
        // After attribute name.
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        if *b.get(i)? != b'=' {
            // No value: `/`, `>` or the next name, all read from the top.
            on_attr(name, b"");
            continue;
        }
        // Before attribute value.
        i += 1;
        while b.get(i).is_some_and(|&c| is_space(c)) {
            i += 1;
        }
        match *b.get(i)? {
            quote @ (b'"' | b'\'') => {
                let start = i + 1;
                let end = start + memchr::memchr(quote, &b[start..])?;
                on_attr(name, &b[start..end]);
                // After attribute value (quoted): anything but space, `/` or `>` starts the
                // next name at once, which the top of the loop does.
                i = end + 1;
            }
            b'>' => {
                on_attr(name, b"");
                return Some((i + 1, false));
            }
            _ => {
                // Unquoted: up to whitespace or `>`; quotes, `<`, `=` and backticks are part.
                let start = i;
                while b.get(i).is_some_and(|&c| !is_space(c) && c != b'>') {
                    i += 1;
                }
                on_attr(name, &b[start..i]);
            }
        }
    }
}

/// The end of a tag's name, from its first letter at `at`: the first whitespace, `/` or `>`,
/// or `None` if the document ends first.
fn name_end(b: &[u8], at: usize) -> Option<usize> {
    b[at..].iter().position(|&c| ends_name(c)).map(|n| at + n)
}

/// The start tags that end foreign content (§13.2.6.5), `<font>` with some attributes aside.
const BREAKS_OUT: &[&[u8]] = &[
    b"b",
    b"big",
    b"blockquote",
    b"body",
    b"br",
    b"center",
    b"code",
    b"dd",
    b"div",
    b"dl",
    b"dt",
    b"em",
    b"embed",
    b"h1",
    b"h2",
    b"h3",
    b"h4",
    b"h5",
    b"h6",
    b"head",
    b"hr",
    b"i",
    b"img",
    b"li",
    b"listing",
    b"menu",
    b"meta",
    b"nobr",
    b"ol",
    b"p",
    b"pre",
    b"ruby",
    b"s",
    b"small",
    b"span",
    b"strong",
    b"strike",
    b"sub",
    b"sup",
    b"table",
    b"tt",
    b"u",
    b"ul",
    b"var",
];
/// Every integration point, so a namespace level can name its own in four bits: SVG's HTML
/// integration points (inside them, tags are HTML again), MathML's text integration points,
/// and `annotation-xml` (an HTML one when its `encoding` says so).
const POINTS: [&[u8]; 9] = [
    b"desc",
    b"title",
    b"foreignobject",
    b"mi",
    b"mo",
    b"mn",
    b"ms",
    b"mtext",
    b"annotation-xml",
];
/// SVG's HTML integration points.
const SVG_HTML_POINTS: &[&[u8]] = POINTS.as_slice().split_at(3).0;
/// MathML's text integration points.
const MATHML_TEXT_POINTS: &[&[u8]] = POINTS.as_slice().split_at(3).1.split_at(5).0;

/// One level of the namespace stack in one byte: the namespace, and the integration point
/// that opened it, if any. One byte, as lol_html's, because a page of nothing but `<svg>`s
/// pushes a level per five bytes of input (32 MiB of them: 6.7 million levels).
#[derive(Clone, Copy, Debug)]
struct Level(u8);

impl Level {
    fn new(ns: Ns, point: &[u8]) -> Level {
        let ns = match ns {
            Ns::Html => 0,
            Ns::Svg => 1,
            Ns::MathMl => 2,
        };
        let point = POINTS
            .iter()
            .position(|p| *p == point)
            .map_or(0, |i| i as u8 + 1);
        Level(ns << 4 | point)
    }

    fn ns(self) -> Ns {
        match self.0 >> 4 {
            1 => Ns::Svg,
            2 => Ns::MathMl,
            _ => Ns::Html,
        }
    }

    /// The integration point that opened this level, or empty.
    fn point(self) -> &'static [u8] {
        match self.0 & 0xF {
            0 => &[],
            i => POINTS[usize::from(i) - 1],
        }
    }
}

impl Scan<'_> {
    fn current_ns(&self) -> Ns {
        self.ns
            .last()
            .expect("the namespace stack keeps its HTML bottom")
            .ns()
    }

    fn leave_ns(&mut self) {
        if self.ns.len() > 1 {
            self.ns.pop();
        }
        // Closing the foreign element a gathered title sits in closes the title too.
        if let Title::Gathering { text, ns_len, .. } = &mut self.title
            && self.ns.len() < *ns_len
        {
            self.title = Title::Done(std::mem::take(text));
        }
    }

    /// Text between markup, from `from` to `to`: only the first title's, when it is foreign,
    /// is kept. `decoded` says whether character references count (data and RCDATA) or not.
    fn text(&mut self, from: usize, to: usize, decoded: bool) {
        if let Title::Gathering { text, .. } = &mut self.title
            && from < to
        {
            let raw = String::from_utf8_lossy(&self.b[from..to]).into_owned();
            text.push_str(&if decoded {
                decode(raw, false)
            } else {
                normalise(raw)
            });
        }
    }

    /// The data state: runs from `<` to `<`, handing each piece of markup to its state.
    fn run(&mut self) {
        let b = self.b;
        // The start of the text not yet handed to `text`.
        let mut text_from = 0;
        let mut i = 0;
        while let Some(offset) = memchr::memchr(b'<', &b[i..]) {
            let lt = i + offset;
            let next = b.get(lt + 1).copied();
            if !matches!(next, Some(b'/' | b'!' | b'?'))
                && !next.is_some_and(|c| c.is_ascii_alphabetic())
            {
                // A `<` that starts nothing is text.
                i = lt + 1;
                continue;
            }
            // The text before this markup comes first: an end tag may close the title.
            self.text(text_from, lt, true);
            let after = match next {
                Some(b'/') => self.end_tag_open(lt + 2),
                Some(b'!') => self.markup_declaration(lt + 2),
                Some(b'?') => past(b, lt + 1, b">"),
                _ => self.start_tag(lt + 1),
            };
            // A start tag that opened raw text has handed that text over itself.
            text_from = after;
            i = after;
        }
        self.text(text_from, b.len(), true);
    }

    /// `<!` at `at - 2`: a comment, a doctype, CDATA (in foreign content only) or a bogus
    /// comment. Returns where the data state resumes.
    fn markup_declaration(&mut self, at: usize) -> usize {
        let b = self.b;
        let rest = &b[at..];
        if rest.starts_with(b"--") {
            // §13.2.5.43–52: `<!-->` and `<!--->` end at once; otherwise the first `-->` or
            // `--!>` ends the comment, whatever dashes, bangs or `<!--` come before it.
            let body = at + 2;
            match &b[body..] {
                [b'>', ..] => return body + 1,
                [b'-', b'>', ..] => return body + 2,
                _ => {}
            }
            let mut from = body;
            while let Some(n) = memchr::memmem::find(&b[from..], b"--") {
                let dashes = from + n;
                match &b[dashes + 2..] {
                    [b'>', ..] => return dashes + 3,
                    [b'!', b'>', ..] => return dashes + 4,
                    _ => from = dashes + 1,
                }
            }
            return b.len();
        }
        if rest.len() >= 7 && rest[..7].eq_ignore_ascii_case(b"DOCTYPE") {
            // Every doctype state ends at `>`, quoted identifiers included.
            return past(b, at + 7, b">");
        }
        if rest.starts_with(b"[CDATA[") && self.current_ns() != Ns::Html {
            let start = at + 7;
            let end = memchr::memmem::find(&b[start..], b"]]>").map_or(b.len(), |n| start + n);
            self.text(start, end, false);
            return (end + 3).min(b.len());
        }
        past(b, at, b">")
    }

    /// `</` at `at - 2`. Returns where the data state resumes.
    fn end_tag_open(&mut self, at: usize) -> usize {
        let b = self.b;
        match b.get(at) {
            Some(c) if c.is_ascii_alphabetic() => {}
            // `</>` is dropped; `</` at the end is text.
            Some(b'>') => return at + 1,
            None => return at,
            // `</3`, `</ x>`…: a bogus comment, to the next `>`.
            Some(_) => return past(b, at, b">"),
        }
        let Some(end) = name_end(b, at) else {
            return b.len();
        };
        let Some((after, _)) = attributes(b, end, |_, _| {}) else {
            return b.len();
        };
        self.end_tag(&b[at..end]);
        after
    }

    /// The tree builder's feedback for an end tag, as lol_html simulates it, and the end of a
    /// foreign first `<title>`.
    fn end_tag(&mut self, name: &[u8]) {
        self.title_end(name);
        match self.current_ns() {
            Ns::Html => {
                // Leaving an integration point returns to the namespace around it.
                let point = self.ns.last().map_or(&[][..], |l| l.point());
                if !point.is_empty() && point.eq_ignore_ascii_case(name) {
                    self.leave_ns();
                    return;
                }
                // Directly inside a point, an end tag follows the foreign rules: `</svg>`
                // closes the point and the `<svg>` around it.
                let outer = self.ns.len().checked_sub(2).map(|n| self.ns[n].ns());
                if !point.is_empty()
                    && (outer == Some(Ns::Svg) && name.eq_ignore_ascii_case(b"svg")
                        || outer == Some(Ns::MathMl) && name.eq_ignore_ascii_case(b"math"))
                {
                    self.leave_ns();
                    self.leave_ns();
                }
            }
            ns => {
                if ns == Ns::Svg && name.eq_ignore_ascii_case(b"svg")
                    || ns == Ns::MathMl && name.eq_ignore_ascii_case(b"math")
                    || one_of(name, &[b"p", b"br"])
                {
                    self.leave_ns();
                }
            }
        }
    }

    /// An end tag named `name` may end the foreign first `<title>` being gathered.
    fn title_end(&mut self, name: &[u8]) {
        if let Title::Gathering { text, depth, .. } = &mut self.title
            && name.eq_ignore_ascii_case(b"title")
        {
            *depth -= 1;
            if *depth == 0 {
                self.title = Title::Done(std::mem::take(text));
            }
        }
    }

    /// A start tag whose name begins at `at`. Reads it, records what it holds, applies the
    /// tree builder's feedback, and reads the raw text it opens, if any. Returns where the
    /// data state resumes.
    fn start_tag(&mut self, at: usize) -> usize {
        let b = self.b;
        let Some(end) = name_end(b, at) else {
            return b.len();
        };
        let name = &b[at..end];
        let is_a = name.eq_ignore_ascii_case(b"a");
        let is_base = !is_a && self.out.base.is_none() && name.eq_ignore_ascii_case(b"base");
        let is_font = name.eq_ignore_ascii_case(b"font");
        let is_annotation = name.eq_ignore_ascii_case(b"annotation-xml");
        // The attributes this tag needs read: an href, or what decides foreign content.
        let (mut href, mut breaks_out, mut html_encoding) = (None, false, false);
        let read = if is_a || is_base || is_font || is_annotation {
            attributes(b, end, |attr, value| {
                if (is_a || is_base) && href.is_none() && attr.eq_ignore_ascii_case(b"href") {
                    // The first of several `href`s counts, as the tokeniser keeps the first.
                    href = Some(value);
                } else if is_font && one_of(attr, &[b"color", b"size", b"face"]) {
                    breaks_out = true;
                } else if is_annotation
                    && attr.eq_ignore_ascii_case(b"encoding")
                    && one_of(value, &[b"text/html", b"application/xhtml+xml"])
                {
                    html_encoding = true;
                }
            })
        } else {
            attributes(b, end, |_, _| {})
        };
        // The document ended inside the tag: the tokeniser drops it.
        let Some((after, self_closing)) = read else {
            return b.len();
        };
        if is_a {
            self.out.links += 1;
            if let Some(v) = href {
                self.out.hrefs.push_attribute(v);
            }
        } else if is_base && let Some(v) = href {
            self.out.base = Some(attribute_value(v).into_owned());
        }
        let is_title = name.eq_ignore_ascii_case(b"title");
        let first_title = is_title && matches!(self.title, Title::NotYet);
        if is_title && let Title::Gathering { depth, .. } = &mut self.title {
            *depth += 1;
        }

        // The tree builder's feedback (lol_html's TreeBuilderSimulator).
        let ns = self.current_ns();
        let ns_len = self.ns.len();
        let mut text_kind = None;
        if name.eq_ignore_ascii_case(b"svg") {
            if !self_closing {
                self.ns.push(Level::new(Ns::Svg, &[]));
            }
        } else if name.eq_ignore_ascii_case(b"math") {
            if !self_closing {
                self.ns.push(Level::new(Ns::MathMl, &[]));
            }
        } else if ns != Ns::Html {
            if one_of(name, BREAKS_OUT) || is_font && breaks_out {
                // The tree builder pops every foreign element up to HTML (lol_html: one).
                while self.current_ns() != Ns::Html {
                    self.leave_ns();
                }
            } else if !self_closing {
                let points = if ns == Ns::Svg {
                    SVG_HTML_POINTS
                } else {
                    MATHML_TEXT_POINTS
                };
                let point = points
                    .iter()
                    .find(|p| p.eq_ignore_ascii_case(name))
                    .copied()
                    .or((ns == Ns::MathMl && is_annotation && html_encoding)
                        .then_some(&b"annotation-xml"[..]));
                if let Some(point) = point {
                    self.ns.push(Level::new(Ns::Html, point));
                }
            }
        } else {
            text_kind = if one_of(name, &[b"title", b"textarea"]) {
                Some(TextKind::RcData)
            } else if name.eq_ignore_ascii_case(b"script") {
                Some(TextKind::Script)
            } else if name.eq_ignore_ascii_case(b"plaintext") {
                Some(TextKind::PlainText)
            } else if one_of(
                name,
                &[
                    b"style",
                    b"iframe",
                    b"xmp",
                    b"noembed",
                    b"noframes",
                    b"noscript",
                ],
            ) {
                Some(TextKind::RawText)
            } else {
                None
            };
        }

        if first_title {
            self.foreign_title = ns != Ns::Html;
            self.title = match (ns, text_kind) {
                // An HTML title's text is its RCDATA, read just below.
                (Ns::Html, _) => Title::Done(String::new()),
                // A foreign `<title/>` is empty; any other is gathered up to its end tag.
                _ if self_closing => Title::Done(String::new()),
                _ => Title::Gathering {
                    text: String::new(),
                    depth: 1,
                    ns_len: self.ns.len().min(ns_len),
                },
            };
        }
        let Some(kind) = text_kind else {
            return after;
        };
        let (text_end, resume) = self.raw_text(after, kind, name);
        if first_title && kind == TextKind::RcData {
            let raw = String::from_utf8_lossy(&b[after..text_end]).into_owned();
            self.title = Title::Done(decode(raw, false));
        } else {
            self.text(after, text_end, kind == TextKind::RcData);
        }
        resume
    }

    /// The raw text that `kind`'s start tag (named `name`) opened at `from`: returns where the
    /// text ends and where the data state resumes (after the end tag, if there is one).
    fn raw_text(&mut self, from: usize, kind: TextKind, name: &[u8]) -> (usize, usize) {
        let b = self.b;
        let end_tag = match kind {
            TextKind::PlainText => return (b.len(), b.len()),
            TextKind::Script => script_end(b, from),
            TextKind::RcData | TextKind::RawText => {
                let mut i = from;
                loop {
                    let Some(n) = memchr::memchr(b'<', &b[i..]) else {
                        break None;
                    };
                    let lt = i + n;
                    if b.get(lt + 1) == Some(&b'/') && closes(b, lt + 2, name) {
                        break Some(lt);
                    }
                    i = lt + 1;
                }
            }
        };
        let Some(lt) = end_tag else {
            return (b.len(), b.len());
        };
        let name_end = lt + 2 + name.len();
        match attributes(b, name_end, |_, _| {}) {
            Some((after, _)) => {
                // It closes the element that opened the raw text, which is HTML: no
                // namespace is left (lol_html's simulator would leave an SVG `<title>` here).
                self.title_end(name);
                (lt, after)
            }
            // The end tag never ends: it is dropped, and the element runs to the end.
            None => (lt, b.len()),
        }
    }

    fn finish(self) -> Extracted {
        let title = match self.title {
            Title::NotYet => None,
            Title::Gathering { text, .. } | Title::Done(text) => Some(text.trim().to_owned()),
        };
        Extracted { title, ..self.out }
    }
}

/// Where `</script` ends script data that starts at `from`, through the escape states of
/// §13.2.5.15–31: inside `<!--`, a `<script>` opens a double-escaped run in which
/// `</script>` does not end the element. `None` if it runs to the end of the document.
fn script_end(b: &[u8], from: usize) -> Option<usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        Data,
        Escaped,
        EscapedDash,
        EscapedDashDash,
        Double,
        DoubleDash,
        DoubleDashDash,
    }
    /// The letters of a tag name from `at`, and the index after them.
    fn letters(b: &[u8], at: usize) -> (&[u8], usize) {
        let n = b[at.min(b.len())..]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        (&b[at.min(b.len())..at.min(b.len()) + n], at + n)
    }
    let delimits = |at: usize| b.get(at).is_some_and(|&c| ends_name(c));
    let mut s = S::Data;
    let mut i = from;
    while i < b.len() {
        if s == S::Data {
            // The common case: no `<!--`, so jump from `<` to `<`.
            let lt = i + memchr::memchr(b'<', &b[i..])?;
            if b.get(lt + 1) == Some(&b'/') && closes(b, lt + 2, b"script") {
                return Some(lt);
            }
            if b[lt + 1..].starts_with(b"!--") {
                s = S::EscapedDashDash;
                i = lt + 4;
            } else {
                i = lt + 1;
            }
            continue;
        }
        let c = b[i];
        match (s, c) {
            (S::Escaped | S::EscapedDash | S::EscapedDashDash, b'<') => {
                if b.get(i + 1) == Some(&b'/') {
                    if closes(b, i + 2, b"script") {
                        return Some(i);
                    }
                    s = S::Escaped;
                    i += 2;
                } else {
                    let (name, after) = letters(b, i + 1);
                    if !name.is_empty() && delimits(after) && name.eq_ignore_ascii_case(b"script") {
                        s = S::Double;
                        i = after + 1;
                    } else {
                        s = S::Escaped;
                        i = if name.is_empty() { i + 1 } else { after };
                    }
                }
                continue;
            }
            (S::Double | S::DoubleDash | S::DoubleDashDash, b'<') => {
                if b.get(i + 1) == Some(&b'/') {
                    let (name, after) = letters(b, i + 2);
                    if delimits(after) {
                        s = if name.eq_ignore_ascii_case(b"script") {
                            S::Escaped
                        } else {
                            S::Double
                        };
                        i = after + 1;
                    } else {
                        s = S::Double;
                        i = after;
                    }
                } else {
                    s = S::Double;
                    i += 1;
                }
                continue;
            }
            (S::Escaped, b'-') => s = S::EscapedDash,
            (S::EscapedDash, b'-') => s = S::EscapedDashDash,
            (S::EscapedDashDash, b'-') | (S::DoubleDashDash, b'-') => {}
            (S::EscapedDashDash | S::DoubleDashDash, b'>') => s = S::Data,
            (S::Escaped | S::EscapedDash | S::EscapedDashDash, _) => s = S::Escaped,
            (S::Double, b'-') => s = S::DoubleDash,
            (S::DoubleDash, b'-') => s = S::DoubleDashDash,
            (S::Double | S::DoubleDash | S::DoubleDashDash, _) => s = S::Double,
            (S::Data, _) => unreachable!("script data is handled above"),
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::{DomExtractor, StreamExtractor};

    fn tok(html: &str) -> Extracted {
        TokenizeExtractor.extract(html.as_bytes())
    }

    #[test]
    fn the_point_lists_are_the_right_slices_of_every_point() {
        assert_eq!(SVG_HTML_POINTS, [&b"desc"[..], b"title", b"foreignobject"]);
        assert_eq!(
            MATHML_TEXT_POINTS,
            [&b"mi"[..], b"mo", b"mn", b"ms", b"mtext"]
        );
        for (i, point) in POINTS.iter().enumerate() {
            assert_eq!(Level::new(Ns::Html, point).point(), POINTS[i]);
        }
    }

    #[test]
    fn quoted_values_may_hold_the_tag_end() {
        let e = tok(r#"<p title="a>b" data-x='<a href=/no>'><a href=/yes>x</a>"#);
        assert_eq!(
            (e.links, e.hrefs.iter().collect::<Vec<_>>()),
            (1, vec!["/yes"])
        );
        // A quote inside a name is part of the name, not the start of a value.
        let e = tok(r#"<p a"b><a href=/after>x</a>"#);
        assert_eq!(e.hrefs, ["/after"]);
    }

    #[test]
    fn every_attribute_form_gives_its_href() {
        for (html, want) in [
            ("<a href=/u>", "/u"),
            ("<a href = '/s' >", "/s"),
            ("<a HREF=\"/d\">", "/d"),
            ("<a href>", ""),
            ("<a href=>", ""),
            ("<a href=/first href=/second>", "/first"),
            ("<a x=1 href=/after/>", "/after/"),
            ("<a/href=/slash>", "/slash"),
            ("<a =x href=/eq>", "/eq"),
        ] {
            assert_eq!(tok(html).hrefs, [want], "{html}");
        }
        // A tag the document ends inside is dropped.
        assert_eq!(tok("<a href='/never").links, 0);
        assert_eq!(tok("<a href=/x").links, 0);
    }

    #[test]
    fn comments_end_where_the_tokeniser_ends_them() {
        for (html, links) in [
            ("<!--><a href=/1>", 1),
            ("<!---><a href=/1>", 1),
            ("<!----><a href=/1>", 1),
            ("<!-- -- --!><a href=/1>", 1),
            ("<!-- <a href=/no> ---><a href=/1>", 1),
            ("<!-- <!-- <a> --><a href=/1>", 1),
            ("<!-- never ends <a href=/no>", 0),
            ("<?php <a href=/no> ?><a href=/1>", 1),
            ("<!DOCTYPE html PUBLIC \"a\"><a href=/1>", 1),
            ("<![CDATA[<a href=/no>]]><a href=/1>", 1),
            ("</ not a tag <a href=/no>><a href=/1>", 1),
            ("</><a href=/1>", 1),
            ("a < b <a href=/1>", 1),
        ] {
            assert_eq!(tok(html).links, links, "{html}");
        }
    }

    #[test]
    fn cdata_is_text_only_in_foreign_content() {
        let e = tok("<svg><![CDATA[<a href=/no>]]><a href=/s>s</a></svg>");
        assert_eq!(e.hrefs, ["/s"]);
        // Outside it, `<![CDATA[` opens a bogus comment that ends at the first `>`.
        let e = tok("<p><![CDATA[ x <a href=/half>]]>");
        assert_eq!(e.links, 0);
    }

    #[test]
    fn script_escapes_are_followed() {
        for (html, links) in [
            ("<script>var a = '</scriptx>'; <a></script><a href=/1>", 1),
            ("<script><!-- </script><a href=/1>", 1),
            (
                "<script><!-- <script> </script> <a href=/no> --></script><a href=/1>",
                1,
            ),
            (
                "<script><!--<script></script>--></script><a href=/1></script><a href=/2>",
                2,
            ),
            ("<script><!--><a href=/no></script><a href=/1>", 1),
            ("<script><!-- -> <a href=/no></script ><a href=/1>", 1),
            ("<script>never closed <a href=/no>", 0),
        ] {
            assert_eq!(tok(html).links, links, "{html}");
        }
    }

    #[test]
    fn end_tags_of_raw_text_need_the_right_name_and_an_end() {
        let e = tok("<title>a</titlex>b</TITLE foo='>'>c<a href=/1>");
        assert_eq!(e.title.as_deref(), Some("a</titlex>b"));
        assert_eq!(e.links, 1);
        assert_eq!(tok("<textarea></textarea<a href=/no>").links, 0);
    }

    #[test]
    fn foreign_titles_hold_markup() {
        let e = tok(
            "<svg><title>in <b>bold</b> &amp; <a href=/t>t</a></title></svg><title>html</title>",
        );
        assert_eq!(e.title.as_deref(), Some("in bold & t"));
        assert_eq!(e.links, 1);
        assert_eq!(
            tok("<svg><title/></svg><title>x</title>").title.as_deref(),
            Some("")
        );
        // Inside an integration point, `<style>` is HTML's raw text again.
        let e = tok("<svg><desc><style><a href=/no></style></desc></svg><a href=/1>");
        assert_eq!(e.links, 1);
        // MathML: a title there is foreign and ends with its <math>; <mi> is a text
        // integration point, where <style> is raw text again.
        let e = tok("<math><title>m<b>x</math>after</title><title>html</title>");
        assert_eq!(e.title.as_deref(), Some("m"));
        let e = tok("<math><mi><style><a href=/no></style></mi><style><a href=/1></style></math>");
        assert_eq!(e.links, 1);
        // A breakout tag leaves the SVG: the next <title> is HTML's RCDATA.
        let e = tok("<svg><p><title><a href=/no></title>");
        assert_eq!((e.title.as_deref(), e.links), (Some("<a href=/no>"), 0));
    }

    /// Markup made from pieces that exercise the states above, checked against the other two
    /// sound strategies. On every document the anchors (count, hrefs, base) must be exactly
    /// lol_html's or exactly the DOM's, and so must the title. They differ where a tree
    /// builder rewrites misnested markup, which neither tokeniser sees. A title is not
    /// checked here when the first `<title>` is foreign (inside `<svg>`): where it ends is
    /// the tree builder's call, which both tokenisers only approximate, each differently
    /// (the test above pins the cases that matter). One difference from `stream`'s title is
    /// allowed by name: raw text inside a foreign title, whose character references
    /// `stream` decodes and the DOM does not. `<math>` is left out of the pieces, for the
    /// same reason as foreign titles; the test above pins MathML.
    #[test]
    fn agrees_with_stream_on_generated_markup() {
        const PIECES: &[&str] = &[
            "<a href=/x>",
            "<a href='/q?a=1&amp;b=2'>",
            "<A HREF=\"/u\">",
            "</a>",
            "<a>",
            "<title>",
            "</title>",
            "<title>T &lt;1&gt;</title>",
            "<base href=/b/>",
            "<script>",
            "</script>",
            "<!--",
            "-->",
            "--!>",
            "<style>",
            "</style>",
            "<textarea>",
            "</textarea>",
            "<noscript>",
            "</noscript>",
            "<svg>",
            "</svg>",
            "<desc>",
            "</desc>",
            "<p>",
            "</p>",
            "<![CDATA[",
            "]]>",
            "<!DOCTYPE html>",
            "<?x>",
            "</ x>",
            "<",
            ">",
            "text ",
            "&amp;",
            "'",
            "\"",
            "=",
            "<div class=\"a>b\">",
            "<img alt='</title>'>",
            "-",
            "/",
            "<iframe>",
            "</iframe>",
            "<xmp>",
            "</xmp>",
            "<br/>",
            "<font color=red>",
            "<foreignObject>",
            "</foreignObject>",
            "\r\n",
            " ",
        ];
        // A small xorshift, so the documents are the same on every run.
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut differs = 0;
        for round in 0..20_000 {
            let len = 1 + (next() % 24) as usize;
            let html: String = (0..len)
                .map(|_| PIECES[(next() % PIECES.len() as u64) as usize])
                .collect();
            let (ours, foreign_title) = scan(html.as_bytes());
            let stream = StreamExtractor.extract(html.as_bytes());
            if ours == stream {
                continue;
            }
            let dom = DomExtractor.extract(html.as_bytes());
            let anchors = |e: &Extracted| (e.links, e.hrefs.clone(), e.base.clone());
            let decoded = |e: &Extracted| e.title.clone().map(|t| super::decode(t, false));
            assert!(
                anchors(&ours) == anchors(&stream) || anchors(&ours) == anchors(&dom),
                "round {round}: {html:?}\n  tokenize: {ours:?}\n  stream: {stream:?}\n  dom: {dom:?}"
            );
            assert!(
                foreign_title || ours.title == dom.title || decoded(&ours) == decoded(&stream),
                "round {round}: {html:?}\n  tokenize: {ours:?}\n  stream: {stream:?}\n  dom: {dom:?}"
            );
            differs += 1;
        }
        // The rounds that differ from `stream` at all are the rare cases above, not the rule.
        assert!(
            differs < 20_000 / 20,
            "{differs} of 20000 differ from stream"
        );
    }
}
