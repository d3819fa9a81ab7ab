//! `parse`: the pages dealt round-robin to the cores, each core parsing its own, inline.

use shootout_core::page::{contained, parse_page};
use shootout_core::{Page, PageRecord, Strategy};

/// CPU-only work has nothing to await, so each core is simply a worker thread here: it parses
/// its pages one after another. No page moves to an idle core, so the slowest core's share
/// decides the wall time (rayon would steal from it).
pub fn parse(pages: Vec<(usize, Page)>, extract: Strategy) -> Vec<(usize, Option<PageRecord>)> {
    pages
        .into_iter()
        .map(|(i, page)| (i, Some(contained(&page.url, || parse_page(&page, extract)))))
        .collect()
}
