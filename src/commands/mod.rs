//! One module per subcommand; each turns resolved options into output.

pub mod analyze;
pub mod eval;
pub mod index;
pub mod inspect;
pub mod search;
pub mod stats;

use anyhow::Result;

use crate::cli::{Cli, Command};
use crate::exit::Exit;

/// Runs the subcommand of `cli`.
pub fn dispatch(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Index(args) => index::run(&cli.index, args),
        Command::Search(args) => search::run(&cli.index, args),
        Command::Stats(args) => stats::run(&cli.index, args),
        Command::Inspect(args) => inspect::run(args),
        Command::Eval(args) => eval::run(&cli.index, args),
        Command::Analyze(args) => analyze::run(&cli.index, args),
    }
}

/// Prints a warning line on stderr.
pub fn warn(msg: &str) {
    eprintln!("newsidx: warning: {}", crate::one_line(msg));
}
