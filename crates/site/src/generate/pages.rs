//! The site's pages: the index, the content pages (a tree of fan-out [`FAN_OUT`] with cross
//! links and every trap) and the plain-text data files.

use std::fmt::Write as _;

use bytes::Bytes;

use super::quirks::QUIRKS;
use super::rng::Rng;
use super::writer::PageWriter;
use super::{FAN_OUT, Resource, SiteSpec, page_path};

fn children(i: Option<usize>, pages: usize) -> impl Iterator<Item = usize> {
    let first = i.map_or(0, |i| FAN_OUT * (i + 1));
    (first..first + FAN_OUT).filter(move |c| *c < pages)
}

pub(super) fn index_page(spec: SiteSpec) -> Resource {
    let title = "Shootout synthetic site".to_owned();
    let mut w = PageWriter::new(&title);
    w.raw("<main>\n<h1>Index</h1>\n<ul>\n");
    w.bare_anchor("top");
    for c in children(None, spec.pages) {
        w.raw("<li>");
        w.link(&page_path(c), &format!("Page {c}"), Some(page_path(c)));
        w.raw("</li>\n");
    }
    if spec.quirks {
        for q in QUIRKS {
            w.raw("<li>");
            w.link(q.path, q.path, Some(q.path.to_owned()));
            w.raw("</li>\n");
        }
    }
    w.raw("</ul>\n</main>\n</body>\n</html>\n");
    w.finish(title)
}

pub(super) fn content_page(spec: SiteSpec, i: usize, origin: &str) -> Resource {
    let mut rng = Rng::new(spec.seed, i as u64);
    let (a, b) = (rng.word(), rng.word());
    let title = format!("Page {i} & {a} {b}");
    let mut w = PageWriter::new(&format!("Page {i} &amp; {a} {b}"));

    w.raw("<header><nav><ul><li>");
    w.link("/", "Home", Some("/".to_owned()));
    w.raw("</li><li>");
    w.link("#content", "Skip to content", Some(page_path(i)));
    w.raw("</li></ul></nav></header>\n");
    sidebar(&mut w, spec, i);
    w.raw("<main id=\"content\">\n");
    w.bare_anchor("top");
    let _ = write!(
        w.html,
        "<h1>Page {i}</h1>\n<article>\n<p>Children:</p>\n<ol>\n"
    );

    // Children in four spellings of the same kind of URL; the first one twice.
    for (k, c) in children(Some(i), spec.pages).enumerate() {
        let path = page_path(c);
        let href = match k % 4 {
            0 => path.clone(),
            1 => format!("./{c}"),
            2 => format!("{origin}/page/{c}"),
            _ => format!("{path}#details"),
        };
        w.raw("<li>");
        w.link(&href, &format!("Child {c}"), Some(path.clone()));
        if k == 0 {
            w.raw(" ");
            w.link(&format!("{path}#again"), "(again)", Some(path));
        }
        w.raw("</li>\n");
    }
    w.raw("</ol>\n<p>See also: ");
    // Two cross links, in a dot-segment and an upper-case-scheme spelling.
    if spec.pages > 0 {
        let r1 = rng.below(spec.pages);
        w.link(&format!("../page/./{r1}"), "related", Some(page_path(r1)));
        w.raw(", ");
        let r2 = rng.below(spec.pages);
        let upper = origin.replacen("http://", "HTTP://", 1);
        w.link(&format!("{upper}/page/{r2}"), "more", Some(page_path(r2)));
    }
    w.raw(".</p>\n<p>Elsewhere: ");
    // Other origins and schemes: counted as links, never followed.
    w.link(
        &format!("https://external.invalid/page/{i}"),
        "external",
        None,
    );
    w.raw(" ");
    w.link("mailto:nobody@example.invalid", "mail", None);
    w.raw(" ");
    w.link("javascript:void(0)", "script", None);
    w.raw("</p>\n");
    if i % 7 == 3 {
        let path = format!("/missing/{i}");
        w.link(&path, "a broken link", Some(path.clone()));
    }
    if i % 5 == 2 {
        let path = format!("/data/{i}.txt");
        w.link(&path, "raw data", Some(path.clone()));
    }
    w.raw("</article>\n");
    w.pad_to(spec.page_kb * 1024, &mut rng);
    w.finish(title)
}

/// Page `i`'s sidebar ([`SiteSpec::links`]): the same links on every page of its section, in
/// two spellings (`./c` and `/page/c`), as a documentation site repeats its navigation.
fn sidebar(w: &mut PageWriter, spec: SiteSpec, i: usize) {
    if spec.links == 0 {
        return;
    }
    w.raw("<nav class=\"sidebar\"><ul>\n");
    let first = i / spec.links * spec.links;
    for c in (first..first.saturating_add(spec.links)).take_while(|c| *c < spec.pages) {
        let href = if c % 2 == 0 {
            format!("./{c}")
        } else {
            page_path(c)
        };
        w.raw("<li>");
        w.link(&href, &format!("Section page {c}"), Some(page_path(c)));
        w.raw("</li>\n");
    }
    w.raw("</ul></nav>\n");
}

pub(super) fn data_file(n: &str) -> Resource {
    let mut body = String::new();
    for k in 0..16 {
        let _ = writeln!(
            body,
            "data file {n}, line {k}: <a href=\"/not-html\">not parsed</a>"
        );
    }
    Resource {
        status: 200,
        content_type: "text/plain; charset=utf-8",
        body: Bytes::from(body),
        title: None,
        links: 0,
        targets: Vec::new(),
    }
}
