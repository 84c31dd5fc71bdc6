//! One module per subcommand; each turns resolved options into output.

pub mod analyze;
pub mod batch;
pub mod count;
pub mod engine;
pub mod eval;
pub mod export;
pub mod index;
pub mod inspect;
pub mod kwic;
pub mod search;
pub mod serve;
pub mod shell;
pub mod stats;
pub mod synonyms;
pub mod terms;

use anyhow::Result;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::{Cli, Command};
use crate::exit::Exit;
use crate::messages;

/// The command-line definition as the binary parses it: [`Cli`]'s, with
/// the help only the library can write (the settings `eval --set` takes).
/// Completions and the manual are generated from it too.
pub fn definition() -> clap::Command {
    // In place: `mut_subcommand` and `mut_arg` would move `eval` and
    // `--set` to the end of their lists, which the completions, the manual
    // and the help follow.
    Cli::command().mut_subcommands(|c| match c.get_name() {
        "eval" => c.mut_args(|a| match a.get_id().as_str() {
            "set" => a.help(eval::set_help()),
            _ => a,
        }),
        _ => c,
    })
}

/// Parses `args` (the program name first) against [`definition`].
pub fn parse(args: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    let mut matches = definition().try_get_matches_from(args)?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut definition()))
}

/// Runs a parsed command line; an error is printed as one line on stderr.
pub fn run(cli: Cli) -> Exit {
    match dispatch(cli) {
        Ok(exit) => exit,
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Success;
            }
            messages::fatal(&e);
            Exit::Error
        }
    }
}

/// True when `e` comes from writing to a closed pipe (`newsidx … | head`),
/// which ends the run quietly and successfully.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Runs the subcommand of `cli`.
pub fn dispatch(cli: Cli) -> Result<Exit> {
    match cli.command {
        Command::Index(args) => index::run(&cli.index, args),
        Command::Search(args) => search::run(&cli.index, args),
        Command::Count(args) => count::run(&cli.index, args),
        Command::Terms(args) => terms::run(&cli.index, args),
        Command::Stats(args) => stats::run(&cli.index, args),
        Command::Inspect(args) => inspect::run(args),
        Command::Eval(args) => eval::run(&cli.index, args),
        Command::Analyze(args) => analyze::run(&cli.index, args),
        Command::Serve(args) => serve::run(&cli.index, args),
        Command::Synonyms(args) => synonyms::run(&cli.index, args),
        Command::Completions(args) => shell::completions(args),
        Command::Man => shell::man(),
        Command::Kwic(args) => kwic::run(&cli.index, args),
        Command::Export(args) => export::run(&cli.index, args),
    }
}
