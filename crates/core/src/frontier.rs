//! The crawl frontier: which URLs to fetch, each exactly once, within the page cap, the depth
//! limit, the crawl's [`Scope`] and robots.txt. One frontier, or a frontier split into shards.
//!
//! # One frontier, or shards of one
//!
//! Most contestants keep one [`Frontier`], owned by one coordinator task that every page
//! reports back to ([`Frontier::new`], [`Frontier::finish`]).
//!
//! A thread-per-core crawler shares nothing between cores, the frontier included, so it splits
//! the URL space instead: [`Frontier::sharded`] makes one shard per core, and a URL belongs to
//! the shard its hash names ([`Frontier::shard_of`]). A core fetches only the URLs its shard
//! admitted. A finished page's links are sorted by owner ([`Frontier::hand_off`]) and each
//! batch ([`Links`]) goes to the shard that owns it ([`Frontier::take`]), which alone decides
//! whether they are new. The shards share only the page cap (one atomic counter) and the
//! journal. This is how distributed crawlers split their work, by host rather than by URL:
//! see docs/concepts.md.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use foldhash::HashMap;
use url::Url;

use crate::journal::Journal;
use crate::page::Scraped;
use crate::record::{FetchError, PageRecord};
use crate::robots::Robots;
use crate::scope::{CrawlSpec, Scope, normalise};

/// The crawl frontier's bookkeeping: which URLs are in scope and which were already admitted.
///
/// It holds no queue, because how work is queued (a `VecDeque`, a channel, a task per URL) is
/// each contestant's own choice. It only answers "should this URL be fetched?", exactly once
/// per URL, and stops saying yes after `max_pages` admissions. The links it is given are
/// already resolved and normalised (by [`crate::page::crawl_page`], in each page's own task),
/// so the one coordinator that owns the frontier does only a comparison and a hash lookup per
/// link.
///
/// A link robots.txt disallows is admitted too, but never fetched: [`Frontier::finish`] adds
/// its `robots` record at once, so it still gets exactly one record.
#[derive(Debug)]
pub struct Frontier {
    scope: Arc<Scope>,
    /// Every URL this shard owns and has seen, with its depth (hops from the root).
    depth: HashMap<String, usize>,
    /// Admissions so far, shared by every shard of one frontier.
    cap: Arc<PageCap>,
    max_depth: usize,
    robots: Option<Arc<Robots>>,
    journal: Option<Arc<Journal>>,
    /// Which shard this is, of how many (0 of 1 for a frontier that is not split).
    shard: usize,
    shards: usize,
}

/// The page cap: how many URLs all the shards of one frontier have admitted, and the most
/// they may.
#[derive(Debug)]
struct PageCap {
    admitted: AtomicUsize,
    max: usize,
}

impl PageCap {
    /// Takes one admission if any is left. Relaxed is enough: the counter orders nothing else,
    /// and a read-modify-write never hands out more than `max`, whatever the interleaving.
    fn take(&self) -> bool {
        self.admitted
            .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |a| {
                (a < self.max).then_some(a + 1)
            })
            .is_ok()
    }

    fn admitted(&self) -> usize {
        self.admitted.load(Ordering::Relaxed)
    }
}

/// The batch in `out` for `shard`, made (with links at `depth`) if there is none yet. A page
/// has at most one batch per shard, and there are few shards, so a scan is enough.
fn batch(out: &mut Vec<Links>, shard: usize, depth: usize) -> &mut Links {
    let at = match out.iter().position(|l| l.shard == shard) {
        Some(at) => at,
        None => {
            out.push(Links {
                shard,
                depth,
                moved: None,
                urls: Vec::new(),
            });
            out.len() - 1
        }
    };
    &mut out[at]
}

/// A finished page's links that one shard owns, on their way to it (see [`Frontier::take`]).
#[derive(Debug)]
pub struct Links {
    /// The shard they belong to.
    pub shard: usize,
    /// Their depth: one more than the page they were found on.
    depth: usize,
    /// Where the page was redirected to, if this shard owns that URL: it is fetched now, so a
    /// link to it is not fetched again.
    moved: Option<String>,
    /// Each as the string its `Url` serialises to ([`crate::scope::resolve`]).
    urls: Vec<String>,
}

impl Links {
    /// How many URLs travel in this batch.
    pub fn len(&self) -> usize {
        self.urls.len()
    }

    /// Whether the batch carries no URL (it may still carry a redirect's target).
    pub fn is_empty(&self) -> bool {
        self.urls.is_empty()
    }
}

