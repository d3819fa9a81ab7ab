//! The synthetic site: deterministic pages that know their own right answers.
//!
//! Each page is built anchor by anchor, so the generator knows its title, its `<a>` count and
//! where every link leads without running a parser. Pages contain the traps a careless scraper
//! falls into: `<a>` inside `<script>` and comments, anchors without `href`, fragments,
//! duplicates, relative, dot-segment and absolute forms of one URL, other origins, and
//! non-http schemes.
//!
//! With [`SiteSpec::quirks`] on, the site also serves the [`QUIRKS`]: small pages of markup
//! that the HTML5 tree builder rewrites (so a DOM and a token stream disagree on them) and
//! markup that only looks as if they might. Their ground truth is what a browser's DOM holds.
//!
//! # Layout
//!
//! This file: the [`Site`] (every resource and the ground truth of each scenario) and its
//! URLs. `pages.rs` writes the index, the content pages and the data files; `writer.rs` is
//! the page writer that counts what it writes; `rng.rs` the deterministic generator and its
//! words; `quirks.rs` the [`QUIRKS`] pages.

use std::collections::{HashMap, VecDeque};

use bytes::Bytes;
use shootout_core::Strategy;
use shootout_core::page::{Page, scrape_page};
use shootout_core::record::{FetchError, Fetched, PageRecord};
use shootout_core::verify::{CrawlGraph, Expectation, Fields};
use url::Url;

mod pages;
mod quirks;
mod rng;
mod writer;

use pages::{content_page, data_file, index_page};
use quirks::quirk_page;
pub use quirks::{QUIRKS, Quirk};

/// What the synthetic site looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SiteSpec {
    /// N: pages at `/page/0` … `/page/{N-1}`.
    pub pages: usize,
    /// S: each page is padded to about this many KiB.
    pub page_kb: usize,
    /// Seed for titles, extra links and padding.
    pub seed: u64,
    /// Also serve the [`QUIRKS`] pages, linked from the index and part of every scenario's
    /// inputs.
    pub quirks: bool,
    /// L: a sidebar of L links on every content page, as on a documentation site: the pages
    /// of one section of L pages (`/page/{kL}` … `/page/{kL + L - 1}`) all carry the same L
    /// links, to each other, so most of a page's links repeat its neighbours'. 0, the
    /// default, adds none. At most [`MAX_SIDEBAR_LINKS`].
    pub links: usize,
}

/// The most sidebar links a page may carry ([`SiteSpec::links`]).
pub const MAX_SIDEBAR_LINKS: usize = 10_000;

impl Default for SiteSpec {
    fn default() -> Self {
        SiteSpec {
            pages: 40,
            page_kb: 64,
            seed: 42,
            quirks: false,
            links: 0,
        }
    }
}

/// How many children each page links to; the site is a tree of this fan-out plus cross links,
/// so a crawl has several levels to discover.
pub const FAN_OUT: usize = 4;

/// One servable resource and what a correct client must record for it.
#[derive(Clone, Debug)]
pub struct Resource {
    /// HTTP status.
    pub status: u16,
    /// `Content-Type` header value.
    pub content_type: &'static str,
    /// The body, shared cheaply between responses.
    pub body: Bytes,
    /// Ground truth: the `<title>` text a correct parser finds.
    pub title: Option<String>,
    /// Ground truth: the number of `<a>` elements a correct parser counts.
    pub links: usize,
    /// Ground truth: the same-origin paths this resource links to, in order.
    pub targets: Vec<String>,
}

/// The generated site, for one origin (`http://127.0.0.1:PORT`).
#[derive(Debug)]
pub struct Site {
    spec: SiteSpec,
    origin: Url,
    resources: HashMap<String, Resource>,
}

impl Site {
    /// Generates every resource for the site served at `origin`. Absolute links in the pages
    /// point at `origin`, so generate after the server's port is known.
    pub fn generate(spec: SiteSpec, origin: &Url) -> Site {
        let origin_str = origin.as_str().trim_end_matches('/').to_owned();
        let mut resources = HashMap::new();
        resources.insert("/".to_owned(), index_page(spec));
        if spec.quirks {
            for q in QUIRKS {
                resources.insert(q.path.to_owned(), quirk_page(q));
            }
        }
        for i in 0..spec.pages {
            let page = content_page(spec, i, &origin_str);
            for target in &page.targets {
                if let Some(rest) = target.strip_prefix("/data/") {
                    let n = rest.trim_end_matches(".txt");
                    resources.insert(target.clone(), data_file(n));
                }
            }
            resources.insert(format!("/page/{i}"), page);
        }
        Site {
            spec,
            origin: origin.clone(),
            resources,
        }
    }

