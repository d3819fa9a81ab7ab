//! The page itself, through maud's `html!`: the markup is checked when this crate compiles,
//! and every piece of text is escaped unless it is marked pre-escaped (only the SVG plotters
//! drew, and the page's own style and script).

use maud::{DOCTYPE, PreEscaped, html};

use super::{Drawn, Part, parts};
use crate::machine::Machine;
use crate::suite::StepResult;

/// Renders the whole page from what ran (all of the suite, or what finished before a stop).
pub fn render(
    machine: &Machine,
    results: &[StepResult],
    stopped: Option<&str>,
) -> anyhow::Result<String> {
    let parts = parts(machine, results)?;
    let page = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                // Nothing from the network: inline style and script only.
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "shootout report" }
                style { (PreEscaped(STYLE)) }
            }
            body {
                h1 { "shootout report" }
                p.machine { (machine.line()) }
                p {
                    "Made by " code { (machine.command) } ". Every run is verified against the "
                    "site's ground truth; each entry ran " (machine.runs) " time(s), in rounds, "
                    "each run in a fresh process. Every run's numbers are in "
                    code { "results.jsonl" } " beside this page."
                }
                @if let Some(why) = stopped {
                    p.stopped { "Incomplete: " (why) ". The page shows what finished." }
                }
                nav {
                    @for part in &parts {
                        @if let Part::Heading(2, id, text) = part {
                            a href={ "#" (id) } { (text) } " "
                        }
                    }
                }
                @for part in &parts {
                    @match part {
                        Part::Heading(2, id, text) => h2 id=(id) { (text) },
                        Part::Heading(_, id, text) => h3 id=(id) { (text) },
                        Part::Text(text) => p { (text) },
                        Part::Command(cmd) => p.cmd { code { (cmd) } },
                        Part::Chart(Drawn::Bars(chart), caption) => {
                            figure data-values=(values(&chart.values)) data-base=(chart.base) {
                                (PreEscaped(&chart.svg))
                                figcaption { (caption) }
                            }
                        },
                        Part::Chart(Drawn::Lines(svg), caption) => {
                            figure {
                                (PreEscaped(svg))
                                figcaption { (caption) }
                            }
                        },
                        Part::Table(t) => (t.html()),
                    }
                }
                script { (PreEscaped(RENDER_CHECK)) }
            }
        }
    };
    Ok(page.into_string())
}

/// A bar chart's values for `data-values`, in drawing order.
fn values(values: &[f64]) -> String {
    values
        .iter()
        .map(|v| format!("{v:.4}"))
        .collect::<Vec<_>>()
        .join(",")
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;max-width:1200px;margin:2em auto;padding:0 1em;color:#222}\
h1{margin-bottom:.2em}h2{margin-top:2em;border-bottom:1px solid #ccc}\
.machine{color:#555}.cmd code{background:#f4f4f4;padding:.1em .3em}\
.stopped{background:#fff3cd;padding:.5em;border:1px solid #e0c060}\
figure{margin:1em 0}figcaption{color:#555;font-size:.9em}\
table{border-collapse:collapse;font-size:.8em;margin:.5em 0 1.5em;display:block;overflow-x:auto;max-width:100%}\
td,th{border:1px solid #ddd;padding:.2em .4em;text-align:right;white-space:nowrap}th{white-space:normal}td:last-child{white-space:normal}\
td:first-child,th:first-child{text-align:left}td:first-child{white-space:normal;min-width:9em}\
.note{color:#555;font-size:.9em}\
nav a{margin-right:1em}";

/// Records, for the browser test, every chart's rendered size on `<body data-rendered>` (a
/// chart that did not render reads `0x0`), and where each bar of every bar chart ends, with
/// the chart's values and base, on `<body data-bars>`. A bar is a `rect` of opacity 0.8,
/// the fill `chart.rs` gives bars and nothing else. And, on `<body data-overflow>`, every
/// table that is wider than its box or than the window (it would scroll sideways): none, on a
/// page that fits a 1,280-px window.
const RENDER_CHECK: &str = "\
document.body.dataset.rendered=Array.from(document.querySelectorAll('figure svg'),\
s=>{const r=s.getBoundingClientRect();return Math.round(r.width)+'x'+Math.round(r.height)}).join(' ');\
document.body.dataset.bars=Array.from(document.querySelectorAll('figure[data-values]'),f=>{\
const ends=Array.from(f.querySelectorAll('svg rect[opacity=\"0.8\"]'),r=>{const b=r.getBoundingClientRect();\
return Math.round(b.left)+':'+Math.round(b.right)});\
return f.dataset.values+'/'+f.dataset.base+'/'+ends.join(',')}).join(' ');\
document.body.dataset.overflow=Array.from(document.querySelectorAll('table'),(t,i)=>\
t.scrollWidth>t.clientWidth+1||t.getBoundingClientRect().right>document.documentElement.clientWidth?\
(i+1)+':'+t.scrollWidth+'>'+t.clientWidth:'').filter(x=>x).join(' ');";
