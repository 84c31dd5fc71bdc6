//! `newsidx index`.

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use anyhow::{Context, Result};

use crate::analysis::synonyms::Synonyms;
use crate::cli::IndexArgs;
use crate::exit::Exit;
use crate::index::writer::{self, IndexOptions};
use crate::index::{fault, Store};
use crate::messages;
use crate::threads;

/// Builds or updates the index at `dir`. A full disk or a folder that
/// cannot be written ends the run with one line saying so (fault.rs).
pub fn run(dir: &Path, args: IndexArgs) -> Result<Exit> {
    let kept = crate::index::is_index_dir(dir) && !args.rebuild;
    build(dir, args).map_err(|e| fault::explain(dir, kept, e))
}

fn build(dir: &Path, args: IndexArgs) -> Result<Exit> {
    // A synonyms file is read and checked before anything is touched, so
    // a bad one costs nothing.
    let synonyms = match &args.synonyms {
        Some(p) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read synonyms", p.display()))?;
            Synonyms::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))?;
            Some((p, text))
        }
        None => None,
    };
    if args.rebuild {
        crate::index::clear(dir)?;
    }
    let mut store = Store::open_or_create(dir)?;
    if let Some(dict) = &args.user_dict {
        let had_articles = store.has_articles()?;
        if store.set_user_dict(dict)? && had_articles {
            // Proceed: articles indexed from now on (and every query) use the
            // new dictionary; the ones already indexed keep their old words,
            // which only costs ranking (the bigram view still finds them).
            messages::warning(&format!(
                "{}: user dictionary differs from the one this index was built with; run `newsidx index --rebuild --user-dict {}` to re-segment the articles already indexed",
                dict.display(),
                dict.display()
            ));
        }
    }
    if args.entities {
        let has_articles = store.has_articles()?;
        store.enable_entities(has_articles)?;
    }
    if let Some((p, text)) = &synonyms {
        store.set_synonyms(p, text)?;
    }
    let threads = threads::writer_threads(args.threads);
    let opts = IndexOptions {
        paths: args.paths,
        heap_bytes: args.heap.saturating_mul(1 << 20),
        threads,
        prune: !args.no_prune,
        commit_every: Duration::from_secs(args.commit_every.max(1)),
        progress: !args.quiet && std::io::stderr().is_terminal(),
    };
    let report = writer::run(&store, &opts, &mut |w| messages::warning(w))?;
    if !args.quiet {
        let mb = report.bytes_read as f64 / 1e6;
        messages::status(&format!(
            "indexed {} articles from {} files ({:.1} MB) in {:.2}s; {} unchanged, {} removed, {} skipped, {} warnings; index holds {} articles",
            report.articles_added,
            report.files_indexed,
            mb,
            report.seconds,
            report.files_unchanged,
            report.files_removed,
            report.files_skipped,
            report.warnings,
            report.articles_total
        ));
        if let Some(line) = crate::corpus::walk::passed_over_summary(&report.passed_over) {
            messages::status(&line);
        }
    }
    Ok(if report.files_skipped > 0 {
        Exit::Error
    } else {
        Exit::Success
    })
}
