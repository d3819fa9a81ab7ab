//! `parse`: every page on the blocking pool (T threads).

use shootout_core::page::{parse_page, task_failed};
use shootout_core::{Page, PageRecord, Strategy};

/// CPU-only work has nothing to await: the async runtime adds nothing but the blocking pool's
/// T threads, which is where tokio says CPU work belongs.
pub async fn parse(pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    let tasks: Vec<_> = pages
        .iter()
        .map(|page| {
            // spawn_blocking needs 'static data: each task owns a clone of its page, two
            // reference counts (the body is shared, never copied).
            let page = page.clone();
            tokio::task::spawn_blocking(move || parse_page(&page, extract))
        })
        .collect();
    let mut records = Vec::with_capacity(pages.len());
    for (page, task) in pages.iter().zip(tasks) {
        records.push(task.await.unwrap_or_else(|e| task_failed(&page.url, e)));
    }
    records
}
