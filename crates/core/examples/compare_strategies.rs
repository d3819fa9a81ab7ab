//! Run every extraction strategy over every HTML file under a directory, and report where
//! they disagree and how fast each one is on one core.
//!
//! It mirrors the choice a Python scraper makes between `BeautifulSoup(html, "html.parser")`,
//! which builds a tree to query (our `dom`), and subclassing `html.parser.HTMLParser`, whose
//! `handle_starttag` callbacks see each tag once and build nothing (our `stream`, through
//! lol_html, and `tokenize`, the lab's own tokeniser).
//!
//! Run with (on the Rust documentation that ships with your toolchain):
//! `cargo run --release -p shootout-core --example compare_strategies -- "$(rustc --print sysroot)/share/doc/rust/html"`
//!
//! You should see one line per strategy with its single-core throughput (`stream` several
//! times faster than `dom`, `tokenize` faster again), `dom`, `stream` and `tokenize` agreeing
//! on every page (title, link count, hrefs and base), and `naive` disagreeing on the pages that
//! have an `<a` inside a script, a comment or a code sample. The example fails if a sound
//! strategy disagrees with `dom` anywhere.
//!
//! `--only STRATEGY DIR` times that one strategy and compares nothing: extraction alone, as
//! scripts/crawl-floor.sh reads it for a crawl's floor.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use shootout_core::Strategy;

fn main() -> anyhow::Result<()> {
    const USAGE: &str = "usage: compare_strategies [--only STRATEGY] DIR  (a directory of .html \
                         files, searched recursively)";
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().skip(1).collect();
    let only = match args.first().and_then(|a| a.to_str()) {
        Some("--only") if args.len() == 3 => {
            let name = args[1].to_str().unwrap_or_default();
            let strategy: Strategy = name.parse().map_err(|e| anyhow::anyhow!("{e}"))?;
            args.drain(..2);
            Some(strategy)
        }
        _ => None,
    };
    let [root] = args.as_slice() else {
        bail!(USAGE);
    };
    let root = PathBuf::from(root);
    let mut files = Vec::new();
    collect_html(&root, &mut files).with_context(|| format!("reading {}", root.display()))?;
    if files.is_empty() {
        bail!("no .html files under {}", root.display());
    }
    files.sort();

    // `dom` first: it is the reference (unless one strategy is timed alone).
    let strategies: Vec<Strategy> = match only {
        Some(one) => vec![one],
        None => Strategy::ALL.to_vec(),
    };
    debug_assert!(only.is_some() || strategies[0] == Strategy::Dom);
    let mut time = [Duration::ZERO; Strategy::ALL.len()];
    let mut differ: [Vec<&Path>; Strategy::ALL.len()] = Default::default();
    let mut bytes = 0u64;
    for strategy in &strategies {
        strategy.warm_up();
    }
    for path in &files {
        // Reading is outside the timed region: only the extraction itself is measured.
        let body = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
        bytes += body.len() as u64;
        let mut answers = Vec::with_capacity(strategies.len());
        for (i, strategy) in strategies.iter().enumerate() {
            let start = Instant::now();
            answers.push(strategy.extract(&body));
            time[i] += start.elapsed();
        }
        // `dom` is the reference: it is what a browser's DOM holds.
        for (i, answer) in answers.iter().enumerate().skip(1) {
            if *answer != answers[0] {
                differ[i].push(path);
            }
        }
    }

    let mb = bytes as f64 / 1e6;
    println!(
        "{} HTML files, {mb:.0} MB, under {}",
        files.len(),
        root.display()
    );
    for (i, strategy) in strategies.iter().enumerate() {
        let secs = time[i].as_secs_f64();
        let verdict = match i {
            _ if only.is_some() => "timed alone".to_string(),
            0 => "the reference".to_string(),
            _ => format!("differs from dom on {} files", differ[i].len()),
        };
        println!(
            "  {:<8} {:>8.2} s  {:>6.0} MB/s on one core  {verdict}",
            strategy.name(),
            secs,
            mb / secs
        );
    }
    for (i, strategy) in strategies.iter().enumerate().skip(1) {
        for path in differ[i].iter().take(3) {
            let shown = path.strip_prefix(&root).unwrap_or(path);
            println!("  e.g. {} differs on {}", strategy.name(), shown.display());
        }
    }
    for (i, strategy) in strategies.iter().enumerate().skip(1) {
        if strategy.is_sound() && !differ[i].is_empty() {
            bail!("dom and {strategy} disagree on {} files", differ[i].len());
        }
    }
    Ok(())
}

/// Every `*.html` file under `dir`, recursively. Symbolic links are not followed, so a link
/// cycle cannot make this loop.
fn collect_html(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let kind = entry.file_type()?;
        let path = entry.path();
        if kind.is_dir() {
            collect_html(&path, out)?;
        } else if kind.is_file() && path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
    Ok(())
}
