//! Shared bench plumbing: one server, every registered contestant, verified before it is timed.
//!
//! Set-up (the site, each contestant's runtime and client, the inputs) happens outside
//! `b.iter`; only the scenario itself is timed.
//!
//! Each scenario is one criterion group named with its knobs (`scrape N=20 L=10ms S=16KiB
//! C=10 T=2`), and each entry is named by its contestant (and `pitfall` variant), with the
//! extraction strategy as the parameter for scenarios that parse: `rayon/stream`.
//!
//! The strategies are the scenario's defaults (`stream` for scrape and crawl, `dom` and
//! `stream` for parse, `dom` for pitfall), or the comma-separated list in `SHOOTOUT_EXTRACT`:
//! `SHOOTOUT_EXTRACT=dom cargo bench --bench scrape`. A strategy that gets the answer wrong
//! (`naive`) stops the bench: a wrong answer fast is not a result.

use std::time::Duration;

use criterion::{BatchSize, BenchmarkId, Criterion, Throughput};
use shootout_core::files::Cache;
use shootout_core::verify::verify;
use shootout_core::{Knobs, Scenario, Strategy};
use shootout_lab::harness::{self, Workdir};
use shootout_lab::registry::{self, Contestant};
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

/// The synthetic site's seed in every bench.
const SEED: u64 = 42;

/// A criterion configuration sized for a 2-core machine: few samples, short windows.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

/// The strategies to bench: `SHOOTOUT_EXTRACT` if set, else the scenario's defaults.
fn strategies(scenario: Scenario) -> Vec<Strategy> {
    match std::env::var("SHOOTOUT_EXTRACT") {
        Ok(list) => list
            .split(',')
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|e| panic!("SHOOTOUT_EXTRACT: {e}"))
            })
            .collect(),
        Err(_) => scenario.default_strategies().to_vec(),
    }
}

/// Benches `scenario` for every contestant (and strategy) in one group.
pub fn bench_scenario(c: &mut Criterion, scenario: Scenario, knobs: Knobs) {
    // The allocator as `shootout run` has it, before any thread starts.
    shootout_lab::alloc::tune();
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: knobs.pages,
            page_kb: knobs.page_kb,
            seed: SEED,
            quirks: false,
            links: 0,
        }),
        latency: knobs.latency(),
        threads: 1,
        ..ServerConfig::default()
    })
    .expect("the bench server starts");
    let site = server.site().expect("synthetic site");
    let mut group = c.benchmark_group(format!(
        "{scenario} N={} L={}ms S={}KiB C={} T={}",
        knobs.pages, knobs.latency_ms, knobs.page_kb, knobs.concurrency, knobs.threads
    ));
    // The jobs' inputs, as the harness writes them for a child; read here, in this process.
    let dir = Workdir::new().expect("a directory for the inputs");
    let template = harness::site_job(site, scenario, &knobs, usize::MAX, &dir)
        .expect("the inputs are written");
    // The ground truth is the same for every contestant and strategy: compute it once. A set
    // of files is not the site's: its truth is the set's own.
    let expected = match dir.files() {
        Some(set) if scenario == Scenario::Write => {
            harness::write_truth(set, knobs.pages).expectation
        }
        Some(set) => harness::files_truth(set).expectation,
        None => harness::expectation(site, scenario, &knobs, usize::MAX),
    };
    // The Rust models, run in this process: criterion times the scenario alone.
    let models: Vec<Contestant> = registry::models().map(Contestant::Rust).collect();
    for entry in harness::runs_for(scenario, &models, &strategies(scenario)) {
        let job = entry.job(&template);
        let name = entry.label(scenario, false);
        let model = entry.contestant.model().expect("only models are benched");
        let runner = model.prepare(&job.knobs).expect("runner builds");
        let inputs = job.inputs().expect("inputs build");
        // A wrong answer fast is not a result: check before timing.
        let write = scenario == Scenario::Write;
        let cold = entry.cache == Some(Cache::Cold) || write;
        let set = dir.files();
        // A cold entry's files are evicted before every run (its check too), off the clock;
        // a warm one's are cached by the runs before. A write starts from an empty directory.
        let evict = || match (write, cold, set) {
            (true, _, Some(set)) => set
                .clear_writes_for(knobs.pages)
                .expect("the written files can go"),
            (false, true, Some(set)) => {
                let left = set.evict().expect("the files can be evicted");
                assert!(
                    left.evicted(),
                    "{name}: {left:?} still cached after eviction"
                );
            }
            _ => {}
        };
        evict();
        let ran = inputs
            .run(runner.as_ref())
            .expect("every contestant runs this scenario");
        let verdict = verify(&ran.records, &expected);
        if let (true, Some(set)) = (write, set) {
            let wrong = set.check_writes(knobs.pages);
            assert!(wrong.is_empty(), "{name} wrote wrong files: {wrong:?}");
        }
        assert!(
            verdict.ok(),
            "{name} ({}) is wrong on {scenario}: {verdict}",
            entry.extract
        );
        group.throughput(Throughput::Elements(expected.count as u64));
        let id = if scenario.parses() {
            BenchmarkId::new(name.clone(), entry.extract)
        } else {
            BenchmarkId::from_parameter(name.clone())
        };
        group.bench_function(id, |b| {
            if cold {
                b.iter_batched(
                    &evict,
                    |()| inputs.run(runner.as_ref()),
                    BatchSize::PerIteration,
                );
            } else {
                b.iter(|| inputs.run(runner.as_ref()));
            }
        });
    }
    group.finish();
}
