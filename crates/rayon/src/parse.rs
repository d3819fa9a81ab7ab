//! `parse`: `par_iter` on the T-thread CPU pool.

use rayon::ThreadPool;
use rayon::prelude::*;
use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};

use shootout_core::page::contained;

/// The `multiprocessing.Pool.map` counterpart, in one process: rayon splits the slice, and
/// idle threads steal halves of the remaining work from busy ones, so uneven pages balance out.
pub fn parse(cpu: &ThreadPool, pages: &[Page], extract: Strategy) -> Vec<PageRecord> {
    cpu.install(|| {
        pages
            .par_iter()
            .map(|page| contained(&page.url, || parse_page(page, extract)))
            .collect()
    })
}
