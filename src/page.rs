//! The report's page: one self-contained HTML file with SVG charts drawn by plotters, and a
//! table of the numbers under each chart.
//!
//! Nothing is loaded from the network: the charts are inline SVG, the style is inline, and
//! the page's Content-Security-Policy forbids fetching anything, so it works opened from disk
//! and a browser reports any attempt as an error. A short inline script records each chart's
//! rendered size in the page (`data-rendered` on `<body>`), which the browser test reads.

use std::fmt::Write as _;

use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;
use shootout_core::Scenario;

use crate::harness::Row;
use crate::report::{human_secs, row_label};
use crate::suite::{Machine, Section, StepResult, spread};

/// Width of every chart, in pixels.
const WIDTH: u32 = 860;

/// A bar: a label, a value, its spread and (when it has one) a verdict.
struct Bar {
    label: String,
    value: f64,
    low: f64,
    high: f64,
    verified: Option<bool>,
}

/// A line: a name and its points.
struct Series {
    name: String,
    points: Vec<(f64, f64)>,
}

/// A table, rendered as HTML on the page and as Markdown in docs/results.md.
pub struct Table {
    head: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn new(head: &[&str]) -> Table {
        Table {
            head: head.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    fn html(&self) -> String {
        let mut t = String::from("<table><tr>");
        for h in &self.head {
            let _ = write!(t, "<th>{}</th>", esc(h));
        }
        t.push_str("</tr>\n");
        for row in &self.rows {
            t.push_str("<tr>");
            for c in row {
                let _ = write!(t, "<td>{}</td>", esc(c));
            }
            t.push_str("</tr>\n");
        }
        t.push_str("</table>\n");
        t
    }

    fn markdown(&self) -> String {
        let cell = |c: &str| c.replace('|', "\\|");
        let mut t = format!(
            "| {} |\n|",
            self.head
                .iter()
                .map(|h| cell(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        t.push_str(&"---|".repeat(self.head.len()));
        t.push('\n');
        for row in &self.rows {
            let _ = writeln!(
                t,
                "| {} |",
                row.iter().map(|c| cell(c)).collect::<Vec<_>>().join(" | ")
            );
        }
        t
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
    /// An SVG chart and its caption.
    Chart(String, String),
    Table(Table),
}

/// Twelve colours far enough apart to tell lines apart (Tableau's ten, and two more).
const PALETTE: [RGBColor; 12] = [
    RGBColor(31, 119, 180),
    RGBColor(255, 127, 14),
    RGBColor(44, 160, 44),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(127, 127, 127),
    RGBColor(188, 189, 34),
    RGBColor(23, 190, 207),
    RGBColor(0, 0, 0),
    RGBColor(174, 199, 232),
    RGBColor(255, 187, 120),
];

/// One colour per contestant, the same in every chart: by its place in the registry. A
/// label such as `tokio / stream` takes its contestant's colour.
fn colour(label: &str) -> RGBColor {
    let name = label.split([' ', ':']).next().unwrap_or(label);
    let index = crate::registry::all()
        .position(|c| c.name() == name)
        .unwrap_or(PALETTE.len() - 1);
    PALETTE[index % PALETTE.len()]
}

/// Horizontal bars with min–max whiskers, a ✓ or ✗ after each, and a dashed reference line.
fn bars(title: &str, x_desc: &str, bars: &[Bar], reference: Option<f64>) -> anyhow::Result<String> {
    let mut svg = String::new();
    let n = bars.len().max(1);
    let height = 70 + 24 * n as u32;
    let x_max = bars
        .iter()
        .map(|b| b.high.max(b.value))
        .chain(reference)
        .fold(0.0, f64::max)
        * 1.12;
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(210)
            .build_cartesian_2d(0.0..x_max, (0..n as i32).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(n)
            .y_label_formatter(&|v| match v {
                SegmentValue::CenterOf(i) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| labels.get(n.checked_sub(i + 1)?))
                    .map_or_else(String::new, |s| (*s).to_owned()),
                _ => String::new(),
            })
            .x_desc(x_desc)
            .label_style(("sans-serif", 12))
            .draw()?;
        for (i, b) in bars.iter().enumerate() {
            // The first bar at the top.
            let i = (n - 1 - i) as i32;
            let fill = match b.verified {
                Some(false) => RGBColor(214, 69, 65),
                _ => colour(&b.label),
            };
            let mut bar = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(i)),
                    (b.value, SegmentValue::Exact(i + 1)),
                ],
                fill.mix(0.8).filled(),
            );
            bar.set_margin(4, 4, 0, 0);
            chart.draw_series(std::iter::once(bar))?;
            chart.draw_series(std::iter::once(ErrorBar::new_horizontal(
                SegmentValue::CenterOf(i),
                b.low,
                b.value,
                b.high,
                BLACK.stroke_width(1),
                8,
            )))?;
            if let Some(ok) = b.verified {
                chart.draw_series(std::iter::once(Text::new(
                    if ok { "✓" } else { "✗" },
                    (
                        b.high.max(b.value) + x_max * 0.01,
                        SegmentValue::CenterOf(i),
                    ),
                    ("sans-serif", 14).into_font().color(&if ok {
                        RGBColor(20, 130, 60)
                    } else {
                        RGBColor(200, 30, 30)
                    }),
                )))?;
            }
        }
        if let Some(r) = reference {
            chart.draw_series(DashedLineSeries::new(
                [
                    (r, SegmentValue::Exact(0)),
                    (r, SegmentValue::Exact(n as i32)),
                ],
                6,
                4,
                BLACK.stroke_width(1),
            ))?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// Lines through points, one per series, with an optional dashed ideal and a legend.
fn lines<X, Y>(
    title: &str,
    (x_desc, x_range): (&str, X),
    (y_desc, y_range): (&str, Y),
    series: &[Series],
    ideal: Option<&Series>,
) -> anyhow::Result<String>
where
    X: AsRangedCoord<Value = f64>,
    Y: AsRangedCoord<Value = f64>,
    X::CoordDescType: Ranged + ValueFormatter<f64>,
    Y::CoordDescType: Ranged + ValueFormatter<f64>,
{
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 380)).into_drawing_area();
        root.fill(&WHITE)?;
        // The legend gets its own column, so it never hides a line.
        let (plot, legend) = root.split_horizontally(WIDTH - 190);
        let mut chart = ChartBuilder::on(&plot)
            .caption(title, ("sans-serif", 16))
            .margin(10)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(x_range, y_range)?;
        chart
            .configure_mesh()
            .x_desc(x_desc)
            .y_desc(y_desc)
            .label_style(("sans-serif", 12))
            .draw()?;
        let grey = RGBColor(120, 120, 120);
        let mut keys: Vec<(String, RGBColor, bool)> = Vec::new();
        if let Some(ideal) = ideal {
            chart.draw_series(DashedLineSeries::new(
                ideal.points.iter().copied(),
                6,
                4,
                grey.stroke_width(2),
            ))?;
            keys.push((ideal.name.clone(), grey, true));
        }
        for s in series {
            let c = colour(&s.name);
            chart.draw_series(
                LineSeries::new(s.points.iter().copied(), c.stroke_width(2)).point_size(3),
            )?;
            keys.push((s.name.clone(), c, false));
        }
        for (i, (name, c, dashed)) in keys.iter().enumerate() {
            let y = 44 + 18 * i as i32;
            let style = c.stroke_width(if *dashed { 1 } else { 3 });
            legend.draw(&PathElement::new([(4, y), (26, y)], style))?;
            legend.draw(&Text::new(
                name.as_str(),
                (32, y - 7),
                ("sans-serif", 12).into_font(),
            ))?;
        }
        root.present()?;
    }
    Ok(svg)
}

/// Escapes text for HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn is_python(r: &Row) -> bool {
    crate::python::is_python(&r.contestant)
}

/// In leaderboard order.
fn sorted(mut rows: Vec<Row>) -> Vec<Row> {
    rows.sort_by(crate::report::rank);
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

/// The table of a scenario: every median row, with the spread of wall and of wall / ideal.
fn scenario_table(rows: &[Row], with_strategy: bool) -> Table {
    let mut t = Table::new(&[
        "contestant",
        "T",
        "C",
        "driver",
        "median wall",
        "min – max",
        "ideal",
        "×ideal (min – max)",
        "pages/s",
        "cpu",
        "peak mem",
        "verified",
    ]);
    for r in rows {
        let ratio = |w: Option<f64>| {
            opt(w.filter(|_| r.ideal_s > 0.0), |w| {
                format!("{:.2}", w / r.ideal_s)
            })
        };
        t.rows.push(vec![
            row_label(r, with_strategy),
            r.threads.to_string(),
            r.concurrency.to_string(),
            crate::report::driver_cell(r),
            opt(r.wall_s, human_secs),
            format!(
                "{} – {}",
                opt(r.wall_min_s, human_secs),
                opt(r.wall_max_s, human_secs)
            ),
            human_secs(r.ideal_s),
            format!(
                "{} ({} – {})",
                ratio(r.wall_s),
                ratio(r.wall_min_s),
                ratio(r.wall_max_s)
            ),
            opt(r.pages_per_s, |x| format!("{x:.0}")),
            opt(r.cpu_s, human_secs),
            opt(r.peak_rss_mb, |x| format!("{x:.1} MiB")),
            verdict(r),
        ]);
    }
    t
}

/// A bar of wall / ideal for a median row.
fn ratio_bar(r: &Row, with_strategy: bool) -> Option<Bar> {
    let ideal = r.ideal_s;
    let value = r.wall_over_ideal?;
    Some(Bar {
        label: row_label(r, with_strategy),
        value,
        low: r.wall_min_s.map_or(value, |w| w / ideal),
        high: r.wall_max_s.map_or(value, |w| w / ideal),
        verified: Some(r.verified),
    })
}

/// Every part of the report, in order.
fn parts(machine: &Machine, results: &[StepResult]) -> anyhow::Result<Vec<Part>> {
    let mut parts = Vec::new();
    scenarios(machine, results, &mut parts)?;
    sweep_c(results, &mut parts)?;
    sweep_t(results, &mut parts)?;
    python(results, &mut parts)?;
    Ok(parts)
}

/// Renders the whole page from what ran (all of the suite, or what finished before a stop).
pub fn render(
    machine: &Machine,
    results: &[StepResult],
    stopped: Option<&str>,
) -> anyhow::Result<String> {
    let parts = parts(machine, results)?;
    let mut html = String::new();
    let _ = write!(
        html,
        "<!doctype html>\n<html lang=en><head><meta charset=utf-8>\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n\
         <meta name=viewport content=\"width=device-width, initial-scale=1\">\n\
         <title>shootout report</title>\n<style>{STYLE}</style></head>\n<body>\n\
         <h1>shootout report</h1>\n<p class=machine>{}</p>\n\
         <p>Made by <code>{}</code>. Every run is verified against the site's ground truth; each \
         entry ran {} time(s), in rounds, each run in a fresh process. Every run's numbers are \
         in <code>results.jsonl</code> beside this page.</p>\n",
        esc(&machine.line()),
        esc(&machine.command),
        machine.runs
    );
    if let Some(why) = stopped {
        let _ = writeln!(
            html,
            "<p class=stopped>Incomplete: {}. The page shows what finished.</p>",
            esc(why)
        );
    }
    html.push_str("<nav>");
    for part in &parts {
        if let Part::Heading(2, id, text) = part {
            let _ = write!(html, "<a href=\"#{id}\">{}</a> ", esc(text));
        }
    }
    html.push_str("</nav>\n");
    for part in &parts {
        match part {
            Part::Heading(level, id, text) => {
                let _ = writeln!(html, "<h{level} id=\"{id}\">{}</h{level}>", esc(text));
            }
            Part::Text(text) => {
                let _ = writeln!(html, "<p>{}</p>", esc(text));
            }
            Part::Command(cmd) => {
                let _ = writeln!(html, "<p class=cmd><code>{}</code></p>", esc(cmd));
            }
            Part::Chart(svg, caption) => {
                let _ = writeln!(
                    html,
                    "<figure>{svg}<figcaption>{}</figcaption></figure>",
                    esc(caption)
                );
            }
            Part::Table(t) => html.push_str(&t.html()),
        }
    }
    html.push_str(RENDER_CHECK);
    html.push_str("</body></html>\n");
    Ok(html)
}

/// The generated part of docs/results.md: the same tables, in Markdown, each under its
/// command, with the machine and the command that made them all on top.
pub fn markdown(machine: &Machine, results: &[StepResult]) -> anyhow::Result<String> {
    let mut md = format!(
        "Generated by `{}` ({} suite, {} run(s) per entry in rounds, each in a fresh process; \
         every run verified). Machine: {}. Spread is the fastest and slowest run. The charts \
         are in the report's `index.html`; every run is in its `results.jsonl`.\n",
        machine.command,
        match machine.suite {
            crate::suite::Size::Full => "full",
            crate::suite::Size::Quick => "quick",
        },
        machine.runs,
        machine.line()
    );
    for part in parts(machine, results)? {
        match part {
            Part::Heading(level, _, text) => {
                // The generated part sits under the page's own `##` heading.
                let _ = write!(md, "\n{} {text}\n\n", "#".repeat(usize::from(level) + 1));
            }
            Part::Text(text) => {
                let _ = write!(md, "{text}\n\n");
            }
            Part::Command(cmd) => {
                let _ = write!(md, "`{cmd}`\n\n");
            }
            Part::Chart(..) => {}
            Part::Table(t) => {
                md.push_str(&t.markdown());
                md.push('\n');
            }
        }
    }
    Ok(md)
}

/// The results of the steps that feed `section`, in suite order.
fn in_section(results: &[StepResult], section: Section) -> Vec<&StepResult> {
    results
        .iter()
        .filter(|r| r.step.section == section)
        .collect()
}

/// Per scenario: wall / ideal bars for the Rust rows, the pitfall's lag, and every row's numbers.
fn scenarios(
    machine: &Machine,
    results: &[StepResult],
    parts: &mut Vec<Part>,
) -> anyhow::Result<()> {
    let steps = in_section(results, Section::Scenarios);
    if steps.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "scenarios".into(),
        "Every scenario: wall against the ideal".into(),
    ));
    parts.push(Part::Text(
        "The ideal is the larger of the waiting bound, ceil(N/C)·L, and the computing bound, \
         single-core parse time / T; 1.00 is the limit. The charts show the Rust rows; the \
         tables show every row, the Python ones included."
            .into(),
    ));
    for r in steps {
        let step = &r.step;
        parts.push(Part::Heading(3, step.id.clone(), step.scenario.to_string()));
        parts.push(Part::Command(step.command(machine.runs)));
        let medians = r.medians();
        if medians.is_empty() {
            parts.push(Part::Text(
                "Not run: the report stopped before this step.".into(),
            ));
            continue;
        }
        let several = step.several_strategies();
        // The chart shows wall / ideal, so it ranks by that: the baselines, held to C = 1 and
        // T = 1, are measured against their own (longer) ideal.
        let mut bars_of: Vec<Bar> = medians
            .iter()
            .filter(|m| !is_python(m))
            .filter_map(|m| ratio_bar(m, several))
            .collect();
        bars_of.sort_by(|a, b| {
            b.verified
                .cmp(&a.verified)
                .then(a.value.total_cmp(&b.value))
        });
        parts.push(Part::Chart(
            bars(
                &format!("{}: wall / ideal (1.00 is the limit)", step.scenario),
                "wall / ideal: median bar, fastest–slowest whiskers",
                &bars_of,
                Some(1.0),
            )?,
            format!(
                "{}. Whiskers span the fastest and slowest of {} run(s); ✓ verified against the \
                 site's ground truth, ✗ wrong.",
                crate::report::knobs_line(
                    step.scenario,
                    &step.knobs(),
                    usize::MAX,
                    &step.strategies
                ),
                machine.runs
            ),
        ));
        if step.scenario == Scenario::Pitfall {
            pitfall(r, several, parts)?;
        }
        let fallbacks = crate::report::fallback_note(medians.iter());
        parts.push(Part::Table(scenario_table(&sorted(medians), several)));
        for line in fallbacks.lines() {
            parts.push(Part::Text(line.trim().to_owned()));
        }
        if !r.complete {
            parts.push(Part::Text(
                "Incomplete: the report stopped during this step.".into(),
            ));
        }
        for note in &r.notes {
            parts.push(Part::Text(note.trim().to_owned()));
        }
    }
    Ok(())
}

