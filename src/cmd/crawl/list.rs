//! `--fetch-list` and `--scrape-list`: the same pages a crawl fetched, fetched again without
//! following a link, to measure what a crawl cannot do with less (scripts/crawl-floor.sh).

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, bail};
use shootout_core::{PageRecord, Scenario};

/// The most URLs a list may hold: a `download` job carries its URLs inline, so a list is held
/// three times over (the file, the job's JSON, the child's parsed copy) before anything runs.
pub const MAX_URLS: usize = 10_000_000;

/// Which pages a list mode fetches again, and what it does with each.
#[derive(Debug)]
pub struct List {
    /// `download` (fetch only) or `scrape` (fetch and extract, as a crawl parses a page).
    pub scenario: Scenario,
    /// Each URL once, in the file's order.
    pub urls: Vec<String>,
}

impl List {
    /// Reads `file`: one http(s) URL a line, or a `--json` crawl's output, whose records that
    /// got a response (a status) give their `url`. Blank lines are skipped, and a URL listed
    /// twice is fetched once, as a crawl fetches it.
    pub fn read(file: &Path, scenario: Scenario) -> anyhow::Result<List> {
        let text = std::fs::read_to_string(file)
            .with_context(|| format!("cannot read the URL list {}", file.display()))?;
        let mut seen = HashSet::new();
        let mut urls = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let url = if line.is_empty() {
                continue;
            } else if line.starts_with('{') {
                let record: PageRecord = serde_json::from_str(line).with_context(|| {
                    format!("{} line {}: not a crawl's record", file.display(), n + 1)
                })?;
                // A record with no status never reached the server (robots, a refused
                // scheme, a timeout): fetching it again is not the crawl's work.
                if record.status.is_none() {
                    continue;
                }
                record.url
            } else {
                line.to_owned()
            };
            // As its `Url` serialises: the child's record names it so.
            let url = crate::flags::http_url(&url)
                .map_err(|e| anyhow::anyhow!("{} line {}: {e}", file.display(), n + 1))?
                .to_string();
            if seen.insert(url.clone()) {
                urls.push(url);
            }
            if urls.len() > MAX_URLS {
                bail!("{} lists more than {MAX_URLS} URLs", file.display());
            }
        }
        if urls.is_empty() {
            bail!(
                "{} lists no URL that was fetched (one URL a line, or a `crawl --json` output)",
                file.display()
            );
        }
        Ok(List { scenario, urls })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file of its own for each call (tests run in parallel), removed after reading.
    fn listed(text: &str) -> anyhow::Result<Vec<String>> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let file = std::env::temp_dir().join(format!(
            "shootout-list-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::write(&file, text).expect("write the list");
        let read = List::read(&file, Scenario::Download).map(|l| l.urls);
        std::fs::remove_file(&file).expect("remove the list");
        read
    }

    #[test]
    fn reads_urls_and_a_crawls_records() {
        let text = "http://h/a\n\n  http://h/b  \nhttp://h/a\n\
            {\"url\":\"http://h/c\",\"status\":200,\"title\":null,\"links\":0,\"size\":3,\"error\":null}\n\
            {\"url\":\"http://h/d\",\"status\":null,\"title\":null,\"links\":0,\"size\":0,\"error\":\"robots: disallowed\"}\n";
        assert_eq!(
            listed(text).expect("a good list"),
            ["http://h/a", "http://h/b", "http://h/c"]
        );
    }

    #[test]
    fn bad_input_is_one_line_naming_it() {
        let bad = listed("http://h/a\nftp://h/b\n").expect_err("ftp");
        assert!(bad.to_string().contains("line 2"), "{bad}");
        let bad = listed("{not json\n").expect_err("json");
        assert!(
            format!("{bad:#}").contains("line 1: not a crawl's record"),
            "{bad:#}"
        );
        let none = listed("\n\n").expect_err("empty");
        assert!(none.to_string().contains("lists no URL"), "{none}");
        let nowhere = std::env::temp_dir().join("shootout-no-such-dir/list");
        let missing = List::read(&nowhere, Scenario::Scrape).expect_err("missing");
        assert!(
            missing.to_string().contains("cannot read the URL list"),
            "{missing}"
        );
    }
}
