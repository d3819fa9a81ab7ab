//! The Python contestants: the articles' own programs (python/shootout_py), run by the same
//! harness and checked against the same ground truth as every Rust contestant.
//!
//! A Python contestant is a child process, `python -m shootout_py`. It gets one job as JSON
//! on stdin (the scenario, the knobs and the very inputs a Rust contestant gets, built here)
//! and answers in JSON lines: with `stream`, `{"admitted": URL}` and `{"record": …}` as a
//! crawl goes, then always one `{"result": …}` with the records, wall, CPU and peak memory it
//! measured around the scenario alone, as a Rust child measures itself (set-up, interpreter
//! start and imports excluded). The protocol's Python side is python/shootout_py/__main__.py.
//!
//! Which interpreter: `--python PATH`, else `$SHOOTOUT_PYTHON`, else `.venv/bin/python` (in
//! the current directory, then in the workspace). It must import aiohttp, bs4, lxml and
//! requests (`just python` makes such a `.venv`). Without one, the Python rows are skipped
//! with one line that says how to enable them.

use std::collections::HashSet;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use serde::{Deserialize, Serialize};
use shootout_core::contestant::Effective;
use shootout_core::driver::{self, Driver};
use shootout_core::pitfall::{LagStats, Offload, PitfallRun};
use shootout_core::{
    Contestant, CrawlSpec, Family, FetchError, Journal, Knobs, Page, PageRecord, Runner, Scenario,
    SetupError,
};
use url::Url;

use crate::harness::job::{Inputs, Job, Timed};
use crate::harness::process::{crash_cause, supervise};

/// Where the Python package lives: python/ in this workspace.
pub const PACKAGE_DIR: &str = concat!(env!("SHOOTOUT_WORKSPACE"), "/python");

/// The environment variable that names the interpreter when `--python` is not given.
pub const PYTHON_ENV: &str = "SHOOTOUT_PYTHON";

/// What to do when no interpreter is ready.
pub const SETUP_HINT: &str = "run `just python` to make .venv (or: python3 -m venv .venv && \
     .venv/bin/pip install -r python/requirements.txt), or pass --python PATH";

/// Which of the articles' programs a contestant is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Program {
    Sequential,
    Asyncio,
    Pool,
}

/// A Python contestant.
pub struct Python {
    name: &'static str,
    about: &'static str,
    program: Program,
}

/// requests, one page at a time.
pub static PYTHON_SEQUENTIAL: Python = Python {
    name: "python-sequential",
    about: "Python: requests, one page at a time; BeautifulSoup+lxml (the articles' baseline)",
    program: Program::Sequential,
};

/// asyncio + aiohttp + BeautifulSoup, gather with a semaphore.
pub static PYTHON_ASYNCIO: Python = Python {
    name: "python-asyncio",
    about: "Python: asyncio + aiohttp, gather with Semaphore(C), BeautifulSoup inline \
            (parse: asyncio.to_thread on T threads, under the GIL)",
    program: Program::Asyncio,
};

/// multiprocessing.Pool.
pub static PYTHON_POOL: Python = Python {
    name: "python-pool",
    about: "Python: multiprocessing.Pool; C processes fetch with requests, T parse at once \
            (parse: Pool(T).map)",
    program: Program::Pool,
};

/// Whether `name` is a Python contestant's.
pub fn is_python(name: &str) -> bool {
    [&PYTHON_SEQUENTIAL, &PYTHON_ASYNCIO, &PYTHON_POOL]
        .iter()
        .any(|p| p.name() == name)
}

