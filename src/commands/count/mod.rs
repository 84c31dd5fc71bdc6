//! `newsidx count`: how many articles match a query as written, overall or
//! by year, month or source, without reading a passage.
//!
//! It counts exactly what `search` counts in `total_hits` (the same plan,
//! never relaxed), through the same code as the server's facets
//! ([`crate::search::facets`]). With `--json`: one
//! `{"type":"bucket","key":…,"count":N}` line per bucket (key `null` for
//! articles without a date or source, so buckets add up to the total), then
//! `{"type":"total","count":N}`; with `--batch`, every line carries its
//! `query`, and a query that fails gives an `error` line.

use std::io::{self, Write};
use std::path::Path;

use anyhow::Result;

use super::batch;

pub mod series;
use crate::cli::{ByArg, CountArgs, DateArgs};
use crate::exit::Exit;
use crate::messages;
use crate::output::json::write_line;
use crate::output::wire::count::Line;
use crate::search::facets::{count_plan, By, Counts};
use crate::search::{DateRange, SearchOptions, Searcher};

/// Counts one query string.
fn count_query(searcher: &Searcher, q: &str, opts: &SearchOptions, by: &[By]) -> Result<Counts> {
    let plan = searcher.plan_text(q, opts)?;
    count_plan(searcher, &plan, by)
}

/// Writes the counts of one query (`partial`: part of the engine did not
/// answer).
fn write_counts<W: Write>(
    w: &mut W,
    c: &Counts,
    json: bool,
    query: Option<&str>,
    partial: bool,
) -> Result<()> {
    let buckets = c.buckets.first().map(Vec::as_slice).unwrap_or_default();
    if json {
        for b in buckets {
            write_line(w, &Line::bucket(query, b.key.as_deref(), b.count))?;
        }
        write_line(w, &Line::total(query, c.total).partial(partial))?;
    } else if buckets.is_empty() {
        writeln!(w, "{}", c.total)?;
    } else {
        for b in buckets {
            writeln!(w, "{}\t{}", b.key.as_deref().unwrap_or("(none)"), b.count)?;
        }
        writeln!(w, "total\t{}", c.total)?;
    }
    Ok(())
}

/// The options of a command that reads every article a query matches as
/// written (`count`, `kwic`, `terms`): the date bounds, never relaxed.
pub fn as_written(dates: &DateArgs) -> Result<SearchOptions> {
    let dates = DateRange::parse(
        dates.since.as_deref(),
        dates.until.as_deref(),
        ["--since", "--until"],
    )?;
    Ok(SearchOptions::as_written(dates, None))
}

/// Runs `newsidx count`.
pub fn run(dir: &Path, args: CountArgs) -> Result<Exit> {
    let opts = SearchOptions {
        synonyms: !args.no_synonyms,
        ..as_written(&args.dates)?
    };
    let by: Vec<By> = args
        .by
        .map(|b| match b {
            ByArg::Day => By::Day,
            ByArg::Week => By::Week,
            ByArg::Year => By::Year,
            ByArg::Month => By::Month,
            ByArg::Source => By::Source,
        })
        .into_iter()
        .collect();
    let searcher = super::engine::searcher(dir, &args.engine)?;
    if series::wanted(&args, by.first().copied()) {
        return series::run(&args, &searcher, &opts, by.first().copied());
    }
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let Some(source) = &args.batch else {
        let q = args.query.join(" ");
        let c = count_query(&searcher, &q, &opts, &by)?;
        let partial = super::engine::take_partial(&searcher);
        write_counts(&mut w, &c, args.json, None, partial)?;
        w.flush()?;
        return Ok(if c.total > 0 {
            Exit::Success
        } else {
            Exit::NoHits
        });
    };
    let (mut any, mut failed) = (false, false);
    batch::for_each_query(source, |n, q, valid| {
        let result = if valid {
            count_query(&searcher, q, &opts, &by)
        } else {
            Err(anyhow::anyhow!("not valid UTF-8"))
        };
        match result {
            Ok(c) => {
                any |= c.total > 0;
                let partial = super::engine::take_partial(&searcher);
                write_counts(&mut w, &c, true, Some(q), partial)?;
            }
            Err(e) => {
                failed = true;
                messages::error(&format!("{}: line {n}: {e:#}", source.display()));
                write_line(&mut w, &Line::error(q, format!("{e:#}")))?;
            }
        }
        Ok(())
    })?;
    w.flush()?;
    Ok(Exit::of_batch(failed, any))
}
