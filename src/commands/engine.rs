//! `--engine`: the searcher of `search` and `count`, over the local index
//! or over the engine an export names; the line saying an answer was
//! partial.

use std::path::Path;

use anyhow::Result;

use crate::cli::EngineArgs;
use crate::messages;
use crate::search::Searcher;

/// The searcher of the index at `dir`, or of the engine `args` name.
pub fn searcher(dir: &Path, args: &EngineArgs) -> Result<Searcher> {
    match &args.engine {
        Some(spec) => crate::engine::open(spec, args.engine_dir.as_deref()),
        None => Searcher::open(dir),
    }
}

/// Says on stderr, in one line, that an answer was partial and what did
/// not answer.
pub fn warn_partial(what: &Option<String>) {
    if let Some(w) = what {
        messages::warning(&format!(
            "partial answer: part of the engine did not answer ({w})"
        ));
    }
}

/// [`warn_partial`] for what the searcher's first stage reports now;
/// true when the answers since the last call were partial.
pub fn take_partial(searcher: &Searcher) -> bool {
    let p = searcher.first_stage().take_partial();
    warn_partial(&p);
    p.is_some()
}