/// The heartbeat's worst lag per pitfall variant: median of the runs, min–max whiskers.
fn pitfall(r: &StepResult, several: bool, parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let mut table = Table::new(&[
        "contestant / parsing",
        "worst lag, median",
        "min – max",
        "p99 lag (median run)",
    ]);
    let mut lag_bars = Vec::new();
    for (m, runs) in r.entries() {
        let Some((low, value, high)) = spread(runs.iter().filter_map(|x| x.heartbeat_max_ms))
        else {
            continue;
        };
        table.rows.push(vec![
            row_label(&m, several),
            format!("{value:.1} ms"),
            format!("{low:.1} – {high:.1} ms"),
            opt(m.heartbeat_p99_ms, |x| format!("{x:.1} ms")),
        ]);
        if !is_python(&m) {
            lag_bars.push(Bar {
                label: row_label(&m, several),
                value,
                low,
                high,
                verified: None,
            });
        }
    }
    if lag_bars.is_empty() {
        return Ok(());
    }
    parts.push(Part::Chart(
        bars(
            "pitfall: the heartbeat's worst lag per variant",
            "worst heartbeat lag, ms (median of runs, fastest–slowest whiskers)",
            &lag_bars,
            None,
        )?,
        "How late a 10 ms heartbeat woke, worst tick of each run. Parsing inline or sleeping on \
         the event loop stalls every other task; spawn-blocking and rayon keep it on time."
            .into(),
    ));
    parts.push(Part::Table(table));
    Ok(())
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

/// Sets the cell of `name`'s row at column `i`, making the row if need be.
fn put(table: &mut Table, name: &str, i: usize, cell: String) {
    let width = table.head.len();
    let row = match table.rows.iter().position(|r| r[0] == name) {
        Some(at) => &mut table.rows[at],
        None => {
            let mut row = vec!["—".to_owned(); width];
            row[0] = name.to_owned();
            table.rows.push(row);
            table.rows.last_mut().expect("a row was just pushed")
        }
    };
    row[i + 1] = cell;
}

/// The C sweeps: pages/s against C for sleep and download, and sleep's peak memory.
fn sweep_c(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::SweepC);
    if steps.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "sweep-c".into(),
        "Concurrency: pages/s against C".into(),
    ));
    parts.push(Part::Text(
        "One wave of N = C requests (at least 20), each held L = 20 ms: the ideal rate is C / L \
         (the dashed line), and where a line leaves it is what C tasks or threads cost. The \
         sequential baselines ignore C and sit out; a contestant sits out the points past its \
         limit of C. Cells are median pages/s; ✗ marks a run that was wrong."
            .into(),
    ));
    let mut memory = Vec::new();
    for scenario in [Scenario::Sleep, Scenario::Download] {
        let of: Vec<&&StepResult> = steps
            .iter()
            .filter(|r| r.step.scenario == scenario)
            .collect();
        let Some(first) = of.first() else { continue };
        let cs: Vec<usize> = of.iter().map(|r| r.step.point.concurrency).collect();
        let mut head = vec!["contestant".to_owned()];
        head.extend(cs.iter().map(|c| format!("C={c}")));
        let mut table = Table {
            head,
            rows: Vec::new(),
        };
        let mut rss_table = table_like(&table);
        let mut rate: Vec<Series> = Vec::new();
        let mut rss: Vec<Series> = Vec::new();
        let mut ideal = Series {
            name: "ideal: C / L".into(),
            points: Vec::new(),
        };
        for (i, r) in of.iter().enumerate() {
            let c = r.step.point.concurrency as f64;
            let medians = r.medians();
            if let Some(m) = medians.iter().find(|m| m.ideal_s > 0.0) {
                ideal
                    .points
                    .push((c, r.step.point.pages as f64 / m.ideal_s));
            }
            for m in medians {
                if let (true, Some(x)) = (m.verified, m.pages_per_s) {
                    push(&mut rate, &m.contestant, (c, x));
                }
                if let Some(mem) = m.peak_rss_mb {
                    push(&mut rss, &m.contestant, (c, mem));
                    put(&mut rss_table, &m.contestant, i, format!("{mem:.1} MiB"));
                }
                let cell = format!(
                    "{}{}",
                    opt(m.pages_per_s, |x| format!("{x:.0}")),
                    if m.verified { "" } else { " ✗" }
                );
                put(&mut table, &m.contestant, i, cell);
            }
        }
        let x_hi = *cs.iter().max().unwrap_or(&1) as f64 * 1.3;
        let y_hi = rate
            .iter()
            .flat_map(|s| s.points.iter().map(|p| p.1))
            .chain(ideal.points.iter().map(|p| p.1))
            .fold(1.0, f64::max)
            * 2.0;
        parts.push(Part::Heading(
            3,
            format!("sweep-c-{scenario}"),
            format!("{scenario}: pages/s against C"),
        ));
        parts.push(Part::Command(format!(
            "shootout run {scenario} -c {} -l 20 -s 4 -n C (at least 20) --runs K",
            cs.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )));
        parts.push(Part::Chart(
            lines(
                &format!("{scenario}: pages/s against C"),
                ("C, requests in flight", (0.8..x_hi).log_scale()),
                ("pages/s", (1.0..y_hi).log_scale()),
                &rate,
                Some(&ideal),
            )?,
            format!(
                "Median pages/s per point, verified runs only; log scales. T = {}.",
                first.step.point.threads
            ),
        ));
        parts.push(Part::Table(table));
        if scenario == Scenario::Sleep {
            let mems = || rss.iter().flat_map(|s| s.points.iter().map(|p| p.1));
            let y_hi = mems().fold(8.0, f64::max) * 1.5;
            let y_lo = mems().fold(f64::MAX, f64::min).min(y_hi / 2.0) * 0.7;
            memory.push(Part::Chart(
                lines(
                    "sleep: peak memory against C",
                    ("C, waits in flight", (0.8..x_hi).log_scale()),
                    ("peak RSS, MiB", (y_lo..y_hi).log_scale()),
                    &rss,
                    None,
                )?,
                "Peak resident memory of the contestant's process in the sleep sweep (the median \
                 run's). A task costs bytes; an OS thread costs a stack page or two and its \
                 bookkeeping."
                    .into(),
            ));
            memory.push(Part::Table(rss_table));
            memory.push(Part::Table(per_task_table(&rss)));
        }
    }
    if !memory.is_empty() {
        parts.push(Part::Heading(
            2,
            "memory".into(),
            "Memory per task and per thread".into(),
        ));
        parts.extend(memory);
    }
    Ok(())
}

