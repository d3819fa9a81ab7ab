//! Parse 200 pages three ways: a loop, rayon's `par_iter`, and a hand-made std thread pool.
//!
//! Mirrors `multiprocessing.Pool().map(parse, pages)`. Python needs processes for this,
//! because the GIL lets one thread run Python at a time, and then pays to pickle every page to
//! a worker and every result back. Rust threads run in parallel in one process and read the
//! pages in place. `pages.par_iter().map(parse).collect()` is the whole of rayon's version:
//! it splits the slice, idle threads steal work from busy ones, and results keep input order.
//! The std version shows what rayon does for you: T scoped threads taking the next index from
//! a shared counter.
//!
//! Run with: `cargo run --release -p shootout-rayon --example pool_map`
//!
//! You should see: the same 200 records three times; both parallel maps about T× faster
//! than the loop (close to 2× on 2 cores, less if the machine is busy).

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use rayon::prelude::*;
use shootout_core::page::parse_page;
use shootout_core::{Page, PageRecord, Strategy};
use shootout_site::{Site, SiteSpec};
use url::Url;

/// The work being mapped: a full DOM parse, as BeautifulSoup would do it. (`Strategy::Stream`
/// is several times cheaper; the speed-up from more threads is the same.)
fn parse(page: &Page) -> PageRecord {
    parse_page(page, Strategy::Dom)
}

/// `Pool.map` by hand: T scoped threads, a shared counter as the queue, one slot per result.
fn std_pool_map(pages: &[Page], threads: usize) -> Vec<PageRecord> {
    let next = AtomicUsize::new(0);
    let results = Mutex::new(vec![None; pages.len()]);
    std::thread::scope(|s| {
        for _ in 0..threads {
            // Scoped threads may borrow `pages`, `next` and `results`: the scope joins them
            // all before those go out of scope.
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(page) = pages.get(i) else { break };
                    let record = parse(page);
                    // The lock is held to store one record, never during a parse.
                    results.lock().unwrap_or_else(|p| p.into_inner())[i] = Some(record);
                }
            });
        }
    });
    results
        .into_inner()
        .unwrap_or_else(|p| p.into_inner())
        .into_iter()
        .flatten()
        .collect()
}

fn main() -> anyhow::Result<()> {
    // 200 pages of 32 KiB, in memory.
    let origin = Url::parse("http://example.invalid/")?;
    let pages = Site::generate(
        SiteSpec {
            pages: 200,
            page_kb: 32,
            seed: 1,
            ..SiteSpec::default()
        },
        &origin,
    )
    .pages_in_memory();
    let threads = rayon::current_num_threads();

    // Warm up, untimed: a process's first pass pays for page faults and allocator growth,
    // which would flatter whichever map ran second.
    let _ = pages.iter().map(parse).count();

    // map(parse, pages) on one thread.
    let start = Instant::now();
    let serial: Vec<_> = pages.iter().map(parse).collect();
    let one = start.elapsed();

    // The same map on rayon's global pool (one thread per core, or RAYON_NUM_THREADS).
    let start = Instant::now();
    let rayon: Vec<_> = pages.par_iter().map(parse).collect();
    let by_rayon = start.elapsed();

    // And on a std thread pool of the same size.
    let start = Instant::now();
    let std_pool = std_pool_map(&pages, threads);
    let by_std = start.elapsed();

    assert!(
        serial == rayon && serial == std_pool,
        "the same records, in the same order"
    );
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1e3;
    println!(
        "iter:            {} pages in {:.0} ms",
        serial.len(),
        ms(one)
    );
    println!(
        "par_iter:        {:.0} ms on {threads} threads ({:.2}× faster)",
        ms(by_rayon),
        ms(one) / ms(by_rayon)
    );
    println!(
        "std thread pool: {:.0} ms on {threads} threads ({:.2}× faster)",
        ms(by_std),
        ms(one) / ms(by_std)
    );
    Ok(())
}
