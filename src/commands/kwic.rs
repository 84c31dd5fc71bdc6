//! `newsidx kwic`: every occurrence of a query in the articles it matches
//! as written, one line each with its context ([`crate::search::kwic`]).
//!
//! Without `--sort`, lines are written as they are found, article by
//! article, so `--all` starts at once and holds one article in memory at a
//! time; with `--sort`, every line is collected and sorted first (memory
//! grows with the number of lines), then the first `--limit` written.

use std::io::{self, IsTerminal};
use std::path::Path;

use anyhow::{bail, Result};
use termcolor::{BufferedStandardStream, ColorChoice, WriteColor};

use crate::cli::{ColorWhen, KwicArgs, KwicSortArg};
use crate::exit::Exit;
use crate::output::kwic::{Printer, Style};
use crate::search::kwic::{self, Order, Tally};
use crate::search::{Plan, Searcher};

/// Widest context, in characters.
pub const MAX_WIDTH: usize = 500;

fn color_choice(when: ColorWhen, human: bool) -> ColorChoice {
    let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    match when {
        _ if !human => ColorChoice::Never,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Auto if !no_color && io::stdout().is_terminal() => ColorChoice::Auto,
        ColorWhen::Auto => ColorChoice::Never,
    }
}

/// Writes the lines of `plan` as they are found, at most `limit`; one
/// line past the limit tells that there are more.
fn stream<W: WriteColor>(
    searcher: &Searcher,
    plan: &Plan,
    width: usize,
    limit: u64,
    out: &mut Printer<W>,
) -> Result<Tally> {
    let mut written = Tally::default();
    let mut last_id: Option<String> = None;
    let seen = kwic::for_each_line(searcher, plan, width, |l| {
        if written.occurrences >= limit {
            return Ok(false);
        }
        out.line(&l)?;
        written.occurrences += 1;
        if last_id.as_deref() != Some(l.id.as_str()) {
            written.articles += 1;
            last_id = Some(l.id);
        }
        Ok(true)
    })?;
    written.stopped = seen.stopped;
    Ok(written)
}

/// Runs `newsidx kwic`.
pub fn run(dir: &Path, args: KwicArgs) -> Result<Exit> {
    if args.width == 0 || args.width > MAX_WIDTH {
        bail!("--width {}: must be between 1 and {MAX_WIDTH}", args.width);
    }
    if args.limit == 0 && !args.all {
        bail!("--limit must be at least 1 (or --all)");
    }
    let opts = super::count::as_written(&args.dates)?;
    let q = args.query.join(" ");
    let searcher = Searcher::open(dir)?;
    let plan = searcher.plan_text(&q, &opts)?;
    let style = if args.json {
        Style::Json
    } else if args.csv {
        Style::Csv
    } else {
        Style::Human { width: args.width }
    };
    let human = matches!(style, Style::Human { .. });
    let w = BufferedStandardStream::stdout(color_choice(args.color, human));
    let mut out = Printer::new(w, style);
    let limit = if args.all {
        u64::MAX
    } else {
        args.limit as u64
    };
    let order = match args.sort {
        None => Order::Found,
        Some(KwicSortArg::Left) => Order::Left,
        Some(KwicSortArg::Right) => Order::Right,
        Some(KwicSortArg::Date) => Order::Date,
    };
    let tally = if order == Order::Found {
        stream(&searcher, &plan, args.width, limit, &mut out)?
    } else {
        let (lines, all) = kwic::sorted_lines(&searcher, &plan, args.width, order, usize::MAX)?;
        let shown = &lines[..lines
            .len()
            .min(usize::try_from(limit).unwrap_or(usize::MAX))];
        let mut ids = std::collections::HashSet::new();
        for l in shown {
            out.line(l)?;
            ids.insert(l.id.as_str());
        }
        Tally {
            occurrences: shown.len() as u64,
            articles: ids.len() as u64,
            stopped: all.occurrences > shown.len() as u64,
        }
    };
    out.finish(&tally)?;
    Ok(if tally.occurrences > 0 {
        Exit::Success
    } else {
        Exit::NoHits
    })
}
