//! `shootout list`: every contestant (what it shows, its driver here, the file API its `files`
//! scenario reads through, how it starts and whether it can), every scenario and every
//! extraction strategy.

use clap::Args;
use shootout_core::{Scenario, Strategy};
use shootout_lab::registry::{self, Launch};

#[derive(Args, Debug)]
pub struct ListArgs {
    /// Print only the names of the tour's contestants that can run here, one a line (for
    /// scripts: `for c in $(shootout list --names)`).
    #[arg(long)]
    pub names: bool,
}

pub fn run(args: &ListArgs) -> anyhow::Result<()> {
    if args.names {
        for c in registry::available().0 {
            println!("{}", c.name());
        }
        return Ok(());
    }
    println!("Contestants (driver: what their I/O goes through on this machine):");
    let line = |label: &str, text: &str| println!("  {:<22} {:<11} {label}: {text}", "", "");
    for c in registry::all() {
        println!(
            "  {:<22} {:<11} {}",
            c.name(),
            c.family().to_string(),
            c.about()
        );
        match c.driver() {
            Ok(d) => line("driver", &d.to_string()),
            Err(e) => line("driver", &format!("none: {e}")),
        }
        // `write` goes through the same API as `files`: its write calls.
        match c.file_api() {
            Some(api) => line("file API", api),
            None => line("file API", "none: sits files and write out"),
        }
        if let Some(caveat) = c.caveat() {
            line("note", caveat);
        }
        let how = match c.launch() {
            Launch::ThisBinary => None,
            Launch::PythonModule(module) => Some(format!("python -m {module}")),
            Launch::Command(words) => Some(words.join(" ")),
        };
        if let Some(how) = how {
            let ready = match (c.ready(), c.launch()) {
                (Ok(()), Launch::PythonModule(_)) => match (
                    shootout_lab::python::interpreter(),
                    shootout_lab::python::ready_for(c.name(), c.needs()),
                ) {
                    (Ok(p), Ok(versions)) => {
                        format!("ready: {versions} ({}, from {})", p.path.display(), p.from)
                    }
                    (Err(e), _) | (_, Err(e)) => format!("not ready: {e:#}"),
                },
                (Ok(()), _) => "ready".to_owned(),
                (Err(why), _) => format!("not ready: {why}"),
            };
            let tour = if c.in_tour() { "" } else { "; not in the tour" };
            line("runs as", &format!("{how} ({ready}{tour})"));
        }
    }
    println!("\nScenarios:");
    for s in Scenario::ALL {
        println!("  {:<10} {}", s.name(), s.about());
    }
    println!("\nExtraction strategies (--extract):");
    for s in Strategy::ALL {
        println!("  {:<10} {}", s.name(), s.about());
    }
    Ok(())
}
