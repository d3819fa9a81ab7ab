//! Turning a fetch result into a [`PageRecord`], identically in every contestant.
//!
//! These functions are pure: no I/O and no shared state. Where each contestant calls them
//! (inline, on a blocking pool, on a rayon pool) is the part that differs, and is the lesson.

use std::sync::{Arc, LazyLock};

use bytes::Bytes;

use url::Url;

use crate::charset::to_utf8;
use crate::extract::{Extracted, Strategy};
use crate::latency::Span;
use crate::record::{FetchError, Fetched, PageRecord};
use crate::scope::{Scope, resolve};

/// One in-memory HTML page, the input of the `parse` scenario.
///
/// Cheap to share: a clone is two reference counts, never a copy of the body. A contestant
/// whose tasks must own their data (`spawn_blocking`, `unblock`, a rayon job) clones the page,
/// and one that borrows does not; both do the same work on the page's bytes.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where the page would live; copied into its record.
    pub url: Arc<str>,
    /// The HTML bytes.
    pub body: Bytes,
}

/// A crawled page: its record, plus the links a crawler may follow.
#[derive(Clone, Debug)]
pub struct Scraped {
    /// The record for this URL.
    pub record: PageRecord,
    /// The page's hrefs resolved against its URL and normalised ([`resolve`]), in document
    /// order, each as the string its [`Url`] serialises to: http(s) only, fragments dropped,
    /// not yet deduplicated or kept to the crawl's origin (that is the frontier's job, which
    /// parses only the new ones into a `Url`). Hrefs that can only lead back to this page
    /// (`""`, `#section`), and repeats of an href earlier on the page, are left out. Empty
    /// unless the page was 2xx HTML.
    pub links: Vec<String>,
}

impl Scraped {
    /// A page whose task panicked or was cancelled: an `internal` record and no links.
    pub fn failed(url: &str, why: impl std::fmt::Display) -> Scraped {
        Scraped {
            record: task_failed(url, why),
            links: Vec::new(),
        }
    }
}

/// The record for a task that panicked or was cancelled: kept, so the URL is not lost.
pub fn task_failed(url: &str, why: impl std::fmt::Display) -> PageRecord {
    PageRecord::failed(url, FetchError::Internal(format!("task failed: {why}")))
}

/// The environment variable that names a URL whose parse panics, for tests: with it, a test
/// checks that every model turns a panic into that URL's `internal` record and keeps every
/// other record. It is read once per process; unset, it costs one comparison per page.
pub const PANIC_ON_URL: &str = "SHOOTOUT_TEST_PANIC_URL";

static PANIC_ON: LazyLock<Option<String>> = LazyLock::new(|| std::env::var(PANIC_ON_URL).ok());

/// Panics if `url` is the one [`PANIC_ON_URL`] names.
fn panic_if_asked(url: &str) {
    if PANIC_ON.as_deref() == Some(url) {
        panic!("{PANIC_ON_URL} asked for a panic while parsing {url}");
    }
}

/// Runs one input's work, turning a panic into that input's `internal` record, so one bad
/// page never costs the others theirs. Use it wherever a panic would otherwise escape to code
/// that loses records: rayon aborts the process on a panic in `ThreadPool::spawn`, and
/// re-raises one from any item of a parallel iterator in the caller of `collect`.
pub fn contained(url: &str, work: impl FnOnce() -> PageRecord) -> PageRecord {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| task_failed(url, "panicked"))
}

/// [`contained`] for a crawled page: a panic becomes the page's `internal` record, with no
/// links to follow.
pub fn contained_crawl(url: &Url, work: impl FnOnce() -> Scraped) -> Scraped {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work))
        .unwrap_or_else(|_| Scraped::failed(url.as_str(), "panicked"))
}

/// The record for the `sleep` scenario's i-th simulated download.
pub fn sleep_record(i: usize) -> PageRecord {
    PageRecord {
        url: format!("sleep:{i}"),
        status: None,
        title: None,
        links: 0,
        size: 0,
        error: None,
        final_url: None,
        latency: None,
        checksum: None,
    }
}

/// The record for a download: status and size, no parsing.
pub fn download_record(url: &str, result: Result<Fetched, FetchError>) -> PageRecord {
    match result {
        Err(e) => PageRecord::failed(url, e),
        Ok(f) => PageRecord {
            url: url.to_owned(),
            status: Some(f.status),
            title: None,
            links: 0,
            size: f.body.len(),
            error: status_error(f.status),
            final_url: f.final_url.map(String::from),
            latency: f.span.map(Span::ready_now),
            checksum: None,
        },
    }
}

/// The record for a scrape: a 2xx HTML body is parsed with `extract`; anything else is
/// recorded unparsed.
pub fn scrape_page(
    url: &str,
    result: Result<Fetched, FetchError>,
    extract: Strategy,
) -> PageRecord {
    scraped(url, result, extract).0
}

