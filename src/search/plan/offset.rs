//! A query that adds a constant to the score of every document it matches.
//!
//! The coverage bonus ([`crate::search::weights::Weights::coord`]) rewards each
//! query unit an article matches. It used to be written as
//! `Must(unit) + Should(ConstScore(unit, coord))`, which evaluates the unit
//! twice per document: for a word present in most articles that doubled
//! the phrase matching (positions read twice) that dominates the query
//! tail. [`Offset`] matches exactly the unit's documents with the unit's
//! score plus the constant, computed as the same sum (`score + coord`), so
//! scores and ranks do not change.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, Scorer, Weight};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term};

/// Matches what `query` matches, scoring `query`'s score plus `add`.
pub struct Offset {
    query: Box<dyn Query>,
    add: Score,
}

impl Offset {
    /// `query`, each match scoring `add` more.
    pub fn new(query: Box<dyn Query>, add: Score) -> Offset {
        Offset { query, add }
    }

    /// The query offset.
    pub fn inner(&self) -> &dyn Query {
        &*self.query
    }

    /// The constant added.
    pub fn add(&self) -> Score {
        self.add
    }
}

impl Clone for Offset {
    fn clone(&self) -> Self {
        Offset {
            query: self.query.box_clone(),
            add: self.add,
        }
    }
}

impl fmt::Debug for Offset {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Offset(query={:?}, add={})", self.query, self.add)
    }
}

impl Query for Offset {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() {
            Box::new(OffsetWeight {
                inner,
                add: self.add,
            })
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}

struct OffsetWeight {
    inner: Box<dyn Weight>,
    add: Score,
}

impl Weight for OffsetWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        Ok(Box::new(OffsetScorer {
            inner: self.inner.scorer(reader, boost)?,
            add: self.add * boost,
        }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let inner = self.inner.explain(reader, doc)?;
        let mut e = Explanation::new_with_string(
            format!("Offset +{} of ...", self.add),
            inner.value() + self.add,
        );
        e.add_detail(inner);
        Ok(e)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.inner.count(reader)
    }
}

struct OffsetScorer {
    inner: Box<dyn Scorer>,
    add: Score,
}

impl DocSet for OffsetScorer {
    fn advance(&mut self) -> DocId {
        self.inner.advance()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        self.inner.seek(target)
    }

    fn doc(&self) -> DocId {
        self.inner.doc()
    }

    fn size_hint(&self) -> u32 {
        self.inner.size_hint()
    }

    fn cost(&self) -> u64 {
        self.inner.cost()
    }
}

impl Scorer for OffsetScorer {
    #[inline]
    fn score(&mut self) -> Score {
        self.inner.score() + self.add
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn scores_as_the_unit_plus_its_constant_score_copy() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in ["a b", "a a c", "b c", "a", "c c c"] {
            w.add_document(doc!(f => text)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let unit: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Should, term("a")),
            (Occur::Should, term("b")),
        ]));
        let twice: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, unit.box_clone()),
            (
                Occur::Should,
                Box::new(ConstScoreQuery::new(unit.box_clone(), 4.0)),
            ),
        ]));
        let once: Box<dyn Query> = Box::new(Offset::new(unit.box_clone(), 4.0));
        let run = |q: &dyn Query| {
            searcher
                .search(q, &(TopDocs::with_limit(10).order_by_score(), Count))
                .unwrap()
        };
        let (a, b) = (run(&*twice), run(&*once));
        assert_eq!(a.1, 4);
        assert_eq!(a, b);
    }
}
