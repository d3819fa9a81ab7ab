//! Every contestant, in the order the leaderboard lists them, and all the harness knows about
//! each: data, and for a Rust one its [`Model`].
//!
//! Every contestant runs the same way: a child process that reads one job and answers in JSON
//! lines (docs/protocol.md; [`crate::harness::runner`] starts and supervises it). Only how
//! the child starts differs, and that is decided here, by [`Contestant::launch`]:
//!
//! - a **Rust** contestant is a [`Model`] compiled into this binary: its child is
//!   `shootout __child`, which runs the model in-process ([`crate::harness::child`]);
//! - a **program** is anything else that speaks the protocol, described by a [`Program`]:
//!   the articles' Python programs (`python -m shootout_py`), or the protocol page's example
//!   (a standard-library Python script).
//!
//! To add a contestant: write its crate (one file per scenario) or its program, then add one
//! line to [`ALL`]. The tour, `shootout run`, the report, the shared test bodies and the
//! benches pick it up from this list; the tests' list of modules names it once more, and a
//! test checks that the two lists agree.

use std::collections::BTreeMap;
use std::path::Path;

use shootout_core::driver::{self, Driver, Reactor};
use shootout_core::model::Effective;
use shootout_core::pitfall::Offload;
use shootout_core::{Family, Knobs, Model, Scenario, Strategy};

/// Every registered contestant, Rust then the other programs.
pub static ALL: &[Contestant] = &[
    Contestant::Rust(&shootout_sequential::Sequential),
    Contestant::Rust(&shootout_tokio::TOKIO),
    Contestant::Rust(&shootout_tokio::TOKIO_CURRENT_THREAD),
    Contestant::Rust(&shootout_async_std::AsyncStd),
    Contestant::Rust(&shootout_smol::Smol),
    Contestant::Rust(&shootout_compio::Compio),
    Contestant::Rust(&shootout_threads::Threads),
    Contestant::Rust(&shootout_rayon::Rayon),
    Contestant::Rust(&shootout_crossbeam::Crossbeam),
    Contestant::Rust(&shootout_hybrid::Hybrid),
    Contestant::Program(&PYTHON_SEQUENTIAL),
    Contestant::Program(&PYTHON_ASYNCIO),
    Contestant::Program(&PYTHON_UVLOOP),
    Contestant::Program(&PYTHON_THREADS),
    Contestant::Program(&PYTHON_POOL),
    Contestant::Program(&PROTOCOL_EXAMPLE),
];

/// requests, one page at a time: the articles' baseline.
pub static PYTHON_SEQUENTIAL: Program = Program {
    name: "python-sequential",
    about: "Python: requests, one page at a time; BeautifulSoup+lxml (the articles' baseline)",
    family: Family::Python,
    driver: driver::BLOCKING,
    uses: Uses::OneAtATime,
    max_concurrency: None,
    pitfall_variants: &[],
    parser: "BeautifulSoup and lxml",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[],
    launch: Launch::PythonModule("shootout_py"),
    example: false,
    sums_processes: false,
    needs: &[],
    file_api: Some("Python: open(path, \"rb\").read(), one file at a time"),
};

/// asyncio + aiohttp, `gather` with a semaphore: the first article.
pub static PYTHON_ASYNCIO: Program = Program {
    name: "python-asyncio",
    about: "Python: asyncio + aiohttp, gather with Semaphore(C), BeautifulSoup inline \
            (parse: asyncio.to_thread on T threads, under the GIL)",
    family: Family::Python,
    // asyncio's loop is a selectors loop: epoll on Linux. The child reports the one it ran.
    driver: driver::READINESS,
    // One thread runs Python at a time under the GIL, even with to_thread's T threads.
    uses: Uses::OneThread,
    max_concurrency: None,
    pitfall_variants: &Offload::ALL,
    parser: "BeautifulSoup and lxml",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[Note {
        scenario: Some(Scenario::Pitfall),
        text: "for python-asyncio, spawn-blocking is asyncio.to_thread (T threads) and rayon \
               is a ProcessPoolExecutor (T processes).",
    }],
    launch: Launch::PythonModule("shootout_py"),
    example: false,
    sums_processes: false,
    needs: &[],
    file_api: Some(
        "Python: async with aiofiles.open(path) (each call a hop to the loop's default executor of T threads)",
    ),
};

