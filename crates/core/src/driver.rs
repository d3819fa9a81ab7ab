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

use std::fmt;

use serde::{Deserialize, Serialize};

/// The kernel interface a run's I/O went through, by the name every row and JSON object gives
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Reactor {
    /// Linux's completion interface.
    #[serde(rename = "io_uring")]
    IoUring,
    /// Linux's readiness interface.
    #[serde(rename = "epoll")]
    Epoll,
    /// The BSDs' and macOS's readiness interface.
    #[serde(rename = "kqueue")]
    Kqueue,
    /// Windows' completion ports.
    #[serde(rename = "iocp")]
    Iocp,
    /// `poll(2)`, where nothing better is there (a Python `selectors` fallback).
    #[serde(rename = "poll")]
    Poll,
    /// `select(2)`, likewise.
    #[serde(rename = "select")]
    Select,
    /// Threads blocked in their own system calls: no reactor.
    #[serde(rename = "blocking")]
    Blocking,
    /// No driver could be set up here (the contestant cannot run on this machine).
    #[serde(rename = "none")]
    None,
}

impl Reactor {
    /// The name rows and JSON give it: `io_uring`, `epoll`, `blocking`, …
    pub fn name(self) -> &'static str {
        match self {
            Reactor::IoUring => "io_uring",
            Reactor::Epoll => "epoll",
            Reactor::Kqueue => "kqueue",
            Reactor::Iocp => "iocp",
            Reactor::Poll => "poll",
            Reactor::Select => "select",
            Reactor::Blocking => "blocking",
            Reactor::None => "none",
        }
    }
}

impl fmt::Display for Reactor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The readiness reactor of this operating system: what mio (tokio), polling (smol,
/// async-std) and Python's `selectors` use here.
pub const READINESS: Reactor = if cfg!(any(target_os = "linux", target_os = "android")) {
    Reactor::Epoll
} else if cfg!(windows) {
    Reactor::Iocp
} else {
    Reactor::Kqueue
};

/// Threads blocked in their own system calls: no reactor.
pub const BLOCKING: Reactor = Reactor::Blocking;

/// The completion reactor of Linux.
pub const IO_URING: Reactor = Reactor::IoUring;

/// The driver a run used.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Driver {
    /// `io_uring`, `epoll`, `kqueue`, `iocp` or `blocking`.
    pub name: Reactor,
    /// Why this is not the driver the contestant prefers, when it is not: set by a contestant
    /// that fell back (compio on epoll when io_uring is refused), with the reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
}

impl Driver {
    /// The driver `name`, which is the one the contestant wants.
    pub fn preferred(name: Reactor) -> Driver {
        Driver {
            name,
            fallback: None,
        }
    }

    /// The driver `name`, used because the preferred one could not be, for `why`.
    pub fn fallback(name: Reactor, why: impl Into<String>) -> Driver {
        Driver {
            name,
            fallback: Some(why.into()),
        }
    }
}

impl fmt::Display for Driver {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.fallback {
            None => write!(f, "{}", self.name),
            Some(why) => write!(f, "{} (fallback: {why})", self.name),
        }
    }
}
