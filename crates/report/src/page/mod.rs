//! The report's page: one self-contained HTML file with SVG charts drawn by plotters, and a
//! table of the numbers under each chart; and the same tables in Markdown for
//! docs/results.md.
//!
//! Nothing is loaded from the network: the charts are inline SVG, the style is inline, and
//! the page's Content-Security-Policy forbids fetching anything, so it works opened from disk
//! and a browser reports any attempt as an error. A short inline script records each chart's
//! rendered size (`data-rendered` on `<body>`) and where each bar ends (`data-bars`), which
//! the browser test reads.
//!
//! The HTML comes from maud's `html!` macro, not from a template file: the page is built from
//! data in loops, and maud keeps the markup beside the code that computes it, checks it when
//! the crate compiles and escapes every value unless told otherwise. (askama, the other kept
//! choice, checks as well, but splits each section into a template file and a struct that
//! feeds it; for one page drawn from one list of parts, that is two places to keep in step.)
//!
//! # Layout
//!
//! - this file: the [`Part`]s a page is made of, in order, and helpers the sections share;
//! - `scenarios.rs`, `sweep_c.rs`, `sweep_t.rs`, `sweep_rate.rs`, `files.rs`, `python.rs`: one section
//!   each;
//! - `chart.rs`: the bar and line charts, and how a bar chart's axis is chosen;
//! - `table.rs`: a table, as HTML and as Markdown;
//! - `html.rs`: the page ([`render`]); `markdown.rs`: the Markdown ([`markdown`]) and the
//!   splice into docs/results.md ([`splice`]).

mod chart;
mod files;
mod html;
mod markdown;
mod python;
mod scenarios;
mod sweep_c;
mod sweep_rate;
mod sweep_t;
mod table;

pub use html::render;
pub use markdown::{BEGIN, END, markdown, splice};
pub use table::Table;

use shootout_lab::harness::Row;

use crate::machine::Machine;
use crate::suite::{Section, StepResult};
use chart::{BarChart, Series};

/// A drawn chart: bars (with their values, for the browser test) or lines.
enum Drawn {
    Bars(BarChart),
    Lines(String),
}

impl From<BarChart> for Drawn {
    fn from(chart: BarChart) -> Drawn {
        Drawn::Bars(chart)
    }
}

impl From<String> for Drawn {
    fn from(svg: String) -> Drawn {
        Drawn::Lines(svg)
    }
}

/// A piece of the report, in order: the page renders every piece, the Markdown all but the
/// charts.
enum Part {
    /// A heading: level (2 or 3), anchor and text.
    Heading(u8, String, String),
    /// A paragraph.
    Text(String),
    /// The command that reruns what follows.
    Command(String),
    /// A chart and its caption.
    Chart(Drawn, String),
    Table(Table),
}

impl Part {
    /// A chart part, bars or lines.
    fn chart(drawn: impl Into<Drawn>, caption: String) -> Part {
        Part::Chart(drawn.into(), caption)
    }
}

/// Every part of the report, in order.
fn parts(machine: &Machine, results: &[StepResult]) -> anyhow::Result<Vec<Part>> {
    let mut parts = Vec::new();
    scenarios::scenarios(machine, results, &mut parts)?;
    sweep_c::sweep_c(results, &mut parts)?;
    sweep_t::sweep_t(results, &mut parts)?;
    sweep_rate::sweep_rate(results, &mut parts)?;
    files::files(results, &mut parts)?;
    python::python(results, &mut parts)?;
    Ok(parts)
}

/// The results of the steps that feed `section`, in suite order.
fn in_section(results: &[StepResult], section: Section) -> Vec<&StepResult> {
    results
        .iter()
        .filter(|r| r.step.section == section)
        .collect()
}

/// Whether a row is one of the Python programs': by its family, as the row carries it.
fn is_python(r: &Row) -> bool {
    r.family == shootout_core::Family::Python
}

/// In leaderboard order.
fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(crate::leaderboard::rank);
    rows
}

/// ✓, or ✗ with the first problem (and how many more there are; every one is in
/// results.jsonl).
fn verdict(r: &Row) -> String {
    match r.problems.as_slice() {
        _ if r.verified => "✓".to_owned(),
        [] => "✗".to_owned(),
        [one] => format!("✗ {one}"),
        [first, rest @ ..] => format!("✗ {first} (and {} more)", rest.len()),
    }
}

fn opt(v: Option<f64>, f: impl Fn(f64) -> String) -> String {
    v.map_or_else(|| "—".to_owned(), f)
}

/// Adds a point to the series named `name`, making it if need be.
fn push(series: &mut Vec<Series>, name: &str, point: (f64, f64)) {
    match series.iter_mut().find(|s| s.name == name) {
        Some(s) => s.points.push(point),
        None => series.push(Series {
            name: name.to_owned(),
            points: vec![point],
        }),
    }
}
