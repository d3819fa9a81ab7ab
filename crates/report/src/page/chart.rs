//! The page's charts, drawn by plotters as inline SVG: bars with whiskers, and lines.
//!
//! A bar chart's axis is chosen so that the differences the lab exists to show can be seen:
//! a ratio to an ideal is drawn from the ideal (1.00) on an axis that starts near the
//! smallest value, a ratio that spans orders of magnitude on a log axis, and an absolute
//! quantity (a lag in ms) from zero. Every bar's figure carries its values and its base
//! (`data-values`, `data-base`), so the browser test can check that bars whose numbers differ
//! also look different.

use plotters::coord::ranged1d::{AsRangedCoord, Ranged, ValueFormatter};
use plotters::prelude::*;

/// Width of every chart, in pixels.
const WIDTH: u32 = 860;

/// A bar: a label, a value, its spread and (when it has one) a verdict.
pub(super) struct Bar {
    pub label: String,
    pub value: f64,
    pub low: f64,
    pub high: f64,
    pub verified: Option<bool>,
}

/// A line: a name and its points.
pub(super) struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
}

/// Where a bar chart's bars start, and how its axis is scaled.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Axis {
    /// From zero, linear: an absolute quantity (a lag in ms).
    FromZero,
    /// From 1.00 (the ideal, drawn dashed), linear, on an axis from just below the smallest
    /// value to just past the largest: ×ideal, where 1.00 against 1.07 is the story.
    FromOne,
    /// From 1 (parity, drawn dashed), on a log axis: a ratio that spans orders of magnitude
    /// (Python against Rust, 1× to 300×).
    LogFromOne,
}

impl Axis {
    /// The value bars start from.
    pub(super) fn base(self) -> f64 {
        match self {
            Axis::FromZero => 0.0,
            Axis::FromOne | Axis::LogFromOne => 1.0,
        }
    }

    /// Where the dashed reference line goes: at the base, when the base means something
    /// (the ideal, or parity).
    fn reference(self) -> Option<f64> {
        (self != Axis::FromZero).then(|| self.base())
    }
}

/// A drawn bar chart: its SVG and, for the page, its bars' values in drawing order.
pub(super) struct BarChart {
    pub svg: String,
    pub values: Vec<f64>,
    pub base: f64,
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
pub(super) fn colour(label: &str) -> RGBColor {
    let name = label.split([' ', ':']).next().unwrap_or(label);
    let index = shootout_lab::registry::all()
        .position(|c| c.name() == name)
        .unwrap_or(PALETTE.len() - 1);
    PALETTE[index % PALETTE.len()]
}

/// Horizontal bars with min–max whiskers, a ✓ or ✗ after each, on the given axis.
pub(super) fn bars(
    title: &str,
    x_desc: &str,
    bars: &[Bar],
    axis: Axis,
) -> anyhow::Result<BarChart> {
    let base = axis.base();
    let hi = bars
        .iter()
        .map(|b| b.high.max(b.value))
        .fold(base, f64::max);
    let lo = bars.iter().map(|b| b.low.min(b.value)).fold(base, f64::min);
    let svg = match axis {
        Axis::FromZero => {
            let x_max = if hi > 0.0 { hi * 1.12 } else { 1.0 };
            draw_bars(title, x_desc, bars, 0.0..x_max, axis, |v| v + x_max * 0.01)?
        }
        Axis::FromOne => {
            // A little room on both sides, and never a range so small that noise looks big.
            let pad = ((hi - lo) * 0.08).max(0.01);
            let (x_lo, x_hi) = ((lo - pad).max(0.0), (hi + pad * 1.5).max(lo + 0.1));
            let text_gap = (x_hi - x_lo) * 0.01;
            draw_bars(title, x_desc, bars, x_lo..x_hi, axis, move |v| v + text_gap)?
        }
        Axis::LogFromOne => {
            let (x_lo, x_hi) = ((lo / 1.4).max(1e-3), (hi * 1.6).max(2.0));
            draw_bars(title, x_desc, bars, (x_lo..x_hi).log_scale(), axis, |v| {
                v * 1.04
            })?
        }
    };
    Ok(BarChart {
        svg,
        values: bars.iter().map(|b| b.value).collect(),
        base,
    })
}

/// Draws `bars` from the axis's base on the x axis `x_range`, with a dashed line at its
/// reference; `after` is where a bar's ✓ or ✗ goes, given the bar's right end.
fn draw_bars<X>(
    title: &str,
    x_desc: &str,
    bars: &[Bar],
    x_range: X,
    axis: Axis,
    after: impl Fn(f64) -> f64,
) -> anyhow::Result<String>
where
    X: AsRangedCoord<Value = f64>,
    X::CoordDescType: Ranged + ValueFormatter<f64>,
{
    let mut svg = String::new();
    let base = axis.base();
    let n = bars.len().max(1);
    let height = 70 + 24 * n as u32;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE)?;
        let labels: Vec<&str> = bars.iter().map(|b| b.label.as_str()).collect();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 16))
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(210)
            .build_cartesian_2d(x_range, (0..n as i32).into_segmented())?;
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
            // From the base to the value, whichever side of the base the value is on.
            let (from, to) = (base.min(b.value), base.max(b.value));
            let mut bar = Rectangle::new(
                [
                    (from, SegmentValue::Exact(i)),
                    (to, SegmentValue::Exact(i + 1)),
                ],
                // The page's script finds the bars by this opacity (page/html.rs).
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
                    (after(b.high.max(b.value)), SegmentValue::CenterOf(i)),
                    ("sans-serif", 14).into_font().color(&if ok {
                        RGBColor(20, 130, 60)
                    } else {
                        RGBColor(200, 30, 30)
                    }),
                )))?;
            }
        }
        if let Some(r) = axis.reference() {
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
pub(super) fn lines<X, Y>(
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
