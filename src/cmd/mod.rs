//! One file per command, each with one `run` (rebar's `cmd/<name>.rs`): `main.rs` parses the
//! arguments and hands them to one of these.

pub mod compare;
pub mod crawl;
pub mod list;
pub mod report;
pub mod run;
pub mod serve;
pub mod tour;
