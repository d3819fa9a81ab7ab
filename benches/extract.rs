//! `extract`: every extraction strategy over a fixed set of pages, on one core, in bytes per
//! second, so each strategy reads against the limit beside it.
//!
//! Hypothesis: `dom` pays for building a whole tree, `stream` only for tokenising (and for
//! lol_html's rewriting machinery), so `stream` runs several times faster than `dom`; and
//! `tokenize`, which tokenises only as far as the three fields need, runs near `naive`, a
//! byte scan for `<a` and `<title>` that does not tokenise at all. (`naive` is wrong on pages
//! with an `<a` in a script or a comment; it is here as a speed reference only. It is not a
//! strict ceiling: it lowercases a copy of every tag, and on `std/collections` `tokenize`
//! outruns it; docs/results.md, "Near the limit".)
//!
//! The pages: the HTML files of one corner of the Rust documentation rustup installs
//! (`std/collections`, the corner `scripts/run-examples.sh` uses), or of the directory in
//! `SHOOTOUT_CORPUS`; where neither exists, 100 pages of 64 KiB from the synthetic site. The
//! group's name says which, and the first line printed says where the files came from.
//! Before anything is timed, `dom`, `stream` and `tokenize` must agree on every page, or the
//! bench stops: a fast wrong answer is not a result.
//!
//! Run with: `cargo bench --bench extract` (criterion prints each strategy's MB/s).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use shootout_core::Strategy;
use shootout_site::{Site, SiteSpec};
use url::Url;

/// The corner of the toolchain's docs used when `SHOOTOUT_CORPUS` is not set.
const DOCS_CORNER: &str = "share/doc/rust/html/std/collections";

/// The directory of real pages to read, if there is one.
fn corpus_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("SHOOTOUT_CORPUS").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let out = Command::new(rustc)
        .args(["--print", "sysroot"])
        .output()
        .ok()?;
    let sysroot = String::from_utf8(out.stdout).ok()?;
    let dir = Path::new(sysroot.trim()).join(DOCS_CORNER);
    dir.is_dir().then_some(dir)
}

/// Every `.html` file under `dir`, sorted, read into memory.
fn html_files(dir: &Path) -> Vec<Bytes> {
    let mut paths = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "html") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .map(Bytes::from)
        .collect()
}

/// The pages and a name for them.
fn pages() -> (String, Vec<Bytes>) {
    let dir = corpus_dir();
    if let Some(dir) = &dir {
        let pages = html_files(dir);
        if !pages.is_empty() {
            eprintln!(
                "extract: {} HTML files under {}",
                pages.len(),
                dir.display()
            );
            // A criterion name must not hold a `/`: it separates group from function.
            let corner = dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            return (format!("{} HTML files of {corner}", pages.len()), pages);
        }
    }
    let origin = Url::parse("http://127.0.0.1:1/").expect("a valid URL");
    let spec = SiteSpec {
        pages: 100,
        page_kb: 64,
        seed: 42,
        quirks: false,
    };
    let pages = Site::generate(spec, &origin).html_bodies(false);
    match dir {
        Some(dir) => eprintln!(
            "extract: no HTML files under {}; the synthetic site's pages instead",
            dir.display()
        ),
        None => eprintln!("extract: no toolchain docs found; the synthetic site's pages instead"),
    }
    (format!("{} synthetic pages of 64 KiB", pages.len()), pages)
}

fn extract(c: &mut Criterion) {
    let (name, pages) = pages();
    let bytes: u64 = pages.iter().map(|p| p.len() as u64).sum();
    for (i, page) in pages.iter().enumerate() {
        let dom = Strategy::Dom.extract(page);
        for strategy in [Strategy::Stream, Strategy::Tokenize] {
            assert_eq!(
                dom,
                strategy.extract(page),
                "dom and {strategy} disagree on page {i} of {name}: fix that before timing them"
            );
        }
    }
    let mut group = c.benchmark_group(format!("extract {name}"));
    group.throughput(Throughput::Bytes(bytes));
    for strategy in Strategy::ALL {
        strategy.warm_up();
        group.bench_function(BenchmarkId::from_parameter(strategy), |b| {
            b.iter(|| {
                pages
                    .iter()
                    .map(|p| strategy.extract(p).links)
                    .sum::<usize>()
            });
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // One pass over the pages takes tens of milliseconds; ten samples of two seconds are
    // enough on a 2-core machine.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    targets = extract
}
criterion_main!(benches);