impl Contestant for Python {
    fn name(&self) -> &'static str {
        self.name
    }

    fn about(&self) -> &'static str {
        self.about
    }

    fn family(&self) -> Family {
        Family::Python
    }

    fn driver(&self) -> Result<Driver, String> {
        // asyncio's loop is a selectors loop (epoll on Linux); requests blocks its thread.
        Ok(Driver::preferred(match self.program {
            Program::Asyncio => driver::READINESS,
            Program::Sequential | Program::Pool => driver::BLOCKING,
        }))
    }

    fn max_concurrency(&self) -> (usize, &'static str) {
        match self.program {
            // Each worker is a whole interpreter, about 35 MiB with its imports.
            Program::Pool => (256, "it runs one Python process per request in flight"),
            Program::Sequential | Program::Asyncio => (usize::MAX, ""),
        }
    }

    fn pitfall_variants(&self) -> &'static [Offload] {
        match self.program {
            Program::Asyncio => &Offload::ALL,
            Program::Sequential | Program::Pool => &[],
        }
    }

    fn effective(&self, knobs: &Knobs) -> Effective {
        match self.program {
            Program::Sequential => Effective {
                concurrency: 1,
                threads: 1,
            },
            // One thread runs Python at a time under the GIL, even with to_thread's T threads.
            Program::Asyncio => Effective {
                concurrency: knobs.concurrency,
                threads: 1,
            },
            Program::Pool => Effective {
                concurrency: knobs.concurrency,
                threads: knobs.threads,
            },
        }
    }

    fn prepare(&self, knobs: &Knobs) -> Result<Box<dyn Runner>, SetupError> {
        let interpreter = interpreter().map_err(|e| SetupError::new(self.name, e))?;
        Ok(Box::new(PythonRunner {
            interpreter,
            contestant: self.name,
            knobs: knobs.clone(),
        }))
    }
}

// ---------------------------------------------------------------------------------------------
// Finding the interpreter

/// An interpreter that can run the Python contestants.
#[derive(Debug)]
pub struct Interpreter {
    /// Its path.
    pub path: PathBuf,
    /// Where it was found: `--python`, `SHOOTOUT_PYTHON` or `.venv`.
    pub from: &'static str,
    /// What `python -m shootout_py --check` printed: the versions of Python and its libraries.
    pub versions: String,
}

static CHOSEN: OnceLock<PathBuf> = OnceLock::new();
static READY: OnceLock<Result<Interpreter, String>> = OnceLock::new();

/// Uses `path` as the interpreter (`--python`). Call before anything asks for one.
pub fn choose(path: PathBuf) {
    let _ = CHOSEN.set(path);
}

/// The interpreter, found and checked once per process; or one line that says why there is
/// none and how to get one.
pub fn interpreter() -> anyhow::Result<&'static Interpreter> {
    READY
        .get_or_init(discover)
        .as_ref()
        .map_err(|e| anyhow!("{e}"))
}

fn discover() -> Result<Interpreter, String> {
    let venv = if cfg!(windows) {
        ".venv/Scripts/python.exe"
    } else {
        ".venv/bin/python"
    };
    let (path, from) = if let Some(p) = CHOSEN.get() {
        (p.clone(), "--python")
    } else if let Some(p) = std::env::var_os(PYTHON_ENV).filter(|p| !p.is_empty()) {
        (PathBuf::from(p), PYTHON_ENV)
    } else if let Some(p) = [
        PathBuf::from(venv),
        Path::new(crate::build::WORKSPACE).join(venv),
    ]
    .into_iter()
    .find(|p| p.exists())
    {
        (p, ".venv")
    } else {
        return Err(format!(
            "no Python interpreter for the python-* contestants: {SETUP_HINT}, or set {PYTHON_ENV}"
        ));
    };
    if !Path::new(PACKAGE_DIR).join("shootout_py").is_dir() {
        return Err(format!(
            "the Python contestants' package is missing: no {PACKAGE_DIR}/shootout_py"
        ));
    }
    let shown = path.display();
    let out = command(&path)
        .arg("--check")
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run {shown} (from {from}): {e}; {SETUP_HINT}"))?;
    if !out.status.success() {
        return Err(format!(
            "{shown} (from {from}) cannot run the Python contestants: {}; {SETUP_HINT}",
            crash_cause(&String::from_utf8_lossy(&out.stderr))
        ));
    }
    Ok(Interpreter {
        versions: String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        path,
        from,
    })
}

