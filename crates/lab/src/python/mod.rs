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
//!
//! # Layout
//!
//! This file: the three contestants and what they declare. `interpreter.rs` finds and checks
//! the interpreter; `protocol.rs` is the job JSON and the answer lines, and the measured
//! run; `runner.rs` runs a scenario in a Python child for in-process callers.

use shootout_core::contestant::Effective;
use shootout_core::driver::{self, Driver};
use shootout_core::pitfall::Offload;
use shootout_core::{Contestant, Family, Knobs, Runner, SetupError};

mod interpreter;
mod protocol;
mod runner;

pub use interpreter::{Interpreter, choose, interpreter};
pub use protocol::{last_cost, run_measured};
use runner::PythonRunner;
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

/// The three, in the order the registry lists them (`registry::PYTHON` is this list).
pub static ALL: &[&dyn Contestant] = &[&PYTHON_SEQUENTIAL, &PYTHON_ASYNCIO, &PYTHON_POOL];

/// Whether `name` is a Python contestant's.
pub fn is_python(name: &str) -> bool {
    ALL.iter().any(|p| p.name() == name)
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
