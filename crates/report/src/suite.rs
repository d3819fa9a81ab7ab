//! The report's suite: which scenarios run at which points, with whom; the machine it ran
//! on; and the records of `results.jsonl`.
//!
//! A suite is a list of [`Step`]s. Each step is one scenario at one point (N, L, S, C, T), run
//! by a set of contestants, every entry `--runs` times in rounds (see [`shootout_lab::rounds`]).
//! Sweeps are steps that differ only in C, or only in T.

use std::fmt::Write as _;

use serde::Serialize;
use shootout_core::knobs::Shape;
use shootout_core::load::Load;
use shootout_core::{Family, Knobs, Scenario, Strategy};

use shootout_lab::harness::{Entry, Point, Row, runs_for};
use shootout_lab::registry::Contestant;

/// Which part of the report a step feeds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    /// Every scenario once, at the tour's knobs: bars of wall / ideal per contestant.
    Scenarios,
    /// Pages/s (and, for sleep, peak memory) against C.
    SweepC,
    /// Speedup against T for `parse`, per strategy.
    SweepT,
    /// The open loop's latency against its rate, and its tails with slow pages.
    SweepRate,
    /// `files` at its two shapes (many small files, a few large ones), cold and warm: each
    /// file API's cost per file over the bare read loop.
    Files,
}

/// One scenario at one point.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// A name unique in the suite, such as `sleep-c100`.
    pub id: String,
    /// The part of the report it feeds.
    pub section: Section,
    /// The scenario.
    pub scenario: Scenario,
    /// The point.
    pub point: Point,
    /// The extraction strategies its entries use (each contestant runs once per strategy).
    pub strategies: Vec<Strategy>,
    /// Whether the naive byte scan runs too (once, by the sequential baseline), to be caught.
    pub naive: bool,
    /// Whether contestants that ignore C (the sequential baselines) sit out: in a C sweep
    /// they would run N·L whatever C is.
    pub concurrent_only: bool,
    /// Whether the Python contestants take part (when an interpreter is ready).
    pub python: bool,
    /// How many runs each entry gets, when not the suite's `--runs`: one, for the rate
    /// sweep, whose every run is thousands of timed requests (see [`suite`]).
    pub runs: Option<usize>,
}

impl Step {
    /// The knobs of this step.
    pub fn knobs(&self) -> Knobs {
        Knobs {
            shape: self.point.shape.unwrap_or_default(),
            pages: self.point.pages,
            latency_ms: self.point.latency_ms,
            page_kb: self.point.page_kb,
            concurrency: self.point.concurrency,
            threads: self.point.threads,
            extract: self.strategies.first().copied().unwrap_or_default(),
            load: self.point.load.unwrap_or_default(),
            ..Knobs::default()
        }
    }

    /// The entries this step runs, from `contestants`; and a note for each contestant left
    /// out because C is past its limit.
    pub fn plan(&self, contestants: &[Contestant]) -> (Vec<Entry>, Vec<String>) {
        let chosen: Vec<Contestant> = contestants
            .iter()
            .copied()
            .filter(|c| self.python || c.family() != Family::Python)
            .filter(|c| {
                !self.concurrent_only
                    || c.effective(&self.knobs()).concurrency == self.point.concurrency
            })
            .collect();
        let (fit, notes) = shootout_lab::rounds::within_limits(&chosen, self.point.concurrency);
        let mut entries = runs_for(self.scenario, &fit, &self.strategies);
        if self.naive {
            entries.extend(shootout_lab::harness::naive_entry());
        }
        (entries, notes)
    }

    /// Whether its entries parse with more than one strategy (the naive scan included), so
    /// that a row's name must say which.
    pub fn several_strategies(&self) -> bool {
        self.strategies.len() > 1 || self.naive
    }

    /// The `shootout run` command that measures this step alone.
    pub fn command(&self, runs: usize) -> String {
        let p = &self.point;
        let runs = self.runs.unwrap_or(runs);
        let mut cmd = format!(
            "shootout run {} -n {} -l {} -s {} -c {} -t {} --runs {runs}",
            self.scenario, p.pages, p.latency_ms, p.page_kb, p.concurrency, p.threads
        );
        if let Some(shape) = p.shape {
            if shape.slow_pct > 0 {
                let _ = write!(
                    cmd,
                    " --slow-pct {} --slow-factor {}",
                    shape.slow_pct, shape.slow_factor
                );
            }
            if shape.heavy_pct > 0 {
                let _ = write!(
                    cmd,
                    " --heavy-pct {} --heavy-factor {}",
                    shape.heavy_pct, shape.heavy_factor
                );
            }
        }
        if let Some(load) = p.load {
            let _ = write!(
                cmd,
                " --rate {} --duration-s {} --spacing {} --queue {}",
                load.rate,
                load.duration_ms as f64 / 1e3,
                load.spacing,
                load.queue
            );
        }
        if self.scenario.parses() {
            let names: Vec<&str> = self.strategies.iter().map(|s| s.name()).collect();
            let _ = write!(cmd, " --extract {}", names.join(","));
        }
        cmd
    }
}

