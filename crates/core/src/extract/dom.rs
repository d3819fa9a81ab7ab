//! The `dom` strategy: html5ever builds the whole tree (through `scraper`), CSS selectors
//! query it.

use std::sync::{LazyLock, Mutex, MutexGuard, PoisonError};

use scraper::{Html, Selector};

use super::{Extracted, Extractor, Hrefs};

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
        let mut hrefs = Hrefs::default();
        for a in doc.select(&ANCHOR) {
            links += 1;
            if let Some(href) = a.value().attr("href") {
                hrefs.push(href);
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
