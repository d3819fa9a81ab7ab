//! The pages the parsing benches read: the HTML files of one corner of the Rust documentation
//! rustup installs (`std/collections`), or of the directory in `SHOOTOUT_CORPUS`; where
//! neither exists, 100 pages of 64 KiB from the synthetic site. Each page comes with its path
//! under the corpus (`std/collections/struct.HashMap.html` becomes `struct.HashMap.html`), so
//! a bench that resolves links can give it a URL.

#![allow(dead_code)] // each bench uses its own part of this file

use std::path::{Path, PathBuf};
use std::process::Command;

use bytes::Bytes;
use shootout_site::{Site, SiteSpec};
use url::Url;

/// The corner of the toolchain's docs used when `SHOOTOUT_CORPUS` is not set.
const DOCS_CORNER: &str = "share/doc/rust/html/std/collections";

/// Pages, each with its path, and a name for them that a criterion group can carry.
pub struct Corpus {
    /// `27 HTML files of collections`, or `100 synthetic pages of 64 KiB`.
    pub name: String,
    /// Each page's path relative to the corpus (`/`-separated), and its bytes.
    pub pages: Vec<(String, Bytes)>,
}

impl Corpus {
    /// The bytes of every page.
    pub fn bodies(&self) -> Vec<Bytes> {
        self.pages.iter().map(|(_, b)| b.clone()).collect()
    }
}

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

/// Every `.html` file under `dir`, sorted by path, read into memory, each with its path
/// relative to `dir`.
fn html_files(dir: &Path) -> Vec<(String, Bytes)> {
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
        .filter_map(|p| {
            let relative = p.strip_prefix(dir).ok()?;
            let parts: Vec<String> = relative
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            Some((parts.join("/"), Bytes::from(std::fs::read(p).ok()?)))
        })
        .collect()
}

/// The pages `bench` reads (its name starts the line that says where they came from).
pub fn load(bench: &str) -> Corpus {
    let dir = corpus_dir();
    if let Some(dir) = &dir {
        let pages = html_files(dir);
        if !pages.is_empty() {
            eprintln!(
                "{bench}: {} HTML files under {}",
                pages.len(),
                dir.display()
            );
            // A criterion name must not hold a `/`: it separates group from function.
            let corner = dir
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            return Corpus {
                name: format!("{} HTML files of {corner}", pages.len()),
                pages,
            };
        }
    }
    let origin = Url::parse("http://127.0.0.1:1/").expect("a valid URL");
    let spec = SiteSpec {
        pages: 100,
        page_kb: 64,
        seed: 42,
        quirks: false,
        links: 0,
    };
    let pages: Vec<(String, Bytes)> = Site::generate(spec, &origin)
        .html_pages(false)
        .into_iter()
        .map(|(url, body)| {
            let path = Url::parse(&url)
                .map_or(url.clone(), |u| u.path().trim_start_matches('/').to_owned());
            (path, body)
        })
        .collect();
    match dir {
        Some(dir) => eprintln!(
            "{bench}: no HTML files under {}; the synthetic site's pages instead",
            dir.display()
        ),
        None => eprintln!("{bench}: no toolchain docs found; the synthetic site's pages instead"),
    }
    Corpus {
        name: format!("{} synthetic pages of 64 KiB", pages.len()),
        pages,
    }
}
