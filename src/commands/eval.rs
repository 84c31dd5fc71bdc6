//! `newsidx eval`: retrieval quality of the index on a test collection
//! (see [`crate::evaluation`] for how queries are run and judged).

use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::cli::EvalArgs;
use crate::evaluation::metrics::{parse_qrels, parse_queries};
use crate::evaluation::{evaluate, QueryResult, FETCH};
use crate::exit::Exit;
use crate::messages;
use crate::output::json::write_record;
use crate::output::wire::eval::{FeaturesLine, WireCandidate};
use crate::search::{SearchOptions, Weights};

/// Applies one `NAME=VALUE` override to the ranking options.
pub fn apply_setting(opts: &mut SearchOptions, setting: &str) -> Result<()> {
    let Some((name, value)) = setting.split_once('=') else {
        bail!("--set {setting:?}: expected NAME=VALUE");
    };
    let v: f32 = value
        .trim()
        .parse()
        .with_context(|| format!("--set {setting:?}: {value:?} is not a number"))?;
    match name.trim() {
        "relax_below" => opts.relax_below = v.max(0.0) as usize,
        name if opts.weights.set(name, v) => {}
        other => bail!(
            "--set {other:?}: unknown setting (known: {}, relax_below)",
            Weights::names().collect::<Vec<_>>().join(", ")
        ),
    }
    Ok(())
}

/// The help of `eval --set`, naming every setting it takes (given to the
/// definition at run time by [`super::definition`]).
pub fn set_help() -> String {
    let names: Vec<&str> = Weights::names().collect();
    format!(
        "Override a ranking setting for this run, e.g. `--set coord=0.5` ({}, relax_below); a re-ranking setting from proximity on sets it for keywords and questions, the same name after `{q}` for questions only (`--set {q}best_passage=1`), after `{p}` for descriptions (`--set {p}pairs=0.6`); repeatable. For tuning",
        names.join(", "),
        p = crate::search::weights::DESCRIPTION_PREFIX,
        q = crate::search::weights::QUESTION_PREFIX,
    )
}

/// Writes one query's re-ranking candidates as a JSON line:
/// `{"qid", "reading", "candidates": [{"id", "rel", "score", features…}]}`.
fn write_candidates(out: &mut impl Write, r: &QueryResult) -> Result<()> {
    let cands: Vec<WireCandidate> = r
        .candidates
        .iter()
        .map(|c| WireCandidate {
            id: &c.id,
            rel: r.relevant.get(&c.id).copied().unwrap_or(0),
            score: c.score,
            features: &c.features,
        })
        .collect();
    let line = FeaturesLine {
        candidates: cands,
        qid: r.id,
        reading: r.reading,
    };
    Ok(line.write(out)?)
}

/// Runs `newsidx eval`.
pub fn run(dir: &Path, args: EvalArgs) -> Result<Exit> {
    let read = |p: &Path| {
        std::fs::read_to_string(p).with_context(|| format!("{}: cannot read", p.display()))
    };
    let queries = parse_queries(&read(&args.queries)?)
        .with_context(|| format!("{}", args.queries.display()))?;
    let qrels =
        parse_qrels(&read(&args.qrels)?).with_context(|| format!("{}", args.qrels.display()))?;
    let mut opts = SearchOptions {
        limit: FETCH,
        collapse: !args.no_collapse,
        passages: 0,
        ..SearchOptions::default()
    };
    for s in &args.set {
        apply_setting(&mut opts, s)?;
    }
    let searcher = super::engine::searcher(dir, &args.engine)?;
    searcher.first_stage().take_partial();
    let start = Instant::now();
    let mut out = io::BufWriter::new(io::stdout().lock());
    let per_query = args.per_query;
    let mut features = match &args.features {
        Some(path) => Some(io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("{}: cannot create", path.display()))?,
        )),
        None => None,
    };
    let with_candidates = features.is_some();
    let summary = evaluate(
        &searcher,
        &queries,
        &qrels,
        &opts,
        with_candidates,
        &mut |r| {
            if per_query {
                write_record(&mut out, "query", &r)?;
            }
            if let Some(f) = features.as_mut() {
                write_candidates(f, &r)?;
            }
            Ok(())
        },
    )?;
    let secs = start.elapsed().as_secs_f64();
    // Part of an engine missing makes every figure suspect: said once.
    super::engine::take_partial(&searcher);
    if let (Some(f), Some(path)) = (features.as_mut(), &args.features) {
        f.flush()
            .with_context(|| format!("{}: cannot write", path.display()))?;
    }
    if summary.queries == 0 {
        bail!(
            "{}: no query has a relevant document in {}",
            args.queries.display(),
            args.qrels.display()
        );
    }
    if args.json {
        write_record(&mut out, "summary", &summary)?;
    } else {
        writeln!(out, "queries     {}", summary.queries)?;
        writeln!(out, "MRR@10      {:.4}", summary.mrr10)?;
        writeln!(out, "nDCG@10     {:.4}", summary.ndcg10)?;
        writeln!(out, "Recall@10   {:.4}", summary.recall10)?;
        writeln!(out, "Recall@100  {:.4}", summary.recall100)?;
    }
    out.flush()?;
    messages::status(&format!(
        "evaluated {} queries in {:.2}s ({:.1} ms/query)",
        summary.queries,
        secs,
        secs * 1000.0 / summary.queries as f64
    ));
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_override_weights() {
        let mut o = SearchOptions::default();
        apply_setting(&mut o, "title_words=0.25").unwrap_or(());
        apply_setting(&mut o, "relax_below=3").unwrap_or(());
        assert_eq!(o.weights.title_words, 0.25);
        assert_eq!(o.relax_below, 3);
        assert!(apply_setting(&mut o, "nope=1").is_err());
        assert!(apply_setting(&mut o, "coord").is_err());
        assert!(apply_setting(&mut o, "coord=x").is_err());
    }
}
