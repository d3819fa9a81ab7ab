//! The runs a scenario's leaderboard holds ([`Entry`], [`runs_for`]), and the jobs they run:
//! built from the site the server holds, the URLs inline, `parse`'s pages in a file of a
//! [`Workdir`] written before any clock starts.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use shootout_core::job::{CrawlJob, Job, PagesFile};
use shootout_core::pitfall::Offload;
use shootout_core::{Knobs, Scenario, Strategy};
use shootout_site::Site;

use crate::registry::{self, Contestant};

/// One run a scenario's leaderboard holds: a contestant, its `pitfall` variant (if any) and
/// the extraction strategy.
#[derive(Clone, Copy, Debug)]
pub struct Entry {
    /// Who runs.
    pub contestant: Contestant,
    /// For `pitfall`: where the parsing goes.
    pub offload: Option<Offload>,
    /// How pages are parsed (ignored by scenarios that parse nothing).
    pub extract: Strategy,
}

impl Entry {
    /// The job for this entry: `template` with this contestant, variant and strategy.
    pub fn job(&self, template: &Job) -> Job {
        Job {
            contestant: self.contestant.name().to_owned(),
            offload: self.offload,
            knobs: Knobs {
                extract: self.extract,
                ..template.knobs.clone()
            },
            ..template.clone()
        }
    }

    /// `tokio`, `tokio / inline`, `tokio / stream`: as much as tells this entry apart.
    pub fn label(&self, scenario: Scenario, several_strategies: bool) -> String {
        crate::label::run_label(
            self.contestant.name(),
            self.offload,
            (scenario.parses() && several_strategies).then_some(self.extract),
        )
    }
}

/// Every run a scenario holds: one per contestant and strategy, except in `pitfall`, where
/// each contestant with an event loop runs once per variant (and strategy) and the others sit
/// out. A scenario that parses nothing runs once per contestant, whatever the strategies.
pub fn runs_for(
    scenario: Scenario,
    contestants: &[Contestant],
    strategies: &[Strategy],
) -> Vec<Entry> {
    let strategies = match strategies {
        [] => scenario.default_strategies(),
        [first, ..] if !scenario.parses() => std::slice::from_ref(first),
        all => all,
    };
    let mut runs = Vec::new();
    for &contestant in contestants {
        let variants: Vec<Option<Offload>> = if scenario == Scenario::Pitfall {
            contestant
                .pitfall_variants()
                .iter()
                .copied()
                .map(Some)
                .collect()
        } else {
            vec![None]
        };
        // A program with its own parser parses the same whatever the strategy: it runs
        // once, scored against the first strategy's reference.
        let strategies = match contestant.extractor(strategies[0]) {
            Some(_) => strategies,
            None => &strategies[..1],
        };
        for &offload in &variants {
            for &extract in strategies {
                runs.push(Entry {
                    contestant,
                    offload,
                    extract,
                });
            }
        }
    }
    runs
}

/// The one run of the naive byte scan that `parse` adds to its defaults, by the sequential
/// baseline: faster than either sound strategy, and marked wrong.
pub fn naive_entry() -> Option<Entry> {
    registry::find("sequential").map(|contestant| Entry {
        contestant,
        offload: None,
        extract: Strategy::Naive,
    })
}

/// A temporary directory for the input files of a point's jobs, removed when dropped.
#[derive(Debug)]
pub struct Workdir(PathBuf);

impl Workdir {
    /// A new, empty directory under the system's temporary directory.
    pub fn new() -> std::io::Result<Workdir> {
        static MADE: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "shootout-{}-{}",
            std::process::id(),
            MADE.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir)?;
        Ok(Workdir(dir))
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The job of `scenario` on `site` for no contestant yet ([`Entry::job`] names one), with the
/// site's inputs: its page URLs inline, `parse`'s pages written to a file in `dir`, a crawl
/// from its root capped at `max_pages`.
pub fn site_job(
    site: &Site,
    scenario: Scenario,
    knobs: &Knobs,
    max_pages: usize,
    dir: &Workdir,
) -> std::io::Result<Job> {
    let mut job = Job::new("", scenario, knobs.clone());
    match scenario {
        Scenario::Sleep => {}
        Scenario::Download | Scenario::Scrape | Scenario::Pitfall => {
            job.urls = Some(site.page_urls().into_iter().map(String::from).collect());
        }
        Scenario::Load => {
            job.urls = Some(site.page_urls().into_iter().map(String::from).collect());
            job.due_us = Some(knobs.load.schedule());
        }
        Scenario::Parse => job.pages = Some(pages_file(site, false, dir, "parse")?),
        Scenario::Crawl => {
            job.crawl = Some(CrawlJob {
                root: site.origin().to_string(),
                max_pages,
                max_depth: None,
                prefix: None,
                robots: None,
            });
        }
    }
    Ok(job)
}

/// The job the single-core reference of `scenario` measures (`shootout __calibrate`): every
/// HTML page the scenario parses (a crawl's index too), in a file in `dir`, extracted with
/// `extract`. `None` for a scenario that parses nothing.
pub fn calibration_job(
    site: &Site,
    scenario: Scenario,
    knobs: &Knobs,
    extract: Strategy,
    dir: &Workdir,
) -> std::io::Result<Option<Job>> {
    if !scenario.parses() {
        return Ok(None);
    }
    let crawl = scenario == Scenario::Crawl;
    let name = if crawl {
        "calibrate-crawl"
    } else {
        "calibrate"
    };
    let mut job = Job::new(
        "",
        Scenario::Parse,
        Knobs {
            extract,
            ..knobs.clone()
        },
    );
    job.pages = Some(pages_file(site, crawl, dir, name)?);
    Ok(Some(job))
}

/// The site's HTML pages (see [`Site::html_pages`]) in `dir`/`name`, written once.
fn pages_file(site: &Site, crawl: bool, dir: &Workdir, name: &str) -> std::io::Result<PagesFile> {
    let pages = site.html_pages(crawl);
    PagesFile::write(
        &dir.path().join(name),
        pages.iter().map(|(url, body)| (url.as_str(), &body[..])),
    )
}