/// A crawled page: its record as [`scrape_page`] makes it, and its links resolved against
/// `url`. Resolving here, in the page's own task, keeps the URL parsing off the crawl's single
/// coordinator, which then only looks each link up in its frontier. An href this crawl
/// already handed on from the same directory ([`SeenHrefs`](crate::scope::SeenHrefs), kept
/// in `scope`) is neither resolved again nor handed on.
pub fn crawl_page(
    url: &Url,
    result: Result<Fetched, FetchError>,
    extract: Strategy,
    scope: &Scope,
) -> Scraped {
    // After redirects, the page's links are relative to where it really is (`/docs` answered
    // from `/docs/`), not to the URL that was asked for.
    let moved = result.as_ref().ok().and_then(|f| f.final_url.clone());
    let (record, e) = scraped(url.as_str(), result, extract);
    let url = moved.as_ref().unwrap_or(url);
    // Links resolve against the page's `<base href>` if it has one, as in a browser.
    let base_href = e.base.as_deref().and_then(|b| url.join(b.trim()).ok());
    // Resolving is URL parsing, the costliest step after the HTML itself, and most hrefs need
    // none. On the Rust docs, 37% are `#section` or `""`: they resolve to this very page,
    // which the crawl has just fetched, so they can never admit anything (unless a `<base>`
    // points elsewhere). Of the rest, most repeat an href met on this page or on another in
    // the same directory (sidebars, breadcrumbs, the same type named twice).
    let same_page =
        |h: &str| base_href.is_none() && (h.trim_start().starts_with('#') || h.trim().is_empty());
    let base = base_href.as_ref().unwrap_or(url);
    let fresh = scope
        .seen_hrefs()
        .keep_new(base, e.hrefs.iter().filter(|h| !same_page(h)));
    let links = fresh.into_iter().filter_map(|h| resolve(base, h)).collect();
    Scraped { record, links }
}

/// The record of a fetched page, and what extraction found in it (nothing, if it was not a
/// 2xx HTML page).
fn scraped(
    url: &str,
    result: Result<Fetched, FetchError>,
    extract: Strategy,
) -> (PageRecord, Extracted) {
    match result {
        Ok(f) if status_error(f.status).is_none() && f.is_html() => {
            panic_if_asked(url);
            let mut e = extract.extract(&to_utf8(&f.body, f.content_type.as_deref()));
            let record = PageRecord {
                url: url.to_owned(),
                status: Some(f.status),
                title: e.title.take(),
                links: e.links,
                size: f.body.len(),
                error: None,
                final_url: f.final_url.map(String::from),
                // Ready now, after parsing: a page that queued for a parser shows it here.
                latency: f.span.map(Span::ready_now),
                checksum: None,
            };
            (record, e)
        }
        other => (download_record(url, other), Extracted::default()),
    }
}

/// The record for one in-memory page of the `parse` scenario (no HTTP, so no status), parsed
/// with `extract`.
pub fn parse_page(page: &Page, extract: Strategy) -> PageRecord {
    panic_if_asked(&page.url);
    let e = extract.extract(&to_utf8(&page.body, None));
    PageRecord {
        url: page.url.to_string(),
        status: None,
        title: e.title,
        links: e.links,
        size: page.body.len(),
        error: None,
        final_url: None,
        latency: None,
        checksum: None,
    }
}

/// `Some(Status)` for a non-2xx status.
fn status_error(status: u16) -> Option<FetchError> {
    (!(200..300).contains(&status)).then_some(FetchError::Status(status))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fetched(status: u16, ct: &str, body: &str) -> Result<Fetched, FetchError> {
        Ok(Fetched {
            status,
            content_type: Some(ct.into()),
            body: body.as_bytes().to_vec().into(),
            final_url: None,
            span: None,
        })
    }

    #[test]
    fn only_2xx_html_is_parsed() {
        let html = "<title>T</title><a href=/x>x</a><a href='y#frag'>y</a><a href=mailto:m>m</a>\
                    <a href='#top'>t</a><a href=' #pad'>p</a><a href=''>e</a><a href=/x>again</a>";
        let page = Url::parse("http://h/dir/page").expect("url");
        for s in Strategy::ALL {
            // A scope of its own for each strategy: one crawl each.
            let scope = Scope::new(&page, None);
            let ok = crawl_page(&page, fetched(200, "text/html", html), s, &scope);
            assert_eq!(
                (ok.record.title.as_deref(), ok.record.links),
                (Some("T"), 7),
                "{s}"
            );
            // Resolved against the page, fragment dropped; non-http schemes, links back to the
            // page itself and repeats gone (the record still counts every <a>).
            let links: Vec<&str> = ok.links.iter().map(String::as_str).collect();
            assert_eq!(links, ["http://h/x", "http://h/dir/y"], "{s}");
            assert_eq!(
                scrape_page("u", fetched(200, "text/html", html), s).links,
                7
            );

            let not_found = crawl_page(&page, fetched(404, "text/html", html), s, &scope);
            assert_eq!(not_found.record.error, Some(FetchError::Status(404)));
            assert_eq!((not_found.record.links, not_found.links.len()), (0, 0));

            let text = scrape_page("u", fetched(200, "text/plain", html), s);
            assert_eq!((text.error, text.title), (None, None));
            assert_eq!(text.size, html.len());
        }
    }
}
