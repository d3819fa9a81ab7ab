//! What moves a contestant's bytes: the kernel interface its I/O goes through.
//!
//! Two async designs meet in the lab, and the difference is in the kernel, not in Rust:
//!
//! - a **readiness** reactor (epoll on Linux, kqueue on the BSDs and macOS): the runtime asks
//!   the kernel *which sockets are ready*, then makes the `read` itself, into a buffer it lends
//!   for the length of that one call. tokio, smol, async-std and the Python asyncio loop;
//! - a **completion** reactor (io_uring on Linux): the runtime hands the kernel the whole
//!   operation, buffer included, and is told when it is *done*. The kernel owns the buffer
//!   while the read is in flight. compio.
//!
//! The blocking family has no reactor at all: each thread sits in its own `read` until the
//! bytes come.
//!
//! Every row names its driver ("name what ran"). A contestant that prefers one driver and
//! runs on another says so in [`Driver::fallback`], with the reason, never silently.

use serde::{Deserialize, Serialize};

/// The readiness reactor of this operating system: what mio (tokio), polling (smol,
/// async-std) and Python's `selectors` use here.
pub const READINESS: &str = if cfg!(any(target_os = "linux", target_os = "android")) {
    "epoll"
} else if cfg!(windows) {
    "iocp"
} else {
    "kqueue"
};

/// Threads blocked in their own system calls: no reactor.
pub const BLOCKING: &str = "blocking";

/// The completion reactor of Linux.
pub const IO_URING: &str = "io_uring";

/// The driver a run used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    /// `io_uring`, `epoll`, `kqueue`, `iocp` or `blocking`.
    pub name: String,
    /// Why this is not the driver the contestant prefers, when it is not: set by a contestant
    /// that fell back (compio on epoll when io_uring is refused), with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

impl Driver {
    /// The driver `name`, which is the one the contestant wants.
    pub fn preferred(name: &str) -> Driver {
        Driver {
            name: name.to_owned(),
            fallback: None,
        }
    }

    /// The driver `name`, used because the preferred one could not be, for `why`.
    pub fn fallback(name: &str, why: impl Into<String>) -> Driver {
        Driver {
            name: name.to_owned(),
            fallback: Some(why.into()),
        }
    }
}

impl std::fmt::Display for Driver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fallback {
            None => f.write_str(&self.name),
            Some(why) => write!(f, "{} (fallback: {why})", self.name),
        }
    }
}