/// An empty table with the same columns.
fn table_like(t: &Table) -> Table {
    Table {
        head: t.head.clone(),
        rows: Vec::new(),
    }
}

/// What one more wait in flight cost: the growth of peak memory from the smallest C to the
/// largest, over the waits added.
fn per_task_table(rss: &[Series]) -> Table {
    let mut t = Table::new(&[
        "contestant",
        "from C",
        "to C",
        "peak mem grew by",
        "KiB per wait in flight",
    ]);
    for s in rss {
        let (Some(first), Some(last)) = (s.points.first(), s.points.last()) else {
            continue;
        };
        if last.0 <= first.0 {
            continue;
        }
        let grew = last.1 - first.1;
        t.rows.push(vec![
            s.name.clone(),
            format!("{:.0}", first.0),
            format!("{:.0}", last.0),
            format!("{grew:.1} MiB"),
            format!("{:.2}", grew * 1024.0 / (last.0 - first.0)),
        ]);
    }
    t
}

/// The T sweep: each contestant's speedup over the sequential baseline at T = 1, per strategy.
fn sweep_t(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let steps = in_section(results, Section::SweepT);
    let Some(first) = steps.first() else {
        return Ok(());
    };
    let ts: Vec<usize> = steps.iter().map(|r| r.step.point.threads).collect();
    let cores = *ts.iter().max().unwrap_or(&1) as f64;
    parts.push(Part::Heading(
        2,
        "sweep-t".into(),
        "Parallelism: parse speedup against T".into(),
    ));
    parts.push(Part::Text(format!(
        "{} pages of {} KiB in memory, parsed by every Rust contestant with T threads. Speedup \
         is the sequential baseline's median wall at T = 1 over the contestant's median wall; \
         the dashed line is the ideal, T. Cells: speedup (over the contestant's slowest to \
         fastest run; its median wall). The sequential baseline is held to T = 1 at every \
         point, so its cells past T = 1 show how far the machine's speed drifted between steps; \
         on a shared VM that drift, not the runtime, is often most of the difference at T = 1.",
        first.step.point.pages, first.step.point.page_kb
    )));
    for &strategy in &first.step.strategies {
        let baseline = steps
            .iter()
            .flat_map(|r| r.medians())
            .find(|m| m.contestant == "sequential" && m.extractor == Some(strategy) && m.verified)
            .and_then(|m| m.wall_s);
        let Some(baseline) = baseline else { continue };
        let mut head = vec!["contestant".to_owned()];
        head.extend(ts.iter().map(|t| format!("T={t}")));
        let mut table = Table {
            head,
            rows: Vec::new(),
        };
        let mut series: Vec<Series> = Vec::new();
        for (i, r) in steps.iter().enumerate() {
            let t = r.step.point.threads as f64;
            for m in r
                .medians()
                .into_iter()
                .filter(|m| m.extractor == Some(strategy))
            {
                let Some(wall) = m.wall_s.filter(|_| m.verified) else {
                    put(&mut table, &m.contestant, i, "✗".into());
                    continue;
                };
                if m.contestant != "sequential" {
                    push(&mut series, &m.contestant, (t, baseline / wall));
                }
                // The spread of the speedup: the baseline's median over this entry's slowest
                // and fastest runs.
                let (lo, hi) = (
                    m.wall_max_s.map_or(1.0, |w| baseline / w),
                    m.wall_min_s.map_or(1.0, |w| baseline / w),
                );
                put(
                    &mut table,
                    &m.contestant,
                    i,
                    format!(
                        "{:.2}× ({lo:.2}–{hi:.2}; {})",
                        baseline / wall,
                        human_secs(wall)
                    ),
                );
            }
        }
        let ideal = Series {
            name: "ideal: T".into(),
            points: ts.iter().map(|&t| (t as f64, t as f64)).collect(),
        };
        parts.push(Part::Heading(
            3,
            format!("sweep-t-{strategy}"),
            format!("parse with {strategy}"),
        ));
        parts.push(Part::Command(format!(
            "shootout run parse -n {} -s {} -t {} --extract {strategy} --runs K",
            first.step.point.pages,
            first.step.point.page_kb,
            ts.iter()
                .map(usize::to_string)
                .collect::<Vec<_>>()
                .join(",")
        )));
        parts.push(Part::Chart(
            lines(
                &format!("parse with {strategy}: speedup over sequential against T"),
                ("T, threads", 0.8..cores + 0.2),
                ("speedup", 0.0..cores * 1.3 + 0.2),
                &series,
                Some(&ideal),
            )?,
            "Median of the runs at each T, verified runs only.".into(),
        ));
        parts.push(Part::Table(table));
    }
    Ok(())
}