/// A suite's size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Size {
    /// Every published number (about 10–20 minutes on 2 cores with 5 runs).
    Full,
    /// A first look, and what CI runs: smaller pages and waits, C up to 100 (under 2 minutes
    /// on 2 cores).
    Quick,
}

/// The values of T the T sweep runs: 1, 2, 4, … and every core.
pub fn thread_counts(cores: usize) -> Vec<usize> {
    let mut ts: Vec<usize> = std::iter::successors(Some(1usize), |t| t.checked_mul(2))
        .take_while(|&t| t < cores)
        .collect();
    ts.push(cores.max(1));
    ts
}

/// The suite of `size` on a machine with `cores` cores.
pub fn suite(size: Size, cores: usize) -> Vec<Step> {
    // The tour's knobs for the full suite; smaller pages and waits for the quick one.
    let (base, concurrencies, parse_pages) = match size {
        Size::Full => (
            Point {
                pages: 40,
                latency_ms: 50,
                page_kb: 64,
                concurrency: 10,
                threads: cores,
                load: None,
                shape: None,
            },
            &[1, 10, 100, 1_000, 10_000][..],
            200,
        ),
        Size::Quick => (
            Point {
                pages: 20,
                latency_ms: 20,
                page_kb: 16,
                concurrency: 10,
                threads: cores,
                load: None,
                shape: None,
            },
            &[1, 10, 100][..],
            40,
        ),
    };
    let mut steps = Vec::new();
    for scenario in Scenario::ALL {
        steps.push(Step {
            id: scenario.name().to_owned(),
            section: Section::Scenarios,
            scenario,
            point: Point {
                load: (scenario == Scenario::Load).then(Load::default),
                ..base
            },
            strategies: scenario.default_strategies().to_vec(),
            naive: scenario == Scenario::Parse,
            concurrent_only: false,
            python: true,
            runs: None,
        });
    }
    // The C sweeps: one wave of N = C requests (at least 20), 20 ms each, so the ideal rate
    // is C / L and what falls short of it is the cost of C tasks or threads.
    for scenario in [Scenario::Sleep, Scenario::Download] {
        for &c in concurrencies {
            steps.push(Step {
                id: format!("{scenario}-c{c}"),
                section: Section::SweepC,
                scenario,
                point: Point {
                    pages: c.max(20),
                    latency_ms: 20,
                    page_kb: 4,
                    concurrency: c,
                    threads: cores,
                    load: None,
                    shape: None,
                },
                strategies: vec![Strategy::default()],
                naive: false,
                concurrent_only: true,
                // Each Python run starts an interpreter (python-pool, C of them): the quick
                // suite leaves them to its scenario section to stay under 2 minutes.
                python: size == Size::Full,
                runs: None,
            });
        }
    }
    // The T sweep: pages in memory, no waiting, every Rust contestant at each T. (The Python
    // rows of `parse` are in the scenario section; a sweep of them would take most of the
    // suite's time.)
    for t in thread_counts(cores) {
        steps.push(Step {
            id: format!("parse-t{t}"),
            section: Section::SweepT,
            scenario: Scenario::Parse,
            point: Point {
                pages: parse_pages,
                latency_ms: 0,
                page_kb: 64,
                concurrency: 10,
                threads: t,
                load: None,
                shape: None,
            },
            strategies: vec![Strategy::Dom, Strategy::default()],
            naive: false,
            concurrent_only: false,
            python: false,
            runs: None,
        });
    }
    steps.extend(rate_sweep(size, cores));
    steps.extend(files_steps(size, cores));
    steps
}

