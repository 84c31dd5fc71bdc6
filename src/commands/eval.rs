//! `newsidx eval`: retrieval quality of the index on a test collection.
//!
//! Every query runs through the same [`Searcher`] and [`Plan`] as `search`,
//! with its text taken as unquoted words (so quotes, dashes and colons in a
//! question are plain text), near-duplicates collapsed as there (unless
//! `--no-collapse`) and without passages, which do not change the ranking.
//! A collapsed hit counts as the judged article among itself and the
//! copies it carries: the user sees their ids, and the text is the same.
//!
//! [`Plan`]: crate::search::Plan

use std::collections::HashMap;
use std::io::{self, Write};
use std::path::Path;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::Serialize;

use crate::cli::EvalArgs;
use crate::eval::{parse_qrels, parse_queries, Accumulator, EvalQuery, Qrels, Summary};
use crate::exit::Exit;
use crate::search::proximity::Features;
use crate::search::syntax::{Atom, Clause, Parsed, Scope};
use crate::search::{SearchOptions, Searcher, Weights};

/// Results fetched per query (the deepest cut-off reported).
pub const FETCH: usize = 100;

/// Applies one `NAME=VALUE` override to the ranking options.
pub fn apply_setting(opts: &mut SearchOptions, setting: &str) -> Result<()> {
    let Some((name, value)) = setting.split_once('=') else {
        bail!("--set {setting:?}: expected NAME=VALUE");
    };
    let v: f32 = value
        .trim()
        .parse()
        .with_context(|| format!("--set {setting:?}: {value:?} is not a number"))?;
    let w: &mut Weights = &mut opts.weights;
    match name.trim() {
        "title_words" => w.title_words = v,
        "body_words" => w.body_words = v,
        "title_bigrams" => w.title_bigrams = v,
        "body_bigrams" => w.body_bigrams = v,
        "coord" => w.coord = v,
        "bigram_bag" => w.bigram_bag = v,
        "chunk" => w.chunk = v,
        "proximity" => w.proximity = v,
        "window" => w.window = v.max(1.0) as usize,
        "title_cover" => w.title_cover = v,
        "rerank_depth" => w.rerank_depth = v.max(0.0) as usize,
        "wide" => w.wide = v,
        "coverage" => w.coverage = v,
        "title_words_share" => w.title_words_share = v,
        "length" => w.length = v,
        "answer" => w.answer = v,
        "pairs" => w.pairs = v,
        "relax_below" => opts.relax_below = v.max(0.0) as usize,
        other => bail!(
            "--set {other:?}: unknown setting (known: title_words, body_words, \
             title_bigrams, body_bigrams, coord, chunk, bigram_bag, proximity, window, title_cover, \
             rerank_depth, wide, coverage, title_words_share, length, pairs, answer, relax_below)"
        ),
    }
    Ok(())
}

/// The query of a question: its whole text as one clause of unquoted words.
pub fn question(text: &str) -> Parsed {
    Parsed {
        groups: vec![vec![Clause {
            scope: Scope::Any,
            atom: Atom::Words(text.to_string()),
        }]],
        excluded: Vec::new(),
    }
}

/// How one query fared (`--per-query`).
#[derive(Debug, Serialize)]
pub struct QueryResult<'a> {
    /// Query id.
    pub id: &'a str,
    /// Query text.
    pub text: &'a str,
    /// 1-based rank of the first relevant document in the results, if any.
    pub first_relevant: Option<usize>,
    /// Articles that matched.
    pub total_hits: usize,
    /// `[required, of]` query units when the match was relaxed.
    pub relaxed: Option<(usize, usize)>,
    /// The top ten ids.
    pub top: Vec<String>,
    /// Their scores.
    pub scores: Vec<f32>,
    /// The re-ranking candidates (id, first-stage score, features), when
    /// asked for (`--features`).
    #[serde(skip)]
    pub candidates: Vec<(String, f32, Features)>,
    /// The judgements of this query.
    #[serde(skip)]
    pub relevant: &'a HashMap<String, u32>,
}

