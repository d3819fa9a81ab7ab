//! What the test files that run one body per contestant share.
//!
//! [`per_contestant!`] gives every registered contestant a module of its own with one
//! `#[test]` per body (ripgrep's `rgtest!` idea), so that a filter selects exactly one
//! contestant: `cargo test contestants::tokio::` runs tokio's tests and not
//! tokio-current-thread's (`contestants::tokio_current_thread::`). A new contestant gets every
//! body by adding one line to the list in the macro; `the_list_is_the_registry` fails until
//! it is there.
//!
//! Every body runs its contestant the way the harness does: a child process on the one
//! protocol ([`run`]). A contestant that cannot run here (no Python interpreter) skips with a
//! printed note, or fails when `SHOOTOUT_REQUIRE_PYTHON` is set (CI sets it).

#![allow(dead_code)] // each test binary uses its own part of this file

use std::io::Write as _;
use std::time::Duration;

use shootout_core::Job;
use shootout_core::knobs::Shape;
use shootout_lab::harness::{self, ChildRun, runner};
use shootout_lab::registry::{self, Contestant};
use shootout_site::{Content, Server, ServerConfig, SiteSpec};

/// One module per contestant, each with one `#[test]` per body. Each body is a function of
/// the test file taking the contestant's name.
#[macro_export]
macro_rules! per_contestant {
    ($($body:ident),* $(,)?) => {
        $crate::per_contestant!(@each [$($body),*]
            sequential "sequential",
            tokio "tokio",
            tokio_current_thread "tokio-current-thread",
            async_std "async-std",
            smol "smol",
            compio "compio",
            threads "threads",
            rayon "rayon",
            crossbeam "crossbeam",
            hybrid "hybrid",
            python_sequential "python-sequential",
            python_asyncio "python-asyncio",
            python_uvloop "python-uvloop",
            python_threads "python-threads",
            python_pool "python-pool",
            protocol_example "protocol-example",
        );
    };
    (@each $bodies:tt $($module:ident $name:literal),* $(,)?) => {
        mod contestants {
            /// Every contestant the list names, for `the_list_is_the_registry`.
            pub const NAMES: &[&str] = &[$($name),*];
            $( $crate::per_contestant!(@one $module $name $bodies); )*
        }

        #[test]
        fn the_list_is_the_registry() {
            let registered: Vec<&str> = shootout_lab::registry::all().map(|c| c.name()).collect();
            assert_eq!(
                contestants::NAMES,
                registered.as_slice(),
                "tests/common/mod.rs lists every registered contestant, in order"
            );
        }
    };
    (@one $module:ident $name:literal [$($body:ident),*]) => {
        mod $module {
            $(
                #[test]
                fn $body() {
                    $crate::$body($name)
                }
            )*
        }
    };
}

/// The contestant named `name`, if it can run here. If it cannot (a Python program with no
/// interpreter), says so on stderr and gives `None`; under `SHOOTOUT_REQUIRE_PYTHON`, fails.
pub fn ready(name: &str) -> Option<Contestant> {
    let c = registry::find(name).unwrap_or_else(|| panic!("{name} is not registered"));
    harness::use_binary(env!("CARGO_BIN_EXE_shootout"));
    match c.ready() {
        Ok(()) => Some(c),
        Err(why) if std::env::var_os("SHOOTOUT_REQUIRE_PYTHON").is_some() => {
            panic!("{name}: SHOOTOUT_REQUIRE_PYTHON is set, and {why}")
        }
        Err(why) => {
            skip(name, &why);
            None
        }
    }
}

/// Says on stderr that a check did not run for `name`, and why. Written to stderr itself, not
/// with eprintln!, which the test harness captures and shows only for failures: a skipped
/// check must say so in a passing run too.
pub fn skip(name: &str, why: &str) {
    let _ = writeln!(std::io::stderr().lock(), "note: {name}: skipped: {why}");
}

/// Runs `job` in `contestant`'s process, as the harness does, killed after two minutes.
pub fn run(contestant: Contestant, job: &Job) -> ChildRun {
    runner::run(contestant, job, Duration::from_secs(120), |_| None)
}

/// [`run`], with `job` for `contestant`.
pub fn run_as(contestant: Contestant, job: &Job) -> ChildRun {
    let job = Job {
        contestant: contestant.name().to_owned(),
        ..job.clone()
    };
    run(contestant, &job)
}

/// The synthetic site of `pages` pages of `page_kb` KiB, each response held `latency`, served
/// on 127.0.0.1 by two threads (over https, with a CA made at start, if `tls`).
pub fn synthetic(pages: usize, page_kb: usize, latency: Duration, tls: bool) -> Server {
    shaped(pages, page_kb, latency, tls, Shape::default())
}

/// [`synthetic`], with slow pages or a stall ([`Shape`]).
pub fn shaped(pages: usize, page_kb: usize, latency: Duration, tls: bool, shape: Shape) -> Server {
    Server::start(ServerConfig {
        content: Content::Synthetic(SiteSpec {
            pages,
            page_kb,
            seed: 3,
            quirks: false,
            links: 0,
        }),
        latency,
        threads: 2,
        tls,
        shape,
        ..ServerConfig::default()
    })
    .expect("the test site starts")
}
