//! Measuring the ranking on judged questions (a BEIR-like test collection).
//!
//! Every query runs through the same [`Searcher`] and [`Plan`] as `search`,
//! with its text taken as unquoted words (so quotes, dashes and colons in a
//! question are plain text), near-duplicates collapsed as there (unless
//! the options say not to) and without passages, which do not change the
//! ranking. A collapsed hit counts as the judged article among itself and
//! the copies it carries: the user sees their ids, and the text is the
//! same. [`metrics`] reads the files and computes the measures.
//!
//! [`Plan`]: crate::search::Plan

pub mod metrics;

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;

use crate::search::rerank::Candidate;
use crate::search::syntax::{Atom, Clause, Parsed, Scope};
use crate::search::{SearchOptions, Searcher};
use metrics::{Accumulator, EvalQuery, Qrels, Summary};

/// Results fetched per query (the deepest cut-off reported).
pub const FETCH: usize = 100;

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
    /// How it reads: keywords, question or description (see
    /// [`crate::analysis::query::reading::Reading`]).
    pub reading: &'static str,
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
    pub candidates: Vec<Candidate>,
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
            reading: plan.reading.label(),
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

#[cfg(test)]
mod tests {
    use super::*;

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
