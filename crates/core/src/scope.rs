//! URL rules for crawling: resolve, normalise, keep to scope (one origin, a path prefix,
//! robots.txt). Admitting each URL once is the [`Frontier`](crate::Frontier)'s job.
//!
//! The order matters. smol's crawler example checks "seen?" *before* normalising, so
//! `/a#top` and `/a` are both fetched. Here a URL is normalised first, then deduplicated.

use std::hash::BuildHasher;
use std::sync::{Arc, Mutex, PoisonError};

use foldhash::{HashMap, HashSet};
use url::Url;

use crate::journal::Journal;
use crate::robots::Robots;

/// Resolves `href` against the page it was found on and normalises it: the fragment is
/// dropped, an empty query is dropped, and only `http` and `https` URLs survive. The `url`
/// crate already lowercases scheme and host, removes default ports and resolves `.`/`..`.
pub fn normalise(base: &Url, href: &str) -> Option<Url> {
    let mut url = base.join(href.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    if url.query() == Some("") {
        url.set_query(None);
    }
    Some(url)
}

/// [`normalise`], as the string a [`Url`] would serialise to: what a crawl keys its frontier
/// on, so that only a URL the frontier has not seen is ever parsed into a `Url`.
///
/// Most hrefs on a real site are plain relative paths (`struct.Vec.html`,
/// `../../std/index.html#method.push`), which resolve without the URL parser: the base's
/// directory, the href's segments with `.` and `..` applied, the fragment dropped. That fast
/// path is taken only where it is exact, for an http(s) base and an href whose path holds
/// nothing the parser would change (no `%`, `\\`, `?`, `:`, whitespace, non-ASCII or other
/// bytes it percent-encodes, and not `//…`); anything else goes through [`normalise`]. A
/// test checks the two against each other. It is kept, beside the `url` crate, for a measured
/// reason: a crawl of the Rust docs meets each URL about thirty times, and joining every href
/// with `Url::join` was a large part of its per-link work (docs/results.md, "Near the limit",
/// change 2, measured before and after).
pub fn resolve(base: &Url, href: &str) -> Option<String> {
    fast_resolve(base, href).or_else(|| normalise(base, href).map(String::from))
}

/// Bytes that a URL path keeps as they are, `.` and `/` included (none of them is in the
/// path percent-encode set, and none can start a scheme, a query or a fragment).
fn plain_path_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric()
        || matches!(
            b,
            b'-' | b'.'
                | b'_'
                | b'~'
                | b'/'
                | b'!'
                | b'$'
                | b'&'
                | b'\''
                | b'('
                | b')'
                | b'*'
                | b'+'
                | b','
                | b';'
                | b'='
                | b'@'
        )
}

/// The fast path of [`resolve`], or `None` where it would not be exact.
fn fast_resolve(base: &Url, href: &str) -> Option<String> {
    if !matches!(base.scheme(), "http" | "https") || base.cannot_be_a_base() {
        return None;
    }
    let href = href.trim();
    // The fragment is dropped, whatever it holds.
    let path = href.split_once('#').map_or(href, |(p, _)| p);
    if let Some(absolute) = fast_absolute(path) {
        return Some(absolute);
    }
    if path.is_empty() || path.starts_with("//") || !path.bytes().all(plain_path_byte) {
        return None;
    }
    let origin = &base[..url::Position::BeforePath];
    // The path is built in place, one `/segment` at a time, after the origin; popping a
    // segment cuts back to its `/`. (A list of segments joined at the end was an allocation
    // per link, and a crawl resolves about thirty links a page.)
    let mut out = String::with_capacity(origin.len() + base.path().len() + path.len() + 1);
    out.push_str(origin);
    let root = out.len();
    let relative = match path.strip_prefix('/') {
        Some(absolute) => absolute,
        None => {
            // The base's directory: its path up to the last `/`, whose segments are already
            // normalised.
            let dir = base.path();
            out.push_str(&dir[..dir.rfind('/')?]);
            path
        }
    };
    push_segments(&mut out, root, relative);
    Some(out)
}

