//! The machine a report ran on (CPU, cores, memory, OS, compiler, commit, date, allocator)
//! and what ran on it: the first line of `results.jsonl`, and the line above every table.

use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::Serialize;
use shootout_core::knobs::available_threads;

use crate::suite::{Size, Step};

/// The machine a report ran on, and what ran: the first record of `results.jsonl`.
#[derive(Clone, Debug, Serialize)]
pub struct Machine {
    /// Always `machine`.
    pub kind: &'static str,
    /// The CPU's model name.
    pub cpu: String,
    /// Cores this process may use.
    pub cores: usize,
    /// Total memory, in GiB.
    pub memory_gib: f64,
    /// The OS and its kernel.
    pub os: String,
    /// The compiler that built this binary.
    pub rustc: &'static str,
    /// The project's git commit (`-dirty` with uncommitted changes).
    pub commit: String,
    /// When the report started, UTC.
    pub date: String,
    /// The allocator every contestant used.
    pub allocator: &'static str,
    /// The suite's size.
    pub suite: Size,
    /// Runs per entry.
    pub runs: usize,
    /// The command that made the report.
    pub command: String,
    /// Every step and its knobs.
    pub steps: Vec<Step>,
}

impl Machine {
    /// This machine, now.
    pub fn here(suite: Size, runs: usize, command: String, steps: Vec<Step>) -> Machine {
        Machine {
            kind: "machine",
            cpu: cpu_model(),
            cores: available_threads(),
            memory_gib: memory_gib(),
            os: os(),
            rustc: shootout_lab::build::RUSTC,
            commit: git_commit(),
            date: utc_now(),
            allocator: shootout_lab::alloc::NAME,
            suite,
            runs,
            command,
            steps,
        }
    }

    /// One line for people: `Intel Xeon … · 2 cores · 23.4 GiB · Debian … · rustc 1.95.0 ·
    /// commit abc123 · 2026-11-28 03:10 UTC`.
    pub fn line(&self) -> String {
        format!(
            "{} · {} core(s) · {:.1} GiB · {} · {} · commit {} · {} · {} allocator",
            self.cpu,
            self.cores,
            self.memory_gib,
            self.os,
            self.rustc,
            self.commit,
            self.date,
            self.allocator
        )
    }
}

fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, v)| v.trim().to_owned())
        })
        .unwrap_or_else(|| std::env::consts::ARCH.to_owned())
}

fn memory_gib() -> f64 {
    std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
            let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
            Some(kib / (1024.0 * 1024.0))
        })
        .unwrap_or(0.0)
}

fn os() -> String {
    let name = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|r| {
            r.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|v| v.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| std::env::consts::OS.to_owned());
    match std::fs::read_to_string("/proc/sys/kernel/osrelease") {
        Ok(kernel) => format!("{name}, kernel {}", kernel.trim()),
        Err(_) => name,
    }
}

/// The checkout's commit, from git (the binary may be older than the checkout, but `just
/// results` builds it first).
fn git_commit() -> String {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
    };
    match git(&["rev-parse", "--short=10", "HEAD"]) {
        Some(commit) => {
            let dirty = git(&["status", "--porcelain", "--untracked-files=no"])
                .is_some_and(|s| !s.is_empty());
            if dirty {
                format!("{commit}-dirty")
            } else {
                commit
            }
        }
        None => "unknown (not a git checkout)".to_owned(),
    }
}

/// Now, as `2026-11-28 03:10 UTC`.
fn utc_now() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Howard Hinnant's civil_from_days.
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02} UTC",
        rest / 3600,
        rest % 3600 / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_civil() {
        let d = utc_now();
        assert!(d.starts_with("20") && d.ends_with(" UTC"), "{d}");
        assert_eq!(d.len(), "2026-11-28 03:10 UTC".len());
    }
}
