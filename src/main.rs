//! The `newsidx` binary: parse the command line, run, exit.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = newsidx::cli::Cli::parse_from(newsidx::cli::prepare_args(std::env::args_os()));
    newsidx::run(cli).into()
}
