//! Docs that cannot drift: every repository path that README.md, the pages of docs/,
//! python/README.md and the `//!` headers of every Rust file name must exist, and so must the
//! target of every relative Markdown link. A file that moves fails this test until the docs
//! that name it move with it.

use std::path::{Path, PathBuf};

/// The workspace's root: where this package's manifest is.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Where repository paths start.
const TOP: [&str; 9] = [
    "crates/",
    "src/",
    "docs/",
    "scripts/",
    "python/",
    "benches/",
    "examples/",
    "tests/",
    ".ci/",
];

/// What a named file ends with.
const EXTENSIONS: [&str; 10] = [
    ".rs", ".md", ".py", ".sh", ".toml", ".svg", ".png", ".txt", ".json", ".html",
];

fn is_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | '/')
}

/// Every repository path in `text`: a word starting with one of [`TOP`], made of path
/// characters, ending in one of [`EXTENSIONS`] or in `/`. (Of a pattern such as
/// `src/cmd/<name>.rs`, only the folder is read: `src/cmd/`.)
fn repository_paths(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.char_indices() {
        let rest = &text[at..];
        if !TOP.iter().any(|t| rest.starts_with(t)) {
            continue;
        }
        // The start of a word: `../crates/x.rs` and `a/src/b.rs` are not repository paths
        // (a relative link is checked as a link, below).
        if text[..at].chars().next_back().is_some_and(is_path_char) {
            continue;
        }
        let word: String = rest.chars().take_while(|&c| is_path_char(c)).collect();
        let word = word.trim_end_matches('.').to_owned();
        let named = EXTENSIONS.iter().any(|e| word.ends_with(e)) || word.ends_with('/');
        if named && !word.contains("..") {
            found.push(word);
        }
    }
    found
}

/// The targets of `[text](target)` links in Markdown: relative ones only, without anchors.
fn relative_links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        let Some(end) = rest.find(')') else { break };
        let target = rest[..end].split('#').next().unwrap_or("").trim();
        let external = target.contains("://") || target.starts_with("mailto:");
        if !target.is_empty() && !external && !target.contains(' ') {
            found.push(target.to_owned());
        }
    }
    found
}

/// Every file under `dir` whose name ends with `ext`, skipping `target` and hidden folders.
fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if name != "target" && !name.starts_with('.') {
                files(&path, ext, out);
            }
        } else if name.ends_with(ext) {
            out.push(path);
        }
    }
}

#[test]
fn every_path_the_docs_name_exists() {
    let root = root();
    let mut missing = Vec::new();
    let mut markdown = vec![root.join("README.md"), root.join("python/README.md")];
    files(&root.join("docs"), ".md", &mut markdown);
    for doc in &markdown {
        let text = std::fs::read_to_string(doc).expect("a doc reads");
        let shown = doc.strip_prefix(root).unwrap_or(doc).display().to_string();
        for path in repository_paths(&text) {
            if !root.join(&path).exists() {
                missing.push(format!("{shown} names {path}"));
            }
        }
        let here = doc.parent().expect("a doc is in a folder");
        for link in relative_links(&text) {
            if !here.join(&link).exists() {
                missing.push(format!("{shown} links to {link}"));
            }
        }
    }
    let mut rust = Vec::new();
    for dir in ["crates", "src", "tests", "benches", "examples"] {
        files(&root.join(dir), ".rs", &mut rust);
    }
    for file in &rust {
        // A header may name a path from the repository's root or from its own crate's
        // (`examples/sync_async.rs` in crates/tokio).
        let krate = file
            .ancestors()
            .find(|d| d.join("Cargo.toml").is_file())
            .unwrap_or(root);
        let text = std::fs::read_to_string(file).expect("a source file reads");
        let header: String = text
            .lines()
            .filter_map(|l| l.trim_start().strip_prefix("//!"))
            .collect::<Vec<_>>()
            .join("\n");
        let shown = file
            .strip_prefix(root)
            .unwrap_or(file)
            .display()
            .to_string();
        for path in repository_paths(&header) {
            if !root.join(&path).exists() && !krate.join(&path).exists() {
                missing.push(format!("{shown}'s header names {path}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "paths that do not exist:\n{}",
        missing.join("\n")
    );
    // The check can fail: it reads the paths the docs do name.
    assert!(markdown.len() > 5 && rust.len() > 50);
}

#[test]
fn the_path_reader_finds_paths_and_leaves_patterns_alone() {
    let text = "See crates/core/src/job.rs, docs/protocol.md and python/. Not ../src/a.rs, \
                src/cmd/<name>.rs or xsrc/b.rs; `scripts/crawl-corpus.sh`.";
    assert_eq!(
        repository_paths(text),
        [
            "crates/core/src/job.rs",
            "docs/protocol.md",
            "python/",
            "src/cmd/",
            "scripts/crawl-corpus.sh"
        ]
    );
    assert_eq!(
        relative_links("[a](protocol.md#x) [b](https://e.org/) [c](../tests/x.rs)"),
        ["protocol.md", "../tests/x.rs"]
    );
}