/// `python -m shootout_py`, with the package on the module path.
fn command(python: &Path) -> Command {
    let mut path = std::ffi::OsString::from(PACKAGE_DIR);
    if let Some(old) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        path.push(if cfg!(windows) { ";" } else { ":" });
        path.push(old);
    }
    let mut c = Command::new(python);
    c.arg("-m").arg("shootout_py").env("PYTHONPATH", path);
    c
}

// ---------------------------------------------------------------------------------------------
// The protocol

/// One job, as the Python side reads it.
#[derive(Serialize)]
struct PyJob<'a> {
    contestant: &'a str,
    scenario: Scenario,
    knobs: &'a Knobs,
    urls: Vec<&'a str>,
    pages: Vec<PyPage<'a>>,
    root: Option<&'a str>,
    max_pages: usize,
    max_depth: Option<usize>,
    prefix: Option<&'a str>,
    robots: bool,
    offload: Option<Offload>,
    stream: bool,
}

#[derive(Serialize)]
struct PyPage<'a> {
    url: &'a str,
    /// The synthetic site's pages are UTF-8; a page that is not would fail verification.
    body: std::borrow::Cow<'a, str>,
}

impl<'a> PyJob<'a> {
    fn new(contestant: &'a str, scenario: Scenario, knobs: &'a Knobs) -> PyJob<'a> {
        PyJob {
            contestant,
            scenario,
            knobs,
            urls: Vec::new(),
            pages: Vec::new(),
            root: None,
            max_pages: 0,
            max_depth: None,
            prefix: None,
            robots: false,
            offload: None,
            stream: false,
        }
    }

    fn urls(mut self, urls: &'a [Url]) -> Self {
        self.urls = urls.iter().map(Url::as_str).collect();
        self
    }

    fn pages(mut self, pages: &'a [Page]) -> Self {
        self.pages = pages
            .iter()
            .map(|p| PyPage {
                url: &p.url,
                body: String::from_utf8_lossy(&p.body),
            })
            .collect();
        self
    }

    fn crawl(mut self, root: &'a Url, spec: &'a CrawlSpec) -> Self {
        self.root = Some(root.as_str());
        self.max_pages = spec.max_pages;
        self.max_depth = spec.max_depth;
        self.prefix = spec.prefix.as_deref();
        self.robots = spec.robots.is_some();
        self
    }
}

/// One line from the Python side.
#[derive(Deserialize)]
#[serde(rename_all = "lowercase")]
enum Line {
    Admitted(String),
    Record(PageRecord),
    Result(PyResult),
}

/// What the last Python child of this process measured around its scenario: wall, CPU and
/// peak memory. `shootout crawl` reports these rather than its own clock, which would include
/// starting the interpreter and importing the libraries (about half a second).
static LAST_COST: std::sync::Mutex<Option<(Duration, Duration, u64)>> = std::sync::Mutex::new(None);

/// The wall time, CPU time and peak memory the last Python child measured, if one ran.
pub fn last_cost() -> Option<(Duration, Duration, u64)> {
    *LAST_COST.lock().unwrap_or_else(|e| e.into_inner())
}

/// What a Python child measured: a Rust child's [`Timed`], in seconds.
#[derive(Deserialize)]
struct PyResult {
    records: Vec<PageRecord>,
    wall_s: f64,
    cpu_s: f64,
    peak_rss: u64,
    lags_s: Option<Vec<f64>>,
}

/// Seconds from Python as a `Duration` (a clock read twice can differ by a hair below zero).
fn secs(s: f64) -> Duration {
    Duration::from_secs_f64(s.max(0.0))
}

impl PyResult {
    fn lags(&self) -> Option<Vec<Duration>> {
        self.lags_s
            .as_ref()
            .map(|l| l.iter().copied().map(secs).collect())
    }

