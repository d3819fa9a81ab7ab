//! The quirk pages: markup the HTML5 tree builder rewrites, so a DOM and a token stream
//! disagree on it, and markup that only looks as if it might.

use bytes::Bytes;

use super::{HTML, Resource};

/// A page of markup where a tree builder and a tokeniser may part ways.
#[derive(Clone, Copy, Debug)]
pub struct Quirk {
    /// Where it is served: `/quirks/{name}`.
    pub path: &'static str,
    /// The whole document.
    pub html: &'static str,
    /// Ground truth: the first `<title>`'s text in a browser's DOM.
    pub title: Option<&'static str>,
    /// Ground truth: the `<a>` elements in a browser's DOM.
    pub links: usize,
    /// Whether the `stream` strategy gets it wrong (the tree builder changed the markup).
    pub splits: bool,
}

/// Every quirk page. Each links only to `/`, so a crawl reaches the same URLs whichever way
/// the links are counted; only the counts (and so the verdict) differ.
pub const QUIRKS: &[Quirk] = &[
    Quirk {
        path: "/quirks/reopened-anchor",
        html: "<!DOCTYPE html><html><head><title>An anchor reopened</title></head><body>\
               <p><a href=\"/\">one</p><p>two</a></p></body></html>",
        title: Some("An anchor reopened"),
        // The tree builder reopens the <a> still open when the first <p> closed.
        links: 2,
        splits: true,
    },
    Quirk {
        path: "/quirks/adopted-anchor",
        html: "<!DOCTYPE html><html><head><title>An anchor around a block</title></head><body>\
               <a href=\"/\"><div>block</a>after</div></body></html>",
        title: Some("An anchor around a block"),
        // The adoption agency splits the <a> at the <div>.
        links: 2,
        splits: true,
    },
    Quirk {
        path: "/quirks/frameset",
        html: "<!DOCTYPE html><html><head><title>A frameset</title></head>\
               <frameset><a href=\"/\">dropped</a></frameset></html>",
        title: Some("A frameset"),
        // A frameset document has no body; the tree builder drops the <a>.
        links: 0,
        splits: true,
    },
    Quirk {
        path: "/quirks/title-in-body",
        html: "<!DOCTYPE html><html><head></head><body><p>text first</p>\
               <title>A title in the body</title><a href=\"/\">home</a></body></html>",
        title: Some("A title in the body"),
        links: 1,
        splits: false,
    },
    Quirk {
        path: "/quirks/two-titles",
        html: "<!DOCTYPE html><html><head><title>The first title</title>\
               <title>The second title</title></head><body><a href=\"/\">home</a></body></html>",
        title: Some("The first title"),
        links: 1,
        splits: false,
    },
    Quirk {
        path: "/quirks/template-anchor",
        html: "<!DOCTYPE html><html><head><title>An anchor in a template</title></head><body>\
               <template><a href=\"/\">inert</a></template><a href=\"/\">home</a></body></html>",
        title: Some("An anchor in a template"),
        links: 2,
        splits: false,
    },
    Quirk {
        path: "/quirks/unclosed-title",
        html: "<!DOCTYPE html><html><head><title>An unclosed title <a href=\"/\">not a link</a>",
        // The title is raw text up to `</title>`, or to the end of the document.
        title: Some("An unclosed title <a href=\"/\">not a link</a>"),
        links: 0,
        splits: false,
    },
];

pub(super) fn quirk_page(q: &Quirk) -> Resource {
    Resource {
        status: 200,
        content_type: HTML,
        body: Bytes::from_static(q.html.as_bytes()),
        title: q.title.map(str::to_owned),
        links: q.links,
        targets: if q.links > 0 {
            vec!["/".to_owned()]
        } else {
            Vec::new()
        },
    }
}
