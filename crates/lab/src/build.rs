//! What the build recorded (see `build.rs`): the compiler and the workspace's directory.

/// `rustc --version` of the compiler that built this crate.
pub const RUSTC: &str = env!("SHOOTOUT_RUSTC");

/// The workspace's root directory: python/ and, once `just python` has run, .venv.
pub const WORKSPACE: &str = env!("SHOOTOUT_WORKSPACE");
