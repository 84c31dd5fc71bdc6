//! `newsidx search`.

use std::io::{self, BufRead, IsTerminal, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use termcolor::{BufferedStandardStream, ColorChoice};

use crate::cli::{ColorWhen, SearchArgs, SortArg};
use crate::corpus::date::{self, parse_date};
use crate::exit::Exit;
use crate::messages;
use crate::output::{human, json};
use crate::search::{DateRange, SearchOptions, Searcher, Sort};

/// Parses a `--since`/`--until` value; `end_of_day` moves it to 23:59:59.
/// A date beyond what the index stores is taken as its first or last day
/// (`--until 9999-12-31` means no end).
pub fn parse_bound(flag: &str, s: &str, end_of_day: bool) -> Result<i64> {
    let t = match parse_date(s) {
        Some(t) if end_of_day && t % 86400 == 0 => t + 86399,
        Some(t) => t,
        None => bail!("{flag} {s:?}: not a date (use e.g. 2023-07-13 or 2023年7月13日)"),
    };
    Ok(t.clamp(date::FIRST_STORABLE, date::LAST_STORABLE))
}

/// Search options from the command line.
pub fn options(args: &SearchArgs) -> Result<SearchOptions> {
    let dates = DateRange {
        since: args
            .since
            .as_deref()
            .map(|s| parse_bound("--since", s, false))
            .transpose()?,
        until: args
            .until
            .as_deref()
            .map(|s| parse_bound("--until", s, true))
            .transpose()?,
    };
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
    let input: Box<dyn BufRead> = if source == Path::new("-") {
        Box::new(io::BufReader::new(io::stdin()))
    } else {
        let f = std::fs::File::open(source)
            .with_context(|| format!("{}: cannot open", source.display()))?;
        Box::new(io::BufReader::new(f))
    };
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    let (mut any_hit, mut any_error) = (false, false);
    for (n, line) in input.split(b'\n').enumerate() {
        let line =
            line.with_context(|| format!("{}: line {}: cannot read", source.display(), n + 1))?;
        // Borrowed exactly when the line is valid UTF-8.
        let text = String::from_utf8_lossy(&line);
        let valid = matches!(text, std::borrow::Cow::Borrowed(_));
        let mut q = text.trim();
        if n == 0 {
            q = q.trim_start_matches('\u{feff}').trim_start();
        }
        if q.is_empty() {
            continue;
        }
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
                any_hit |= hits.total_hits > 0 || hits.relaxed_hits > 0;
                json::write_hits(
                    &mut w,
                    &hits,
                    start.elapsed().as_secs_f64() * 1000.0,
                    Some(q),
                )?;
            }
            Err(e) => {
                any_error = true;
                messages::error(&format!("{}: line {}: {e:#}", source.display(), n + 1));
                json::write_error(&mut w, q, format!("{e:#}"))?;
            }
        }
    }
    w.flush()?;
    Ok(if any_error {
        Exit::Error
    } else if any_hit {
        Exit::Success
    } else {
        Exit::NoHits
    })
}

/// Runs one search (or a batch) and prints it.
pub fn run(dir: &Path, args: SearchArgs) -> Result<Exit> {
    let opts = options(&args)?;
    let searcher = Searcher::open(dir)?;
    if let Some(source) = &args.batch {
        return run_batch(&searcher, &opts, source);
    }
    let q = args.query.join(" ");
    let start = Instant::now();
    let hits = searcher.search(&q, &opts)?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
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
