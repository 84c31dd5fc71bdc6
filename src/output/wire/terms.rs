//! The records of `terms`: one `term` per significant term, then a
//! `summary`; the same objects in the answer of `/api/terms`.

use serde::Serialize;

use crate::search::terms::Terms;

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

/// The answer of `/api/terms`: the summary's fields, then the terms.
#[derive(Debug, Serialize)]
pub struct TermsResponse<'a> {
    /// The summary.
    #[serde(flatten)]
    pub summary: Summary<'a>,
    /// The `term` objects.
    pub terms: Vec<TermLine<'a>>,
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
