//! Upper bounds of query scores, for dynamic pruning ([`super::pruned`]).
//!
//! BM25 in tantivy scores a term or phrase `w · tf / (tf + norm)` with
//! `w = idf · (1 + k1)`, so `w` bounds it whatever the frequency and the
//! length; an automaton (regex) query scores a constant 1. Boosts
//! multiply, sums add. A query of a kind this module does not know has no
//! bound (`None`), and the caller then scores every match.

use tantivy::query::{
    Bm25StatisticsProvider, BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RegexPhraseQuery,
    RegexQuery, TermQuery,
};
use tantivy::{Score, Term};

use crate::search::plan::boosted::Boosted;
use crate::search::plan::memo::MemoPhrase;
use crate::search::plan::offset::Offset;
use crate::search::plan::prefix::{CachedRegex, CharPrefix};

/// The highest score `q` can give an article, from the statistics `stats`
/// its weight is built with; `None` when unknown.
pub fn bound(q: &dyn Query, stats: &dyn Bm25StatisticsProvider) -> Option<Score> {
    if let Some(o) = q.downcast_ref::<Offset>() {
        return bound(o.inner(), stats).map(|b| b + o.add());
    }
    if let Some(b) = q.downcast_ref::<Boosted>() {
        return (b.boost() >= 0.0)
            .then(|| bound(b.inner(), stats).map(|s| s * b.boost()))
            .flatten();
    }
    if let Some(b) = q.downcast_ref::<BooleanQuery>() {
        let mut sum = 0.0;
        for (occur, c) in b.clauses() {
            if *occur != Occur::MustNot {
                sum += bound(&**c, stats)?;
            }
        }
        return Some(sum);
    }
    if let Some(t) = q.downcast_ref::<TermQuery>() {
        return bm25(stats, std::slice::from_ref(t.term()));
    }
    if let Some(p) = q.downcast_ref::<PhraseQuery>() {
        return bm25(stats, &p.phrase_terms());
    }
    if let Some(p) = q.downcast_ref::<RegexPhraseQuery>() {
        return bm25(stats, &p.phrase_terms());
    }
    if let Some(p) = q.downcast_ref::<MemoPhrase>() {
        return bm25(stats, &p.inner().phrase_terms());
    }
    if q.is::<RegexQuery>() || q.is::<CharPrefix>() || q.is::<CachedRegex>() {
        return Some(1.0);
    }
    q.is::<EmptyQuery>().then_some(0.0)
}

/// tantivy's BM25 `k1`.
const K1: Score = 1.2;

/// The BM25 weight of `terms` (one term or a phrase): `(1 + k1)` times
/// the sum of their idf, as tantivy computes them from `stats`. (Not the
/// score at the highest frequency: a field no article has, such as titles
/// in a corpus without them, has an average length of 0 and that score is
/// NaN.) `None` when it is not a finite number.
fn bm25(stats: &dyn Bm25StatisticsProvider, terms: &[Term]) -> Option<Score> {
    let field = terms.first()?.field();
    if terms.iter().any(|t| t.field() != field) {
        return None;
    }
    let n = stats.total_num_docs().ok()?;
    let mut idf = 0.0;
    for t in terms {
        idf += bm25_idf(stats.doc_freq(t).ok()?, n);
    }
    let w = idf * (1.0 + K1);
    w.is_finite().then_some(w)
}

/// tantivy's idf: `ln(1 + (n − df + 0.5) / (df + 0.5))`.
fn bm25_idf(doc_freq: u64, doc_count: u64) -> Score {
    let x = (doc_count.saturating_sub(doc_freq) as Score + 0.5) / (doc_freq as Score + 0.5);
    (1.0 + x).ln()
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::TopDocs;
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn bounds_hold_every_score_and_an_empty_field_has_one() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let empty = b.add_text_field("empty", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in ["a b", "a a a c", "b c", "a", "c c c a b", "a b a b a b"] {
            w.add_document(doc!(f => text)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(field, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrase: Box<dyn Query> = Box::new(PhraseQuery::new(vec![
            Term::from_field_text(f, "a"),
            Term::from_field_text(f, "b"),
        ]));
        let unit: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, Box::new(Boosted::new(term(f, "a"), 2.5))),
            (Occur::Should, phrase),
            (Occur::Should, term(empty, "a")),
        ]));
        let queries: Vec<Box<dyn Query>> = vec![
            term(f, "c"),
            Box::new(Offset::new(unit.box_clone(), 4.0)),
            unit,
        ];
        for q in &queries {
            let top = searcher
                .search(&**q, &TopDocs::with_limit(10).order_by_score())
                .unwrap();
            let best = top.first().map_or(0.0, |(s, _)| *s);
            let b = bound(&**q, &searcher).expect("a bound");
            assert!(b.is_finite() && b >= best, "{q:?}: bound {b} < {best}");
        }
    }
}
