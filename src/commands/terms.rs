//! `newsidx terms`: the significant words, people, places or
//! organisations of the articles a query matches
//! ([`crate::search::terms`]). Aligned columns for people, `--json` (one
//! `term` line each, then a `summary`) or `--csv`.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Result;
use serde::Serialize;

use crate::cli::{TermsArgs, TermsKindArg};
use crate::exit::Exit;
use crate::output::json::write_record;
use crate::search::terms::{terms, TermKind, Terms};
use crate::search::{syntax, DateRange, SearchOptions, Searcher};

/// A `term` line.
#[derive(Debug, Serialize)]
pub struct TermLine<'a> {
    /// The term.
    pub term: &'a str,
    /// `word`, `person`, `place` or `org`.
    pub kind: &'static str,
    /// Matching articles considered that have it.
    pub count: u64,
    /// Articles of the index that have it.
    pub corpus_count: u64,
    /// G², three decimals.
    pub score: f64,
}

/// The `summary` line.
#[derive(Debug, Serialize)]
pub struct Summary<'a> {
    /// The query.
    pub query: &'a str,
    /// What was listed.
    pub kind: &'static str,
    /// Articles the query matches.
    pub matched: u64,
    /// Matching articles considered (copies once; the sample when sampled).
    pub considered: u64,
    /// Copies counted once.
    pub copies: u64,
    /// True when an even sample of the matching articles was considered.
    pub sampled: bool,
    /// Articles in the index.
    pub corpus: u64,
    /// Terms listed.
    pub returned: usize,
    /// Milliseconds spent.
    pub elapsed_ms: f64,
}

/// The `term` lines of `t`.
pub fn lines(t: &Terms) -> Vec<TermLine<'_>> {
    t.terms
        .iter()
        .map(|x| TermLine {
            term: &x.term,
            kind: t.kind.name(),
            count: x.count,
            corpus_count: x.corpus_count,
            score: (x.score * 1000.0).round() / 1000.0,
        })
        .collect()
}

/// The summary of `t` for `query`.
pub fn summary<'a>(query: &'a str, t: &Terms, elapsed_ms: f64) -> Summary<'a> {
    Summary {
        query,
        kind: t.kind.name(),
        matched: t.matched,
        considered: t.considered,
        copies: t.copies,
        sampled: t.sampled,
        corpus: t.corpus,
        returned: t.terms.len(),
        elapsed_ms: (elapsed_ms * 10.0).round() / 10.0,
    }
}

/// The kind asked on the command line.
pub fn kind_of(k: TermsKindArg) -> TermKind {
    match k {
        TermsKindArg::Words => TermKind::Word,
        TermsKindArg::People => TermKind::Person,
        TermsKindArg::Places => TermKind::Place,
        TermsKindArg::Orgs => TermKind::Org,
    }
}

/// Columns on a terminal: a CJK character takes two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            if crate::chars::is_cjk(c) || c > '\u{2e80}' {
                2
            } else {
                1
            }
        })
        .sum()
}

fn write_human<W: Write>(w: &mut W, t: &Terms, s: &Summary<'_>) -> io::Result<()> {
    let rows = lines(t);
    let tw = rows.iter().map(|r| width(r.term)).max().unwrap_or(4).max(4);
    writeln!(
        w,
        "{}{}  {:>7}  {:>7}  {:>9}",
        "term",
        " ".repeat(tw - 4),
        "count",
        "corpus",
        "G²"
    )?;
    for r in &rows {
        let pad = " ".repeat(tw - width(r.term));
        writeln!(
            w,
            "{}{pad}  {:>7}  {:>7}  {:>9.1}",
            r.term, r.count, r.corpus_count, r.score
        )?;
    }
    writeln!(
        w,
        "{} matching articles, {} considered{}{}, of {} in the index",
        s.matched,
        s.considered,
        if s.copies > 0 {
            format!(" ({} copies counted once)", s.copies)
        } else {
            String::new()
        },
        if s.sampled { " (an even sample)" } else { "" },
        s.corpus
    )
}

fn write_csv<W: Write>(w: &mut W, t: &Terms) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    out.write_record(["term", "kind", "count", "corpus_count", "score"])?;
    for r in lines(t) {
        out.serialize((r.term, r.kind, r.count, r.corpus_count, r.score))?;
    }
    out.flush()?;
    Ok(())
}

/// Runs `newsidx terms`.
pub fn run(dir: &Path, args: TermsArgs) -> Result<Exit> {
    let started = Instant::now();
    let dates = DateRange::parse(
        args.dates.since.as_deref(),
        args.dates.until.as_deref(),
        ["--since", "--until"],
    )?;
    let opts = SearchOptions {
        dates,
        relax_below: 0,
        ..SearchOptions::default()
    };
    let q = args.query.join(" ");
    let parsed = syntax::parse(&q).map_err(|e| anyhow::anyhow!("query {q:?}: {e}"))?;
    let searcher = Searcher::open(dir)?;
    let plan = searcher.plan(&parsed, &opts);
    let t = terms(&searcher, &plan, kind_of(args.kind), args.limit)?;
    let s = summary(&q, &t, started.elapsed().as_secs_f64() * 1000.0);
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    if args.json {
        for line in lines(&t) {
            write_record(&mut w, "term", &line)?;
        }
        write_record(&mut w, "summary", &s)?;
    } else if args.csv {
        write_csv(&mut w, &t)?;
    } else {
        write_human(&mut w, &t, &s)?;
    }
    w.flush()?;
    Ok(if t.terms.is_empty() {
        Exit::NoHits
    } else {
        Exit::Success
    })
}