/// Runs every query of `queries` against `searcher` and scores the rankings;
/// `each` sees every judged query's result, with its re-ranking candidates
/// when `with_candidates`.
pub fn evaluate(
    searcher: &Searcher,
    queries: &[EvalQuery],
    qrels: &Qrels,
    opts: &SearchOptions,
    with_candidates: bool,
    each: &mut dyn FnMut(QueryResult) -> Result<()>,
) -> Result<Summary> {
    let mut acc = Accumulator::default();
    for q in queries {
        let Some(rel) = qrels.get(&q.id) else {
            continue;
        };
        let plan = searcher.plan(&question(&q.text), opts);
        let hits = searcher.run(&plan, opts)?;
        let candidates = if with_candidates {
            searcher.candidates(&plan, opts)?
        } else {
            Vec::new()
        };
        let scores = hits
            .hits
            .iter()
            .take(10)
            .map(|h| h.score.unwrap_or(0.0))
            .collect();
        let ranked: Vec<String> = hits
            .hits
            .into_iter()
            .map(|h| {
                if rel.contains_key(&h.id) {
                    return h.id;
                }
                h.duplicates
                    .into_iter()
                    .find(|d| rel.contains_key(d))
                    .unwrap_or(h.id)
            })
            .collect();
        acc.add(&ranked, rel);
        each(QueryResult {
            id: &q.id,
            text: &q.text,
            first_relevant: ranked
                .iter()
                .position(|d| rel.contains_key(d))
                .map(|p| p + 1),
            total_hits: hits.total_hits,
            relaxed: hits.relaxed,
            top: ranked.into_iter().take(10).collect(),
            scores,
            candidates,
            relevant: rel,
        })?;
    }
    Ok(acc.finish())
}

/// One re-ranking candidate (`--features`).
#[derive(Debug, Serialize)]
struct Candidate<'a> {
    id: &'a str,
    /// Relevance from the judgements (0 when not judged).
    rel: u32,
    /// First-stage score.
    score: f32,
    #[serde(flatten)]
    features: &'a Features,
}

/// Writes one query's re-ranking candidates as a JSON line:
/// `{"qid", "candidates": [{"id", "rel", "score", features…}]}`.
fn write_candidates(out: &mut impl Write, r: &QueryResult) -> Result<()> {
    let cands: Vec<Candidate> = r
        .candidates
        .iter()
        .map(|(id, score, features)| Candidate {
            id,
            rel: r.relevant.get(id).copied().unwrap_or(0),
            score: *score,
            features,
        })
        .collect();
    serde_json::to_writer(
        &mut *out,
        &serde_json::json!({"qid": r.id, "candidates": cands}),
    )?;
    writeln!(out)?;
    Ok(())
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
    let searcher = Searcher::open(dir)?;
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
                serde_json::to_writer(&mut out, &r)?;
                writeln!(out)?;
            }
            if let Some(f) = features.as_mut() {
                write_candidates(f, &r)?;
            }
            Ok(())
        },
    )?;
    let secs = start.elapsed().as_secs_f64();
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
        writeln!(out, "{}", serde_json::to_string(&summary)?)?;
    } else {
        writeln!(out, "queries     {}", summary.queries)?;
        writeln!(out, "MRR@10      {:.4}", summary.mrr10)?;
        writeln!(out, "nDCG@10     {:.4}", summary.ndcg10)?;
        writeln!(out, "Recall@10   {:.4}", summary.recall10)?;
        writeln!(out, "Recall@100  {:.4}", summary.recall100)?;
    }
    out.flush()?;
    eprintln!(
        "newsidx: evaluated {} queries in {:.2}s ({:.1} ms/query)",
        summary.queries,
        secs,
        secs * 1000.0 / summary.queries as f64
    );
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

    #[test]
    fn questions_are_unquoted_words() {
        let p = question("「梵語」是 -什么？");
        assert_eq!(p.groups.len(), 1);
        assert!(p.excluded.is_empty());
        assert_eq!(
            p.groups[0][0].atom,
            Atom::Words("「梵語」是 -什么？".into())
        );
    }
}