/// `files` at its two shapes: many small files (where the per-call cost shows) and a few large
/// ones (where the bytes do), each run cold and warm by every contestant with a file API; and
/// `write` of the small shape, without fsync. The full suite's are the sizes the issue's
/// targets name: 10,000 × 4 KiB and 100 × 4 MiB.
fn files_steps(size: Size, cores: usize) -> Vec<Step> {
    let shapes: [(&str, Scenario, usize, usize); 3] = match size {
        Size::Full => [
            ("files-small", Scenario::Files, 10_000, 4),
            ("files-large", Scenario::Files, 100, 4 * 1024),
            ("write-small", Scenario::Write, 10_000, 4),
        ],
        Size::Quick => [
            ("files-small", Scenario::Files, 1_000, 4),
            ("files-large", Scenario::Files, 10, 1024),
            ("write-small", Scenario::Write, 1_000, 4),
        ],
    };
    shapes
        .into_iter()
        .map(|(id, scenario, pages, page_kb)| Step {
            id: id.to_owned(),
            section: Section::Files,
            scenario,
            point: Point {
                pages,
                latency_ms: 0,
                page_kb,
                concurrency: 32,
                threads: cores,
                load: None,
                shape: None,
            },
            strategies: vec![Strategy::default()],
            naive: false,
            concurrent_only: false,
            python: true,
            runs: None,
        })
        .collect()
}

/// The rates the rate sweep runs, and for how long each (the full suite's, the quick one's).
pub fn sweep_rates(size: Size) -> (&'static [f64], u64) {
    match size {
        Size::Full => (&[250.0, 500.0, 1_000.0, 2_000.0, 4_000.0, 8_000.0], 1_000),
        Size::Quick => (&[200.0, 800.0], 500),
    }
}

/// The rate at which the skew step runs: slow pages, against the same rate without them.
pub const SKEW_RATE: f64 = 2_000.0;

/// The open loop at L = 10 ms and C = 50, rate after rate; then one rate again with a tenth
/// of the pages held 10 × L. Each entry runs once per rate: a run is R × D requests, each
/// timed, and a latency tail is a property of those requests, not of a run's wall. The
/// one-at-a-time contestants sit out (at these rates their queue is the whole story, and the
/// scenario section's `load` shows it): a sweep of them would take minutes per rate.
fn rate_sweep(size: Size, cores: usize) -> Vec<Step> {
    let (rates, duration_ms) = sweep_rates(size);
    let point = |rate: f64, shape: Option<Shape>| Point {
        pages: 40,
        latency_ms: 10,
        page_kb: 4,
        concurrency: 50,
        threads: cores,
        load: Some(Load {
            rate,
            duration_ms,
            ..Load::default()
        }),
        shape,
    };
    let step = |id: String, point: Point| Step {
        id,
        section: Section::SweepRate,
        scenario: Scenario::Load,
        point,
        strategies: vec![Strategy::default()],
        naive: false,
        concurrent_only: true,
        // python-pool at C = 50 starts 50 interpreters a run: the full suite only.
        python: size == Size::Full,
        runs: Some(1),
    };
    let mut steps: Vec<Step> = rates
        .iter()
        .map(|&r| step(format!("load-r{r}"), point(r, None)))
        .collect();
    if size == Size::Full {
        let slow = Shape {
            slow_pct: 10,
            slow_factor: 10,
            ..Shape::default()
        };
        steps.push(step("load-skew".into(), point(SKEW_RATE, Some(slow))));
    }
    steps
}

/// A rough guess of one run's seconds, for the progress bar's estimate of the time left (it
/// corrects itself as runs finish: the bar moves by guessed seconds, and the rate is real).
pub fn guess_secs(entry: &Entry, step: &Step) -> f64 {
    let knobs = step.knobs();
    let eff = entry.contestant.effective(&knobs);
    let python = entry.contestant.family() == Family::Python;
    let start = if python { 0.8 } else { 0.05 };
    let p = &step.point;
    let waves = p.pages.div_ceil(eff.concurrency.max(1)) as f64;
    let waiting = match (step.scenario, p.load) {
        (Scenario::Parse, _) => 0.0,
        // About 20 µs a file and 1 GiB/s, cold, through a thread pool.
        (Scenario::Files | Scenario::Write, _) => {
            p.pages as f64 * 20e-6 + (p.pages * p.page_kb) as f64 / 1e6
        }
        // The open loop lasts its duration, whatever the rate.
        (Scenario::Load, Some(load)) => load.duration_ms as f64 / 1e3,
        _ => waves * p.latency_ms as f64 / 1e3,
    };
    // About 17 µs per KiB to build a DOM on one core, a fifth of it to stream, ten times it
    // for BeautifulSoup; none for scenarios that parse nothing.
    let per_kib = match (step.scenario.parses(), python, entry.extract) {
        (false, _, _) => 0.0,
        (true, true, _) => 170e-6,
        (true, false, Strategy::Dom) => 17e-6,
        (true, false, _) => 4e-6,
    };
    let computing = per_kib * (p.pages * p.page_kb) as f64 / eff.threads.max(1) as f64;
    // Each request or wait costs some CPU too: measured, about 0.2 ms a request (more for
    // the thread-per-request contestants and for Python), much less a wait.
    let per_request = match (step.scenario, python) {
        (Scenario::Parse, _) => 0.0,
        (Scenario::Files | Scenario::Write, false) => 5e-6,
        (Scenario::Sleep, false) => 20e-6,
        (_, false) => 200e-6,
        (_, true) => 1e-3,
    };
    let once = waiting.max(computing) + per_request * p.pages as f64;
    // A Rust run shorter than its budget repeats until it has been measured that long.
    let measured = if python {
        once
    } else {
        once.max(shootout_lab::rounds::DEFAULT_BUDGET.as_secs_f64())
    };
    start + measured
}