    /// The spec this site was generated from.
    pub fn spec(&self) -> SiteSpec {
        self.spec
    }

    /// The origin the site was generated for.
    pub fn origin(&self) -> &Url {
        &self.origin
    }

    /// Whether `path` is a page a [`Shape`](shootout_core::knobs::Shape) may make heavy: a 2xx
    /// HTML page of this site.
    pub fn heavy_candidate(&self, path: &str) -> bool {
        self.get(path).is_some_and(|r| {
            (200..300).contains(&r.status) && r.content_type.starts_with("text/html")
        })
    }

    /// The resource at `path`, if there is one.
    pub fn get(&self, path: &str) -> Option<&Resource> {
        self.resources.get(path)
    }

    /// The input URLs of `download`, `scrape` and `pitfall` (see [`input_urls`]).
    pub fn page_urls(&self) -> Vec<Url> {
        input_urls(&self.origin, &self.spec)
    }

    /// The same inputs as in-memory documents, the input of `parse`.
    pub fn pages_in_memory(&self) -> Vec<Page> {
        input_paths(&self.spec)
            .map(|path| Page {
                url: self.url(&path).as_str().into(),
                // Each page's own buffer, as a page read from a file or the network has.
                body: self.resources[&path].body.to_vec().into(),
            })
            .collect()
    }

    /// Ground truth for `download` (fields: status, size) or `scrape` (every field) of
    /// [`Site::page_urls`].
    pub fn expect_pages(&self, fields: Fields) -> Expectation {
        let records = input_paths(&self.spec)
            .map(|path| self.expected_record(&path))
            .collect();
        Expectation::exact(records, fields)
    }

    /// Ground truth for `load` with `requests` requests: request i asks for input page
    /// `i % pages` as its own URL (`?r=i`, see [`shootout_core::load::request_url`]), and may
    /// be refused (`overload`) or time out in place of its page.
    pub fn expect_load(&self, requests: usize) -> Expectation {
        let pages: Vec<(Url, PageRecord)> = input_paths(&self.spec)
            .map(|path| (self.url(&path), self.expected_record(&path)))
            .collect();
        let records = (0..requests)
            .filter_map(|i| {
                let (url, truth) = pages.get(i % pages.len().max(1))?;
                Some(PageRecord {
                    url: shootout_core::load::request_url(url, i).into(),
                    ..truth.clone()
                })
            })
            .collect();
        let mut e = Expectation::exact(records, Fields::Transfer);
        e.open_loop = true;
        e
    }

    /// Ground truth for `parse` of [`Site::pages_in_memory`]: no HTTP, so no status.
    pub fn expect_parse(&self) -> Expectation {
        let mut e = self.expect_pages(Fields::Full);
        for r in &mut e.records {
            r.status = None;
        }
        e
    }

    /// Ground truth for a crawl from `/` with a page cap: every reachable URL (a capped crawl
    /// may return any `max_pages` of them), and how many URLs each level of a breadth-first
    /// crawl holds, for the ideal-time model (truncated at the cap).
    pub fn expect_crawl(&self, max_pages: usize) -> (Expectation, Vec<usize>) {
        let mut depth: HashMap<&str, usize> = HashMap::from([("/", 0)]);
        let mut queue = VecDeque::from(["/"]);
        let mut order = Vec::new();
        while let Some(path) = queue.pop_front() {
            order.push(path);
            let d = depth[path];
            let Some(res) = self.resources.get(path) else {
                continue;
            };
            // Only 2xx HTML pages are parsed, so only they contribute links.
            if res.status != 200 || res.content_type != HTML {
                continue;
            }
            for t in &res.targets {
                if !depth.contains_key(t.as_str()) {
                    depth.insert(t.as_str(), d + 1);
                    queue.push_back(t.as_str());
                }
            }
        }
        let mut levels = Vec::new();
        for path in order.iter().take(max_pages.max(1)) {
            let d = depth[path];
            if levels.len() <= d {
                levels.resize(d + 1, 0);
            }
            levels[d] += 1;
        }
        let records: Vec<PageRecord> = order.iter().map(|p| self.expected_record(p)).collect();
        let count = records.len().min(max_pages.max(1));
        let mut e = Expectation::exact(records, Fields::Full);
        e.count = count;
        e.graph = Some(self.crawl_graph(&order));
        (e, levels)
    }

