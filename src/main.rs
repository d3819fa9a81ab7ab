//! The `shootout` command: the tour, single runs, crawling any site, and the embedded server.
//!
//! Run with: `cargo run --release` (the tour), or `cargo run --release -- --help`.
//!
//! This file parses the arguments and hands them to one command (`cmd/<name>.rs`, each with
//! one `run`). What every command shares: the arguments (`cli.rs`) and how each is checked
//! (`flags.rs`); `tour` and `run` also share the loop over a sweep's points (`sweep.rs`) and
//! where their rows go (`sink.rs`).

mod cli;
mod cmd;
mod flags;
mod sink;
mod sweep;

use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;
use shootout_lab::harness;

use crate::cli::{Cli, Cmd};

// One allocator for every contestant, since each runs in a child process of this binary: the
// system's, tuned in `shootout_lab::alloc`, or mimalloc with `--features mimalloc`.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    shootout_lab::alloc::tune();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        // A bad value gets one line that names the flag, the value and what was expected
        // (clap's message, from the checks in flags.rs), like every other bad input, and exit
        // status 2; anything else (help, a missing argument and its usage) is clap's own.
        Err(e)
            if matches!(
                e.kind(),
                ErrorKind::InvalidValue | ErrorKind::ValueValidation
            ) =>
        {
            let message = e.to_string();
            eprintln!(
                "{}",
                message.lines().next().unwrap_or("error: invalid value")
            );
            return ExitCode::from(2);
        }
        Err(e) => e.exit(),
    };
    if let Some(path) = &cli.python {
        shootout_lab::python::choose(path.clone());
    }
    let done = |result: anyhow::Result<()>| result.map(|()| ExitCode::SUCCESS);
    finish(match cli.command {
        // No command: the tour, with every default exactly as `shootout tour` has them.
        None => match Cli::parse_from(["shootout", "tour"]).command {
            Some(Cmd::Tour(args)) => done(cmd::tour::run(&args)),
            _ => unreachable!("`shootout tour` parses as the tour command"),
        },
        Some(Cmd::Tour(args)) => done(cmd::tour::run(&args)),
        Some(Cmd::Run(args)) => done(cmd::run::run(&args)),
        Some(Cmd::Crawl(args)) => cmd::crawl::run(&args),
        Some(Cmd::Serve(args)) => done(cmd::serve::run(&args)),
        Some(Cmd::Report(args)) => cmd::report::run(&args),
        Some(Cmd::Compare(args)) => done(cmd::compare::run(&args)),
        Some(Cmd::List(args)) => done(cmd::list::run(&args)),
        // The child protocol's side: its own exit statuses (2 for a job it cannot run).
        Some(Cmd::Child) => return harness::child_main(),
        Some(Cmd::Calibrate) => return harness::calibrate_main(),
    })
}

/// The exit status of a command: its own, or 1 with its error on one line.
fn finish(result: anyhow::Result<ExitCode>) -> ExitCode {
    match result {
        Ok(status) => status,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
