//! Shared bench plumbing: one server, every registered contestant, verified before it is timed.
//!
//! Set-up (the site, each contestant's runtime and client, the inputs) happens outside
//! `b.iter`; only the scenario itself is timed.

use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput};
use shootout::harness::{self, Inputs, Job};
use shootout::registry::CONTESTANTS;
use shootout_core::verify::verify;
use shootout_core::{Knobs, Scenario};

/// The synthetic site's seed in every bench.
const SEED: u64 = 42;
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

/// A criterion configuration sized for a 2-core machine: few samples, short windows.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args()
}

/// Benches `scenario` for every contestant in one group, each entry named
/// `contestant/N=…,L=…,C=…,T=…` so criterion's report compares them side by side.
pub fn bench_scenario(c: &mut Criterion, scenario: Scenario, knobs: Knobs) {
    let server = Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages: knobs.pages,
            page_kb: knobs.page_kb,
            seed: SEED,
        }),
        latency: knobs.latency(),
        threads: 1,
        ..ServerConfig::default()
    })
    .expect("the bench server starts");
    let site = server.site().expect("synthetic site");
    let mut group = c.benchmark_group(scenario.name());
    let parameter = format!(
        "N={},L={}ms,S={}KiB,C={},T={}",
        knobs.pages, knobs.latency_ms, knobs.page_kb, knobs.concurrency, knobs.threads
    );
    let runs = harness::runs_for(scenario, CONTESTANTS);
    for (contestant, offload) in runs {
        let job = Job {
            contestant: contestant.name().to_owned(),
            scenario,
            knobs: knobs.clone(),
            seed: SEED,
            max_pages: usize::MAX,
            base_url: server.base_url().to_string(),
            offload,
        };
        let name = match offload {
            Some(v) => format!("{}/{v}", contestant.name()),
            None => contestant.name().to_owned(),
        };
        let expected = harness::expectation(site, &job);
        let runner = contestant.prepare(&knobs).expect("runner builds");
        let inputs = Inputs::build(&job).expect("inputs build");
        // A wrong answer fast is not a result: check before timing.
        let ran = inputs
            .run(runner.as_ref())
            .expect("every contestant runs this scenario");
        let verdict = verify(&ran.records, &expected);
        assert!(
            verdict.ok(),
            "{} is wrong on {scenario}: {verdict}",
            contestant.name()
        );
        group.throughput(Throughput::Elements(expected.count as u64));
        group.bench_function(BenchmarkId::new(name, &parameter), |b| {
            b.iter(|| inputs.run(runner.as_ref()));
        });
    }
    group.finish();
}
