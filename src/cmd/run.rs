//! `shootout run SCENARIO`: one scenario, with some or all contestants, at one point or a
//! sweep of them.

use anyhow::bail;
use clap::Args;
use shootout_core::Scenario;
use shootout_core::files::Cache;
use shootout_lab::harness;
use shootout_lab::registry::{self, Contestant};

use crate::cli::MeasureArgs;
use crate::flags;
use crate::sink::{self, Sink};
use crate::sweep::{checked_points, sweep};

#[derive(Args, Debug)]
pub struct RunArgs {
    /// The scenario: sleep, download, scrape, crawl, parse, pitfall, load or files.
    pub scenario: Scenario,
    /// Contestants to run, comma separated [default: every one in the tour].
    #[arg(long, value_delimiter = ',', value_parser = flags::contestant)]
    pub contestants: Vec<Contestant>,
    /// Crawl only: stop after this many pages [default: the whole site].
    #[arg(long, value_parser = flags::at_least_one::<usize>)]
    pub max_pages: Option<usize>,
    /// Files only: the page cache states to run, comma separated: cold (every file evicted
    /// before each run, and checked) and warm (every file read once before each run)
    /// [default: cold,warm].
    #[arg(long, value_delimiter = ',')]
    pub cache: Vec<Cache>,
    #[command(flatten)]
    pub measure: MeasureArgs,
}

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    let m = &args.measure;
    let mut sink = sink::chosen(m.json);
    let contestants = chosen(&args.contestants, sink.as_mut())?;
    let points = checked_points(m, &contestants, !args.contestants.is_empty())?;
    let (all_ok, rows) = sweep(
        &[args.scenario],
        &points,
        &contestants,
        args.max_pages.unwrap_or(usize::MAX),
        m,
        sink.as_mut(),
        |scenario, fit| {
            let mut runs = harness::runs_for(scenario, fit, &m.knobs.extract);
            runs.retain(|r| {
                args.cache.is_empty() || r.cache.is_none_or(|c| args.cache.contains(&c))
            });
            runs
        },
    )?;
    // A rate sweep of the open loop: where each contestant's p99 first breaks the objective.
    if args.scenario == Scenario::Load && m.knobs.load.rate.len() > 1 {
        sink.note(&shootout_report::latency::capacity(
            &rows,
            m.knobs.load.slo_ms,
        ));
    }
    if !all_ok {
        bail!("some runs were not verified (see ✗ above)");
    }
    Ok(())
}

/// The contestants `--contestants` names, each ready to run here (one line if one is not);
/// without it, the tour's, with a note for each left out.
fn chosen(named: &[Contestant], sink: &mut dyn Sink) -> anyhow::Result<Vec<Contestant>> {
    if named.is_empty() {
        let (ready, missing) = registry::available();
        for line in &missing {
            sink.note(line);
        }
        return Ok(ready);
    }
    for c in named {
        c.ready()
            .map_err(|why| anyhow::anyhow!("{}: {why}", c.name()))?;
    }
    Ok(named.to_vec())
}
