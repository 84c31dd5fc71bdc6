//! newsidx: full-text search for folders of Chinese news articles.
//!
//! The library behind the `newsidx` binary: [`corpus`] reads dumps,
//! [`analysis`] segments Chinese text (jieba words and CJK bigrams),
//! [`index`] writes a tantivy index, [`search`] ranks articles and picks
//! passages, and [`output`] prints them for people or scripts.

pub mod analysis;
pub mod cli;
pub mod commands;
pub mod corpus;
pub mod eval;
pub mod exit;
pub mod index;
pub mod output;
pub mod progress;
pub mod search;

use exit::Exit;

/// Runs a parsed command line; errors are printed as one line on stderr.
pub fn run(cli: cli::Cli) -> Exit {
    match commands::dispatch(cli) {
        Ok(exit) => exit,
        Err(e) => {
            if is_broken_pipe(&e) {
                return Exit::Success;
            }
            eprintln!("newsidx: {}", one_line(&format!("{e:#}")));
            Exit::Error
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Folds a message onto one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
