//! `parse`: every page on the blocking pool (capped at T threads).

use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};

use crate::contained;

/// CPU-only work has nothing to await: the runtime adds nothing but the blocking pool's
/// T threads, which is where async-std says CPU work belongs.
pub async fn parse(pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    let tasks: Vec<_> = pages
        .iter()
        .map(|page| {
            // spawn_blocking needs 'static data: each task owns a clone of its page, two
            // reference counts (the body is shared, never copied).
            let page = page.clone();
            let url = page.url.clone();
            contained(
                url,
                async_std::task::spawn_blocking(move || parse_page(&page, extract)),
            )
        })
        .collect();
    let mut records = Vec::with_capacity(pages.len());
    for task in tasks {
        records.push(task.await);
    }
    records
}
