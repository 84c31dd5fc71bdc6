//! Significant terms: the words, people, places or organisations unusually
//! frequent in the articles a query matches, against the rest of the index.
//!
//! Counts are of articles (an article counts once however often it has
//! the term). The matching articles are taken in date order and
//! near-duplicates collapsed as a search collapses them
//! ([`collapse`](super::collapse)), so a story syndicated fifty times
//! counts once; above [`MAX_CONSIDERED`] matching articles an even sample
//! of them is taken (said in [`Terms::sampled`]).
//!
//! The statistic is Dunning's log-likelihood ratio G² over the 2×2 table
//! of the matching articles considered (`n1`, of which `k1` have the term)
//! and the articles the query does not match (`n2`, of which `k2` have
//! it, `k2` = the index's count minus the matching articles' with copies):
//!
//! ```text
//! G² = 2 Σ O·ln(O/E)   over the cells k1, n1−k1, k2, n2−k2,
//! E  = row total × column total / (n1 + n2)
//! ```
//!
//! Only terms more frequent among the matching articles (k1/n1 > k2/n2)
//! are listed, best (highest G²) first. The words are those of jieba's
//! default cut of title and body stored at index time (`terms` field):
//! two characters at least, no number, no stop word
//! ([`is_stop_word`]); the names are the `person`, `place` and `org`
//! fields.

use std::collections::HashMap;

use crate::analysis::stopwords::is_stop_word;
use crate::search::collapse::{collapse, Copies};
use crate::search::first_stage::{DocRef, FirstStage, Scored, TermTally};
use crate::search::{Plan, Searcher};
use anyhow::Result;

/// Most matching articles considered; above it, an even sample.
pub const MAX_CONSIDERED: usize = 20_000;

/// Fewest matching articles (after collapsing) a term must be in.
pub const MIN_COUNT: u64 = 2;

/// What to list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TermKind {
    /// Words.
    Word,
    /// People.
    Person,
    /// Places.
    Place,
    /// Organisations.
    Org,
}

impl TermKind {
    /// The name in JSON (`word`, `person`, `place`, `org`).
    pub fn name(self) -> &'static str {
        match self {
            TermKind::Word => "word",
            TermKind::Person => "person",
            TermKind::Place => "place",
            TermKind::Org => "org",
        }
    }
}

/// One significant term.
#[derive(Debug, Clone, PartialEq)]
pub struct Term {
    /// The term (normalised text).
    pub term: String,
    /// Matching articles considered that have it (copies once).
    pub count: u64,
    /// Articles of the whole index that have it.
    pub corpus_count: u64,
    /// G².
    pub score: f64,
}

/// The significant terms of a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    /// What was listed.
    pub kind: TermKind,
    /// Best first.
    pub terms: Vec<Term>,
    /// Every article the query matches.
    pub matched: u64,
    /// Matching articles considered (copies collapsed, sample taken).
    pub considered: u64,
    /// Copies collapsed into the articles considered.
    pub copies: u64,
    /// True when an even sample of the matching articles was taken.
    pub sampled: bool,
    /// Articles in the index.
    pub corpus: u64,
}

/// Dunning's G² of `k1` of `n1` against `k2` of `n2` (0 when the term is
/// not more frequent in the first set).
pub fn g2(k1: u64, n1: u64, k2: u64, n2: u64) -> f64 {
    let (k1, n1, k2, n2) = (k1 as f64, n1 as f64, k2 as f64, n2 as f64);
    if n1 <= 0.0 || n2 <= 0.0 || k1 / n1 <= k2 / n2 {
        return 0.0;
    }
    let n = n1 + n2;
    let with = k1 + k2;
    let cells = [
        (k1, n1 * with / n),
        (n1 - k1, n1 * (n - with) / n),
        (k2, n2 * with / n),
        (n2 - k2, n2 * (n - with) / n),
    ];
    2.0 * cells
        .iter()
        .filter(|(o, e)| *o > 0.0 && *e > 0.0)
        .map(|(o, e)| o * (o / e).ln())
        .sum::<f64>()
}