/// python-asyncio's program on uvloop's event loop: what a Python programmer installs for a
/// faster asyncio.
pub static PYTHON_UVLOOP: Program = Program {
    name: "python-uvloop",
    about: "Python: python-asyncio's program on uvloop's event loop (libuv), pinned in \
            python/requirements-uvloop.txt",
    family: Family::Python,
    // libuv waits on epoll on Linux. The child reports the one it ran.
    driver: driver::READINESS,
    uses: Uses::OneThread,
    max_concurrency: None,
    pitfall_variants: &Offload::ALL,
    parser: "BeautifulSoup and lxml",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[Note {
        scenario: Some(Scenario::Pitfall),
        text: "for python-uvloop, as for python-asyncio, spawn-blocking is asyncio.to_thread \
               (T threads) and rayon is a ProcessPoolExecutor (T processes).",
    }],
    launch: Launch::PythonModule("shootout_py"),
    example: false,
    sums_processes: false,
    // Its own requirements file: an interpreter without a uvloop wheel loses this row only.
    needs: &["uvloop"],
    file_api: Some(
        "Python: async with aiofiles.open(path) on uvloop (each call a hop to the loop's default executor of T threads)",
    ),
};

/// concurrent.futures.ThreadPoolExecutor with requests: the articles' "threading for I/O",
/// and what most Python programmers write first for concurrent downloads.
pub static PYTHON_THREADS: Program = Program {
    name: "python-threads",
    about: "Python: ThreadPoolExecutor, C threads each with a requests.Session, BeautifulSoup \
            inline, T parse at once (parse: T threads; one core under the GIL)",
    family: Family::Python,
    driver: driver::BLOCKING,
    uses: Uses::GilThreads,
    max_concurrency: None,
    pitfall_variants: &[],
    parser: "BeautifulSoup and lxml",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[],
    launch: Launch::PythonModule("shootout_py"),
    example: false,
    sums_processes: false,
    needs: &[],
    file_api: Some(
        "Python: open(path, \"rb\").read() on C threads (the GIL released while each waits)",
    ),
};

/// multiprocessing.Pool: the second article.
pub static PYTHON_POOL: Program = Program {
    name: "python-pool",
    about: "Python: multiprocessing.Pool; C processes fetch with requests, T parse at once \
            (parse: Pool(T).map)",
    family: Family::Python,
    driver: driver::BLOCKING,
    uses: Uses::Knobs,
    // Each worker is a whole interpreter, about 35 MiB with its imports.
    max_concurrency: Some((256, "it runs one Python process per request in flight")),
    pitfall_variants: &[],
    parser: "BeautifulSoup and lxml",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[],
    launch: Launch::PythonModule("shootout_py"),
    example: false,
    // Each request in flight is a worker process of its own.
    sums_processes: true,
    needs: &[],
    file_api: Some("Python: open(path, \"rb\").read() in C worker processes"),
};

/// The protocol page's example (docs/protocol.md): a contestant in one file of standard-library
/// Python, run by whatever `python3` is on the PATH. Kept out of the tour; the conformance
/// test runs it, and `shootout run --contestants protocol-example` does too.
pub static PROTOCOL_EXAMPLE: Program = Program {
    name: "protocol-example",
    about: "the protocol's example: urllib and html.parser, one page at a time, in one file of \
            standard-library Python (docs/protocol.md)",
    family: Family::Python,
    driver: driver::BLOCKING,
    uses: Uses::OneAtATime,
    max_concurrency: None,
    pitfall_variants: &[],
    parser: "html.parser",
    refuses: &[NetSetting::Proxy, NetSetting::Delay],
    notes: &[],
    launch: Launch::Command(&["python3", "docs/protocol/example.py"]),
    // Kept short: it reads every page as UTF-8, ignores `<base href>`, and follows any
    // redirect urllib does.
    example: true,
    sums_processes: false,
    needs: &[],
    file_api: None,
};

