//! `parse`: parse N in-memory pages on one core.

use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord};

/// A plain loop: the single-core time every parallel contestant divides.
pub fn parse(pages: &[Page]) -> Vec<PageRecord> {
    pages.iter().map(parse_page).collect()
}
