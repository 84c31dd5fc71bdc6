//! The `newsidx` binary: parse the command line, run, exit.

use std::process::ExitCode;

/// mimalloc instead of the system allocator: indexing frees and reallocates
/// large token buffers and postings arenas on several threads, which left
/// glibc's per-thread arenas fragmented (resident memory grew with the
/// corpus; BENCHMARKS.md, "Scale (1 GB)"); mimalloc returns that memory.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args = newsidx::cli::prepare_args(std::env::args_os());
    match newsidx::commands::parse(&args) {
        Ok(cli) => newsidx::commands::run(cli).into(),
        Err(e) => match newsidx::cli::usage_error(&e, &args) {
            Some(line) => {
                newsidx::messages::error(&line);
                newsidx::exit::Exit::Error.into()
            }
            // --help, --version and a bare `newsidx`: clap's own text.
            None => e.exit(),
        },
    }
}