/// A registered contestant.
#[derive(Clone, Copy)]
pub enum Contestant {
    /// A Rust concurrency model compiled into this binary.
    Rust(&'static dyn Model),
    /// A program of its own that speaks the protocol, described by data.
    Program(&'static Program),
}

/// A contestant that is a program of its own: everything the harness knows about it, as data.
/// Adding one is a registry line, not code in the harness.
pub struct Program {
    /// The name used on the command line and in rows.
    pub name: &'static str,
    /// One line for `shootout list`.
    pub about: &'static str,
    /// Its family (the report groups rows by it).
    pub family: Family,
    /// The driver its I/O goes through, as it declares it. Its `done` line may report the
    /// one that really ran; the row names that one if so.
    pub driver: Reactor,
    /// How it uses the knobs C and T.
    pub uses: Uses,
    /// The largest C it measures anything at, and why; `None` for the knob's own limit.
    pub max_concurrency: Option<(usize, &'static str)>,
    /// The `pitfall` variants it runs (none without an event loop).
    pub pitfall_variants: &'static [Offload],
    /// The HTML parser it uses whatever `--extract` says, as a reader names it.
    pub parser: &'static str,
    /// The network settings it does not honour: a crawl that needs one is refused up front.
    pub refuses: &'static [NetSetting],
    /// Lines a reader needs under a table with its rows.
    pub notes: &'static [Note],
    /// How its process starts.
    pub launch: Launch,
    /// Whether it is the protocol's example (docs/protocol.md): kept short, and out of the
    /// tour (and of `run` without `--contestants`). It is held to the protocol's conformance
    /// test and the synthetic site's ground truth, not to what real sites ask of a crawler
    /// (legacy charsets, `<base href>`, redirects kept to the crawl's scope, hostile servers)
    /// nor to the lab's test hooks.
    pub example: bool,
    /// Whether it runs a worker process per request in flight, whose CPU and peak memory its
    /// closing line adds up (each worker's own peak, so the sum is an upper bound).
    pub sums_processes: bool,
    /// What its `files` scenario reads through, and what that does underneath (`shootout
    /// list` names it); `None` for a program that does not run `files`.
    pub file_api: Option<&'static str>,
    /// What it imports beyond what every program of its launcher needs (for a Python module,
    /// python/requirements.txt): checked for it alone (`python -m shootout_py --check NAME`),
    /// so that where one is missing, this contestant is skipped and no other.
    pub needs: &'static [&'static str],
}

/// How a [`Program`] uses the knobs C and T.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Uses {
    /// C in flight, T threads (or processes) at work.
    Knobs,
    /// C in flight, on one thread (an event loop under a GIL).
    OneThread,
    /// One request at a time, on one thread: C = 1 and T = 1.
    OneAtATime,
    /// C in flight, T threads that run Python: T cores' worth of CPU where its run reports
    /// the GIL off (a free-threaded build), one core's where it reports it on.
    GilThreads,
}

/// A network setting some programs do not honour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NetSetting {
    /// `--proxy`.
    Proxy,
    /// `--delay-ms` (and a robots.txt `Crawl-delay`).
    Delay,
}

/// A line under a table that has rows of one contestant.
pub struct Note {
    /// The scenario it belongs to; `None` for every scenario.
    pub scenario: Option<Scenario>,
    /// The line.
    pub text: &'static str,
}

/// How a contestant's process starts.
#[derive(Clone, Copy, Debug)]
pub enum Launch {
    /// This binary: `shootout __child`.
    ThisBinary,
    /// `python -m MODULE` by the interpreter `--python`, `$SHOOTOUT_PYTHON` or `.venv` names
    /// (checked to import the articles' libraries), with python/ on the module path.
    PythonModule(&'static str),
    /// A command: the first word is a program on the PATH, and the others are relative to the
    /// workspace (where the command runs).
    Command(&'static [&'static str]),
}

