//! The runs a scenario's leaderboard holds ([`Entry`], [`runs_for`]), and the jobs they run:
//! built from the site the server holds, the URLs inline, `parse`'s pages in a file of a
//! [`Workdir`] written before any clock starts, and `files`' set of files in it too.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use shootout_core::files::{Cache, FileSet, FileSpec, FilesError};
use shootout_core::job::{CrawlJob, FilesJob, Job, PagesFile};
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
    /// For `files`: whether the files are evicted from the page cache before the run, or read
    /// once.
    pub cache: Option<Cache>,
    /// How pages are parsed (ignored by scenarios that parse nothing).
    pub extract: Strategy,
}

impl Entry {
    /// The job for this entry: `template` with this contestant, variant, cache state and
    /// strategy.
    pub fn job(&self, template: &Job) -> Job {
        let files = template.files.as_ref().map(|f| FilesJob {
            paths: f.paths.clone(),
            cache: self.cache.or(f.cache),
            source: f.source.clone(),
        });
        // Measured once: a cold run (a second repetition would read what the first cached), and
        // a write (a second would overwrite files that exist, not create them).
        let once = files.as_ref().is_some_and(|f| f.cache == Some(Cache::Cold))
            || template.scenario == Scenario::Write;
        Job {
            contestant: self.contestant.name().to_owned(),
            offload: self.offload,
            knobs: Knobs {
                extract: self.extract,
                ..template.knobs.clone()
            },
            files,
            budget_s: if once { 0.0 } else { template.budget_s },
            ..template.clone()
        }
    }

    /// `tokio`, `tokio / inline`, `tokio / stream`: as much as tells this entry apart.
    pub fn label(&self, scenario: Scenario, several_strategies: bool) -> String {
        crate::label::run_label(
            self.contestant.name(),
            self.offload,
            self.cache,
            (scenario.parses() && several_strategies).then_some(self.extract),
        )
    }
}

/// Every run a scenario holds: one per contestant and strategy, except in `pitfall`, where
/// each contestant with an event loop runs once per variant (and strategy) and the others sit
/// out, and in `files`, where each contestant with a file API runs cold and warm. A scenario
/// that parses nothing runs once per contestant (and cache state), whatever the strategies.
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
        let caches: Vec<Option<Cache>> = match scenario {
            Scenario::Files if contestant.file_api().is_some() => {
                Cache::ALL.into_iter().map(Some).collect()
            }
            Scenario::Files | Scenario::Write if contestant.file_api().is_none() => Vec::new(),
            _ => vec![None],
        };
        // A program with its own parser parses the same whatever the strategy: it runs
        // once, scored against the first strategy's reference.
        let strategies = match contestant.extractor(strategies[0]) {
            Some(_) => strategies,
            None => &strategies[..1],
        };
        for &offload in &variants {
            for &cache in &caches {
                for &extract in strategies {
                    runs.push(Entry {
                        contestant,
                        offload,
                        cache,
                        extract,
                    });
                }
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
        cache: None,
        extract: Strategy::Naive,
    })
}

/// A temporary directory for the input files of a point's jobs, removed when dropped (the
/// `files` scenario's set of files with it).
#[derive(Debug)]
pub struct Workdir(PathBuf, OnceLock<FileSet>);

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
        Ok(Workdir(dir, OnceLock::new()))
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// The `files` (or `write`) scenario's set of files, `spec`, written here on first use
    /// (its checks first: the counts, the size and the free space).
    pub fn file_set(&self, spec: FileSpec) -> Result<&FileSet, FilesError> {
        if let Some(set) = self.1.get() {
            return Ok(set);
        }
        let set = FileSet::write(&self.0, spec)?;
        Ok(self.1.get_or_init(|| set))
    }

    /// The set of files, if one was written.
    pub fn files(&self) -> Option<&FileSet> {
        self.1.get()
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        // The set of files first (it removes its own directory), then the rest.
        drop(self.1.take());
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The job of `scenario` on `site` for no contestant yet ([`Entry::job`] names one), with the
/// site's inputs: its page URLs inline, `parse`'s pages written to a file in `dir`, a crawl
/// from its root capped at `max_pages`, and `files`' set written into `dir` (seeded as the
/// site is), its paths inline.
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
        Scenario::Files => {
            let spec = FileSpec {
                files: knobs.pages,
                kib: knobs.page_kb,
                seed: site.spec().seed,
            };
            let set = dir.file_set(spec).map_err(std::io::Error::other)?;
            job.files = Some(FilesJob {
                paths: (0..set.spec().files)
                    .map(|i| set.path(i).to_string_lossy().into_owned())
                    .collect(),
                cache: Some(Cache::Warm),
                source: None,
            });
        }
        Scenario::Write => {
            // N files of S KiB are written by each run: the room for them is checked now,
            // and the set itself is one file, the source every written file starts from.
            let spec = FileSpec {
                files: knobs.pages,
                kib: knobs.page_kb,
                seed: site.spec().seed,
            };
            spec.check().map_err(std::io::Error::other)?;
            spec.check_room(dir.path()).map_err(std::io::Error::other)?;
            let set = dir
                .file_set(FileSpec { files: 1, ..spec })
                .map_err(std::io::Error::other)?;
            set.clear_writes_for(knobs.pages)?;
            job.files = Some(FilesJob {
                paths: (0..knobs.pages)
                    .map(|i| set.write_path(i).to_string_lossy().into_owned())
                    .collect(),
                cache: None,
                source: Some(set.path(0).to_string_lossy().into_owned()),
            });
        }
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