/// One line of `results.jsonl` after the machine: a row, tagged with its step.
#[derive(Serialize)]
pub struct Record<'a> {
    /// The step's id.
    pub step: &'a str,
    /// The row (a `run` row per run; a `median` row per entry once its step is done).
    #[serde(flatten)]
    pub row: &'a Row,
}

/// What one step gave: every run of every entry, and what was left out.
#[derive(Clone, Debug)]
pub struct StepResult {
    /// The step.
    pub step: Step,
    /// Per entry: its runs, in round order (empty if the report stopped before it ran).
    pub runs: Vec<Vec<Row>>,
    /// Contestants left out, and notes to print.
    pub notes: Vec<String>,
    /// Whether every round of every entry ran.
    pub complete: bool,
}

impl StepResult {
    /// The median row of each entry that ran, with the spread of its runs.
    pub fn medians(&self) -> Vec<Row> {
        self.runs
            .iter()
            .filter_map(|runs| shootout_lab::harness::median(&mut runs.clone()))
            .collect()
    }

    /// Each entry's median row with its runs, for entries that ran.
    pub fn entries(&self) -> Vec<(Row, &[Row])> {
        self.runs
            .iter()
            .filter_map(|runs| {
                shootout_lab::harness::median(&mut runs.clone()).map(|m| (m, runs.as_slice()))
            })
            .collect()
    }
}

/// The median of some values (the lower middle one of an even count), with the least and the
/// most: `(min, median, max)`. `None` for none.
pub fn spread(values: impl IntoIterator<Item = f64>) -> Option<(f64, f64, f64)> {
    let mut v: Vec<f64> = values.into_iter().filter(|x| x.is_finite()).collect();
    v.sort_by(f64::total_cmp);
    let mid = *v.get(v.len().checked_sub(1)? / 2)?;
    Some((v[0], mid, v[v.len() - 1]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_sweep_doubles_up_to_every_core() {
        assert_eq!(thread_counts(1), [1]);
        assert_eq!(thread_counts(2), [1, 2]);
        assert_eq!(thread_counts(6), [1, 2, 4, 6]);
        assert_eq!(thread_counts(8), [1, 2, 4, 8]);
    }

    #[test]
    fn step_ids_are_unique_and_commands_name_their_point() {
        for size in [Size::Full, Size::Quick] {
            let steps = suite(size, 2);
            let mut ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
            ids.sort_unstable();
            ids.dedup();
            assert_eq!(ids.len(), steps.len(), "{size:?}");
        }
        let parse = &suite(Size::Full, 2)[4];
        assert_eq!(
            parse.command(5),
            "shootout run parse -n 40 -l 50 -s 64 -c 10 -t 2 --runs 5 --extract dom,stream,tokenize"
        );
    }

    #[test]
    fn a_c_sweep_leaves_out_who_ignores_c_and_who_is_over_its_limit() {
        let step = suite(Size::Full, 2)
            .into_iter()
            .find(|s| s.id == "sleep-c10000")
            .expect("the full suite sweeps sleep to C = 10,000");
        let (entries, notes) = step.plan(shootout_lab::registry::ALL);
        let names: Vec<&str> = entries.iter().map(|e| e.contestant.name()).collect();
        assert!(!names.contains(&"sequential"), "{names:?}");
        assert!(!names.contains(&"rayon"), "{names:?}");
        assert!(names.contains(&"tokio"), "{names:?}");
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("rayon skipped at C=10000"))
        );
    }
}
