//! `newsidx search`.

use std::io::{self, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Result};
use termcolor::{BufferedStandardStream, ColorChoice};

use super::batch;
use crate::cli::{ColorWhen, SearchArgs, SortArg};
use crate::exit::Exit;
use crate::messages;
use crate::output::{human, json};
use crate::search::{DateRange, Hits, SearchOptions, Searcher, Sort};

/// Search options from the command line.
pub fn options(args: &SearchArgs) -> Result<SearchOptions> {
    let dates = DateRange::parse(
        args.dates.since.as_deref(),
        args.dates.until.as_deref(),
        ["--since", "--until"],
    )?;
    if args.limit == 0 {
        bail!("--limit must be at least 1");
    }
    Ok(SearchOptions {
        limit: args.limit,
        offset: args.offset,
        sort: match args.sort {
            SortArg::Relevance => Sort::Relevance,
            SortArg::Date => Sort::Date,
        },
        dates,
        collapse: !args.no_collapse,
        passages: args.passages.min(10),
        relax_below: if args.no_relax {
            0
        } else {
            SearchOptions::default().relax_below
        },
        synonyms: !args.no_synonyms,
        ..SearchOptions::default()
    })
}

fn color_choice(when: ColorWhen) -> ColorChoice {
    match when {
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if !no_color && io::stdout().is_terminal() {
                ColorChoice::Auto
            } else {
                ColorChoice::Never
            }
        }
    }
}

/// Runs the queries of a batch file (or stdin), one per line, as JSON Lines.
/// A query that fails prints an `error` line and the batch goes on; the run
/// then exits 2.
fn run_batch(searcher: &Searcher, opts: &SearchOptions, source: &Path) -> Result<Exit> {
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let (mut any_hit, mut any_error) = (false, false);
    batch::for_each_query(source, |n, q, valid| {
        // A line that is not UTF-8 is one failed query, not the end of
        // the batch.
        let start = Instant::now();
        let result = if valid {
            searcher.search(q, opts)
        } else {
            Err(anyhow::anyhow!("not valid UTF-8"))
        };
        match result {
            Ok(hits) => {
                work_stat(&hits);
                any_hit |= hits.total_hits > 0 || hits.relaxed_hits > 0;
                super::engine::warn_partial(&hits.partial);
                json::write_hits(
                    &mut w,
                    &hits,
                    start.elapsed().as_secs_f64() * 1000.0,
                    Some(q),
                )?;
            }
            Err(e) => {
                any_error = true;
                messages::error(&format!("{}: line {n}: {e:#}", source.display()));
                json::write_error(&mut w, q, format!("{e:#}"))?;
            }
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(Exit::of_batch(any_error, any_hit))
}

/// With `NEWSIDX_STATS` set, one line on stderr per search: the articles
/// the first stage scored (the work of a search, which dynamic pruning
/// bounds; see `Hits::scored`).
fn work_stat(hits: &Hits) {
    if std::env::var_os("NEWSIDX_STATS").is_some() {
        messages::status(&format!("stats: scored {} articles", hits.scored));
    }
}

/// Runs one search (or a batch) and prints it.
pub fn run(dir: &Path, args: SearchArgs) -> Result<Exit> {
    let opts = options(&args)?;
    let searcher = super::engine::searcher(dir, &args.engine)?;
    if let Some(source) = &args.batch {
        return run_batch(&searcher, &opts, source);
    }
    let q = args.query.join(" ");
    let start = Instant::now();
    let hits = searcher.search(&q, &opts)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    work_stat(&hits);
    super::engine::warn_partial(&hits.partial);
    if args.json {
        let stdout = io::stdout();
        let mut w = io::BufWriter::new(stdout.lock());
        json::write_hits(&mut w, &hits, ms, None)?;
        w.flush()?;
    } else {
        let mut w = BufferedStandardStream::stdout(color_choice(args.color));
        human::write_hits(&mut w, &hits, ms)?;
        w.flush()?;
    }
    // Exit 0 when some article matched, even if the page shown is empty;
    // a relaxed search that found articles with some of the words counts
    // (with --no-relax, exit 0 means a match as written).
    Ok(if hits.total_hits == 0 && hits.relaxed_hits == 0 {
        Exit::NoHits
    } else {
        Exit::Success
    })
}
