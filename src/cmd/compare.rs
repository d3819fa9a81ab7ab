//! `shootout compare A B`: the ratio of median wall times for every row two results files
//! have in common ([`shootout_report::compare`]).

use std::path::PathBuf;

use clap::Args;

#[derive(Args, Debug)]
pub struct CompareArgs {
    /// The first results file (A).
    pub a: PathBuf,
    /// The second results file (B); ratios are B / A.
    pub b: PathBuf,
}

pub fn run(args: &CompareArgs) -> anyhow::Result<()> {
    print!("{}", shootout_report::compare::compare(&args.a, &args.b)?);
    Ok(())
}