/// The `limit` most significant terms of `kind` among the articles `plan`
/// matches as written.
pub fn terms(searcher: &Searcher, plan: &Plan, kind: TermKind, limit: usize) -> Result<Terms> {
    let first = searcher.first_stage();
    first.require_terms(kind)?;
    let all = first.matching(plan)?;
    let matched = all.len() as u64;
    let sampled = all.len() > MAX_CONSIDERED;
    let chosen: Vec<DocRef> = if sampled {
        let step = all.len() as f64 / MAX_CONSIDERED as f64;
        (0..MAX_CONSIDERED)
            .map(|i| all[((i as f64 * step) as usize).min(all.len() - 1)])
            .collect()
    } else {
        all.clone()
    };
    let kept = representatives(first, chosen)?;
    let copies = if sampled {
        0
    } else {
        matched - kept.len() as u64
    };
    let tally: TermTally = first.term_counts(kind, &kept, &all)?;
    let corpus = first.num_docs();
    let n1 = kept.len() as u64;
    let n2 = corpus.saturating_sub(matched);
    let mut list: Vec<Term> = tally
        .into_iter()
        .filter(|(t, [k1, ..])| *k1 >= MIN_COUNT.min(n1) && keep(kind, t))
        .map(|(term, [k1, kall, kc])| Term {
            score: g2(k1, n1, kc.saturating_sub(kall), n2),
            term,
            count: k1,
            corpus_count: kc,
        })
        .filter(|t| t.score > 0.0 || n2 == 0)
        .collect();
    list.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(b.count.cmp(&a.count))
            .then_with(|| a.term.cmp(&b.term))
    });
    list.truncate(limit);
    Ok(Terms {
        kind,
        terms: list,
        matched,
        considered: n1,
        copies,
        sampled,
        corpus,
    })
}

/// True when a term of `kind` may be listed.
fn keep(kind: TermKind, t: &str) -> bool {
    t.chars().nth(1).is_some() && (kind != TermKind::Word || !is_stop_word(t))
}

/// The articles of `chosen` left when near-duplicates are collapsed
/// (taken in date order, so copies, dated within a week, are neighbours).
fn representatives(first: &dyn FirstStage, chosen: Vec<DocRef>) -> Result<Vec<DocRef>> {
    let mut dated: Vec<(i64, DocRef)> = chosen
        .into_iter()
        .map(|d| (first.stamp(d).date.unwrap_or(i64::MIN), d))
        .collect();
    dated.sort();
    let ranked: Vec<Scored> = dated
        .into_iter()
        .map(|(_, doc)| Scored {
            score: None,
            tier: 0,
            doc,
            units: None,
        })
        .collect();
    let kept = collapse(
        first,
        ranked,
        0,
        &mut HashMap::new(),
        &mut Copies::default(),
    )?;
    let mut out: Vec<DocRef> = kept.into_iter().map(|k| k.doc).collect();
    out.sort();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn g2_is_dunnings() {
        // Equal rates: nothing; more frequent inside: positive, growing
        // with the difference; less frequent inside: 0.
        assert_eq!(g2(10, 100, 100, 1000), 0.0);
        let a = g2(20, 100, 100, 1000);
        let b = g2(40, 100, 100, 1000);
        assert!(a > 0.0 && b > a, "{a} {b}");
        assert_eq!(g2(5, 100, 100, 1000), 0.0);
        // A textbook value: 10 of 100 against 10 of 1000.
        let v = g2(10, 100, 10, 1000);
        let expect = 2.0
            * (10.0 * (10.0f64 / (100.0 * 20.0 / 1100.0)).ln()
                + 90.0 * (90.0f64 / (100.0 * 1080.0 / 1100.0)).ln()
                + 10.0 * (10.0f64 / (1000.0 * 20.0 / 1100.0)).ln()
                + 990.0 * (990.0f64 / (1000.0 * 1080.0 / 1100.0)).ln());
        assert!((v - expect).abs() < 1e-9, "{v} {expect}");
    }
}
