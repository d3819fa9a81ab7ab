//! Which driver the cores run on: io_uring if the kernel lets us, else the poll driver (epoll),
//! said out loud, never silently.
//!
//! compio built with both drivers would pick one by itself and, if io_uring fails, fall back
//! with only a log line. Here the choice is made, and named, before any core starts:
//!
//! 1. [`DRIVER_ENV`] can force the fallback (`poll`) or forbid it (`io_uring`);
//! 2. otherwise a ring is set up and dropped, with a probe that the opcodes the HTTP engine
//!    uses (connect, recv, send, cancel) and a file read uses (openat, read, close) are all in
//!    this kernel, so that none of them quietly runs on compio's thread pool instead;
//! 3. if that fails, the reason is named from what the kernel says: the
//!    `kernel.io_uring_disabled` sysctl, a seccomp filter (Docker's default profile refuses
//!    `io_uring_setup`), `RLIMIT_MEMLOCK` (older kernels charge the ring to it), a kernel
//!    without io_uring, or an opcode it lacks.
//!
//! Every core then builds its runtime with that driver forced, and reports back the driver
//! its runtime says it has ([`compio::runtime::Runtime::driver_type`]), which is what every
//! row shows.

use std::io;

use compio::driver::op::OpCodeFlag;
use compio::driver::{DriverType, ProactorBuilder};
use shootout_core::Driver;
use shootout_core::driver::Reactor;
use shootout_core::driver::{IO_URING, READINESS};

/// The environment variable that chooses the driver: unset (or `auto`) tries io_uring and
/// falls back to the poll driver with a note; `poll` forces the fallback (for tests, and to
/// compare the two on one machine); `io_uring` refuses to run without it.
pub const DRIVER_ENV: &str = "SHOOTOUT_COMPIO_DRIVER";

/// What [`DRIVER_ENV`] asks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ask {
    Auto,
    IoUring,
    Poll,
}

fn asked() -> Result<Ask, String> {
    match std::env::var(DRIVER_ENV).as_deref() {
        Err(_) | Ok("" | "auto") => Ok(Ask::Auto),
        Ok("io_uring" | "io-uring") => Ok(Ask::IoUring),
        Ok("poll" | "epoll") => Ok(Ask::Poll),
        Ok(other) => Err(format!(
            "{DRIVER_ENV}={other} is not a driver (expected auto, io_uring or poll)"
        )),
    }
}

/// The driver the cores will be built with, and why it is not io_uring when it is not.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// The driver type every core's runtime is forced to.
    pub driver_type: DriverType,
    /// Why this is the fallback, if it is.
    pub fallback: Option<String>,
    /// Whether a fallback is refused ([`DRIVER_ENV`]`=io_uring`).
    pub required: bool,
    /// Whether the ring takes the single-thread flags of [`tune`] (Linux 6.1 and later).
    pub tuned: bool,
}

impl Plan {
    /// The plan for this machine and environment, or a one-line error: a bad [`DRIVER_ENV`],
    /// or io_uring refused when it was required.
    pub fn here() -> Result<Plan, String> {
        let ask = asked()?;
        if ask == Ask::Poll {
            return Ok(Plan::fallback(format!("{DRIVER_ENV}=poll forced it")));
        }
        match probe() {
            Ok(tuned) => Ok(Plan {
                driver_type: DriverType::IoUring,
                fallback: None,
                required: ask == Ask::IoUring,
                tuned,
            }),
            Err(why) if ask == Ask::IoUring => Err(refused(&why)),
            Err(why) => Ok(Plan::fallback(why)),
        }
    }

    /// The poll driver, for `why`.
    pub fn fallback(why: String) -> Plan {
        Plan {
            driver_type: DriverType::Poll,
            fallback: Some(why),
            required: false,
            tuned: false,
        }
    }

    /// A proactor builder forced to this plan's driver.
    pub fn builder(&self) -> ProactorBuilder {
        let mut b = ProactorBuilder::new();
        b.driver_type(self.driver_type);
        if self.driver_type == DriverType::IoUring {
            b.detect_opcode_support(needed());
            if self.tuned {
                tune(&mut b);
            }
        }
        b
    }
}

/// The error when io_uring was required and refused.
pub fn refused(why: &str) -> String {
    format!("io_uring was required ({DRIVER_ENV}=io_uring) and is refused: {why}")
}

