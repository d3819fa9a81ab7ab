//! Running one contestant on one scenario, and scoring the run.
//!
//! The flow of a measured run:
//!
//! 1. the parent starts the site ([`shootout_site::Server`]) and computes the [`Truth`]: the
//!    expected records, the crawl's levels, and the single-core parse time, measured in a
//!    child of its own (`shootout __calibrate`);
//! 2. it builds each run's [`Job`](shootout_core::Job) from the site ([`jobs`]) and starts the
//!    contestant's process on it ([`runner`]), so CPU time and peak memory are that
//!    contestant's alone, not the server's or an earlier run's. Every contestant, Rust or not,
//!    is a child on the one protocol (docs/protocol.md);
//! 3. the child reads the job, builds its runtime and inputs, *then* starts the clock, runs
//!    the scenario, stops the clock, and writes its records and a closing line with what it
//!    measured (a Rust contestant's side is [`child`]);
//! 4. the parent verifies the records and scores the run against the ideal
//!    ([`score`](fn@score)).
//!
//! The module's rooms: [`jobs`] (the plan of runs, and the jobs built from a site),
//! [`runner`] (starting and supervising any contestant's process), [`child`] (a Rust
//! contestant's side of the protocol), [`truth`] (what a correct run yields, and the
//! single-core reference) and [`score`](mod@score) (verifying and scoring a run into a [`Row`]).

pub mod child;
pub mod jobs;
pub mod runner;
pub mod score;
pub mod truth;

pub use child::{CALIBRATE_COMMAND, CHILD_COMMAND, Timed, calibrate_main, child_main, time_here};
pub use jobs::{Entry, Workdir, calibration_job, naive_entry, runs_for, site_job};
pub use runner::{ChildError, ChildRun, interrupted, stop_on_ctrl_c, use_binary};
pub use score::{Point, Row, RowKind, median, rescore, score};
pub use truth::{Floor, Truth, calibrate, expectation, files_truth, truth, write_truth};