impl Frontier {
    /// A frontier for a crawl from `root`, which is admitted at once.
    pub fn new(root: &Url, spec: &CrawlSpec) -> (Frontier, Url) {
        let (mut shards, root) = Frontier::sharded(root, spec, 1);
        let one = shards.pop().expect("one shard was asked for");
        (one, root)
    }

    /// A frontier split into `shards` shards (at least one), for a crawl from `root`, which
    /// is admitted at once by the shard that owns it. They share the page cap and the
    /// journal, and nothing else.
    pub fn sharded(root: &Url, spec: &CrawlSpec, shards: usize) -> (Vec<Frontier>, Url) {
        let shards = shards.max(1);
        let root = normalise(root, "").unwrap_or_else(|| root.clone());
        let mut scope = Scope::new(&root, spec.prefix.clone()).with_robots(spec.robots.clone());
        if spec.max_depth.is_some() {
            // A link too deep from one page may be in reach from another: every page's links
            // must reach the frontier (see `SeenHrefs`).
            scope = scope.without_href_memo();
        }
        let scope = Arc::new(scope);
        let cap = Arc::new(PageCap {
            admitted: AtomicUsize::new(1),
            max: spec.max_pages.max(1),
        });
        let mut all: Vec<Frontier> = (0..shards)
            .map(|shard| Frontier {
                scope: scope.clone(),
                depth: HashMap::default(),
                cap: cap.clone(),
                max_depth: spec.max_depth.unwrap_or(usize::MAX),
                robots: spec.robots.clone(),
                journal: spec.journal.clone(),
                shard,
                shards,
            })
            .collect();
        let owner = Frontier::shard_of(root.as_str(), shards);
        all[owner].depth.insert(root.as_str().to_owned(), 0);
        if let Some(j) = &spec.journal {
            j.admitted(root.as_str());
        }
        (all, root)
    }

    /// The shard, of `shards`, that owns `url`: a hash of the whole URL, the same in every
    /// run, so a URL always lands on the same shard and a shard's "seen" set is the only one
    /// that needs asking.
    ///
    /// foldhash with a fixed seed, not std's SipHash (`DefaultHasher`), which was 2% of a
    /// sharded crawl's samples. A fixed seed lets a page choose URLs that all land on one
    /// shard, which only costs that crawl its balance: each shard's own set is still keyed
    /// with a random seed.
    pub fn shard_of(url: &str, shards: usize) -> usize {
        if shards <= 1 {
            return 0;
        }
        const SHARDING: foldhash::fast::FixedState = foldhash::fast::FixedState::with_seed(0);
        (SHARDING.hash_one(url) % shards as u64) as usize
    }

    /// Which shard this is (0 for a frontier that is not split).
    pub fn shard(&self) -> usize {
        self.shard
    }

    /// The crawl's scope, for the HTTP client: redirects are followed only inside it.
    pub fn scope(&self) -> Arc<Scope> {
        self.scope.clone()
    }

    /// Takes a finished page: hands its record on ([`Frontier::hand_on`]), and returns the
    /// URLs among its links to fetch next. For a frontier that is not split; a shard uses
    /// [`Frontier::hand_off`] and [`Frontier::take`].
    pub fn finish(&mut self, page: Scraped, records: &mut Vec<PageRecord>) -> Vec<Url> {
        let mut next = Vec::new();
        for links in self.hand_off(page, records) {
            next.extend(self.take(links, records));
        }
        next
    }

    /// Takes a finished page this shard fetched: hands its record on ([`Frontier::hand_on`]),
    /// and sorts its links by the shard that owns them, one batch per shard, this
    /// one's included. Links that no shard could admit (out of scope, too deep, past the page
    /// cap) are dropped here, so they never travel.
    pub fn hand_off(&mut self, page: Scraped, records: &mut Vec<PageRecord>) -> Vec<Links> {
        let depth = self.depth.get(&page.record.url).map_or(1, |d| d + 1);
        let mut out: Vec<Links> = Vec::new();
        // Where a redirect led is now fetched: a link to it later is not fetched again.
        if let Some(to) = &page.record.final_url {
            batch(&mut out, Frontier::shard_of(to, self.shards), depth).moved = Some(to.clone());
        }
        self.hand_on(page.record, records);
        let open = depth <= self.max_depth && self.cap.admitted() < self.cap.max;
        for url in page.links {
            if open && self.scope.contains_str(&url) {
                batch(&mut out, Frontier::shard_of(&url, self.shards), depth)
                    .urls
                    .push(url);
            }
        }
        out
    }