impl Contestant {
    /// The name used on the command line and in rows.
    pub fn name(self) -> &'static str {
        match self {
            Contestant::Rust(m) => m.name(),
            Contestant::Program(p) => p.name,
        }
    }

    /// One line for `shootout list`.
    pub fn about(self) -> &'static str {
        match self {
            Contestant::Rust(m) => m.about(),
            Contestant::Program(p) => p.about,
        }
    }

    /// Its family.
    pub fn family(self) -> Family {
        match self {
            Contestant::Rust(m) => m.family(),
            Contestant::Program(p) => p.family,
        }
    }

    /// A warning a user should see next to the name.
    pub fn caveat(self) -> Option<&'static str> {
        match self {
            Contestant::Rust(m) => m.caveat(),
            Contestant::Program(_) => None,
        }
    }

    /// The largest C it measures anything at, and why.
    pub fn max_concurrency(self) -> (usize, &'static str) {
        match self {
            Contestant::Rust(m) => m.max_concurrency(),
            Contestant::Program(p) => p.max_concurrency.unwrap_or((usize::MAX, "")),
        }
    }

    /// Refuses a C past [`Contestant::max_concurrency`], naming the knob and the contestant.
    pub fn check_concurrency(self, concurrency: usize) -> Result<(), String> {
        let (limit, why) = self.max_concurrency();
        if concurrency > limit {
            return Err(format!(
                "concurrency {concurrency} is over the limit of {limit} for {}: {why}",
                self.name()
            ));
        }
        Ok(())
    }

    /// What its `files` scenario reads through, and what that does underneath; `None` for a
    /// program that does not run `files` (it sits that scenario out).
    pub fn file_api(self) -> Option<&'static str> {
        match self {
            Contestant::Rust(m) => Some(m.file_api()),
            Contestant::Program(p) => p.file_api,
        }
    }

    /// The `pitfall` variants it runs.
    pub fn pitfall_variants(self) -> &'static [Offload] {
        match self {
            Contestant::Rust(m) => m.pitfall_variants(),
            Contestant::Program(p) => p.pitfall_variants,
        }
    }

    /// The concurrency and threads it really uses with these knobs.
    pub fn effective(self, knobs: &Knobs) -> Effective {
        match self {
            Contestant::Rust(m) => m.effective(knobs),
            Contestant::Program(p) => match p.uses {
                Uses::Knobs | Uses::GilThreads => Effective {
                    concurrency: knobs.concurrency,
                    threads: knobs.threads,
                },
                Uses::OneThread => Effective {
                    concurrency: knobs.concurrency,
                    threads: 1,
                },
                Uses::OneAtATime => Effective {
                    concurrency: 1,
                    threads: 1,
                },
            },
        }
    }

    /// The driver its I/O will go through here, or why it cannot run here.
    pub fn driver(self) -> Result<Driver, String> {
        match self {
            Contestant::Rust(m) => m.driver(),
            Contestant::Program(p) => Ok(Driver::preferred(p.driver)),
        }
    }

    /// The strategy its rows name: the one asked for, for a Rust model; none for a program,
    /// which parses with its own library ([`Program::parser`]).
    pub fn extractor(self, asked: Strategy) -> Option<Strategy> {
        match self {
            Contestant::Rust(_) => Some(asked),
            Contestant::Program(_) => None,
        }
    }

    /// Its own HTML parser, for a program.
    pub fn parser(self) -> Option<&'static str> {
        match self {
            Contestant::Rust(_) => None,
            Contestant::Program(p) => Some(p.parser),
        }
    }

    /// The network settings it does not honour.
    pub fn refuses(self) -> &'static [NetSetting] {
        match self {
            Contestant::Rust(_) => &[],
            Contestant::Program(p) => p.refuses,
        }
    }

    /// The lines a table with its rows of `scenario` needs under it.
    pub fn notes(self, scenario: Scenario) -> Vec<String> {
        let notes: &'static [Note] = match self {
            Contestant::Rust(_) => &[],
            Contestant::Program(p) => p.notes,
        };
        let mut lines: Vec<String> = notes
            .iter()
            .filter(|n| n.scenario.is_none_or(|s| s == scenario))
            .map(|n| n.text.to_owned())
            .collect();
        if self.sums_processes() {
            lines.push(format!(
                "{}'s cpu and peak mem add up its worker processes (each worker's own peak, so \
                 an upper bound).",
                self.name()
            ));
        }
        lines
    }

    /// How its process starts.
    pub fn launch(self) -> Launch {
        match self {
            Contestant::Rust(_) => Launch::ThisBinary,
            Contestant::Program(p) => p.launch,
        }
    }

    /// Its model, if it is compiled into this binary (to run in this process: the child does,
    /// and so do the benches).
    pub fn model(self) -> Option<&'static dyn Model> {
        match self {
            Contestant::Rust(m) => Some(m),
            Contestant::Program(_) => None,
        }
    }

    /// Whether the tour, and `run` without `--contestants`, include it (all but the
    /// protocol's example).
    pub fn in_tour(self) -> bool {
        !self.example()
    }

    /// Whether it is the protocol's example ([`Program::example`]).
    pub fn example(self) -> bool {
        match self {
            Contestant::Rust(_) => false,
            Contestant::Program(p) => p.example,
        }
    }

    /// Whether its CPU and peak memory add up worker processes ([`Program::sums_processes`]).
    pub fn sums_processes(self) -> bool {
        match self {
            Contestant::Rust(_) => false,
            Contestant::Program(p) => p.sums_processes,
        }
    }

    /// What it needs beyond what its launcher's other programs need ([`Program::needs`]).
    pub fn needs(self) -> &'static [&'static str] {
        match self {
            Contestant::Rust(_) => &[],
            Contestant::Program(p) => p.needs,
        }
    }

    /// How many cores' worth of CPU its T threads have, given what its run said about its
    /// runtime: T, or one where [`Contestant::shares_one_core`]. A run that said nothing (it
    /// crashed) is given T, so the ideal stays a lower bound.
    pub fn cpu_threads(
        self,
        knobs: &Knobs,
        runtime: &BTreeMap<String, serde_json::Value>,
    ) -> usize {
        if self.shares_one_core(runtime) {
            1
        } else {
            self.effective(knobs).threads
        }
    }

    /// Whether its threads run Python under a GIL its run reported on ([`Uses::GilThreads`]),
    /// and so have one core's worth of CPU between them, whatever T is.
    pub fn shares_one_core(self, runtime: &BTreeMap<String, serde_json::Value>) -> bool {
        matches!(self, Contestant::Program(p) if p.uses == Uses::GilThreads)
            && gil_on(runtime) == Some(true)
    }

    /// Whether it can run here, or one line that says why not and how to fix that.
    pub fn ready(self) -> Result<(), String> {
        match self.launch() {
            Launch::ThisBinary => Ok(()),
            Launch::PythonModule(_) => crate::python::ready_for(self.name(), self.needs())
                .map(|_| ())
                .map_err(|e| format!("{e:#}")),
            Launch::Command(words) => match words.first() {
                Some(program) if on_path(program) => Ok(()),
                Some(program) => Err(format!("{program} is not on the PATH")),
                None => Err("its registry entry names no command".into()),
            },
        }
    }
}

