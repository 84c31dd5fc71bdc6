//! `newsidx count` as series: several queries side by side (`--query`,
//! `--batch`), normalised by the index (`--normalize`), as JSON Lines,
//! CSV (`--csv`) or an aligned table. Plain `count` and `count --by
//! year|month|source` without these options keep their own output
//! (`count.rs`).
//!
//! Every query's series has the same buckets in the same order
//! ([`crate::search::series::align`]): with time buckets, every period of
//! the range, empty ones at 0. JSON: `{"type":"bucket","query":Q,"key":K,
//! "count":N,"of":M,"share":x}` per bucket (`query` when several queries
//! are counted, `of`/`share` with `--normalize`), then
//! `{"type":"total",…}` per query. CSV: `query,key,count[,of,share]`, one
//! row per bucket (the undated bucket with an empty key), or one row per
//! query keyed `total` when counting without `--by`.

use std::io::{self, Write};

use anyhow::{anyhow, Result};

use crate::cli::CountArgs;
use crate::commands::batch;
use crate::exit::Exit;
use crate::messages;
use crate::output::json::write_line;
use crate::output::wire::count::Line;
use crate::search::facets::{count_plan, By, Counts};
use crate::search::series::{align, IndexCounts, Point, Series};
use crate::search::{SearchOptions, Searcher};

/// True when `count` is asked for series rather than its plain output:
/// for the new options, and for a batch counted by time (its queries'
/// series line up).
pub fn wanted(args: &CountArgs, by: Option<By>) -> bool {
    let by_time = matches!(by, Some(By::Day | By::Week | By::Month | By::Year));
    args.normalize
        || args.csv
        || !args.queries.is_empty()
        || matches!(by, Some(By::Day | By::Week))
        || (args.batch.is_some() && by_time)
}

/// What was asked: the queries in order, each counted or failed.
struct Asked {
    queries: Vec<(String, Result<Counts>)>,
    batch: bool,
}

fn count_one(s: &Searcher, q: &str, opts: &SearchOptions, by: &[By]) -> Result<Counts> {
    count_plan(s, &s.plan_text(q, opts)?, by)
}

fn ask(args: &CountArgs, s: &Searcher, opts: &SearchOptions, by: &[By]) -> Result<Asked> {
    let mut queries = Vec::new();
    if let Some(source) = &args.batch {
        batch::for_each_query(source, |n, q, valid| {
            let r = if valid {
                count_one(s, q, opts, by)
            } else {
                Err(anyhow!("not valid UTF-8"))
            };
            if let Err(e) = &r {
                messages::error(&format!("{}: line {n}: {e:#}", source.display()));
            }
            queries.push((q.to_string(), r));
            Ok(())
        })?;
        return Ok(Asked {
            queries,
            batch: true,
        });
    }
    let first = args.query.join(" ");
    let texts = (!first.trim().is_empty()).then_some(first).into_iter();
    for q in texts.chain(args.queries.iter().cloned()) {
        // A bad query on the command line is the whole command's error.
        let c = count_one(s, &q, opts, by)?;
        queries.push((q, Ok(c)));
    }
    Ok(Asked {
        queries,
        batch: false,
    })
}

/// Runs `newsidx count` in series mode.
pub fn run(
    args: &CountArgs,
    searcher: &Searcher,
    opts: &SearchOptions,
    by: Option<By>,
) -> Result<Exit> {
    let bys: Vec<By> = by.into_iter().collect();
    let asked = ask(args, searcher, opts, &bys)?;
    let ok: Vec<Counts> = asked
        .queries
        .iter()
        .filter_map(|(_, r)| r.as_ref().ok().cloned())
        .collect();
    let of = if args.normalize {
        Some(IndexCounts::new().get(searcher, by, opts.dates)?)
    } else {
        None
    };
    let mut series = align(&ok, by, of.as_deref(), opts.dates)?.into_iter();
    let rows: Vec<(&str, Result<Series, String>)> = asked
        .queries
        .iter()
        .map(|(q, r)| match r {
            Ok(_) => (q.as_str(), series.next().ok_or_else(|| "lost".to_string())),
            Err(e) => (q.as_str(), Err(format!("{e:#}"))),
        })
        .collect();
    let labelled = asked.batch || rows.len() > 1;
    // Every count is done: partial when any missed part of the engine.
    let partial = crate::commands::engine::take_partial(searcher);
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    if args.csv {
        write_csv(&mut w, &rows, by.is_some(), args.normalize)?;
    } else if args.json || asked.batch {
        write_json(&mut w, &rows, labelled, partial)?;
    } else {
        let ok: Vec<(&str, &Series)> = rows
            .iter()
            .filter_map(|(q, r)| r.as_ref().ok().map(|s| (*q, s)))
            .collect();
        crate::output::attention_table::write(&mut w, &ok, by.is_some(), labelled)?;
    }
    w.flush()?;
    let any = rows
        .iter()
        .any(|(_, r)| r.as_ref().is_ok_and(|s| s.total > 0));
    let failed = rows.iter().any(|(_, r)| r.is_err());
    Ok(Exit::of_batch(failed, any))
}

fn write_json<W: Write>(
    w: &mut W,
    rows: &[(&str, Result<Series, String>)],
    labelled: bool,
    partial: bool,
) -> Result<()> {
    for (q, r) in rows {
        let query = labelled.then_some(*q);
        match r {
            Ok(s) => {
                for p in &s.buckets {
                    write_line(w, &Line::point(query, p, false))?;
                }
                let total = Point {
                    key: None,
                    count: s.total,
                    of: s.of_total,
                };
                write_line(w, &Line::point(query, &total, true).partial(partial))?;
            }
            Err(e) => write_line(w, &Line::error(q, e.clone()))?,
        }
    }
    Ok(())
}

fn write_csv<W: Write>(
    w: &mut W,
    rows: &[(&str, Result<Series, String>)],
    by: bool,
    normalize: bool,
) -> Result<()> {
    let mut out = csv::Writer::from_writer(w);
    let mut header = vec!["query", "key", "count"];
    if normalize {
        header.extend(["of", "share"]);
    }
    out.write_record(&header)?;
    for (q, r) in rows {
        let Ok(s) = r else { continue };
        let total = [Point {
            key: Some("total".to_string()),
            count: s.total,
            of: s.of_total,
        }];
        let points = if by { &s.buckets[..] } else { &total[..] };
        for p in points {
            let mut rec = vec![
                q.to_string(),
                p.key.clone().unwrap_or_default(),
                p.count.to_string(),
            ];
            if normalize {
                rec.push(p.of.unwrap_or(0).to_string());
                rec.push(p.share().unwrap_or(0.0).to_string());
            }
            out.write_record(&rec)?;
        }
    }
    out.flush()?;
    Ok(())
}
