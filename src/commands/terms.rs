//! `newsidx terms`: the significant words, people, places or
//! organisations of the articles a query matches
//! ([`crate::search::terms`]). Aligned columns for people, `--json` (one
//! `term` line each, then a `summary`) or `--csv`.

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::Result;

use crate::cli::{TermsArgs, TermsKindArg};
use crate::exit::Exit;
use crate::output::json::write_record;
use crate::output::wire::terms::{lines, summary, Summary};
use crate::search::terms::{terms, TermKind, Terms};
use crate::search::Searcher;

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
    let pad = " ".repeat(tw - 4);
    writeln!(w, "term{pad}    count   corpus         G²")?;
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
    let opts = super::count::as_written(&args.dates)?;
    let q = args.query.join(" ");
    let searcher = Searcher::open(dir)?;
    let plan = searcher.plan_text(&q, &opts)?;
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