/// An absolute `http://` or `https://` href (its fragment already cut) whose scheme and host
/// are already in the form the parser gives them, resolved without the parser: about one href
/// in sixteen on the Rust docs, nearly all to other sites (github.com, wikipedia.org), each
/// costing a full parse and IDNA pass on every page it appeared on, only for the frontier to
/// drop it as out of scope; and links to the crawl's own origin spelled out in full. `None`
/// for anything the parser might change: an upper-case host, a port with a leading zero or
/// the scheme's default, user info, a query, a host that may be an IP address but is not one
/// in canonical dotted form, a punycode label (`xn--`, which IDNA checks), an empty label, or
/// a path byte outside [`plain_path_byte`]. The scheme may be in any case.
fn fast_absolute(href: &str) -> Option<String> {
    // The scheme in any case (the parser lowers it), and whether a port is its default.
    let (scheme, default_port) = if href.get(..8)?.eq_ignore_ascii_case("https://") {
        ("https://", "443")
    } else if href.get(..7)?.eq_ignore_ascii_case("http://") {
        ("http://", "80")
    } else {
        return None;
    };
    let rest = &href[scheme.len()..];
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    // A port as the parser writes it: digits without a leading zero, in range, and not the
    // scheme's default (which the parser drops).
    let canonical_port = |p: &str| {
        !p.is_empty()
            && p.len() <= 5
            && p.bytes().all(|b| b.is_ascii_digit())
            && !p.starts_with('0')
            && p.parse::<u32>().is_ok_and(|n| n <= 65535)
            && p != default_port
    };
    if !(plain_domain(host) || canonical_ipv4(host))
        || !port.is_none_or(canonical_port)
        || !path.bytes().all(plain_path_byte)
    {
        return None;
    }
    let mut out = String::with_capacity(href.len() + 1);
    out.push_str(scheme);
    out.push_str(authority);
    let root = out.len();
    push_segments(&mut out, root, path.strip_prefix('/').unwrap_or(path));
    Some(out)
}