impl std::fmt::Debug for Contestant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl PartialEq for Contestant {
    fn eq(&self, other: &Contestant) -> bool {
        self.name() == other.name()
    }
}

/// Whether the run's runtime reported its GIL on (`{"gil": true}`, docs/protocol.md); `None`
/// where it said nothing of a GIL.
pub fn gil_on(runtime: &BTreeMap<String, serde_json::Value>) -> Option<bool> {
    runtime.get("gil").and_then(serde_json::Value::as_bool)
}

/// Whether `program` is a file on the PATH (or a path that exists).
fn on_path(program: &str) -> bool {
    if program.contains('/') {
        return Path::new(program).exists();
    }
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(program).is_file()))
}

/// Every registered contestant, whether or not it can run here.
pub fn all() -> impl Iterator<Item = Contestant> {
    ALL.iter().copied()
}

/// The Rust models, for callers that run them in this process (the benches).
pub fn models() -> impl Iterator<Item = &'static dyn Model> {
    all().filter_map(Contestant::model)
}

/// Looks a contestant up by name.
pub fn find(name: &str) -> Option<Contestant> {
    all().find(|c| c.name() == name)
}

/// The registered names, comma separated, for error messages.
pub fn names() -> String {
    all().map(|c| c.name()).collect::<Vec<_>>().join(", ")
}

