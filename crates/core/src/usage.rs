//! CPU time and peak memory of the current process, and of a server beside it.
//!
//! The /proc readings (a listener's process, another process's CPU, this one's `VmHWM`) go
//! through the `procfs` crate. `getrusage` and the CPU affinity calls stay `libc`, each with
//! its `SAFETY` note: procfs reads files, and those are system calls with no file behind them.
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
        let usage = Usage::of(Who::Myself);
        Usage {
            peak_rss: own_peak_rss().unwrap_or(usage.peak_rss),
            ..usage
        }
    }

    /// The usage of this process's children that have ended and been waited for (and of
    /// their own waited-for children): their CPU time summed, and the largest one's peak
    /// resident set. All zeros where `getrusage` is missing.
    pub fn children() -> Usage {
        Usage::of(Who::Children)
    }

    /// `getrusage` for `who`, or zeros.
    fn of(who: Who) -> Usage {
        #[cfg(unix)]
        {
            let who = match who {
                Who::Myself => libc::RUSAGE_SELF,
                Who::Children => libc::RUSAGE_CHILDREN,
            };
            // SAFETY: getrusage only writes into the struct we hand it, and a zeroed rusage
            // is a valid value of that plain C struct.
            let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
            let rc = unsafe { libc::getrusage(who, &mut ru) };
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
                peak_rss: u64::try_from(ru.ru_maxrss).unwrap_or(0) * unit,
            }
        }
        #[cfg(not(unix))]
        {
            let _ = who;
            Usage::default()
        }
    }
}

/// Whose usage `getrusage` reports.
#[derive(Clone, Copy)]
enum Who {
    Myself,
    Children,
}

/// The CPUs this thread may run on (Linux), or `None` where that cannot be asked.
pub fn allowed_cpus() -> Option<Vec<usize>> {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: cpu_set_t is a plain bit set; zeroed is the empty set, and
        // sched_getaffinity only writes into the set we pass, of the size we pass.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        let rc =
            unsafe { libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) };
        if rc != 0 {
            return None;
        }
        let count = libc::CPU_SETSIZE as usize;
        // SAFETY: CPU_ISSET reads one bit of the set, for an index below CPU_SETSIZE.
        Some(
            (0..count)
                .filter(|&c| unsafe { libc::CPU_ISSET(c, &set) })
                .collect(),
        )
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
}

/// Pins the calling thread to one CPU (Linux); returns whether that worked.
///
/// Used to measure the single-core reference on every core and keep the fastest: on a shared
/// VM one core can run markedly slower than another (we saw 1.6× between the two vCPUs of
/// the results machine), and a reference taken on the slow one would put the ideal too high.
pub fn pin_to_cpu(cpu: usize) -> bool {
    #[cfg(target_os = "linux")]
    {
        // SAFETY: as in `allowed_cpus`; CPU_SET writes one bit below CPU_SETSIZE.
        let mut set: libc::cpu_set_t = unsafe { std::mem::zeroed() };
        if cpu >= libc::CPU_SETSIZE as usize {
            return false;
        }
        unsafe { libc::CPU_SET(cpu, &mut set) };
        unsafe { libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0 }
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = cpu;
        false
    }
}

/// Every process on this machine that holds the socket listening on TCP `port` (IPv4 or
/// IPv6), found through the socket tables and the socket links of every process, read with
/// `procfs` (Linux). A server that forks its workers (nginx: a master and its workers, which
/// all hold the listening socket) is every one of them. `None` when no listener is found or
/// its holders cannot be read (another user's processes; elsewhere than Linux).
///
/// `shootout crawl` uses it to report the CPU time of a server on the same machine beside its
/// own: on a small machine the two share the cores, so the crawl's wall time holds both.
pub fn listening_processes(port: u16) -> Option<Vec<u32>> {
    #[cfg(target_os = "linux")]
    {
        use procfs::net::TcpState;
        use procfs::process::FDTarget;
        let tables = [procfs::net::tcp(), procfs::net::tcp6()];
        let inode = tables.into_iter().flatten().flatten().find_map(|entry| {
            (entry.local_address.port() == port && entry.state == TcpState::Listen)
                .then_some(entry.inode)
        })?;
        let holders: Vec<u32> = procfs::process::all_processes()
            .ok()?
            .flatten()
            .filter_map(|process| {
                let holds = process
                    .fd()
                    .ok()?
                    .flatten()
                    .any(|fd| matches!(fd.target, FDTarget::Socket(i) if i == inode));
                holds.then(|| u32::try_from(process.pid).ok()).flatten()
            })
            .collect();
        (!holders.is_empty()).then_some(holders)
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = port;
        None
    }
}