/// The driver a runtime reports, as every row names it.
pub fn named(driver_type: DriverType, fallback: Option<String>) -> Driver {
    let name = match driver_type {
        DriverType::IoUring => IO_URING,
        // compio's poll driver is the `polling` crate: epoll on Linux.
        DriverType::Poll => READINESS,
        DriverType::IOCP => Reactor::Iocp,
    };
    Driver { name, fallback }
}

/// The ring set up for one thread, as io_uring's own advice for a single-threaded ring has
/// it: only this thread submits (`SINGLE_ISSUER`), and completions are handled when it asks
/// for them (`DEFER_TASKRUN`, `COOP_TASKRUN`) rather than by interrupting it. On this lab's
/// download at L = 0 that took about a tenth off the wall time (docs/results.md). Kernels
/// before 6.1 refuse the flags; then the ring is set up without them.
fn tune(b: &mut ProactorBuilder) {
    b.coop_taskrun(true)
        .taskrun_flag(true)
        .single_issuer(true)
        .defer_taskrun(true);
}

/// The opcodes the HTTP engine's I/O and the `files` scenario's reads use. Any one missing
/// would run on compio's thread pool, a blocking call on a thread, which is not what a row
/// saying io_uring means. (`statx`, the fourth step of a file read, has no flag to probe in
/// compio; it came to io_uring in Linux 5.6 with `openat` and `close`, which are probed.)
fn needed() -> OpCodeFlag {
    OpCodeFlag::Connect
        | OpCodeFlag::Recv
        | OpCodeFlag::Send
        | OpCodeFlag::AsyncCancel
        | OpCodeFlag::OpenAt
        | OpCodeFlag::Read
        | OpCodeFlag::Close
}

/// Sets up (and drops) a ring the way a core will, or says why it cannot be. `Ok(true)` if
/// the ring takes the single-thread flags ([`tune`]), `Ok(false)` if only a plain one.
fn probe() -> Result<bool, String> {
    let ring = |tuned: bool| {
        let mut b = ProactorBuilder::new();
        b.driver_type(DriverType::IoUring)
            .detect_opcode_support(needed())
            .capacity(8);
        if tuned {
            tune(&mut b);
        }
        b.build().map(drop)
    };
    match ring(true) {
        Ok(()) => Ok(true),
        Err(_) => ring(false).map(|()| false).map_err(|e| {
            // compio reports a ring it could not set up at all as an unsupported opcode (its
            // opcode probe runs first): set up a bare ring to tell the two apart, so a missing
            // opcode is named only when that is what happened.
            let bare = ProactorBuilder::new()
                .driver_type(DriverType::IoUring)
                .capacity(8)
                .build()
                .map(drop);
            match bare {
                Err(setup) if e.kind() == io::ErrorKind::Unsupported => {
                    explain(&setup, &Readings::here())
                }
                _ => explain(&e, &Readings::here()),
            }
        }),
    }
}

/// What the machine says about io_uring, read only when setting one up failed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Readings {
    /// `kernel.io_uring_disabled`: 0 allowed, 1 only for `kernel.io_uring_group`, 2 off.
    pub io_uring_disabled: Option<u8>,
    /// The `Seccomp:` mode of this process: 0 none, 1 strict, 2 filter.
    pub seccomp: Option<u8>,
    /// `RLIMIT_MEMLOCK`'s soft limit, in bytes.
    pub memlock: Option<u64>,
    /// `uname -r`.
    pub kernel: Option<String>,
    /// Whether this looks like a container (`/.dockerenv`, or a container's cgroup).
    pub container: bool,
}

impl Readings {
    /// Reads them from this machine.
    pub fn here() -> Readings {
        let read = |path: &str| std::fs::read_to_string(path).ok();
        let seccomp = read("/proc/self/status").and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("Seccomp:"))
                .and_then(|v| v.trim().parse().ok())
        });
        let cgroup = read("/proc/1/cgroup").unwrap_or_default();
        Readings {
            io_uring_disabled: read("/proc/sys/kernel/io_uring_disabled")
                .and_then(|v| v.trim().parse().ok()),
            seccomp,
            memlock: memlock(),
            kernel: read("/proc/sys/kernel/osrelease").map(|v| v.trim().to_owned()),
            container: std::path::Path::new("/.dockerenv").exists()
                || ["docker", "containerd", "kubepods", "lxc"]
                    .iter()
                    .any(|c| cgroup.contains(c)),
        }
    }
}

/// `RLIMIT_MEMLOCK`'s soft limit, in bytes (`None` for unlimited or unknown).
fn memlock() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit only writes the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_MEMLOCK, &mut limit) } == 0;
    (ok && limit.rlim_cur != libc::RLIM_INFINITY).then_some(limit.rlim_cur)
}