/// The Python rows: each one's wall against the best verified Rust row of its scenario.
fn python(results: &[StepResult], parts: &mut Vec<Part>) -> anyhow::Result<()> {
    let mut bars_of = Vec::new();
    let mut table = Table::new(&[
        "scenario",
        "Python row",
        "median wall (min – max)",
        "best Rust row",
        "its wall",
        "× slower",
        "peak mem",
        "verified",
    ]);
    for r in in_section(results, Section::Scenarios) {
        let several = r.step.several_strategies();
        let medians = r.medians();
        let best = sorted(
            medians
                .iter()
                .filter(|m| !is_python(m) && m.verified)
                .cloned()
                .collect(),
        )
        .into_iter()
        .next();
        let Some((best, best_wall)) = best.and_then(|b| b.wall_s.map(|w| (b, w))) else {
            continue;
        };
        for (m, runs) in r.entries().into_iter().filter(|(m, _)| is_python(m)) {
            let Some((low, value, high)) = spread(runs.iter().filter_map(|x| x.wall_s)) else {
                continue;
            };
            let name = row_label(&m, false);
            bars_of.push(Bar {
                label: format!("{}: {name}", r.step.scenario),
                value: value / best_wall,
                low: low / best_wall,
                high: high / best_wall,
                verified: Some(m.verified),
            });
            table.rows.push(vec![
                r.step.scenario.to_string(),
                name,
                format!(
                    "{} ({} – {})",
                    human_secs(value),
                    human_secs(low),
                    human_secs(high)
                ),
                row_label(&best, several),
                human_secs(best_wall),
                format!("{:.1}×", value / best_wall),
                opt(m.peak_rss_mb, |x| format!("{x:.1} MiB")),
                if m.verified {
                    "✓".into()
                } else {
                    "✗".into()
                },
            ]);
        }
    }
    if bars_of.is_empty() {
        return Ok(());
    }
    parts.push(Part::Heading(
        2,
        "python".into(),
        "Python beside Rust".into(),
    ));
    parts.push(Part::Text(
        "The articles' own programs (python/), run and verified like the rest, at the scenario \
         section's knobs. Each bar is a Python row's wall over the best verified Rust row of the \
         same scenario; the dashed line is parity. BeautifulSoup parses, whatever the strategy; \
         python-pool's memory adds up its worker processes (an upper bound)."
            .into(),
    ));
    parts.push(Part::Chart(
        bars(
            "Python rows: wall / best Rust wall, per scenario",
            "times the best Rust row's wall (median bar, fastest–slowest whiskers)",
            &bars_of,
            Some(1.0),
        )?,
        "Median of the runs; whiskers span the fastest and slowest.".into(),
    ));
    parts.push(Part::Table(table));
    Ok(())
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1080px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
.machine{color:#555}.cmd code{background:#f4f4f4;padding:.1em .3em}\
.stopped{background:#fff3cd;padding:.5em;border:1px solid #e0c060}\
figure{margin:1em 0}figcaption{color:#555;font-size:.9em}\
table{border-collapse:collapse;font-size:.85em;margin:.5em 0 1.5em}\
td,th{border:1px solid #ddd;padding:.2em .5em;text-align:right;white-space:nowrap}td:last-child{white-space:normal}\
td:first-child,th:first-child{text-align:left}\
.note{color:#555;font-size:.9em}\
nav a{margin-right:1em}";

/// Records every chart's rendered size on `<body data-rendered>`, for the browser test: a
/// chart that did not render reads `0x0`.
const RENDER_CHECK: &str = "<script>\
document.body.dataset.rendered=Array.from(document.querySelectorAll('figure svg'),\
s=>{const r=s.getBoundingClientRect();return Math.round(r.width)+'x'+Math.round(r.height)}).join(' ');\
</script>\n";

/// The line that opens the generated part of a Markdown file.
pub const BEGIN: &str = "<!-- report:begin";
/// The line that closes it.
pub const END: &str = "<!-- report:end -->";

/// `doc` with the text between its [`BEGIN`] and [`END`] lines replaced by `generated`; the
/// marker lines themselves and everything outside them are kept.
pub fn splice(doc: &str, generated: &str) -> anyhow::Result<String> {
    let begin = doc.find(BEGIN).ok_or_else(|| {
        anyhow::anyhow!("no `{BEGIN} … -->` line to mark where the generated tables go")
    })?;
    let body = begin
        + doc[begin..]
            .find('\n')
            .ok_or_else(|| anyhow::anyhow!("the `{BEGIN}` line does not end"))?
        + 1;
    let end = body
        + doc[body..]
            .find(END)
            .ok_or_else(|| anyhow::anyhow!("no `{END}` line after `{BEGIN}`"))?;
    Ok(format!(
        "{}\n{}\n{}",
        &doc[..body],
        generated.trim(),
        &doc[end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splice_replaces_only_the_generated_part() {
        let doc = "# Results\n\nHand-written.\n\n<!-- report:begin (generated) -->\nold table\n<!-- report:end -->\n\n## Analysis\nKept.\n";
        let out = splice(doc, "new table\n").expect("markers are there");
        assert_eq!(
            out,
            "# Results\n\nHand-written.\n\n<!-- report:begin (generated) -->\n\nnew table\n<!-- report:end -->\n\n## Analysis\nKept.\n"
        );
        // A second run replaces its own output, nothing else.
        assert_eq!(splice(&out, "new table").expect("markers stay"), out);
        assert!(splice("no markers", "x").is_err());
        assert!(splice("<!-- report:begin -->\nno end", "x").is_err());
    }

    #[test]
    fn tables_render_in_both_formats() {
        let mut t = Table::new(&["a", "b|c"]);
        t.rows.push(vec!["<x>".into(), "1".into()]);
        assert_eq!(t.markdown(), "| a | b\\|c |\n|---|---|\n| <x> | 1 |\n");
        assert!(t.html().contains("<td>&lt;x&gt;</td>"), "{}", t.html());
    }
}