/// A host the parser leaves as it is: lower-case letters, digits and `-` in non-empty labels,
/// none of them punycode (`xn--`, which IDNA checks), the last one starting with a letter (a
/// last label that starts with a digit may make the parser read the host as an IPv4 address).
fn plain_domain(host: &str) -> bool {
    let plain_label = |l: &str| {
        !l.is_empty()
            && !l.starts_with("xn--")
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    host.split('.').all(plain_label)
        && host
            .rsplit('.')
            .next()
            .and_then(|last| last.bytes().next())
            .is_some_and(|b| b.is_ascii_lowercase())
}

/// An IPv4 address as the parser writes it: four decimal octets, each without a leading zero.
fn canonical_ipv4(host: &str) -> bool {
    let octets: Vec<&str> = host.split('.').collect();
    octets.len() == 4
        && octets.iter().all(|o| {
            !o.is_empty()
                && o.len() <= 3
                && o.bytes().all(|b| b.is_ascii_digit())
                && (o.len() == 1 || !o.starts_with('0'))
                && o.parse::<u16>().is_ok_and(|n| n <= 255)
        })
}

/// Appends `relative`'s segments to the path in `out` (which starts at `root`), with `.` and
/// `..` applied as the URL standard does; an empty path becomes `/`.
fn push_segments(out: &mut String, root: usize, relative: &str) {
    let pop = |out: &mut String| {
        if let Some(at) = out[root..].rfind('/') {
            out.truncate(root + at);
        }
    };
    let mut pieces = relative.split('/').peekable();
    while let Some(piece) = pieces.next() {
        let last = pieces.peek().is_none();
        match piece {
            // The URL standard's "shorten": at the root, `..` stays at the root.
            ".." => {
                pop(out);
                if last {
                    out.push('/');
                }
            }
            "." => {
                if last {
                    out.push('/');
                }
            }
            _ => {
                out.push('/');
                out.push_str(piece);
            }
        }
    }
    if out.len() == root {
        out.push('/');
    }
}

/// Which URLs a crawl may fetch: the root's origin (scheme, host and port) and, with
/// `--prefix`, only paths under a prefix. Redirects are followed only within it, too.
#[derive(Clone, Debug)]
pub struct Scope {
    root: Url,
    prefix: Option<String>,
    robots: Option<Arc<Robots>>,
    /// The crawl's memo of hrefs already handed on, shared by every clone of this scope.
    hrefs: Arc<SeenHrefs>,
}

impl Scope {
    /// The scope of a crawl from `root`, optionally limited to paths starting with `prefix`.
    /// It starts an empty [`SeenHrefs`]: one scope, one crawl.
    pub fn new(root: &Url, prefix: Option<String>) -> Scope {
        Scope {
            root: root.clone(),
            prefix,
            robots: None,
            hrefs: Arc::new(SeenHrefs::new()),
        }
    }

    /// This scope, with robots.txt rules that a redirect must obey too.
    pub fn with_robots(self, robots: Option<Arc<Robots>>) -> Scope {
        Scope { robots, ..self }
    }

    /// This scope, with no memo of hrefs: every href of every page is resolved and handed on,
    /// as a crawl with a depth limit needs (see [`SeenHrefs`]).
    pub fn without_href_memo(self) -> Scope {
        Scope {
            hrefs: Arc::new(SeenHrefs::off()),
            ..self
        }
    }

    /// The crawl's memo of hrefs already handed on to its frontier.
    pub fn seen_hrefs(&self) -> &SeenHrefs {
        &self.hrefs
    }

    /// Why robots.txt forbids fetching `url`, if it does.
    pub fn robots_refusal(&self, url: &Url) -> Option<String> {
        self.robots
            .as_ref()
            .filter(|r| !r.allows(url))
            .map(|r| r.refusal(url))
    }

    /// [`Scope::contains`] for a URL as its canonical string (see [`resolve`]): a string that
    /// starts with the root's origin and a `/` is tested without parsing it; any other is
    /// parsed first (it may still be in scope: `http://user@host/` has the root's origin).
    pub fn contains_str(&self, url: &str) -> bool {
        let origin = &self.root[..url::Position::BeforePath];
        match url.strip_prefix(origin) {
            Some(path) if path.starts_with('/') => {
                let path = path.split_once('?').map_or(path, |(p, _)| p);
                self.prefix.as_deref().is_none_or(|p| path.starts_with(p))
            }
            _ => Url::parse(url).is_ok_and(|u| self.contains(&u)),
        }
    }

    /// Whether `url` is in scope. The origin test is `url.origin() == root.origin()` without
    /// building (and allocating) two `Origin`s per link.
    pub fn contains(&self, url: &Url) -> bool {
        url.scheme() == self.root.scheme()
            && url.host_str() == self.root.host_str()
            && url.port_or_known_default() == self.root.port_or_known_default()
            && self
                .prefix
                .as_deref()
                .is_none_or(|p| url.path().starts_with(p))
    }
}

/// The raw hrefs a crawl has already resolved and handed on to its frontier, by the directory
/// of the page (or `<base href>`) they were found under, so that a repeat is dropped before it
/// is resolved: a site's navigation repeats the same hrefs on every page of a directory, and
/// a crawl used to resolve each of them on every page only for the frontier to find it seen.
///
/// # Why dropping a repeat is exact
///
/// An href that does not start with `?` or `#` resolves against its base's origin and
/// directory alone (the base up to its path's last `/`): the URL standard replaces the base's
/// last segment and drops its query and fragment. So the same href under the same directory
/// is the same URL, and the frontier was given that URL by the page that first met it (the
/// crawl's coordinator takes every page's links). The frontier's answer cannot change on a
/// second asking (seen stays seen; scope, robots.txt and a full page cap are for good), except
/// for a depth limit: a URL too deep from one page may be in reach from a shallower one. So a
/// crawl with a depth limit keeps no memo ([`Scope::without_href_memo`]). Only hrefs whose
/// first and last bytes (before any `#`) are printable ASCII, the first not `?` or `#`, are
/// remembered, so no trimming the parser does can change what they resolve to; an href is
/// remembered without its fragment, which resolving drops. A hit is checked byte for byte,
/// never trusted to a hash.
///
/// # Bounded, and compact
///
/// A page adds at most [`SeenHrefs::MAX_PER_PAGE`] hrefs to it, each at most
/// [`SeenHrefs::MAX_HREF_LEN`] long. It holds at most
/// [`SeenHrefs::MAX_HREFS`] hrefs, whose bytes share one buffer of at most
/// [`SeenHrefs::MAX_BYTES`], and directories of at most half that (and one more): about 2
/// MiB in all with the hash tables' slots (8 bytes an href), allocated as it first fills. A
/// page that finds it nearly full starts it afresh in the same room (the crawl then
/// re-learns the directories it is in); an href that does not fit is deduplicated on its
/// page alone, as without the memo. So a site of endless distinct hrefs costs what it did.
///
/// Page tasks on several threads share it: each page takes its lock once, for all its hrefs,
/// and resolves them after letting go.
#[derive(Debug)]
pub struct SeenHrefs {
    /// `None`: switched off; every href is new once per page.
    memo: Option<Mutex<Memo>>,
}

#[derive(Debug, Default)]
struct Memo {
    /// Every remembered href, by the hash of (its directory, its bytes): its directory's
    /// number and where its bytes are, packed into one word ([`pack`]), so a slot is 8 bytes.
    /// A hit is the same directory and the same bytes, compared, never trusted to a hash.
    seen: hashbrown::HashTable<u64>,
    /// Every remembered href's bytes, one after another.
    hrefs: String,
    /// Each directory met, and its number.
    dirs: HashMap<Box<str>, u32>,
    /// The bytes of every directory in `dirs`.
    dir_bytes: usize,
    /// The hashes' seed: random per crawl, so a page cannot pick colliding hrefs in advance.
    hasher: foldhash::fast::RandomState,
}

/// One remembered href as one word: its directory's number (below [`SeenHrefs::MAX_DIRS`],
/// 12 bits), its length (at most [`SeenHrefs::MAX_HREF_LEN`], 11 bits) and where its bytes
/// start in the memo's buffer (below [`SeenHrefs::MAX_BYTES`], 21 bits).
fn pack(dir: u32, at: usize, len: usize) -> u64 {
    debug_assert!(at < 1 << 21 && len < 1 << 11, "within the memo's bounds");
    u64::from(dir) << 32 | (len as u64) << 21 | at as u64
}

/// [`pack`], undone: the directory's number and the href's bytes in `hrefs`.
fn unpack(p: u64, hrefs: &str) -> (u32, &str) {
    let at = (p & ((1 << 21) - 1)) as usize;
    let len = ((p >> 21) & ((1 << 11) - 1)) as usize;
    ((p >> 32) as u32, &hrefs[at..][..len])
}

impl SeenHrefs {
    /// The most hrefs the memo holds.
    pub const MAX_HREFS: usize = 1 << 14;
    /// The most bytes of hrefs the memo holds.
    pub const MAX_BYTES: usize = 1 << 20;
    /// The most hrefs one page adds to the memo: a site's navigation is smaller, and a page of
    /// endless links should neither pay to fill the memo nor flush it.
    ///
    /// On the toolchain's docs, 99.9% of the pages have at most 379 distinct hrefs (without
    /// fragments), and 10 of 48,625 have more than 1,024. A page of many new hrefs pays the
    /// memo's insert for 1,024 of them at most, and one with more than [`Self::MAX_HREFS`]
    /// skips the memo.
    pub const MAX_PER_PAGE: usize = 1 << 10;
    /// The longest href the memo remembers. A longer one is deduplicated on its page alone,
    /// as without the memo, so a page of long hrefs costs no hashing it did not cost before.
    /// Navigation hrefs are far shorter: on the toolchain's docs, the longest is 4,816
    /// bytes, and nearly all are under a hundred.
    pub const MAX_HREF_LEN: usize = 1 << 10;
    /// The most directories the memo holds.
    const MAX_DIRS: usize = 1 << 12;

    /// An empty memo.
    pub fn new() -> SeenHrefs {
        SeenHrefs {
            memo: Some(Mutex::default()),
        }
    }

    /// A memo that remembers nothing across pages.
    pub fn off() -> SeenHrefs {
        SeenHrefs { memo: None }
    }

    /// Of `hrefs` (one page's, whose links resolve against `base`), each one that this crawl
    /// has not yet met under `base`'s directory, once, in order; those are remembered, as this
    /// page hands them on. An href the memo cannot vouch for (see above) is kept the first
    /// time this page has it.
    pub fn keep_new<'a>(
        &self,
        base: &Url,
        hrefs: impl IntoIterator<Item = &'a str>,
    ) -> Vec<&'a str> {
        // foldhash rather than std's SipHash: this set and the frontier's are hashed for every
        // href of every page (SipHash was 2.5% of a corpus crawl's CPU), and its seed is still
        // random per process, so a hostile page cannot pick colliding hrefs in advance.
        let mut on_page: HashSet<&str> = HashSet::default();
        let mut hrefs = hrefs.into_iter();
        // A page with more hrefs than the memo holds is no site's navigation, and could only
        // flush it: it skips the memo, and costs exactly what it would without one.
        let endless = hrefs
            .size_hint()
            .1
            .is_some_and(|n| n > SeenHrefs::MAX_HREFS);
        let (Some(memo), Some(dir), false) = (&self.memo, directory(base), endless) else {
            return hrefs.filter(|h| on_page.insert(h)).collect();
        };
        let mut memo = memo.lock().unwrap_or_else(PoisonError::into_inner);
        if memo.nearly_full() {
            memo.clear();
        }
        let Memo {
            seen,
            hrefs: bytes,
            dirs,
            dir_bytes,
            hasher,
        } = &mut *memo;
        let dir = match dirs.get(dir) {
            Some(&d) => d,
            None => {
                let d = u32::try_from(dirs.len()).expect("at most MAX_DIRS directories");
                *dir_bytes += dir.len();
                dirs.insert(dir.into(), d);
                d
            }
        };
        // Room for what this page may add, in one step rather than a table grown and rehashed
        // again and again while a first page of new hrefs fills it.
        let rehash = |p: &u64| hasher.hash_one(unpack(*p, bytes));
        seen.reserve(
            hrefs
                .size_hint()
                .1
                .unwrap_or(0)
                .min(SeenHrefs::MAX_PER_PAGE),
            rehash,
        );
        let mut kept = Vec::new();
        let mut added = 0;
        for h in hrefs.by_ref() {
            if h.len() > SeenHrefs::MAX_HREF_LEN {
                kept.extend(on_page.insert(h).then_some(h));
                continue;
            }
            // `x#a`, `x#b` and `x` are one URL: the fragment is dropped.
            let h_key = h.split_once('#').map_or(h, |(before, _)| before);
            if !rememberable(h_key) {
                kept.extend(on_page.insert(h).then_some(h));
                continue;
            }
            let held = seen.len();
            // One probe of the table, whether the href is found or added.
            let found = |p: &u64| unpack(*p, bytes) == (dir, h_key);
            let rehash = |p: &u64| hasher.hash_one(unpack(*p, bytes));
            match seen.entry(hasher.hash_one((dir, h_key)), found, rehash) {
                hashbrown::hash_table::Entry::Occupied(_) => {}
                hashbrown::hash_table::Entry::Vacant(slot)
                    if added < SeenHrefs::MAX_PER_PAGE
                        && held < SeenHrefs::MAX_HREFS
                        && bytes.len() + h_key.len() <= SeenHrefs::MAX_BYTES =>
                {
                    added += 1;
                    slot.insert(pack(dir, bytes.len(), h_key.len()));
                    bytes.push_str(h_key);
                    kept.push(h);
                }
                hashbrown::hash_table::Entry::Vacant(_) => {
                    kept.extend(on_page.insert(h).then_some(h));
                    break;
                }
            }
        }
        // Once the memo is full, or this page has added its share, the rest of the page skips
        // it: a page of endless distinct hrefs then costs one lookup each, as it did without
        // the memo (this is the filter of a memo that is off), and cannot flush what its
        // directory's other pages taught it.
        kept.extend(hrefs.filter(|h| on_page.insert(h)));
        kept
    }

    /// How many hrefs the memo holds.
    pub fn len(&self) -> usize {
        self.memo.as_ref().map_or(0, |m| {
            m.lock().unwrap_or_else(PoisonError::into_inner).seen.len()
        })
    }

    /// Whether the memo holds no href.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Memo {
    /// Starts the memo afresh, in the room it already has. It grows as it first fills and
    /// then keeps its buffers: dropping them to start afresh had them grown again after every
    /// fresh start, reallocated step by step, and with glibc's allocator, on the threads of a
    /// page pool, that left a crawl's peak memory 2–4.5 MiB higher than without the memo, more
    /// than the memo itself holds (docs/results.md, "The crawl at its floor"). Reserving
    /// the whole room at the start would not do: the hash table's slots are touched at
    /// random, so even a short crawl would make most of the room resident.
    fn clear(&mut self) {
        self.seen.clear();
        self.hrefs.clear();
        self.dirs.clear();
        self.dir_bytes = 0;
    }

    /// Whether a page should start the memo afresh: it holds seven eighths of what it may.
    fn nearly_full(&self) -> bool {
        self.seen.len() > SeenHrefs::MAX_HREFS / 8 * 7
            || self.hrefs.len() > SeenHrefs::MAX_BYTES / 8 * 7
            || self.dirs.len() >= SeenHrefs::MAX_DIRS
            || self.dir_bytes > SeenHrefs::MAX_BYTES / 2
    }
}

