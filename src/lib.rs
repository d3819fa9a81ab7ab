//! shootout: one set of download-and-scrape jobs, written once per concurrency model, run
//! side by side, checked against ground truth and measured against the best possible time.
//!
//! # Layout
//!
//! - [`registry`]: the list of contestants. Adding a contestant is one crate and one line there;
//!   the CLI, the tests and the benches all iterate over it.
//! - [`harness`]: building a scenario's inputs, timing one contestant on them (in this process
//!   or in a child process of its own), and scoring the result against the ideal time.
//! - [`python`]: the articles' own Python programs (python/), as contestants run in a child
//!   Python process, verified and measured like the rest.
//! - [`measure`]: one scenario at one point, every entry in rounds: what `run`, `tour` and
//!   `report` share.
//! - [`report`]: the leaderboard table and the JSON rows.
//! - [`alloc`]: the one memory allocator every contestant shares, and its tuning.
//!
//! The binary (`src/main.rs`) is the `shootout` command; `examples/` and `benches/` sit beside it.

pub mod alloc;
pub mod compare;
pub mod harness;
pub mod measure;
pub mod page;
pub mod python;
pub mod registry;
pub mod report;
pub mod suite;
