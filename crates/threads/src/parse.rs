//! `parse`: T threads, each parsing the next page, borrowing the pages in place.

use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};

use crate::pool::run_pool;

/// The `multiprocessing.Pool.map` of a language without a GIL: T threads in one process,
/// sharing the pages by reference (no pickling, no copies).
pub fn parse(pages: &[Page], threads: usize, extract: Strategy) -> Vec<PageRecord> {
    run_pool(
        pages.len(),
        threads,
        |i| pages[i].url.to_string(),
        |i| parse_page(&pages[i], extract),
    )
}
