//! The `newsidx` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = newsidx::cli::Cli::parse();
    newsidx::run(cli).into()
}
