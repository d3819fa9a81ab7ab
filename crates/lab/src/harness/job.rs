//! A job (one contestant, one scenario, its knobs), its inputs, and timing it in this
//! process; and the plan of every run a scenario's leaderboard holds.

use std::time::{Duration, Instant};

use anyhow::Context;
use serde::{Deserialize, Serialize};
use shootout_core::measure::Usage;
use shootout_core::pitfall::{LagStats, Offload};
use shootout_core::{
    Contestant, CrawlSpec, Driver, Family, Knobs, Page, PageRecord, Runner, Scenario, Strategy,
};
use shootout_site::{Site, SiteSpec, input_urls};
use url::Url;

/// Everything a (child) process needs to run one contestant on one scenario.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Job {
    /// The contestant's registry name.
    pub contestant: String,
    /// The scenario.
    pub scenario: Scenario,
    /// The knobs, the same for every contestant.
    pub knobs: Knobs,
    /// The synthetic site's seed.
    pub seed: u64,
    /// The crawl's page cap.
    pub max_pages: usize,
    /// The site's root URL.
    pub base_url: String,
    /// For `pitfall`: where the parsing goes.
    #[serde(default)]
    pub offload: Option<Offload>,
    /// Whether the synthetic site serves its quirk pages (see `shootout_site::QUIRKS`).
    #[serde(default)]
    pub quirks: bool,
}

impl Job {
    /// The spec of the synthetic site this job runs against.
    pub fn site_spec(&self) -> SiteSpec {
        SiteSpec {
            pages: self.knobs.pages,
            page_kb: self.knobs.page_kb,
            seed: self.seed,
            quirks: self.quirks,
        }
    }
}

/// A scenario's inputs, built before the clock starts.
pub enum Inputs {
    /// `sleep`: how many waits, and how long each.
    Sleep(usize, Duration),
    /// `download`: the page URLs.
    Download(Vec<Url>),
    /// `scrape`: the page URLs.
    Scrape(Vec<Url>),
    /// `crawl`: the root and the page cap.
    Crawl(Url, usize),
    /// `parse`: the pages, in memory.
    Parse(Vec<Page>),
    /// `pitfall`: the page URLs and where the parsing goes.
    Pitfall(Vec<Url>, Offload),
}

/// What running a scenario produced.
pub struct Ran {
    /// One record per input.
    pub records: Vec<PageRecord>,
    /// For `pitfall`: the lateness of every heartbeat tick.
    pub lags: Option<Vec<Duration>>,
}

impl Inputs {
    /// Builds the inputs of `job`. For `parse` this generates the pages, which is why it
    /// happens before timing starts.
    pub fn build(job: &Job) -> anyhow::Result<Inputs> {
        let base =
            Url::parse(&job.base_url).with_context(|| format!("bad base URL {}", job.base_url))?;
        let n = job.knobs.pages;
        let urls = || input_urls(&base, &job.site_spec());
        Ok(match job.scenario {
            Scenario::Sleep => Inputs::Sleep(n, job.knobs.latency()),
            Scenario::Download => Inputs::Download(urls()),
            Scenario::Scrape => Inputs::Scrape(urls()),
            Scenario::Crawl => Inputs::Crawl(base, job.max_pages),
            Scenario::Parse => {
                Inputs::Parse(Site::generate(job.site_spec(), &base).pages_in_memory())
            }
            Scenario::Pitfall => Inputs::Pitfall(
                urls(),
                job.offload
                    .context("the pitfall scenario needs a variant")?,
            ),
        })
    }

    /// Runs the scenario on `runner`: the timed part. `None` if the runner does not run this
    /// scenario (only `pitfall` is optional: it needs an event loop).
    pub fn run(&self, runner: &dyn Runner) -> Option<Ran> {
        let records = |records| {
            Some(Ran {
                records,
                lags: None,
            })
        };
        match self {
            Inputs::Sleep(n, wait) => records(runner.sleep(*n, *wait)),
            Inputs::Download(urls) => records(runner.download(urls)),
            Inputs::Scrape(urls) => records(runner.scrape(urls)),
            Inputs::Crawl(root, max) => records(runner.crawl(root, &CrawlSpec::pages(*max))),
            Inputs::Parse(pages) => records(runner.parse(pages)),
            Inputs::Pitfall(urls, offload) => runner.pitfall(urls, *offload).map(|p| Ran {
                records: p.records,
                lags: Some(p.lags),
            }),
        }
    }
}

/// What one timed run produced.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Timed {
    /// The records, one per input.
    pub records: Vec<PageRecord>,
    /// Wall-clock time of the scenario alone.
    pub wall: Duration,
    /// CPU time (user + system, all threads) spent during the scenario.
    pub cpu: Duration,
    /// Peak resident memory of the process, in bytes.
    pub peak_rss: u64,
    /// For `pitfall`: the heartbeat's lag statistics.
    pub heartbeat: Option<LagStats>,
    /// The driver the run's I/O went through, as its runtime reported it (or as the
    /// contestant's family fixes it). A Python child does not send one.
    #[serde(default)]
    pub driver: Option<Driver>,
}

/// Runs `job` in this process: set-up first, then the clock runs around the scenario only.
pub fn time_here(contestant: &dyn Contestant, job: &Job) -> anyhow::Result<Timed> {
    job.knobs.validate()?;
    let runner = contestant.prepare(&job.knobs)?;
    let inputs = Inputs::build(job)?;
    // Build the extractor's lazily compiled selectors now, not on the first timed page.
    job.knobs.extract.warm_up();
    // `parse` is pure CPU work and cheap to repeat: run it once untimed, so the timed run
    // measures parsing, not the first-touch page faults of a fresh process and of fresh
    // per-thread allocator arenas. Its ideal (see `calibrate`) is measured warm as well.
    if job.scenario == Scenario::Parse {
        std::hint::black_box(inputs.run(runner.as_ref()));
    }
    // Asked of the runtime that will run, not guessed from its name.
    let driver = runner.driver().or_else(|| contestant.driver().ok());
    let before = Usage::now();
    let start = Instant::now();
    let ran = inputs.run(runner.as_ref());
    let wall = start.elapsed();
    let after = Usage::now();
    // Tear the runtime down outside the timed region.
    drop(runner);
    let ran = ran.with_context(|| {
        format!(
            "{} does not run the {} scenario",
            contestant.name(),
            job.scenario
        )
    })?;
    Ok(Timed {
        records: ran.records,
        wall,
        cpu: after.cpu.saturating_sub(before.cpu),
        peak_rss: after.peak_rss,
        heartbeat: ran.lags.as_deref().map(LagStats::of),
        driver,
    })
}

/// One run a scenario's leaderboard holds: a contestant, its `pitfall` variant (if any) and
/// the extraction strategy.
#[derive(Clone, Copy)]
pub struct Entry<'a> {
    /// Who runs.
    pub contestant: &'a dyn Contestant,
    /// For `pitfall`: where the parsing goes.
    pub offload: Option<Offload>,
    /// How pages are parsed (ignored by scenarios that parse nothing).
    pub extract: Strategy,
}

impl Entry<'_> {
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
pub fn runs_for<'a>(
    scenario: Scenario,
    contestants: &[&'a dyn Contestant],
    strategies: &[Strategy],
) -> Vec<Entry<'a>> {
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
        // The Python contestants parse with BeautifulSoup whatever the strategy: they run
        // once, scored against the first strategy's reference.
        let strategies = if contestant.family() == Family::Python {
            &strategies[..1]
        } else {
            strategies
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
