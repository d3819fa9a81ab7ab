//! Running one contestant on one scenario, and scoring the run.
//!
//! The flow of a measured run:
//!
//! 1. the parent starts the site ([`shootout_site::Server`]) and computes the [`Truth`]:
//!    the expected records, the crawl's levels and the single-core parse time;
//! 2. it re-invokes its own binary as a child ([`run_child`]) for each contestant, so CPU time
//!    and peak memory are that contestant's alone, not the server's or an earlier run's;
//! 3. the child ([`time_here`]) builds the runner and the inputs, *then* starts the clock, runs
//!    one scenario, stops the clock and reports records, wall, CPU and peak RSS;
//! 4. the parent verifies the records and scores the run against the ideal ([`score`](fn@score)).
//!
//! Tests and benches call [`time_here`] or [`Inputs`] directly, in-process.
//!
//! The module's rooms: [`job`] (a job, its inputs, timing it here, and the plan of runs),
//! [`child`] (the child-process protocol), [`process`] (supervising a measured child), [`truth`] (what a correct run yields, and the
//! single-core reference) and [`score`](mod@score) (verifying and scoring a run into a [`Row`]).

pub mod child;
pub mod job;
pub mod process;
pub mod score;
pub mod truth;

pub use child::{CHILD_COMMAND, ChildTask, calibrate_in_child, child_main, run_child};
pub use job::{Entry, Inputs, Job, Ran, Timed, runs_for, time_here};
pub use process::{INTERRUPTED, stop_on_ctrl_c, supervise};
pub use score::{Point, Row, RowKind, median, score};
pub use truth::{Truth, calibrate, expectation, truth_with};