    /// Wall time, CPU time and peak memory.
    fn cost(&self) -> (Duration, Duration, u64) {
        (secs(self.wall_s), secs(self.cpu_s), self.peak_rss)
    }

    fn timed(self) -> Timed {
        let heartbeat = self.lags().as_deref().map(LagStats::of);
        let (wall, cpu, peak_rss) = self.cost();
        Timed {
            wall,
            cpu,
            peak_rss,
            heartbeat,
            records: self.records,
            // The row takes the contestant's own (see `Contestant::driver` above).
            driver: None,
        }
    }
}

/// The result line of a Python child's output.
fn result_of(stdout: &[u8]) -> anyhow::Result<PyResult> {
    for line in stdout.split(|&b| b == b'\n').rev() {
        if let Ok(Line::Result(r)) = serde_json::from_slice(line) {
            return Ok(r);
        }
    }
    bail!("the Python child printed no result line")
}

/// Runs `job` in a Python child, as `run_child` (harness/child.rs) runs a Rust one: the
/// inputs are built here, the child measures itself, and it is killed after `limit`.
pub fn run_measured(job: &Job, limit: Duration, tick: impl FnMut()) -> anyhow::Result<Timed> {
    let interpreter = interpreter()?;
    let inputs = Inputs::build(job)?;
    let spec;
    let py = PyJob::new(&job.contestant, job.scenario, &job.knobs);
    let py = match &inputs {
        Inputs::Sleep(..) => py,
        Inputs::Download(urls) | Inputs::Scrape(urls) => py.urls(urls),
        Inputs::Pitfall(urls, offload) => PyJob {
            offload: Some(*offload),
            ..py.urls(urls)
        },
        Inputs::Parse(pages) => py.pages(pages),
        Inputs::Crawl(root, max) => {
            spec = CrawlSpec::pages(*max);
            py.crawl(root, &spec)
        }
    };
    let stdout = supervise(
        command(&interpreter.path),
        Some(serde_json::to_vec(&py)?),
        limit,
        tick,
    )?;
    Ok(result_of(&stdout)?.timed())
}

// ---------------------------------------------------------------------------------------------
// The in-process runner: tests and `shootout crawl`

/// Runs each scenario in a Python child and returns its records. Used where a Rust
/// contestant runs in-process (`shootout crawl`, the test bodies); the measured harness uses
/// [`run_measured`] instead, so that the child's own measurements are reported.
struct PythonRunner {
    interpreter: &'static Interpreter,
    contestant: &'static str,
    knobs: Knobs,
}

impl PythonRunner {
    /// Runs `job`, telling `journal` of every admitted URL and finished record as the lines
    /// arrive. If the child fails, every URL it took on and did not finish gets an
    /// `internal` record naming why, so nothing is lost.
    fn call(
        &self,
        job: &PyJob<'_>,
        inputs: &[&str],
        journal: Option<&Journal>,
    ) -> (Vec<PageRecord>, Option<Vec<Duration>>) {
        let mut streamed = Vec::new();
        let mut admitted: Vec<String> = Vec::new();
        match self.stream(job, journal, &mut admitted, &mut streamed) {
            Ok(result) => {
                *LAST_COST.lock().unwrap_or_else(|e| e.into_inner()) = Some(result.cost());
                let lags = result.lags();
                let records = if job.stream { streamed } else { result.records };
                (records, lags)
            }
            Err(e) => {
                let done: HashSet<String> = streamed.iter().map(|r| r.url.clone()).collect();
                let why = format!("python child failed: {e:#}");
                let lost: Vec<PageRecord> = inputs
                    .iter()
                    .map(|u| (*u).to_owned())
                    .chain(admitted)
                    .filter(|u| !done.contains(u))
                    .collect::<std::collections::BTreeSet<_>>()
                    .into_iter()
                    .map(|u| PageRecord::failed(u, FetchError::Internal(why.clone())))
                    .collect();
                if let Some(j) = journal {
                    lost.iter().for_each(|r| j.finished(r));
                }
                streamed.extend(lost);
                (streamed, None)
            }
        }
    }

