//! CPU time and peak memory of the current process.
//!
//! CPU time comes from `getrusage(RUSAGE_SELF)`. Peak memory comes from `VmHWM` in
//! `/proc/self/status` on Linux, not from `ru_maxrss`: Linux carries `ru_maxrss` over from the
//! parent through `fork` and `exec`, so a child of a big parent would report the parent's peak.
//! `VmHWM` belongs to the process's own address space, which `exec` replaces. (We measured the
//! difference: 2.1 GiB reported by `ru_maxrss` for a child whose real peak was 60 MiB.)
//!
//! Both numbers are process-wide: they include every thread, which is why the harness runs
//! each contestant in a child process of its own (see docs/methodology.md).

use std::time::Duration;

/// A snapshot of this process's resource usage.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Usage {
    /// User plus system CPU time of all threads so far.
    pub cpu: Duration,
    /// The peak resident set size so far, in bytes.
    pub peak_rss: u64,
}

impl Usage {
    /// Reads the current usage. On a platform without `getrusage` this is all zeros.
    pub fn now() -> Usage {
        #[cfg(unix)]
        {
            // SAFETY: getrusage only writes into the struct we hand it, and a zeroed rusage
            // is a valid value of that plain C struct.
            let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
            if rc != 0 {
                return Usage::default();
            }
            let tv = |t: libc::timeval| {
                Duration::new(
                    u64::try_from(t.tv_sec).unwrap_or(0),
                    u32::try_from(t.tv_usec).unwrap_or(0) * 1_000,
                )
            };
            // Linux reports ru_maxrss in KiB; macOS in bytes.
            let unit: u64 = if cfg!(target_os = "macos") { 1 } else { 1024 };
            Usage {
                cpu: tv(ru.ru_utime) + tv(ru.ru_stime),
                peak_rss: own_peak_rss().unwrap_or(u64::try_from(ru.ru_maxrss).unwrap_or(0) * unit),
            }
        }
        #[cfg(not(unix))]
        {
            Usage::default()
        }
    }
}

/// The peak resident set of this address space (`VmHWM`), in bytes, where the OS reports it.
fn own_peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(unix)]
    fn cpu_time_grows_with_work() {
        let before = Usage::now();
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        let after = Usage::now();
        assert!(after.cpu > before.cpu);
        assert!(after.peak_rss > 0);
    }
}