impl Default for SeenHrefs {
    fn default() -> SeenHrefs {
        SeenHrefs::new()
    }
}

/// `base` up to and including its path's last `/`: everything a path-relative, absolute-path,
/// scheme-relative or absolute href resolves against. `None` for a base that cannot be one.
fn directory(base: &Url) -> Option<&str> {
    if base.cannot_be_a_base() {
        return None;
    }
    let path_at = base[..url::Position::BeforePath].len();
    let last = base.path().rfind('/')?;
    Some(&base.as_str()[..path_at + last + 1])
}

/// Whether `href` (cut at its fragment) resolves the same under any base with the same
/// directory, whatever the parser trims, with any fragment after it: it starts with printable
/// ASCII that opens no query, and ends with printable ASCII (so no whitespace that trimming
/// would drop from `href` alone but keep before a `#`).
fn rememberable(href: &str) -> bool {
    let b = href.as_bytes();
    b.first()
        .is_some_and(|&f| f.is_ascii_graphic() && f != b'?')
        && b.last().is_some_and(u8::is_ascii_graphic)
}

/// Everything a crawl is told besides where to start: how far it may go, and who is told
/// about each record as it is made.
#[derive(Clone, Debug, Default)]
pub struct CrawlSpec {
    /// Stop admitting URLs after this many (the root included).
    pub max_pages: usize,
    /// Follow links at most this many hops from the root (0: the root only).
    pub max_depth: Option<usize>,
    /// Admit only paths that start with this prefix (the root is always fetched).
    pub prefix: Option<String>,
    /// The site's robots.txt rules; `None` allows everything.
    pub robots: Option<Arc<Robots>>,
    /// Told of every admitted URL and every finished record, as they happen.
    pub journal: Option<Arc<Journal>>,
}

