//! `parse`: parse N in-memory pages on one core.

use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};

/// A plain loop: the single-core time every parallel contestant divides.
pub fn parse(pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    pages.iter().map(|p| parse_page(p, extract)).collect()
}