/// The tour's contestants that can run here, and one line for each left out that says why
/// (the Python programs, without an interpreter, share one).
pub fn available() -> (Vec<Contestant>, Vec<String>) {
    let mut ready = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    for c in all().filter(|c| c.in_tour()) {
        match c.ready() {
            Ok(()) => ready.push(c),
            Err(why) => {
                let line = match c.launch() {
                    // A missing interpreter costs every Python row, and is said once; a
                    // missing need of one program costs that one.
                    Launch::PythonModule(_) if crate::python::interpreter().is_err() => {
                        format!("python rows skipped: {why}")
                    }
                    Launch::ThisBinary | Launch::PythonModule(_) | Launch::Command(_) => {
                        format!("{} skipped: {why}", c.name())
                    }
                };
                if !missing.contains(&line) {
                    missing.push(line);
                }
            }
        }
    }
    (ready, missing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_findable() {
        for c in all() {
            assert_eq!(find(c.name()).map(Contestant::name), Some(c.name()));
        }
        let mut names: Vec<_> = all().map(Contestant::name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ALL.len());
        assert!(find("nope").is_none());
    }

    #[test]
    fn a_program_is_described_by_its_data() {
        let pool = Contestant::Program(&PYTHON_POOL);
        let knobs = Knobs {
            concurrency: 7,
            threads: 3,
            ..Knobs::default()
        };
        assert_eq!(pool.effective(&knobs).threads, 3);
        assert!(pool.check_concurrency(256).is_ok());
        assert_eq!(
            pool.check_concurrency(257).err().as_deref(),
            Some(
                "concurrency 257 is over the limit of 256 for python-pool: it runs one Python \
                 process per request in flight"
            )
        );
        let seq = Contestant::Program(&PYTHON_SEQUENTIAL);
        assert_eq!(seq.effective(&knobs).concurrency, 1);
        assert_eq!(seq.extractor(Strategy::Dom), None);
        assert_eq!(
            Contestant::Program(&PYTHON_ASYNCIO)
                .notes(Scenario::Pitfall)
                .len(),
            1
        );
        assert!(
            Contestant::Program(&PYTHON_ASYNCIO)
                .notes(Scenario::Scrape)
                .is_empty()
        );
        assert_eq!(pool.notes(Scenario::Scrape).len(), 1);
        assert!(!Contestant::Program(&PROTOCOL_EXAMPLE).in_tour());
    }

    #[test]
    fn python_threads_cpu_follows_the_gil_its_run_reported() {
        let threads = Contestant::Program(&PYTHON_THREADS);
        let knobs = Knobs {
            threads: 4,
            ..Knobs::default()
        };
        let runtime = |json: &str| -> BTreeMap<String, serde_json::Value> {
            serde_json::from_str(json).expect("a JSON object")
        };
        assert_eq!(threads.effective(&knobs).threads, 4, "it runs T threads");
        assert_eq!(threads.cpu_threads(&knobs, &runtime(r#"{"gil": true}"#)), 1);
        assert_eq!(
            threads.cpu_threads(&knobs, &runtime(r#"{"gil": false}"#)),
            4
        );
        // Said nothing (it crashed): T, so the ideal stays a lower bound.
        assert_eq!(threads.cpu_threads(&knobs, &runtime("{}")), 4);
        // Processes are not held by one GIL.
        let pool = Contestant::Program(&PYTHON_POOL);
        assert_eq!(pool.cpu_threads(&knobs, &runtime(r#"{"gil": true}"#)), 4);
        assert_eq!(Contestant::Program(&PYTHON_UVLOOP).needs(), ["uvloop"]);
    }
}
