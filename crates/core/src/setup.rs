//! The one error a contestant can give before anything runs: its runtime or pool did not
//! start. Its own file, so both the contestant traits and the pitfall's pool builders can
//! name it without importing each other.

/// Building a runner failed (a runtime or pool could not start).
#[derive(Debug, thiserror::Error)]
#[error("{contestant}: could not set up: {reason}")]
pub struct SetupError {
    /// The contestant that failed.
    pub contestant: &'static str,
    /// What went wrong.
    pub reason: String,
}

impl SetupError {
    /// `contestant` could not set up, because of `reason`.
    pub fn new(contestant: &'static str, reason: impl std::fmt::Display) -> SetupError {
        SetupError {
            contestant,
            reason: reason.to_string(),
        }
    }
}
