//! compio with io_uring turned off machine-wide (`sysctl kernel.io_uring_disabled=2`): it runs
//! on its epoll fallback, and the row says why once, naming the sysctl, not a missing opcode.
//!
//! It flips a machine-wide setting, so it is a test binary of its own with one test: `cargo
//! test` runs test binaries one after another, so nothing else runs while it is flipped (run
//! it alone under a runner that mixes binaries, such as nextest). The setting is restored
//! when the test ends, failed or not. Where it cannot be set (not root, a read-only /proc/sys,
//! not Linux), the test says so and passes.

use std::io::Write as _;
use std::process::Command;

const SYSCTL: &str = "/proc/sys/kernel/io_uring_disabled";

/// Puts the sysctl back as it was, however the test ends.
struct Restore(String);

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(SYSCTL, &self.0);
    }
}

#[test]
fn the_sysctl_is_named_as_the_cause_once() {
    let Ok(before) = std::fs::read_to_string(SYSCTL) else {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: skipped: no {SYSCTL} (not Linux, or a kernel before 6.6)"
        );
        return;
    };
    if let Err(e) = std::fs::write(SYSCTL, "2") {
        let _ = writeln!(
            std::io::stderr().lock(),
            "note: skipped: cannot set {SYSCTL} ({e}): it needs root and a writable /proc/sys"
        );
        return;
    }
    let _restore = Restore(before.trim().to_owned());
    let run = |json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_shootout"));
        c.args(["run", "download", "-n", "4", "-l", "1", "--budget-ms", "1"])
            .args(["--contestants", "compio"]);
        if json {
            c.arg("--json");
        }
        let out = c.output().expect("the binary runs");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let row: serde_json::Value = serde_json::from_str(run(true).trim()).expect("one JSON row");
    assert_eq!(row["driver"], "epoll", "{row}");
    let why = row["driver_fallback"].as_str().unwrap_or_default();
    assert!(
        why.starts_with("kernel.io_uring_disabled = 2"),
        "the sysctl is the cause: {why}"
    );
    assert!(!why.contains("opcode"), "no opcode is blamed: {why}");
    let table = run(false);
    let notes: Vec<&str> = table
        .lines()
        .filter(|l| l.contains("fallback driver"))
        .collect();
    assert_eq!(notes.len(), 1, "said once: {table}");
    assert_eq!(
        notes[0].matches("io_uring_disabled").count(),
        1,
        "{}",
        notes[0]
    );
}
