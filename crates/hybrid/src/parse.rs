//! `parse`: the whole batch as one rayon `par_iter`, awaited from async code.

use std::sync::Arc;

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::{contained, parse_page, task_failed};
use shootout_core::{Page, PageRecord, Strategy};

use crate::offload::on_rayon;

/// One hand-off for the whole batch rather than one per page: the closure runs on a thread of
/// `pool`, so its `par_iter` splits the batch across that pool's T threads by work stealing.
/// The pages are shared with the pool through an `Arc` (a spawned job must be `'static`, so it
/// cannot borrow them): a clone of each page, two reference counts, never a copy of a body.
pub async fn parse(pool: &ThreadPool, pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    let shared: Arc<[Page]> = pages.into();
    let batch = shared.clone();
    on_rayon(pool, move || {
        // Contained per page: a panic in one item would otherwise end the whole `par_iter`.
        batch
            .par_iter()
            .map(|p| contained(&p.url, || parse_page(p, extract)))
            .collect()
    })
    .await
    .unwrap_or_else(|| {
        shared
            .iter()
            .map(|p| task_failed(&p.url, "parse panicked"))
            .collect()
    })
}