    /// Takes a batch of links this shard owns (from [`Frontier::hand_off`] on any shard) and
    /// returns those to fetch: new, in scope, within the depth limit and under the page cap.
    /// A link robots.txt refuses gets its `robots` record instead, handed on
    /// ([`Frontier::hand_on`]).
    pub fn take(&mut self, links: Links, records: &mut Vec<PageRecord>) -> Vec<Url> {
        debug_assert_eq!(
            links.shard, self.shard,
            "a batch goes to the shard that owns it"
        );
        if let Some(to) = links.moved {
            self.depth.entry(to).or_insert(links.depth - 1);
        }
        let depth = links.depth;
        links
            .urls
            .into_iter()
            .filter_map(|u| self.admit(u, depth, records))
            .collect()
    }

    /// Admits `url` (a normalised link found `depth` hops from the root) if it is in scope,
    /// new, within the depth limit and under the page cap, and robots.txt allows it.
    ///
    /// "Seen?" is asked of the string, before anything is parsed: on the Rust docs a crawl
    /// meets each URL about thirty times, and only the first is parsed into a `Url`.
    fn admit(&mut self, link: String, depth: usize, records: &mut Vec<PageRecord>) -> Option<Url> {
        if depth > self.max_depth
            || self.depth.contains_key(link.as_str())
            || !self.scope.contains_str(&link)
        {
            return None;
        }
        let url = Url::parse(&link).ok()?;
        // `resolve` makes the string a `Url` serialises to; should one ever differ, the
        // `Url`'s own form is the key, so the same page is still admitted once.
        if url.as_str() != link && self.depth.contains_key(url.as_str()) {
            return None;
        }
        // A stopped crawl takes no new URLs.
        if self.journal.as_ref().is_some_and(|j| j.is_closed()) {
            return None;
        }
        if !self.cap.take() {
            return None;
        }
        // The link itself is the key when it is the `Url`'s own form, as `resolve` makes it:
        // one string fewer made per admitted URL.
        let key = if link == url.as_str() {
            link
        } else {
            url.as_str().to_owned()
        };
        self.depth.insert(key, depth);
        if let Some(robots) = self.robots.as_ref().filter(|r| !r.allows(&url)) {
            let record = PageRecord::failed(url.as_str(), FetchError::Robots(robots.refusal(&url)));
            self.hand_on(record, records);
            return None;
        }
        if let Some(j) = &self.journal {
            j.admitted(url.as_str());
        }
        Some(url)
    }

    /// Gives a finished record to the journal, and adds it to `records` unless the journal
    /// keeps the only copy ([`Journal::take`]).
    fn hand_on(&self, record: PageRecord, records: &mut Vec<PageRecord>) {
        records.extend(match &self.journal {
            Some(j) => j.take(record),
            None => Some(record),
        });
    }

    /// How many URLs have been admitted (by every shard), the root and those robots.txt
    /// refused included.
    pub fn admitted(&self) -> usize {
        self.cap.admitted()
    }