impl CrawlSpec {
    /// A crawl of at most `max_pages` pages, with no other limit.
    pub fn pages(max_pages: usize) -> CrawlSpec {
        CrawlSpec {
            max_pages,
            ..CrawlSpec::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast path gives exactly what the URL parser gives, wherever it answers at all,
    /// and answers for the hrefs real pages hold.
    #[test]
    fn the_fast_path_resolves_exactly_as_the_url_parser_does() {
        let bases = [
            "http://h/",
            "http://h/a/b.html",
            "https://h:8443/a/b/",
            "http://u:p@h/a/b/c?q=1#f",
            "http://127.0.0.1:8080/std/vec/struct.Vec.html",
            "http://h/a//b/",
        ];
        let pieces = [
            "a",
            "b.html",
            ".",
            "..",
            "",
            "x-y_z~",
            "!$&'()*+,;=@",
            "...",
            ".a",
            "a.",
        ];
        let mut fast = 0;
        let mut hrefs: Vec<String> = [
            "struct.Vec.html",
            "../../std/index.html#method.push",
            "/",
            "/a/../../b",
            "./",
            "..",
            "../",
            "a//..",
            "//other/x",
            "#top",
            "?q",
            "a?b",
            "a%2e",
            "%2e%2e/x",
            "a b",
            " a ",
            "a\\b",
            "http:x",
            "mailto:m",
            "é",
            "a\tb",
            "a#b#c",
            "http://h",
            "http://h#f",
            "https://h/",
            "https://github.com/rust-lang/rust/issues/32838",
            "https://en.wikipedia.org/wiki/Total_order#x",
            "HTTP://h/x",
            "http://H/x",
            "http://xn--nxasmq6b/",
            "http://a.xn--nxasmq6b.com/",
            "http://1.2.3/",
            "http://0x7f.1/",
            "http://h.9/",
            "http://a..b/",
            "http://.a/",
            "http://a./",
            "http://h:80/",
            "http://h:8080/x",
            "http://u@h/",
            "http://h?x",
            "http://h/x?y",
            "http://exa_mple.com/",
            "http://-a-.com/",
            "http://ab--cd.com/x",
            "http:/h/x",
            "http:///h",
            "https://h/%41",
            "http://h\\x",
            "http://é.com/",
            " http://h/a ",
            "http://h/a\tb",
            "HTTP://127.0.0.1:18700/page/3",
            "Http://h/x",
            "https://h:443/x",
            "http://h:443/x",
            "http://h:080/x",
            "http://h:8080/x",
            "http://h:65536/x",
            "http://h:/x",
            "http://h:99999/x",
            "http://127.0.0.1/x",
            "http://127.0.0.01/x",
            "http://127.0.0.256/x",
            "http://127.0.0/x",
            "http://1.2.3.4.5/x",
            "http://0.0.0.0:1/x",
            "http://[::1]:8080/x",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for a in pieces {
            for b in pieces {
                for sep in ["/", "//"] {
                    hrefs.push(format!("{a}{sep}{b}"));
                    hrefs.push(format!("/{a}{sep}{b}"));
                    hrefs.push(format!("{a}{sep}{b}/"));
                    hrefs.push(format!("{a}{sep}{b}#{a}"));
                    hrefs.push(format!("http://h.example/{a}{sep}{b}"));
                    hrefs.push(format!("https://a-b.c/{a}{sep}{b}/"));
                    hrefs.push(format!("HTTP://127.0.0.1:8080/{a}{sep}{b}"));
                }
            }
        }
        for base in bases {
            let base = Url::parse(base).expect("test base");
            for href in &hrefs {
                let slow = normalise(&base, href).map(String::from);
                if let Some(got) = fast_resolve(&base, href) {
                    fast += 1;
                    assert_eq!(Some(&got), slow.as_ref(), "{href:?} on {base}");
                }
                assert_eq!(resolve(&base, href), slow, "{href:?} on {base}");
            }
        }
        assert!(
            fast > hrefs.len(),
            "the fast path answered only {fast} times"
        );
        // Links to other sites are answered without the parser; anything it might change is not.
        for answered in [
            "https://github.com/rust-lang/rust/issues/32838",
            "http://h",
            "HTTP://127.0.0.1:18700/page/3",
        ] {
            assert!(fast_absolute(answered).is_some(), "{answered}");
        }
        for refused in [
            "http://H/",
            "http://1.2.3/",
            "http://xn--nxasmq6b/",
            "http://h:80/",
        ] {
            assert_eq!(fast_absolute(refused), None, "{refused}");
        }
    }

    /// The memo drops an href met before under the same directory, and nothing else: not the
    /// same href under another directory, not a query or fragment (which depend on the whole
    /// base), not on a page whose memo is off.
    #[test]
    fn the_memo_drops_only_what_resolves_to_a_url_already_handed_on() {
        let memo = SeenHrefs::new();
        let base = |u: &str| Url::parse(u).expect("test base");
        let (a, a2, b) = (
            base("http://h/d/a.html"),
            base("http://h/d/b.html?x=1"),
            base("http://h/e/a.html"),
        );
        let page = [
            "x.html", "../y", "?q", "x.html", "#f", " x.html", "é", "é", "x.html#s", "z ", "z #s",
        ];
        assert_eq!(
            memo.keep_new(&a, page),
            ["x.html", "../y", "?q", "#f", " x.html", "é", "z ", "z #s"],
            "the first page keeps each href once, and one fragment of a URL"
        );
        // A sibling in the same directory: only what the memo cannot vouch for is kept.
        assert_eq!(
            memo.keep_new(&a2, page),
            ["?q", "#f", " x.html", "é", "z ", "z #s"]
        );
        // Every dropped href resolves to a URL the first page handed on; the two spellings
        // of `z` that are kept resolve to two URLs.
        assert_eq!(resolve(&a2, "x.html"), resolve(&a, "x.html"));
        assert_eq!(resolve(&a2, "x.html#s"), resolve(&a, "x.html"));
        assert_eq!(resolve(&a2, "../y"), resolve(&a, "../y"));
        assert_ne!(resolve(&a, "z "), resolve(&a, "z #s"));
        // Another directory learns its own.
        assert_eq!(memo.keep_new(&b, ["x.html", "x.html"]), ["x.html"]);
        let off = SeenHrefs::off();
        assert_eq!(off.keep_new(&a, page), off.keep_new(&a2, page));
        assert!(off.is_empty());
    }

    /// Over awkward hrefs (whitespace the parser trims or keeps, fragments, queries, other
    /// schemes, non-ASCII) on pages of several directories, bases with queries and user info
    /// among them: every href the memo drops resolves to a URL a kept one resolved to.
    #[test]
    fn whatever_the_memo_drops_was_handed_on_before() {
        let hrefs = [
            "x",
            "x ",
            " x",
            "x #a",
            "x#a",
            "x\t#a",
            "x\t",
            "a\tb",
            "ab",
            "?q",
            "?q#f",
            "./x",
            "../x",
            "/x",
            "//h/x",
            "http://h/x",
            "HTTP://h/x",
            "x?y",
            "x?y#z",
            "x%20",
            "x y",
            "x y#z",
            "#",
            "",
            " ",
            "é",
            "xé",
            "x\n",
            "x/.",
            "x/..",
            ".",
            "..",
            "mailto:m",
        ];
        let bases = [
            "http://h/a/b.html",
            "http://h/a/c.html?q=1",
            "http://h/a/",
            "http://h/x/y",
            "http://u:p@h/a/b",
            "https://h/a/b.html",
        ];
        let memo = SeenHrefs::new();
        let mut handed = std::collections::HashSet::new();
        let (mut dropped, mut pages) = (0, 0);
        for round in 0..3 {
            for base in bases {
                let base = Url::parse(base).expect("test base");
                let mut page: Vec<&str> = hrefs.to_vec();
                page.rotate_left(round * 7 % hrefs.len());
                let kept = memo.keep_new(&base, page.iter().copied());
                for h in &kept {
                    handed.insert(resolve(&base, h));
                }
                for h in page.iter().filter(|h| !kept.contains(h)) {
                    dropped += 1;
                    assert!(handed.contains(&resolve(&base, h)), "{h:?} on {base}");
                }
                pages += 1;
            }
        }
        assert!(
            dropped > pages * 10,
            "the memo dropped only {dropped} hrefs"
        );
    }

    /// Hostile pages: hrefs of 8 KiB each, hrefs of the longest length remembered, far more
    /// bytes than the memo holds, a base of 1,000 path segments, more hrefs than it may hold.
    /// The memo stays within its bounds, and every href is still kept once.
    #[test]
    fn the_memo_stays_within_its_bound() {
        let memo = SeenHrefs::new();
        let deep = format!("http://h/{}page", "s/".repeat(1000));
        let base = Url::parse(&deep).expect("a deep base");
        // Longer than the memo remembers: each kept once on its page, none remembered.
        let long: Vec<String> = (0..3000)
            .map(|i| format!("{i}-{}", "x".repeat(8192)))
            .collect();
        for _ in 0..2 {
            let kept = memo.keep_new(&base, long.iter().map(String::as_str));
            assert_eq!((kept.len(), memo.len()), (long.len(), 0));
        }
        let len = SeenHrefs::MAX_HREF_LEN;
        let hrefs: Vec<String> = (0..3000)
            .map(|i| {
                let at = format!("{i}-");
                format!("{at}{}", "x".repeat(len - at.len()))
            })
            .collect();
        // The second page finds the memo nearly full and starts it afresh, so it keeps every
        // href again: a memo that was cleared forgets, it never drops an href unseen.
        for _ in 0..2 {
            let kept = memo.keep_new(&base, hrefs.iter().map(String::as_str));
            let held = memo.len();
            assert!(held * len <= SeenHrefs::MAX_BYTES, "{held} hrefs held");
            assert!(held * len > SeenHrefs::MAX_BYTES / 2, "{held} hrefs held");
            assert_eq!(kept.len(), hrefs.len(), "each href once");
        }
        // A page of more hrefs than the memo holds skips it.
        let endless: Vec<String> = (0..=SeenHrefs::MAX_HREFS)
            .map(|i| format!("e{i}"))
            .collect();
        let untouched = SeenHrefs::new();
        let kept = untouched.keep_new(&base, endless.iter().map(String::as_str));
        assert_eq!((kept.len(), untouched.len()), (endless.len(), 0));
        // Pages of many short hrefs: each adds at most its share, and the memo never holds more
        // than MAX_HREFS.
        let fresh = SeenHrefs::new();
        for page in 0..(SeenHrefs::MAX_HREFS / SeenHrefs::MAX_PER_PAGE + 2) {
            let many: Vec<String> = (0..SeenHrefs::MAX_PER_PAGE * 2)
                .map(|i| format!("{page}-{i}"))
                .collect();
            let kept = fresh.keep_new(&base, many.iter().map(String::as_str));
            assert_eq!(kept.len(), many.len(), "each href once");
            assert!(fresh.len() <= SeenHrefs::MAX_HREFS, "{}", fresh.len());
        }
    }

    #[test]
    fn scope_on_strings_agrees_with_scope_on_urls() {
        let root = Url::parse("http://h:8080/docs/").expect("root");
        for prefix in [None, Some("/docs/".to_owned())] {
            let scope = Scope::new(&root, prefix);
            for url in [
                "http://h:8080/docs/a",
                "http://h:8080/blog",
                "http://h:8080/docs?x",
                "http://h:8081/docs/a",
                "http://h:80/docs/a",
                "http://h.evil:8080/docs/a",
                "https://h:8080/docs/a",
                "http://user@h:8080/docs/a",
                "http://h:8080/",
            ] {
                let parsed = Url::parse(url).expect("test URL");
                assert_eq!(
                    scope.contains_str(parsed.as_str()),
                    scope.contains(&parsed),
                    "{url}"
                );
            }
        }
    }
}
