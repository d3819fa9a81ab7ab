//! shootout-lab: the engine of comparison. It knows every contestant, runs each one on a
//! scenario's inputs (in this process, or in a child process of its own), checks the records
//! against the site's ground truth and scores the run against its ideal time. It turns none
//! of that into tables or pages: that is `shootout-report`, which depends on this crate and
//! never the other way round.
//!
//! # Layout
//!
//! - [`registry`]: the list of contestants. Adding a contestant is one crate and one line there;
//!   the CLI, the tests and the benches all iterate over it.
//! - [`harness`]: a job and its inputs, timing it here, the child-process protocol and its
//!   supervision, the ground truth and the single-core reference, and scoring a run into a row.
//! - [`python`]: the articles' own Python programs (python/), as contestants run in a child
//!   Python process, verified and measured like the rest.
//! - [`measure`]: one scenario at one point, every entry in rounds: what `run`, `tour` and
//!   `report` share.
//! - [`label`]: how a run and a time are named for people (`tokio / inline`, `42.1 ms`).
//! - [`alloc`]: the one memory allocator every contestant shares, and its tuning.
//! - [`build`]: what the build recorded: the compiler's version and the workspace's directory.
//!
//! Within the crate the files import in one direction: `registry` → `python` → `harness`'s
//! `job` and `process`, never back (tests/layers.rs checks every crate for import circles).

pub mod alloc;
pub mod build;
pub mod harness;
pub mod label;
pub mod measure;
pub mod python;
pub mod registry;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
