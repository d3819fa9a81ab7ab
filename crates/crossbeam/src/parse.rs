//! `parse`: pages flow straight to the T parse threads.

use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};

use crate::pipeline::{Stages, run};

/// Nothing to fetch: the fetch stage only hands each page on (by reference, no copy).
pub fn parse(stages: &Stages, pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    run(
        stages,
        pages.len(),
        |i| pages[i].url.to_string(),
        |i| &pages[i],
        |_, page| parse_page(page, extract),
    )
}
