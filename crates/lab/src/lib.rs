//! shootout-lab: the engine of comparison. It knows every contestant, runs each one on a
//! scenario's inputs in a child process of its own (every contestant, Rust or not, speaks one
//! protocol: docs/protocol.md), checks the records against the site's ground truth and scores
//! the run against its ideal time. It turns none of that into tables or pages: that is
//! `shootout-report`, which depends on this crate and never the other way round.
//!
//! # Layout
//!
//! - [`registry`]: every contestant, as data (and, for a Rust one, its model). Adding a
//!   contestant is one line there; the CLI, the tests and the benches all iterate over it.
//! - [`harness`]: the jobs built from a site, the one runner that starts and supervises every
//!   child, a Rust child's side of the protocol, the ground truth and the single-core
//!   reference, and scoring a run into a row.
//! - [`rounds`]: one scenario at one point, every entry in rounds: what `run`, `tour` and
//!   `report` share.
//! - [`python`]: the interpreter the articles' Python programs (python/) run on.
//! - [`label`]: how a run and a time are named for people (`tokio / inline`, `42.1 ms`).
//! - [`alloc`]: the one memory allocator every contestant shares, and its tuning.
//! - [`build`]: what the build recorded: the compiler's version and the workspace's directory.
//! - [`stderr`]: what a failed child's stderr says, in one line.
//!
//! Within the crate the files import in one direction: `rounds` → `harness` → `registry` →
//! `python` → `stderr`, never back (tests/layers.rs checks every crate for import circles).

pub mod alloc;
pub mod build;
pub mod harness;
pub mod label;
pub mod python;
pub mod registry;
pub mod rounds;
pub mod stderr;
#[cfg(any(test, feature = "testing"))]
pub mod testing;
