//! Threads that borrow local data, with no `Arc` and no copies.
//!
//! Python threads share everything, guarded by the GIL; `multiprocessing` shares nothing and
//! copies. Rust's `std::thread::scope` sits between: threads spawned in a scope may borrow
//! data from the enclosing function, because the scope joins every one of them before it
//! returns, so no borrow can outlive its data. The borrow checker enforces the rest: shared
//! data is read-only, and each thread may write only to the slice it was given.
//!
//! Run with: `cargo run --release -p shootout-threads --example scoped_threads`
//!
//! You should see: the link counts of 100 pages computed in 2 halves by 2 threads, writing
//! into two halves of one local array, and the total.

use shootout_core::Strategy;
use shootout_site::{Site, SiteSpec};
use url::Url;

fn main() -> anyhow::Result<()> {
    let site = Site::generate(
        SiteSpec {
            pages: 100,
            page_kb: 16,
            seed: 1,
            ..SiteSpec::default()
        },
        &Url::parse("http://example.invalid/")?,
    );
    // Local data: the pages, and a result array to fill.
    let pages = site.pages_in_memory();
    let mut links = vec![0usize; pages.len()];

    // Split both in halves: each thread reads its half of `pages` and writes its half of `links`.
    let (pages_a, pages_b) = pages.split_at(pages.len() / 2);
    let (links_a, links_b) = links.split_at_mut(pages.len() / 2);
    std::thread::scope(|s| {
        for (input, output) in [(pages_a, links_a), (pages_b, links_b)] {
            s.spawn(move || {
                for (page, slot) in input.iter().zip(output.iter_mut()) {
                    *slot = Strategy::Tokenize.extract(&page.body).links;
                }
            });
        }
        // Every thread spawned in the scope is joined here, before `pages` or `links` can go.
    });

    println!("first pages: {:?}", &links[..10]);
    println!(
        "{} links on {} pages",
        links.iter().sum::<usize>(),
        pages.len()
    );
    Ok(())
}