    fn stream(
        &self,
        job: &PyJob<'_>,
        journal: Option<&Journal>,
        admitted: &mut Vec<String>,
        streamed: &mut Vec<PageRecord>,
    ) -> anyhow::Result<PyResult> {
        let mut child = command(&self.interpreter.path)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", self.interpreter.path.display()))?;
        let input = serde_json::to_vec(job)?;
        let mut pipe = child.stdin.take().context("the child's stdin")?;
        let feeder = std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
        let mut err_pipe = child.stderr.take().context("the child's stderr")?;
        let stderr = std::thread::spawn(move || {
            let mut text = String::new();
            let _ = err_pipe.read_to_string(&mut text);
            text
        });
        let mut result = None;
        let out = BufReader::new(child.stdout.take().context("the child's stdout")?);
        for line in out.lines() {
            match serde_json::from_str::<Line>(&line?) {
                Ok(Line::Admitted(url)) => {
                    if let (Some(j), Ok(u)) = (journal, Url::parse(&url)) {
                        j.admitted(&u);
                    }
                    admitted.push(url);
                }
                Ok(Line::Record(r)) => {
                    if let Some(j) = journal {
                        j.finished(&r);
                    }
                    streamed.push(r);
                }
                Ok(Line::Result(r)) => result = Some(r),
                Err(e) => bail!("the Python child printed a line that is not JSON: {e}"),
            }
        }
        let _ = feeder.join();
        let status = child.wait()?;
        let stderr = stderr.join().unwrap_or_default();
        if !status.success() {
            bail!("exited with {status}: {}", crash_cause(&stderr));
        }
        result.context("the Python child printed no result line")
    }

    fn run(&self, job: PyJob<'_>, inputs: &[&str]) -> Vec<PageRecord> {
        self.call(&job, inputs, None).0
    }

    fn job(&self, scenario: Scenario) -> PyJob<'_> {
        PyJob::new(self.contestant, scenario, &self.knobs)
    }
}

fn strs(urls: &[Url]) -> Vec<&str> {
    urls.iter().map(Url::as_str).collect()
}

impl Runner for PythonRunner {
    fn sleep(&self, n: usize, wait: Duration) -> Vec<PageRecord> {
        // The Python side reads N and L from the knobs, as the Rust contestants are given them.
        let knobs = Knobs {
            pages: n,
            latency_ms: u64::try_from(wait.as_millis()).unwrap_or(u64::MAX),
            ..self.knobs.clone()
        };
        let names: Vec<String> = (0..n).map(|i| format!("sleep:{i}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        self.run(PyJob::new(self.contestant, Scenario::Sleep, &knobs), &names)
    }

    fn download(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.run(self.job(Scenario::Download).urls(urls), &strs(urls))
    }

    fn scrape(&self, urls: &[Url]) -> Vec<PageRecord> {
        self.run(self.job(Scenario::Scrape).urls(urls), &strs(urls))
    }

    fn crawl(&self, root: &Url, spec: &CrawlSpec) -> Vec<PageRecord> {
        let job = PyJob {
            stream: true,
            ..self.job(Scenario::Crawl).crawl(root, spec)
        };
        self.call(&job, &[root.as_str()], spec.journal.as_deref()).0
    }

    fn parse(&self, pages: &[Page]) -> Vec<PageRecord> {
        let urls: Vec<&str> = pages.iter().map(|p| p.url.as_str()).collect();
        self.run(self.job(Scenario::Parse).pages(pages), &urls)
    }

    fn pitfall(&self, urls: &[Url], offload: Offload) -> Option<PitfallRun> {
        let job = PyJob {
            offload: Some(offload),
            ..self.job(Scenario::Pitfall).urls(urls)
        };
        let (records, lags) = self.call(&job, &strs(urls), None);
        Some(PitfallRun {
            records,
            lags: lags.unwrap_or_default(),
        })
    }
}