    /// Whether the page cap is reached.
    pub fn is_full(&self) -> bool {
        self.cap.admitted() >= self.cap.max
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scope::resolve;

    fn url(s: &str) -> Url {
        Url::parse(s).expect("test URL")
    }

    /// A finished page at `at` linking to `links`.
    fn page(at: &str, links: &[&str]) -> Scraped {
        let at = url(at);
        Scraped {
            record: PageRecord::failed(at.as_str(), FetchError::Status(200)),
            links: links.iter().filter_map(|h| resolve(&at, h)).collect(),
        }
    }

    fn strings(urls: Vec<Url>) -> Vec<String> {
        urls.into_iter().map(String::from).collect()
    }

    #[test]
    fn normalises_before_deduplicating() {
        let (mut f, root) = Frontier::new(&url("http://127.0.0.1:8080"), &CrawlSpec::pages(100));
        assert_eq!(root.as_str(), "http://127.0.0.1:8080/");
        let hrefs = [
            "/page/2",
            "./2#top",
            "HTTP://127.0.0.1:8080/page/./2",
            "/page/2?",
            "/",
            "#self",
            "http://127.0.0.1:9999/page/3",
            "https://127.0.0.1:8080/page/3",
            "http://localhost:8080/page/3",
            "mailto:a@b.invalid",
            "javascript:void(0)",
            "../page/3",
        ];
        let mut records = Vec::new();
        let got = f.finish(page("http://127.0.0.1:8080/page/1", &hrefs), &mut records);
        assert_eq!(
            strings(got),
            [
                "http://127.0.0.1:8080/page/2",
                "http://127.0.0.1:8080/page/1",
                "http://127.0.0.1:8080/page/3"
            ]
        );
        assert_eq!((f.admitted(), records.len()), (4, 1));
    }

    #[test]
    fn stops_at_the_page_cap() {
        let (mut f, _) = Frontier::new(&url("http://h/"), &CrawlSpec::pages(2));
        let got = f.finish(page("http://h/", &["/a", "/b"]), &mut Vec::new());
        assert_eq!(strings(got), ["http://h/a"]);
        assert!(f.is_full());
    }

    #[test]
    fn depth_and_prefix_limit_the_crawl() {
        let spec = CrawlSpec {
            max_pages: 100,
            max_depth: Some(1),
            prefix: Some("/docs/".into()),
            ..CrawlSpec::default()
        };
        let (mut f, root) = Frontier::new(&url("http://h/docs/"), &spec);
        let mut records = Vec::new();
        let first = f.finish(page(root.as_str(), &["/docs/a", "/blog/b"]), &mut records);
        assert_eq!(strings(first), ["http://h/docs/a"]);
        // /docs/a is at depth 1: its links would be at depth 2.
        let second = f.finish(page("http://h/docs/a", &["/docs/deeper"]), &mut records);
        assert!(second.is_empty());
    }

    #[test]
    fn robots_refusals_get_a_record_and_are_not_fetched() {
        let root = url("http://h/");
        let robots = Robots::from_response(
            Robots::location(&root),
            "shootout",
            200,
            b"User-agent: *\nDisallow: /private/\n",
        );
        let spec = CrawlSpec {
            max_pages: 100,
            robots: Some(Arc::new(robots)),
            ..CrawlSpec::default()
        };
        let (mut f, root) = Frontier::new(&root, &spec);
        let mut records = Vec::new();
        let next = f.finish(
            page(root.as_str(), &["/private/x", "/public"]),
            &mut records,
        );
        assert_eq!(strings(next), ["http://h/public"]);
        assert_eq!(records.len(), 2);
        assert_eq!(records[1].url, "http://h/private/x");
        assert_eq!(
            records[1].error.as_ref().map(FetchError::kind),
            Some("robots")
        );
        // Seen once, recorded once.
        assert!(
            f.finish(page("http://h/public", &["/private/x"]), &mut records)
                .is_empty()
        );
        assert_eq!(records.len(), 3);
    }
    #[test]
    fn shards_admit_each_url_once_and_share_the_page_cap() {
        // The same pages, finished in the same order, through one frontier and through three
        // shards: the same URLs are admitted, each by the shard that owns it.
        let hrefs: Vec<String> = (0..40).map(|i| format!("/p/{i}")).collect();
        let hrefs: Vec<&str> = hrefs.iter().map(String::as_str).collect();
        for cap in [10, 100] {
            let (mut one, root) = Frontier::new(&url("http://h/"), &CrawlSpec::pages(cap));
            let mut single = strings(one.finish(page(root.as_str(), &hrefs), &mut Vec::new()));
            // A second page links to the same URLs again: nothing new.
            assert!(
                one.finish(page("http://h/p/0", &hrefs), &mut Vec::new())
                    .is_empty()
            );

            let (mut shards, root) =
                Frontier::sharded(&url("http://h/"), &CrawlSpec::pages(cap), 3);
            let owner = Frontier::shard_of(root.as_str(), 3);
            let mut records = Vec::new();
            let mut admitted = Vec::new();
            for again in [root.as_str(), "http://h/p/0"] {
                let batches = shards[owner].hand_off(page(again, &hrefs), &mut records);
                assert!(batches.len() <= 3);
                for links in batches {
                    let shard = links.shard;
                    for u in shards[shard].take(links, &mut records) {
                        assert_eq!(Frontier::shard_of(u.as_str(), 3), shard, "{u}");
                        admitted.push(u.to_string());
                    }
                }
            }
            single.sort();
            admitted.sort();
            assert_eq!(
                admitted.len(),
                cap.min(41) - 1,
                "the root counts against the cap"
            );
            if cap > 41 {
                assert_eq!(admitted, single);
            }
            assert!(shards.iter().all(|s| s.admitted() == cap.min(41)));
            assert!(shards.iter().all(|s| s.is_full() == (cap <= 41)));
        }
    }
}
