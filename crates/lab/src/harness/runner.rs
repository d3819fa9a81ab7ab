//! The one runner: it starts any contestant's process as its registry entry says
//! ([`Launch`]), hands it the job on stdin, reads its lines as they come, and supervises it.
//! A hang is killed at the limit; Ctrl-C (or a caller's reason, such as a deadline) is
//! forwarded as SIGINT; and whatever else the child does (crash, print garbage, stop half way
//! through a line, exit without its closing line) ends as one line that says what happened,
//! with every record it wrote before that kept ([`ChildRun`]).
//!
//! Each child runs in a process group of its own, so that a signal reaches the processes it
//! started too (a Python pool's workers): the terminal's Ctrl-C reaches only the parent, which
//! forwards it.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, OnceLock, mpsc};
use std::time::{Duration, Instant};

use shootout_core::PageRecord;
use shootout_core::job::{Done, Job, Line};

use crate::registry::{Contestant, Launch};
pub use crate::stderr::crash_cause;

/// What happened to a child: every record it wrote, and its closing line or why there is none.
#[derive(Debug)]
pub struct ChildRun {
    /// Every record of its first (or only) repetition, in the order written: kept whatever
    /// happened after.
    pub records: Vec<PageRecord>,
    /// The records of each later repetition, when it repeated the scenario.
    pub repeated: Vec<Vec<PageRecord>>,
    /// Its `done` line, or what went wrong.
    pub end: Result<Done, ChildError>,
}

/// Why a child gave no closing line. Each reads as one line after the contestant's name.
#[derive(Debug, thiserror::Error)]
pub enum ChildError {
    /// Its program could not be started (or is not ready: no interpreter, say).
    #[error("cannot start: {0}")]
    Start(String),
    /// It refused the job: exit status 2, with its reason.
    #[error("refused the job: {reason}")]
    Refused {
        /// The last line of its stderr: the protocol asks for exactly one.
        reason: String,
        /// How many lines its stderr held.
        lines: usize,
    },
    /// It exited with a failure status or was killed by a signal.
    #[error("crashed ({status}): {cause}")]
    Crashed {
        /// The exit status.
        status: String,
        /// The line of its stderr that says why.
        cause: String,
    },
    /// It ran past the limit and was killed.
    #[error("hung: no result after {0:.0} s, killed")]
    Hung(f64),
    /// It printed a line that is not one of the protocol's.
    #[error("printed a line that is not the protocol's ({why}), killed: {line}")]
    Garbage {
        /// The start of the line.
        line: String,
        /// What is wrong with it.
        why: String,
    },
    /// Its output ended part way through a line.
    #[error("stopped half way through a line: {0}")]
    HalfLine(String),
    /// It exited successfully without its closing `done` line.
    #[error("exited without its closing line")]
    NoDone,
    /// It was stopped (Ctrl-C, a deadline): the reason.
    #[error("stopped: {0}")]
    Stopped(String),
}

/// What the runner tells its caller about as the child runs.
pub enum Event<'a> {
    /// A line arrived.
    Line(&'a Line),
    /// Still running (about every 20 ms): a chance to show progress or stop it.
    Tick,
}

/// How long a stopped child has, after SIGINT, to end by itself (its last records still
/// arrive meanwhile) before it is killed.
const GRACE: Duration = Duration::from_secs(1);

/// How often the runner looks at the clock, Ctrl-C and its caller while lines flow or not.
const POLL: Duration = Duration::from_millis(20);

