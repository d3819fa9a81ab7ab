//! Every contestant, in the order the leaderboard lists them.
//!
//! To add a contestant: write its crate (one file per scenario), then add one line here. The
//! tour, `shootout run`, the shared test body and every bench pick it up from this list.

use shootout_core::{Contestant, Strategy};

use crate::harness::job::Entry;

/// All registered contestants.
pub static CONTESTANTS: &[&dyn Contestant] = &[
    &shootout_sequential::Sequential,
    &shootout_tokio::TOKIO,
    &shootout_tokio::TOKIO_CURRENT_THREAD,
    &shootout_async_std::AsyncStd,
    &shootout_smol::Smol,
    &shootout_compio::Compio,
    &shootout_threads::Threads,
    &shootout_rayon::Rayon,
    &shootout_crossbeam::Crossbeam,
    &shootout_hybrid::Hybrid,
];

/// The articles' own Python programs, run as child processes (see [`crate::python`]). They
/// take part wherever an interpreter is ready; the Rust test bodies run over [`CONTESTANTS`],
/// and tests/python.rs runs the same checks over these.
pub static PYTHON: &[&dyn Contestant] = crate::python::ALL;

/// Every registered contestant, Rust then Python, whether or not it can run here.
pub fn all() -> impl Iterator<Item = &'static dyn Contestant> {
    CONTESTANTS.iter().chain(PYTHON).copied()
}

/// Looks a contestant up by name.
pub fn find(name: &str) -> Option<&'static dyn Contestant> {
    all().find(|c| c.name() == name)
}

/// Every contestant that can run here: the Rust ones, and the Python ones if an interpreter
/// is ready. The second value is why the Python ones are left out, if they are.
pub fn available() -> (Vec<&'static dyn Contestant>, Option<String>) {
    let mut all = CONTESTANTS.to_vec();
    match crate::python::interpreter() {
        Ok(_) => {
            all.extend(PYTHON);
            (all, None)
        }
        Err(e) => (all, Some(format!("{e:#}"))),
    }
}

/// The registered names, comma separated, for error messages.
pub fn names() -> String {
    all().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

/// The one run of the naive byte scan that `parse` adds to its defaults, by the sequential
/// baseline: faster than either sound strategy, and marked wrong.
pub fn naive_entry() -> Option<Entry<'static>> {
    find("sequential").map(|contestant| Entry {
        contestant,
        offload: None,
        extract: Strategy::Naive,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_findable() {
        for c in all() {
            assert_eq!(find(c.name()).map(|f| f.name()), Some(c.name()));
        }
        let mut names: Vec<_> = all().map(|c| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), CONTESTANTS.len() + PYTHON.len());
        assert!(find("nope").is_none());
    }
}