    /// What links to what among the `reachable` paths, in record URLs. Only 2xx HTML pages
    /// are parsed, so only they link anywhere.
    fn crawl_graph(&self, reachable: &[&str]) -> CrawlGraph {
        let links = reachable
            .iter()
            .filter_map(|path| Some((*path, self.resources.get(*path)?)))
            .filter(|(_, res)| res.status == 200 && res.content_type == HTML)
            .map(|(path, res)| {
                let targets = res.targets.iter().map(|t| self.url(t).to_string());
                (self.url(path).to_string(), targets.collect())
            })
            .collect();
        CrawlGraph {
            root: self.url("/").to_string(),
            links,
        }
    }

    /// The HTML pages a scenario parses (URL and body): its input pages, and for a crawl the
    /// index too. The inputs of `parse`, and what the single-core reference is measured on.
    pub fn html_pages(&self, crawl: bool) -> Vec<(String, Bytes)> {
        let index = crawl.then(|| "/".to_owned());
        input_paths(&self.spec)
            .chain(index)
            .map(|path| (self.url(&path).into(), self.resources[&path].body.clone()))
            .collect()
    }

    /// The bodies of [`Site::html_pages`].
    pub fn html_bodies(&self, crawl: bool) -> Vec<Bytes> {
        self.html_pages(crawl).into_iter().map(|(_, b)| b).collect()
    }

    /// The record a correct client makes for `path`, from the generator's own knowledge.
    fn expected_record(&self, path: &str) -> PageRecord {
        let url = self.url(path).to_string();
        match self.resources.get(path) {
            None => PageRecord {
                url,
                status: Some(404),
                title: None,
                links: 0,
                size: NOT_FOUND.len(),
                error: Some(FetchError::Status(404)),
                final_url: None,
                latency: None,
                checksum: None,
            },
            Some(r) => PageRecord {
                url,
                status: Some(r.status),
                title: r.title.clone(),
                links: r.links,
                size: r.body.len(),
                error: None,
                final_url: None,
                latency: None,
                checksum: None,
            },
        }
    }

    fn url(&self, path: &str) -> Url {
        self.origin
            .join(path)
            .expect("generated paths are valid relative URLs")
    }
}

/// The content type of every synthetic HTML page.
pub const HTML: &str = "text/html; charset=utf-8";
/// The body of every 404 response.
pub const NOT_FOUND: &str = "<!DOCTYPE html><html><head><title>404 Not Found</title></head><body><h1>Not found</h1></body></html>";

/// The URLs of `/page/0` … `/page/{n-1}` under `origin`, without generating the site (a
/// contestant's process needs the URLs, not the pages).
pub fn page_urls(origin: &Url, n: usize) -> Vec<Url> {
    (0..n)
        .map(|i| {
            origin
                .join(&page_path(i))
                .expect("generated paths are valid relative URLs")
        })
        .collect()
}

/// The input URLs of `download`, `scrape` and `pitfall` on the site `spec` describes: its N
/// pages, then the quirk pages if it has them. Needs no generated site.
pub fn input_urls(origin: &Url, spec: &SiteSpec) -> Vec<Url> {
    input_paths(spec)
        .map(|path| {
            origin
                .join(&path)
                .expect("generated paths are valid relative URLs")
        })
        .collect()
}

fn input_paths(spec: &SiteSpec) -> impl Iterator<Item = String> + use<> {
    let quirks: &[Quirk] = if spec.quirks { QUIRKS } else { &[] };
    (0..spec.pages)
        .map(page_path)
        .chain(quirks.iter().map(|q| q.path.to_owned()))
}

fn page_path(i: usize) -> String {
    format!("/page/{i}")
}

