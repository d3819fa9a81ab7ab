//! The Python interpreter the articles' programs (python/shootout_py) run on: found and
//! checked once per process. The programs themselves are registry entries like any other
//! contestant ([`crate::registry`]), and run on the one protocol ([`crate::harness::runner`]).
//!
//! Which interpreter: `--python PATH`, else `$SHOOTOUT_PYTHON`, else `.venv/bin/python` (in
//! the current directory, then in the workspace). It must import aiohttp, bs4, lxml and
//! requests (`just python` makes such a `.venv`). Without one, the Python rows are skipped
//! with one line that says how to enable them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Mutex, OnceLock};

use anyhow::anyhow;

use crate::stderr::crash_cause;

/// Where the Python package lives: python/ in this workspace.
pub const PACKAGE_DIR: &str = concat!(env!("SHOOTOUT_WORKSPACE"), "/python");

/// The environment variable that names the interpreter when `--python` is not given.
pub const PYTHON_ENV: &str = "SHOOTOUT_PYTHON";

/// What to do when no interpreter is ready.
pub const SETUP_HINT: &str = "run `just python` to make .venv (or: python3 -m venv .venv && \
     .venv/bin/pip install -r python/requirements.txt), or pass --python PATH";

/// An interpreter that can run the Python contestants.
#[derive(Debug)]
pub struct Interpreter {
    /// Its path.
    pub path: PathBuf,
    /// Where it was found: `--python`, `SHOOTOUT_PYTHON` or `.venv`.
    pub from: &'static str,
    /// What `python -m shootout_py --check` printed: the interpreter and its GIL (`CPython
    /// 3.11.7, GIL on`), then the versions of its libraries.
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
    let versions = check(&path, None).map_err(|e| match e {
        Check::Start(e) => format!("cannot run {shown} (from {from}): {e}; {SETUP_HINT}"),
        Check::Failed(cause) => format!(
            "{shown} (from {from}) cannot run the Python contestants: {cause}; {SETUP_HINT}"
        ),
    })?;
    Ok(Interpreter {
        versions,
        path,
        from,
    })
}

/// Why `python -m shootout_py --check` did not pass.
enum Check {
    /// The interpreter did not start.
    Start(std::io::Error),
    /// It ran and said what is missing: its last line on stderr.
    Failed(String),
}

/// `python -m shootout_py --check [NAME]`: the line it printed (the interpreter, its GIL and
/// the versions of what the contestants import; NAME's own needs too, if given).
fn check(python: &Path, name: Option<&str>) -> Result<String, Check> {
    let out = module(python, "shootout_py")
        .arg("--check")
        .args(name)
        .stdin(Stdio::null())
        .output()
        .map_err(Check::Start)?;
    if !out.status.success() {
        return Err(Check::Failed(crash_cause(&String::from_utf8_lossy(
            &out.stderr,
        ))));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// What `name` runs on here: the interpreter's versions line, with what `name` needs of its own
/// (`needs`, such as uvloop) checked once per process by `python -m shootout_py --check NAME`;
/// or one line that says what is missing and how to get it.
pub fn ready_for(name: &str, needs: &[&str]) -> anyhow::Result<String> {
    static OWN: Mutex<BTreeMap<String, Result<String, String>>> = Mutex::new(BTreeMap::new());
    let python = interpreter()?;
    if needs.is_empty() {
        return Ok(python.versions.clone());
    }
    let mut own = OWN.lock().unwrap_or_else(|e| e.into_inner());
    let checked = own.entry(name.to_owned()).or_insert_with(|| {
        let shown = python.path.display();
        check(&python.path, Some(name)).map_err(|e| match e {
            Check::Start(e) => format!("cannot run {shown}: {e}"),
            Check::Failed(cause) => format!("{cause} (python {shown})"),
        })
    });
    checked.clone().map_err(|e| anyhow!("{e}"))
}

/// `python -m MODULE`, with python/ on the module path.
pub fn module(python: &Path, module: &str) -> Command {
    let mut path = std::ffi::OsString::from(PACKAGE_DIR);
    if let Some(old) = std::env::var_os("PYTHONPATH").filter(|p| !p.is_empty()) {
        path.push(if cfg!(windows) { ";" } else { ":" });
        path.push(old);
    }
    let mut c = Command::new(python);
    c.arg("-m").arg(module).env("PYTHONPATH", path);
    c
}
