//! Every contestant, in the order the leaderboard lists them.
//!
//! To add a contestant: write its crate (one file per scenario), then add one line here. The
//! tour, `shootout run`, the shared test body and every bench pick it up from this list.

use shootout_core::Contestant;

/// All registered contestants.
pub static CONTESTANTS: &[&dyn Contestant] = &[
    &shootout_sequential::Sequential,
    &shootout_tokio::TOKIO,
    &shootout_tokio::TOKIO_CURRENT_THREAD,
    &shootout_async_std::AsyncStd,
    &shootout_smol::Smol,
    &shootout_threads::Threads,
    &shootout_rayon::Rayon,
    &shootout_crossbeam::Crossbeam,
    &shootout_hybrid::Hybrid,
];

/// Looks a contestant up by name.
pub fn find(name: &str) -> Option<&'static dyn Contestant> {
    CONTESTANTS.iter().copied().find(|c| c.name() == name)
}

/// The registered names, comma separated, for error messages.
pub fn names() -> String {
    CONTESTANTS
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_findable() {
        for c in CONTESTANTS {
            assert_eq!(find(c.name()).map(|f| f.name()), Some(c.name()));
        }
        let mut all: Vec<_> = CONTESTANTS.iter().map(|c| c.name()).collect();
        all.sort_unstable();
        all.dedup();
        assert_eq!(all.len(), CONTESTANTS.len());
        assert!(find("nope").is_none());
    }
}