/// Why setting up io_uring failed with `e`, in one line, from what `readings` say, ending with
/// the kernel's own words once. The sysctl is asked first: with it off, every error is its
/// doing, whatever form it takes.
pub fn explain(e: &io::Error, readings: &Readings) -> String {
    let kernel = readings.kernel.as_deref().unwrap_or("this kernel");
    let refused = matches!(
        e.raw_os_error(),
        Some(libc::EPERM | libc::EACCES | libc::ENOSYS)
    );
    let cause = match (readings.io_uring_disabled, readings.seccomp) {
        (Some(2), _) => "kernel.io_uring_disabled = 2: io_uring is off for every process".into(),
        (Some(1), _) if refused => {
            "kernel.io_uring_disabled = 1: only members of kernel.io_uring_group may use it".into()
        }
        (_, Some(s)) if s > 0 && refused => format!(
            "a seccomp filter refuses io_uring_setup{}",
            if readings.container {
                " (this is a container: Docker's default profile does; run with \
                 --security-opt seccomp=unconfined, or a profile that allows io_uring)"
            } else {
                ""
            }
        ),
        _ => match e.raw_os_error() {
            Some(libc::EPERM | libc::EACCES) => {
                "the kernel refused io_uring_setup to this process".into()
            }
            Some(libc::ENOSYS) => {
                format!("{kernel} has no io_uring_setup (io_uring needs Linux 5.1)")
            }
            Some(libc::ENOMEM) => match readings.memlock {
                Some(bytes) => format!(
                    "no memory for the ring: RLIMIT_MEMLOCK is {} KiB, and kernels before 5.12 \
                     charge the ring to it (raise it: ulimit -l)",
                    bytes / 1024
                ),
                None => "no memory for the ring".into(),
            },
            // The kernel's words say which opcode: they close the line, once.
            _ if e.kind() == io::ErrorKind::Unsupported => {
                return format!("{kernel} lacks an opcode the HTTP engine needs: {e}");
            }
            _ => format!("io_uring setup failed on {kernel}"),
        },
    };
    format!("{cause} ({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_usual_refusal_is_named() {
        let err = |code| io::Error::from_raw_os_error(code);
        let sysctl = Readings {
            io_uring_disabled: Some(2),
            ..Readings::default()
        };
        assert!(explain(&err(libc::EPERM), &sysctl).starts_with("kernel.io_uring_disabled = 2"));
        let docker = Readings {
            io_uring_disabled: Some(0),
            seccomp: Some(2),
            container: true,
            ..Readings::default()
        };
        let why = explain(&err(libc::EPERM), &docker);
        assert!(why.contains("seccomp") && why.contains("Docker"), "{why}");
        let old = Readings {
            memlock: Some(64 * 1024),
            ..Readings::default()
        };
        let why = explain(&err(libc::ENOMEM), &old);
        assert!(why.contains("RLIMIT_MEMLOCK is 64 KiB"), "{why}");
        let ancient = Readings {
            kernel: Some("4.19.0".into()),
            ..Readings::default()
        };
        assert!(explain(&err(libc::ENOSYS), &ancient).starts_with("4.19.0 has no io_uring_setup"));
        // Every line ends with the kernel's own words.
        assert!(explain(&err(libc::EPERM), &sysctl).ends_with("(os error 1))"));
        // With the sysctl off, whatever form the error takes, the sysctl is the cause, named
        // once; an opcode is blamed only when nothing else explains the failure.
        let opcode = io::Error::new(io::ErrorKind::Unsupported, "no opcode 16");
        let why = explain(&opcode, &sysctl);
        assert!(why.starts_with("kernel.io_uring_disabled = 2"), "{why}");
        assert!(!why.contains("lacks"), "{why}");
        let why = explain(&opcode, &ancient);
        assert_eq!(
            why,
            "4.19.0 lacks an opcode the HTTP engine needs: no opcode 16"
        );
    }

    #[test]
    fn the_fallback_is_planned_with_its_reason() {
        let plan = Plan::fallback("because".into());
        assert_eq!(plan.driver_type, DriverType::Poll);
        assert_eq!(
            named(plan.driver_type, plan.fallback).to_string(),
            format!("{READINESS} (fallback: because)")
        );
        assert_eq!(
            named(DriverType::IoUring, None).to_string(),
            IO_URING.name()
        );
    }
}
