//! Turning a fetch result into a [`PageRecord`], identically in every contestant.
//!
//! These functions are pure: no I/O and no shared state. Where each contestant calls them
//! (inline, on a blocking pool, on a rayon pool) is the part that differs, and is the lesson.

use crate::extract::Strategy;
use crate::record::{FetchError, Fetched, PageRecord};

/// One in-memory HTML page, the input of the `parse` scenario.
#[derive(Clone, Debug)]
pub struct Page {
    /// Where the page would live; copied into its record.
    pub url: String,
    /// The HTML bytes.
    pub body: Vec<u8>,
}

/// A scraped page: its record, plus the hrefs a crawler follows.
#[derive(Clone, Debug)]
pub struct Scraped {
    /// The record for this URL.
    pub record: PageRecord,
    /// Raw hrefs found in the page (empty unless it was a 2xx HTML page).
    pub hrefs: Vec<String>,
}

/// The record for a task that panicked or was cancelled: kept, so the URL is not lost.
pub fn task_failed(url: &str, why: impl std::fmt::Display) -> PageRecord {
    PageRecord::failed(url, FetchError::Internal(format!("task failed: {why}")))
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
        },
    }
}

/// The record for a scrape: a 2xx HTML body is parsed with `extract`; anything else is
/// recorded unparsed.
pub fn scrape_page(url: &str, result: Result<Fetched, FetchError>, extract: Strategy) -> Scraped {
    match result {
        Ok(f) if status_error(f.status).is_none() && f.is_html() => {
            let e = extract.extract(&f.body);
            Scraped {
                record: PageRecord {
                    url: url.to_owned(),
                    status: Some(f.status),
                    title: e.title,
                    links: e.links,
                    size: f.body.len(),
                    error: None,
                },
                hrefs: e.hrefs,
            }
        }
        other => Scraped {
            record: download_record(url, other),
            hrefs: Vec::new(),
        },
    }
}

/// The record for one in-memory page of the `parse` scenario (no HTTP, so no status), parsed
/// with `extract`.
pub fn parse_page(page: &Page, extract: Strategy) -> PageRecord {
    let e = extract.extract(&page.body);
    PageRecord {
        url: page.url.clone(),
        status: None,
        title: e.title,
        links: e.links,
        size: page.body.len(),
        error: None,
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
            body: body.as_bytes().to_vec(),
        })
    }

    #[test]
    fn only_2xx_html_is_parsed() {
        let html = "<title>T</title><a href=/x>x</a>";
        for s in Strategy::ALL {
            let ok = scrape_page("u", fetched(200, "text/html", html), s);
            assert_eq!(
                (ok.record.title.as_deref(), ok.record.links),
                (Some("T"), 1),
                "{s}"
            );
            assert_eq!(ok.hrefs, ["/x"], "{s}");

            let not_found = scrape_page("u", fetched(404, "text/html", html), s);
            assert_eq!(not_found.record.error, Some(FetchError::Status(404)));
            assert_eq!((not_found.record.links, not_found.hrefs.len()), (0, 0));

            let text = scrape_page("u", fetched(200, "text/plain", html), s);
            assert_eq!((text.record.error, text.record.title), (None, None));
            assert_eq!(text.record.size, html.len());
        }
    }
}