/// Runs `job` in `contestant`'s process. `on` sees every line and a tick about every 20 ms,
/// and may return a reason to stop the child. A child still running after `limit` is killed.
pub fn run(
    contestant: Contestant,
    job: &Job,
    limit: Duration,
    on: impl FnMut(Event<'_>) -> Option<String>,
) -> ChildRun {
    let command = match command(contestant.launch()) {
        Ok(c) => c,
        Err(why) => {
            return ChildRun {
                records: Vec::new(),
                repeated: Vec::new(),
                end: Err(ChildError::Start(why)),
            };
        }
    };
    supervise(command, job, limit, on)
}

/// The command that starts a process of `launch`.
pub fn command(launch: Launch) -> Result<Command, String> {
    match launch {
        Launch::ThisBinary => {
            let mut c = Command::new(binary()?);
            c.arg(super::child::CHILD_COMMAND);
            Ok(c)
        }
        Launch::PythonModule(module) => {
            let python = crate::python::interpreter().map_err(|e| format!("{e:#}"))?;
            Ok(crate::python::module(&python.path, module))
        }
        Launch::Command(words) => {
            let (program, args) = words.split_first().ok_or("an empty command")?;
            let mut c = Command::new(program);
            c.args(args).current_dir(crate::build::WORKSPACE);
            Ok(c)
        }
    }
}

/// The command that measures a job's single-core reference: `shootout __calibrate`, a child
/// like any contestant's, on the same job format.
pub fn calibration_command() -> Result<Command, String> {
    let mut c = Command::new(binary()?);
    c.arg(super::child::CALIBRATE_COMMAND);
    Ok(c)
}

static BINARY: OnceLock<PathBuf> = OnceLock::new();

/// Runs Rust contestants with the `shootout` binary at `path`. The command needs no call (its
/// own binary is the one); a test does, since its own binary is a test harness.
pub fn use_binary(path: impl Into<PathBuf>) {
    let _ = BINARY.set(path.into());
}

/// The `shootout` binary: set by [`use_binary`], or this process's own.
pub fn binary() -> Result<PathBuf, String> {
    match BINARY.get() {
        Some(p) => Ok(p.clone()),
        None => std::env::current_exe()
            .map_err(|e| format!("cannot find the shootout binary to re-invoke: {e}")),
    }
}

/// One thing the reader thread saw on the child's stdout.
enum Seen {
    Line(Line),
    Garbage(String, String),
    HalfLine(String),
    End,
}

/// Runs `command` as a child on the protocol, as [`run`] describes.
pub fn supervise(
    command: Command,
    job: &Job,
    limit: Duration,
    on: impl FnMut(Event<'_>) -> Option<String>,
) -> ChildRun {
    match serde_json::to_vec(job) {
        Ok(input) => supervise_input(command, input, limit, on),
        Err(e) => ChildRun {
            records: Vec::new(),
            repeated: Vec::new(),
            end: Err(ChildError::Start(format!("the job: {e}"))),
        },
    }
}

/// [`supervise`], with `input` on the child's stdin as it is: a job's JSON, or (in the
/// protocol's conformance test) something that is not one.
pub fn supervise_input(
    mut command: Command,
    input: Vec<u8>,
    limit: Duration,
    mut on: impl FnMut(Event<'_>) -> Option<String>,
) -> ChildRun {
    let records = Vec::new();
    let fail = |records, e| ChildRun {
        records,
        repeated: Vec::new(),
        end: Err(e),
    };
    command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => {
            let program = command.get_program().to_string_lossy().into_owned();
            return fail(records, ChildError::Start(format!("{program}: {e}")));
        }
    };
    // Write the job on a thread of its own and drain both pipes on theirs, so neither side
    // ever blocks on a full pipe.
    let feeder = child.stdin.take().map(|mut pipe| {
        std::thread::spawn(move || {
            // A child that exits early closes its end; its exit status says why.
            let _ = pipe.write_all(&input);
        })
    });
    let stderr = child
        .stderr
        .take()
        .map(|pipe| std::thread::spawn(|| tail(pipe)));
    let (tx, rx) = mpsc::channel();
    if let Some(pipe) = child.stdout.take() {
        std::thread::spawn(move || read_lines(pipe, &tx));
    }

    let start = Instant::now();
    let mut reading = Reading {
        records,
        repeated: Vec::new(),
        done: None,
        broken: None,
        stopped: None,
    };
    let mut polled = Instant::now();
    let mut ended = false;
    while reading.broken.is_none() && reading.stopped.is_none() {
        match rx.recv_timeout(POLL) {
            Ok(seen) => ended = reading.take(seen, &mut on),
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => ended = true,
        }
        // Its stdout closed, or it exited (what it started may still hold the pipe).
        if ended {
            break;
        }
        if polled.elapsed() >= POLL {
            polled = Instant::now();
            if interrupted() {
                reading.stopped = Some("interrupted (Ctrl-C)".into());
            } else if start.elapsed() > limit {
                reading.broken = Some(ChildError::Hung(limit.as_secs_f64()));
            } else if let Some(why) = on(Event::Tick) {
                reading.stopped = Some(why);
            } else if exited(&mut child) {
                break;
            }
        }
    }

    if reading.stopped.is_some() {
        // Forwarded, as a terminal's Ctrl-C would reach it; what it finishes in the grace
        // period still counts.
        signal_group(&mut child, Signal::Interrupt);
        let until = Instant::now() + GRACE;
        while let Some(left) = until.checked_duration_since(Instant::now()) {
            match rx.recv_timeout(left) {
                Ok(seen) => {
                    if reading.take(seen, &mut on) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
    }
    let status = if reading.stopped.is_some() || reading.broken.is_some() {
        signal_group(&mut child, Signal::Kill);
        child.wait().ok()
    } else {
        // A limit too long for the clock (`Duration::MAX`: a crawl has none) never comes.
        wait_until(&mut child, start.checked_add(limit))
    };
    // The child is gone, and so is what it left running: the lines still in the pipe arrive,
    // then the end of it.
    if reading.broken.is_none() && !ended {
        while let Ok(seen) = rx.recv_timeout(GRACE) {
            if reading.take(seen, &mut on) {
                break;
            }
        }
    }
    if let Some(f) = feeder {
        let _ = f.join();
    }
    let stderr = stderr.and_then(|t| t.join().ok()).unwrap_or_default();
    let Reading {
        records,
        repeated,
        done,
        broken,
        stopped,
    } = reading;
    let end = if let Some(why) = stopped {
        Err(ChildError::Stopped(why))
    } else if let Some(e) = broken {
        Err(e)
    } else {
        match status {
            None => Err(ChildError::Hung(limit.as_secs_f64())),
            Some(s) if s.code() == Some(2) => Err(ChildError::Refused {
                reason: crash_cause(&stderr),
                lines: stderr.trim().lines().count(),
            }),
            Some(s) if !s.success() => Err(ChildError::Crashed {
                status: s.to_string(),
                cause: crash_cause(&stderr),
            }),
            Some(_) => done.ok_or(ChildError::NoDone),
        }
    };
    ChildRun {
        records,
        repeated,
        end,
    }
}

/// What has been read of a child so far.
struct Reading {
    records: Vec<PageRecord>,
    repeated: Vec<Vec<PageRecord>>,
    done: Option<Done>,
    /// The protocol was broken (or the child hung): it is killed.
    broken: Option<ChildError>,
    /// Why it is being stopped, if it is (Ctrl-C, the caller).
    stopped: Option<String>,
}

impl Reading {
    /// Takes one thing seen on stdout; `true` at the end of it.
    fn take(&mut self, seen: Seen, on: &mut impl FnMut(Event<'_>) -> Option<String>) -> bool {
        match seen {
            Seen::Line(line) => {
                if let Some(why) = on(Event::Line(&line)) {
                    self.stopped.get_or_insert(why);
                }
                match line {
                    Line::Record(r) => match self.repeated.last_mut() {
                        Some(later) => later.push(r),
                        None => self.records.push(r),
                    },
                    Line::Repetition(_) => self.repeated.push(Vec::new()),
                    Line::Done(d) => self.done = Some(d),
                    Line::Admitted(_) => {}
                }
                false
            }
            Seen::Garbage(line, why) => {
                self.broken.get_or_insert(ChildError::Garbage { line, why });
                false
            }
            Seen::HalfLine(line) => {
                self.broken.get_or_insert(ChildError::HalfLine(line));
                false
            }
            Seen::End => true,
        }
    }
}

/// Waits for `child` to exit, killing it (and its group) at `deadline`; `None` if it had to.
/// A child that has closed its stdout is usually a millisecond from exiting: look again soon,
/// then less and less often, up to every [`POLL`]. Once it has exited, whatever it left
/// running in its group is killed before it is reaped (while its pid still names the group),
/// so no orphan can hold the pipes open and hang the parent.
fn wait_until(child: &mut Child, deadline: Option<Instant>) -> Option<ExitStatus> {
    let mut pause = Duration::from_micros(250);
    loop {
        if exited(child) {
            signal_group(child, Signal::Kill);
            return child.wait().ok();
        }
        if deadline.is_some_and(|d| Instant::now() >= d) {
            signal_group(child, Signal::Kill);
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(POLL);
    }
}

/// Whether `child` has exited, without reaping it (so its pid, and its group's, stay ours).
fn exited(child: &mut Child) -> bool {
    #[cfg(unix)]
    {
        let pid: libc::id_t = child.id();
        // SAFETY: waitid writes only into the siginfo_t we pass, which is zeroed first (a valid
        // value of that plain C struct); WNOWAIT leaves the child to be reaped by `wait`.
        let mut info: libc::siginfo_t = unsafe { std::mem::zeroed() };
        let rc = unsafe {
            libc::waitid(
                libc::P_PID,
                pid,
                &mut info,
                libc::WEXITED | libc::WNOHANG | libc::WNOWAIT,
            )
        };
        // SAFETY: si_pid is set by waitid when a child matched (and stays 0 otherwise).
        rc != 0 || unsafe { info.si_pid() } != 0
    }
    #[cfg(not(unix))]
    {
        !matches!(child.try_wait(), Ok(None))
    }
}

/// Reads the child's stdout line by line, each parsed into a protocol line on this thread.
fn read_lines(pipe: impl Read, tx: &mpsc::Sender<Seen>) {
    let mut reader = BufReader::with_capacity(64 * 1024, pipe);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let seen = match reader.read_until(b'\n', &mut buf) {
            Ok(0) | Err(_) => Seen::End,
            Ok(_) if buf.last() != Some(&b'\n') => Seen::HalfLine(start_of(&buf)),
            Ok(_) => match serde_json::from_slice::<Line>(&buf) {
                Ok(line) => Seen::Line(line),
                Err(e) => Seen::Garbage(start_of(&buf), e.to_string()),
            },
        };
        let end = matches!(seen, Seen::End);
        if tx.send(seen).is_err() || end {
            return;
        }
    }
}

/// The start of a line, as an error quotes it.
fn start_of(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_end();
    match text.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text.to_owned(),
    }
}

/// The last 64 KiB of a pipe: enough for any traceback, and a chatty child cannot fill the
/// parent's memory.
fn tail(mut pipe: impl Read) -> String {
    const KEEP: usize = 64 * 1024;
    let mut kept: Vec<u8> = Vec::new();
    let mut buf = [0; 8192];
    while let Ok(n) = pipe.read(&mut buf) {
        if n == 0 {
            break;
        }
        kept.extend_from_slice(&buf[..n]);
        if kept.len() > 2 * KEEP {
            kept.drain(..kept.len() - KEEP);
        }
    }
    String::from_utf8_lossy(&kept).into_owned()
}

#[derive(Clone, Copy)]
enum Signal {
    Interrupt,
    Kill,
}

/// Sends `signal` to `child`'s process group (the child and what it started).
fn signal_group(child: &mut Child, signal: Signal) {
    #[cfg(unix)]
    {
        let Ok(pid) = i32::try_from(child.id()) else {
            return;
        };
        let signal = match signal {
            Signal::Interrupt => libc::SIGINT,
            Signal::Kill => libc::SIGKILL,
        };
        // SAFETY: kill has no memory effects; the group is the child's own (process_group(0)
        // made its pid the group's id), and the child is not reaped yet, so the id is ours.
        unsafe {
            libc::kill(-pid, signal);
        }
    }
    #[cfg(not(unix))]
    {
        // No process groups and no SIGINT: the child itself is killed.
        if let Signal::Kill = signal {
            let _ = child.kill();
        }
    }
}

/// Set when the user asks to stop (Ctrl-C; see [`stop_on_ctrl_c`]).
static INTERRUPTED: LazyLock<Arc<AtomicBool>> = LazyLock::new(|| Arc::new(AtomicBool::new(false)));

/// Makes Ctrl-C (SIGINT) set a flag instead of ending the process at once, so a command can
/// forward it to the child in progress and print what it finished (signal-hook: sigaction,
/// with a handler that only stores to an atomic). A second Ctrl-C is handled the same way.
pub fn stop_on_ctrl_c() {
    #[cfg(unix)]
    {
        // Failing to register leaves Ctrl-C as it was: it ends the process, as users expect.
        let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, INTERRUPTED.clone());
    }
}

/// Whether Ctrl-C was pressed since [`stop_on_ctrl_c`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A child that is a shell script; it reads its job first, as a contestant does.
    #[cfg(unix)]
    fn sh(script: &str) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c").arg(format!("cat >/dev/null; {script}"));
        c
    }

    #[cfg(unix)]
    const RECORD: &str = r#"echo '{"record": {"url": "u", "status": null, "title": null, "links": 0, "size": 0, "error": null}}'"#;

    #[cfg(unix)]
    fn job() -> Job {
        Job::new(
            "x",
            shootout_core::Scenario::Sleep,
            shootout_core::Knobs::default(),
        )
    }

    #[cfg(unix)]
    fn child(script: &str, limit: Duration) -> ChildRun {
        supervise(sh(script), &job(), limit, |_| None)
    }

    /// Garbage, half a line, no closing line, a crash, a refusal: each ends as one line that
    /// says what happened, with the records written before kept.
    #[test]
    #[cfg(unix)]
    fn whatever_a_child_does_ends_in_one_line_and_keeps_its_records() {
        let second = Duration::from_secs(30);
        let run = child(&format!("{RECORD}; echo hello; {RECORD}"), second);
        assert!(
            matches!(&run.end, Err(ChildError::Garbage { line, .. }) if line == "hello"),
            "{run:?}"
        );
        assert_eq!(run.records.len(), 1);

        let run = child(&format!("{RECORD}; printf '{{\"record\": {{\"url'"), second);
        assert_eq!(
            run.end
                .as_ref()
                .map_err(ToString::to_string)
                .err()
                .as_deref(),
            Some("stopped half way through a line: {\"record\": {\"url")
        );
        assert_eq!(run.records.len(), 1);

        let run = child(RECORD, second);
        assert!(matches!(run.end, Err(ChildError::NoDone)), "{run:?}");
        assert_eq!(run.records.len(), 1);

        let run = child(
            "echo 'Traceback (most recent call last):' >&2; echo 'boom' >&2; exit 3",
            second,
        );
        assert_eq!(
            run.end.map_err(|e| e.to_string()).err().as_deref(),
            Some("crashed (exit status: 3): boom")
        );

        let run = child("echo 'error: malformed job: x' >&2; exit 2", second);
        assert_eq!(
            run.end.map_err(|e| e.to_string()).err().as_deref(),
            Some("refused the job: error: malformed job: x")
        );

        let done = r#"echo '{"done": {"wall_s": 0.5, "cpu_s": 0.25, "peak_rss": 1024}}'"#;
        let run = child(&format!("{RECORD}; {done}"), second);
        let done = run.end.expect("a closing line");
        assert_eq!((done.wall_s, done.peak_rss), (0.5, 1024));
        assert_eq!(run.records.len(), 1);
    }

    /// A child that hangs is killed at the limit, never waited for; one its caller stops is
    /// stopped at once; both keep what they wrote.
    #[test]
    #[cfg(unix)]
    fn a_hung_or_stopped_child_ends_at_once_with_its_records() {
        let start = Instant::now();
        let run = child(&format!("{RECORD}; sleep 30"), Duration::from_secs(1));
        assert!(matches!(run.end, Err(ChildError::Hung(_))), "{run:?}");
        assert_eq!(run.records.len(), 1);
        // Generous: the point is "not 30 s".
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );

        let start = Instant::now();
        let run = supervise(
            sh(&format!("{RECORD}; sleep 30")),
            &job(),
            Duration::from_secs(60),
            |event| matches!(event, Event::Line(_)).then(|| "enough".to_owned()),
        );
        assert!(
            matches!(&run.end, Err(ChildError::Stopped(why)) if why == "enough"),
            "{run:?}"
        );
        assert_eq!(run.records.len(), 1);
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    /// A child that exits and leaves a process behind holding its pipes (a pool's worker, say)
    /// ends when the child does: what it left is killed, and the parent does not wait on it.
    #[test]
    #[cfg(unix)]
    fn what_a_child_leaves_running_does_not_hold_the_parent() {
        let start = Instant::now();
        let done = r#"echo '{"done": {"wall_s": 0.5, "cpu_s": 0.25, "peak_rss": 1024}}'"#;
        let run = child(
            &format!("sleep 30 & {RECORD}; {done}"),
            Duration::from_secs(60),
        );
        assert!(run.end.is_ok(), "{run:?}");
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{:?}",
            start.elapsed()
        );
    }

    #[test]
    fn a_long_line_is_quoted_by_its_start() {
        assert_eq!(start_of(b"short\n"), "short");
        let long = "x".repeat(200);
        assert_eq!(start_of(long.as_bytes()).chars().count(), 81);
    }
}
