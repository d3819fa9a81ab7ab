//! Supervising a measured child process: feeding its stdin, draining its pipes, killing it on
//! Ctrl-C or when it hangs, and saying why it failed. Rust children ([`super::child`]) and
//! Python ones (`crate::python`) both run through [`supervise`].

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};

/// Set when the user asks to stop (Ctrl-C; see [`stop_on_ctrl_c`]): the child in progress is
/// killed and callers keep the runs that finished.
pub static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// Makes Ctrl-C (SIGINT) set [`INTERRUPTED`] instead of ending the process at once, so a
/// command can print what it finished. A second Ctrl-C is handled the same way; the command
/// stops at its next check. A no-op outside Unix.
pub fn stop_on_ctrl_c() {
    #[cfg(unix)]
    {
        extern "C" fn on_sigint(_: libc::c_int) {
            INTERRUPTED.store(true, Ordering::SeqCst);
        }
        let handler: extern "C" fn(libc::c_int) = on_sigint;
        // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
        unsafe {
            libc::signal(libc::SIGINT, handler as libc::sighandler_t);
        }
    }
}

/// Runs `command` as a measured child: writes `stdin` to it (if any), calls `tick` while it
/// runs, kills it on Ctrl-C ([`INTERRUPTED`]) or after `limit`, and returns its stdout. A
/// child that fails is an error naming why: its panic, or the last line of its stderr (for a
/// Python child, the traceback's last line).
pub fn supervise(
    mut command: Command,
    stdin: Option<Vec<u8>>,
    limit: Duration,
    mut tick: impl FnMut(),
) -> anyhow::Result<Vec<u8>> {
    let mut child = command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {:?}", command.get_program()))?;
    // Write stdin on its own thread, and drain both pipes on theirs, so neither side ever
    // blocks on a full pipe.
    let feeder = stdin.map(|bytes| {
        let pipe = child.stdin.take();
        std::thread::spawn(move || {
            if let Some(mut p) = pipe {
                // A child that exits early closes its end; its exit status says why.
                let _ = p.write_all(&bytes);
            }
        })
    });
    let out = drain(child.stdout.take());
    let err = drain(child.stderr.take());
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break status;
        }
        if INTERRUPTED.load(Ordering::SeqCst) {
            let _ = child.kill();
            let _ = child.wait();
            bail!("interrupted");
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            bail!("hung: no result after {:.0} s, killed", limit.as_secs_f64());
        }
        tick();
        std::thread::sleep(Duration::from_millis(20));
    };
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stdout = out.join().unwrap_or_default();
    let stderr = err.join().unwrap_or_default();
    if !status.success() {
        bail!(
            "crashed ({status}): {}",
            crash_cause(&String::from_utf8_lossy(&stderr))
        );
    }
    Ok(stdout)
}

/// The line of a crashed child's stderr that says why: a panic's location and message (not
/// the "run with RUST_BACKTRACE=1" note after it), or else the last line that is not a note.
pub fn crash_cause(stderr: &str) -> String {
    let lines: Vec<&str> = stderr.lines().map(str::trim).collect();
    if let Some(i) = lines.iter().position(|l| l.contains(" panicked at ")) {
        let at = &lines[i][lines[i].find("panicked at").unwrap_or(0)..];
        let message = lines.get(i + 1).copied().unwrap_or("");
        return format!("{} {message}", at.trim_end_matches(':'))
            .trim()
            .to_owned();
    }
    lines
        .iter()
        .rev()
        .find(|l| !l.is_empty() && !l.starts_with("note: "))
        .map_or_else(|| "no message".to_owned(), |l| (*l).to_owned())
}

/// Reads a child's pipe to the end on a thread of its own.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut p) = pipe {
            let _ = p.read_to_end(&mut buf);
        }
        buf
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_crash_is_reported_by_its_panic_not_the_backtrace_note() {
        let stderr = "thread 'main' panicked at crates/x/src/lib.rs:10:5:\n\
                      index out of bounds: the len is 0 but the index is 3\n\
                      note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace\n";
        assert_eq!(
            crash_cause(stderr),
            "panicked at crates/x/src/lib.rs:10:5 index out of bounds: the len is 0 but the index is 3"
        );
        assert_eq!(
            crash_cause("error: out of memory\n\n"),
            "error: out of memory"
        );
        assert_eq!(crash_cause(""), "no message");
    }
}
