//! Where `tour` and `run` put what they measure, chosen once from `--json` (ripgrep's printer
//! idea): tables for people, or JSON lines for programs. The commands hand every row and note
//! to the sink; none of them asks which it is.

use std::io::Write as _;

use shootout_core::{Knobs, Scenario};
use shootout_lab::harness::Row;
use shootout_report::leaderboard;

/// What the measuring commands write.
pub trait Sink {
    /// Prose for people: the tour's header and its reading guide.
    fn prose(&mut self, text: &str);
    /// A line that says what was left out, and why.
    fn note(&mut self, line: &str);
    /// A run ended and was scored.
    fn run(&mut self, row: &Row) -> anyhow::Result<()>;
    /// Every run of a scenario at a point ended: `medians` has one row per entry, each the
    /// median of `rounds` runs.
    fn scenario(
        &mut self,
        scenario: Scenario,
        knobs: &Knobs,
        max_pages: usize,
        medians: &[Row],
        rounds: usize,
    ) -> anyhow::Result<()>;
}

/// The sink `--json` asks for.
pub fn chosen(json: bool) -> Box<dyn Sink> {
    if json {
        Box::new(Json)
    } else {
        Box::new(Tables)
    }
}

/// A leaderboard per scenario, on stdout.
pub struct Tables;

impl Sink for Tables {
    fn prose(&mut self, text: &str) {
        println!("{text}");
    }

    fn note(&mut self, line: &str) {
        println!("{line}");
    }

    fn run(&mut self, _row: &Row) -> anyhow::Result<()> {
        Ok(())
    }

    fn scenario(
        &mut self,
        scenario: Scenario,
        knobs: &Knobs,
        max_pages: usize,
        medians: &[Row],
        _rounds: usize,
    ) -> anyhow::Result<()> {
        if !medians.is_empty() {
            print!(
                "{}",
                leaderboard::leaderboard(scenario, knobs, max_pages, medians)
            );
        }
        Ok(())
    }
}

/// One JSON object per run on stdout, each as its run ends (so an interrupted command keeps
/// every row it finished), then with `--runs K` one median row per entry; notes on stderr, so
/// stdout stays JSON.
pub struct Json;

impl Json {
    fn write(rows: &[Row]) -> anyhow::Result<()> {
        let mut out = std::io::stdout().lock();
        for row in rows {
            serde_json::to_writer(&mut out, row)?;
            writeln!(out)?;
        }
        out.flush()?;
        Ok(())
    }
}

impl Sink for Json {
    fn prose(&mut self, _text: &str) {}

    fn note(&mut self, line: &str) {
        eprintln!("{line}");
    }

    fn run(&mut self, row: &Row) -> anyhow::Result<()> {
        Json::write(std::slice::from_ref(row))
    }

    fn scenario(
        &mut self,
        _scenario: Scenario,
        _knobs: &Knobs,
        _max_pages: usize,
        medians: &[Row],
        rounds: usize,
    ) -> anyhow::Result<()> {
        if rounds > 1 {
            Json::write(medians)?;
        }
        Ok(())
    }
}