/// The user plus system CPU time process `pid` has used so far (Linux, from its `stat`, in
/// clock ticks of usually 10 ms), or `None`.
pub fn process_cpu(pid: u32) -> Option<Duration> {
    #[cfg(target_os = "linux")]
    {
        let stat = procfs::process::Process::new(i32::try_from(pid).ok()?)
            .ok()?
            .stat()
            .ok()?;
        let per_sec = procfs::ticks_per_second().max(1);
        Some(Duration::from_nanos(
            (stat.utime + stat.stime).saturating_mul(1_000_000_000) / per_sec,
        ))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = pid;
        None
    }
}

/// The resolution of [`process_cpu`]: one clock tick (usually 10 ms). A reading of zero means
/// less than this, not nothing.
pub fn process_cpu_tick() -> Duration {
    #[cfg(target_os = "linux")]
    {
        Duration::from_nanos(1_000_000_000 / procfs::ticks_per_second().max(1))
    }
    #[cfg(not(target_os = "linux"))]
    {
        Duration::from_millis(10)
    }
}

/// The peak resident set of this address space (`VmHWM`), in bytes, where the OS reports it.
fn own_peak_rss() -> Option<u64> {
    #[cfg(target_os = "linux")]
    {
        let kib = procfs::process::Process::myself()
            .ok()?
            .status()
            .ok()?
            .vmhwm?;
        Some(kib * 1024)
    }
    #[cfg(not(target_os = "linux"))]
    {
        None
    }
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

    #[test]
    #[cfg(target_os = "linux")]
    fn the_listener_of_a_port_is_found_and_its_cpu_read() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        assert_eq!(listening_processes(port), Some(vec![std::process::id()]));
        let mine = process_cpu(std::process::id()).expect("own stat");
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(60) {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(7));
        }
        assert!(process_cpu(std::process::id()).expect("own stat") > mine);
        drop(listener);
        assert_eq!(listening_processes(port), None);
    }

    /// A server that forks workers (nginx's master and workers all hold the listening socket)
    /// is every process that holds it, not the first one found.
    #[test]
    #[cfg(target_os = "linux")]
    fn every_process_holding_the_listener_is_found() {
        use std::os::fd::AsRawFd;
        use std::os::unix::process::CommandExt;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("addr").port();
        let fd = listener.as_raw_fd();
        let mut worker = std::process::Command::new("sleep");
        worker.arg("5");
        // SAFETY: between fork and exec the closure only calls fcntl, which is
        // async-signal-safe, on a descriptor this process owns.
        unsafe {
            worker.pre_exec(move || {
                // Keep the listener open across exec, as a forked worker has it.
                if libc::fcntl(fd, libc::F_SETFD, 0) == -1 {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let mut worker = worker.spawn().expect("a worker starts");
        let mut holders = listening_processes(port).unwrap_or_default();
        holders.sort_unstable();
        let mut want = vec![std::process::id(), worker.id()];
        want.sort_unstable();
        let _ = worker.kill();
        let _ = worker.wait();
        assert_eq!(holders, want);
    }

    #[test]
    #[cfg(unix)]
    fn a_waited_for_childs_cpu_counts_as_the_childrens() {
        let before = Usage::children();
        let status = std::process::Command::new("sh")
            .args(["-c", "i=0; while [ $i -lt 300000 ]; do i=$((i+1)); done"])
            .status()
            .expect("sh runs");
        assert!(status.success());
        let after = Usage::children();
        assert!(after.cpu > before.cpu, "{before:?} -> {after:?}");
        assert!(after.peak_rss > 0);
    }
}