/// What a client extracting with `extract` records for `resource`: used by tests that check
/// the generator against the real parsers (the ground truth must agree with a correct scraper).
pub fn scrape_resource(url: &str, resource: &Resource, extract: Strategy) -> PageRecord {
    scrape_page(
        url,
        Ok(Fetched {
            status: resource.status,
            content_type: Some(resource.content_type.to_owned()),
            body: resource.body.clone(),
            final_url: None,
            span: None,
        }),
        extract,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(pages: usize) -> Site {
        with_quirks(pages, false)
    }

    fn with_quirks(pages: usize, quirks: bool) -> Site {
        let origin = Url::parse("http://127.0.0.1:4000").expect("origin");
        Site::generate(
            SiteSpec {
                pages,
                page_kb: 4,
                seed: 7,
                quirks,
                links: 0,
            },
            &origin,
        )
    }

    /// The paths of every served resource a crawl reaches, with the expected record and what
    /// `extract` makes of it.
    fn scraped(s: &Site, extract: Strategy) -> Vec<(String, PageRecord, PageRecord)> {
        let (expect, _) = s.expect_crawl(usize::MAX);
        expect
            .records
            .iter()
            .filter_map(|want| {
                let path = Url::parse(&want.url).expect("url").path().to_owned();
                let got = scrape_resource(&want.url, s.get(&path)?, extract);
                Some((path, want.clone(), got))
            })
            .collect()
    }

    #[test]
    fn ground_truth_agrees_with_every_sound_parser() {
        let s = site(30);
        for extract in [Strategy::Dom, Strategy::Stream, Strategy::Tokenize] {
            for (path, want, got) in scraped(&s, extract) {
                assert_eq!(got, want, "{extract} on {path}");
            }
        }
    }

    #[test]
    fn a_sidebar_repeats_its_sections_links_and_the_truth_counts_them() {
        let plain = site(25);
        let origin = plain.origin().clone();
        let with = Site::generate(
            SiteSpec {
                links: 10,
                ..plain.spec()
            },
            &origin,
        );
        for extract in [Strategy::Dom, Strategy::Stream, Strategy::Tokenize] {
            for (path, want, got) in scraped(&with, extract) {
                assert_eq!(got, want, "{extract} on {path}");
            }
        }
        let page = |s: &Site, i: usize| s.get(&page_path(i)).cloned().expect("a content page");
        // Pages 10 to 19 are one section: each carries the same ten links, to all of them.
        let section: Vec<String> = (10..20).map(page_path).collect();
        for i in [10, 12, 19] {
            let (a, b) = (page(&with, i), page(&plain, i));
            assert_eq!(a.links, b.links + 10, "page {i}");
            for target in &section {
                assert!(a.targets.contains(target), "page {i} lacks {target}");
            }
        }
        // The last section is cut at the last page.
        assert_eq!(page(&with, 22).links, page(&plain, 22).links + 5);
    }

    #[test]
    fn the_naive_scan_is_wrong_on_every_content_page() {
        let s = site(30);
        for (path, want, got) in scraped(&s, Strategy::Naive) {
            if path.starts_with("/page/") {
                // Three anchors hide in each page's style, script and comment.
                assert_eq!(got.links, want.links + 3, "{path}");
            }
        }
    }

    #[test]
    fn quirk_pages_split_dom_and_the_tokenisers_exactly_where_marked() {
        let s = with_quirks(4, true);
        let (expect, _) = s.expect_crawl(usize::MAX);
        for q in QUIRKS {
            assert!(
                expect.records.iter().any(|r| r.url.ends_with(q.path)),
                "{} is reachable from the index",
                q.path
            );
        }
        // The DOM is the ground truth everywhere, quirks included.
        for (path, want, got) in scraped(&s, Strategy::Dom) {
            assert_eq!(got, want, "dom on {path}");
        }
        // The tokenisers are right everywhere but on the pages the tree builder rewrites.
        for extract in [Strategy::Stream, Strategy::Tokenize] {
            for (path, want, got) in scraped(&s, extract) {
                let splits = QUIRKS.iter().any(|q| q.path == path && q.splits);
                assert_eq!(
                    got != want,
                    splits,
                    "{extract} on {path}: {got:?} vs {want:?}"
                );
            }
        }
        // The quirks join every scenario's inputs.
        assert_eq!(s.page_urls().len(), 4 + QUIRKS.len());
        assert_eq!(s.expect_pages(Fields::Full).records.len(), 4 + QUIRKS.len());
    }

    #[test]
    fn pages_are_padded_and_deterministic() {
        let (a, b) = (site(10), site(10));
        for i in 0..10 {
            let p = page_path(i);
            assert!(a.get(&p).expect("page").body.len() >= 4 * 1024);
            assert_eq!(a.get(&p).expect("page").body, b.get(&p).expect("page").body);
        }
    }

    #[test]
    fn crawl_reaches_every_page_level_by_level() {
        let s = site(30);
        let (expect, levels) = s.expect_crawl(usize::MAX);
        assert_eq!(levels.iter().sum::<usize>(), expect.records.len());
        assert_eq!(levels[0], 1);
        assert!(
            levels.len() >= 3,
            "a tree of fan-out {FAN_OUT} has depth: {levels:?}"
        );
        for i in 0..30 {
            assert!(
                expect
                    .records
                    .iter()
                    .any(|r| r.url.ends_with(&format!("/page/{i}")))
            );
        }
        assert!(expect.records.iter().any(|r| r.status == Some(404)));
        assert!(expect.records.iter().any(|r| r.url.ends_with(".txt")));
        let (capped, capped_levels) = s.expect_crawl(5);
        assert_eq!(capped.count, 5);
        assert_eq!(capped_levels.iter().sum::<usize>(), 5);
    }
}
