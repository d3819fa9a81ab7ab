//! `parse`: parse N in-memory pages on one core.

use shootout_core::page::{contained, parse_page};
use shootout_core::{Page, PageRecord, Strategy};

/// A plain loop: the single-core time every parallel contestant divides.
pub fn parse(pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    // `contained`: a panic on one page becomes that page's record, not the end of the run.
    pages
        .iter()
        .map(|p| contained(&p.url, || parse_page(p, extract)))
        .collect()
}
