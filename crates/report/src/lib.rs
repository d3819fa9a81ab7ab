//! shootout-report: everything that turns the lab's rows into something to read.
//!
//! It depends on `shootout-lab` (rows, the registry, the measuring loop), and the lab never on
//! it.
//!
//! # Layout
//!
//! - [`leaderboard`]: the tour's and `run`'s table per scenario, fastest verified row first,
//!   with the notes under it (fallback drivers, Python, runs under the ideal).
//! - [`suite`]: the report's plan (every scenario, the C and T sweeps, the pitfall, the Python
//!   rows).
//! - [`machine`]: the machine a report ran on, and what ran.
//! - [`page`]: the report's self-contained HTML page with its charts, and its Markdown tables
//!   for docs/results.md (and the splice that puts them there).
//! - [`compare`]: two results files side by side, B / A per row.
//! - [`text_table`]: the leaderboards' plain-text tables.

pub mod compare;
pub mod latency;
pub mod leaderboard;
pub mod machine;
pub mod page;
pub mod suite;
pub mod text_table;
