//! A union of scored clauses that moves its members only when asked, for
//! the lists of a pruned walk ([`super::pruned`]).
//!
//! tantivy scores a union of `Should` clauses through a window of 4,096
//! articles: a seek past the window moves every member there and then
//! reads and scores every article of the next window, phrases matched
//! with their positions. A pruned walk seeks its non-essential lists to
//! a few scattered candidates, so for a common word each seek cost the
//! scoring of thousands of articles. [`Lazy`] seeks each member to the
//! article asked for and scores only the members on it, in clause order
//! from 0 — the sum tantivy's union computes, so the scores are the same
//! to the bit. [`lazy`] puts it in place of every union of a unit,
//! through the boosts and offsets around it.

use std::fmt;

use tantivy::query::{
    AllScorer, BooleanQuery, EmptyScorer, EnableScoring, Explanation, Occur, Query, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::search::plan::boosted::Boosted;
use crate::search::plan::offset::Offset;

/// `q` with every union of `Should` clauses (a `BooleanQuery` that
/// needs one of them) made [`Lazy`], through boosts, offsets and the
/// `Must` clauses of a `BooleanQuery`; other queries as they are.
pub fn lazy(q: &dyn Query) -> Box<dyn Query> {
    if let Some(o) = q.downcast_ref::<Offset>() {
        return Box::new(Offset::new(lazy(o.inner()), o.add()));
    }
    if let Some(b) = q.downcast_ref::<Boosted>() {
        return Box::new(Boosted::new(lazy(b.inner()), b.boost()));
    }
    if let Some(b) = q.downcast_ref::<BooleanQuery>() {
        let clauses = b.clauses();
        let min = b.get_minimum_number_should_match();
        let union =
            clauses.len() > 1 && min <= 1 && clauses.iter().all(|(o, _)| *o == Occur::Should);
        if union {
            return Box::new(Lazy {
                clauses: clauses.iter().map(|(_, c)| lazy(&**c)).collect(),
            });
        }
        let clauses = clauses.iter().map(|(o, c)| (*o, lazy(&**c))).collect();
        return Box::new(BooleanQuery::with_minimum_required_clauses(clauses, min));
    }
    q.box_clone()
}

/// `q` for a top-k collector: the clauses of a `BooleanQuery` with two
/// `Must` clauses or more (an intersection, which seeks all but one of
/// them) [`lazy`]; any other query as it is (one `Must` clause walks
/// every article of its own, which tantivy's window does faster; a
/// union of terms alone is tantivy's block-max WAND's).
pub fn lazy_top(q: &dyn Query) -> Box<dyn Query> {
    match q.downcast_ref::<BooleanQuery>() {
        Some(b)
            if b.clauses()
                .iter()
                .filter(|(o, _)| *o == Occur::Must)
                .count()
                > 1 =>
        {
            let clauses = b.clauses().iter().map(|(o, c)| (*o, lazy(&**c))).collect();
            Box::new(BooleanQuery::with_minimum_required_clauses(
                clauses,
                b.get_minimum_number_should_match(),
            ))
        }
        _ => q.box_clone(),
    }
}

/// Matches what any of its clauses matches, scoring the sum of theirs.
pub struct Lazy {
    clauses: Vec<Box<dyn Query>>,
}

impl Clone for Lazy {
    fn clone(&self) -> Self {
        Lazy {
            clauses: self.clauses.iter().map(|c| c.box_clone()).collect(),
        }
    }
}

impl fmt::Debug for Lazy {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Lazy({:?})", self.clauses)
    }
}

impl Query for Lazy {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let members = self
            .clauses
            .iter()
            .map(|c| c.weight(enable_scoring))
            .collect::<tantivy::Result<_>>()?;
        Ok(Box::new(LazyWeight { members }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for c in &self.clauses {
            c.query_terms(visitor);
        }
    }
}

struct LazyWeight {
    members: Vec<Box<dyn Weight>>,
}

impl Weight for LazyWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let mut members = Vec::with_capacity(self.members.len());
        let mut all = None;
        for w in &self.members {
            let s = w.scorer(reader, boost)?;
            // As tantivy's union: empty members left out, one match-all
            // member added last, a single member alone as it is.
            if s.is::<AllScorer>() {
                all = Some(s);
            } else if !s.is::<EmptyScorer>() {
                members.push(s);
            }
        }
        if members.is_empty() && all.is_none() {
            return Ok(Box::new(EmptyScorer));
        }
        if members.len() == 1 && all.is_none() {
            return Ok(members.remove(0));
        }
        members.retain(|m| m.doc() != TERMINATED);
        members.extend(all);
        let docs = members.iter().map(|m| m.doc()).collect();
        let mut u = LazyScorer {
            members,
            docs,
            doc: TERMINATED,
            num_docs: reader.num_docs(),
        };
        u.doc = u.first();
        Ok(Box::new(u))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut s = self.scorer(reader, 1.0)?;
        if s.seek(doc) != doc {
            return Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} does not match"
            )));
        }
        Ok(Explanation::new("Lazy union", s.score()))
    }
}

struct LazyScorer {
    members: Vec<Box<dyn Scorer>>,
    /// `docs[i]`: the article `members[i]` is on.
    docs: Vec<DocId>,
    doc: DocId,
    /// The segment's articles (for the size estimate).
    num_docs: u32,
}

impl LazyScorer {
    /// The first article a member is on.
    fn first(&self) -> DocId {
        self.docs.iter().copied().min().unwrap_or(TERMINATED)
    }
}

impl DocSet for LazyScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        let doc = self.doc;
        for (m, d) in self.members.iter_mut().zip(&mut self.docs) {
            if *d == doc {
                *d = m.advance();
            }
        }
        self.doc = self.first();
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        for (m, d) in self.members.iter_mut().zip(&mut self.docs) {
            if *d < target {
                *d = m.seek(target);
            }
        }
        self.doc = self.first();
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    /// tantivy's estimate for a union (`estimate_union`, not public).
    fn size_hint(&self) -> u32 {
        let n = f64::from(self.num_docs);
        let none = self
            .members
            .iter()
            .fold(1.0, |p, m| p * (1.0 - f64::from(m.size_hint()) / n * 0.8));
        (n * (1.0 - none)).round().min(n) as u32
    }

    fn cost(&self) -> u64 {
        self.members.iter().map(|m| m.cost()).sum()
    }
}

impl Scorer for LazyScorer {
    /// The members' scores on the article summed in clause order from 0,
    /// as tantivy's `SumCombiner` does.
    fn score(&mut self) -> Score {
        let doc = self.doc;
        let mut sum: Score = 0.0;
        for (m, &d) in self.members.iter_mut().zip(&self.docs) {
            if d == doc {
                sum += m.score();
            }
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{EmptyQuery, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// Every article `a` and `b` match, with their scores' bits, walking
    /// by `advance` and (from a fresh scorer) by seeks every `step`.
    fn walk(s: &tantivy::Searcher, q: &dyn Query, step: u32) -> Vec<(DocId, u32)> {
        let w = q.weight(EnableScoring::enabled_from_searcher(s)).unwrap();
        let mut out = Vec::new();
        for reader in s.segment_readers() {
            let mut sc = w.scorer(reader, 1.0).unwrap();
            let mut target = 0;
            while sc.doc() != TERMINATED {
                let d = sc.doc();
                out.push((d, sc.score().to_bits()));
                target = if step == 1 {
                    d + 1
                } else {
                    (target + step).max(d + 1)
                };
                if step == 1 {
                    sc.advance();
                } else {
                    sc.seek(target);
                }
            }
        }
        out
    }

    #[test]
    fn lazy_unions_match_and_score_as_tantivys_to_the_bit() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let words = ["a", "b", "c", "d", "e", "f", "g"];
        for i in 0..9_000u32 {
            let text: Vec<&str> = (0..(i % 13 + 1))
                .map(|k| words[((i * 7 + k * k * 3 + i / 5) % 7) as usize])
                .collect();
            w.add_document(doc!(f => text.join(" "))).unwrap();
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        let term = |t: &str| -> Box<dyn Query> {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let phrase = |a: &str, b: &str| -> Box<dyn Query> {
            Box::new(PhraseQuery::new(vec![
                Term::from_field_text(f, a),
                Term::from_field_text(f, b),
            ]))
        };
        let any = |qs: Vec<Box<dyn Query>>| -> Box<dyn Query> {
            Box::new(BooleanQuery::new(
                qs.into_iter().map(|q| (Occur::Should, q)).collect(),
            ))
        };
        let unit = |a: &str, b: &str| -> Box<dyn Query> {
            Box::new(Offset::new(
                any(vec![
                    Box::new(Boosted::new(term(a), 0.7)),
                    phrase(a, b),
                    Box::new(EmptyQuery),
                    any(vec![term(b), Box::new(Boosted::new(phrase(b, a), 1.3))]),
                ]),
                4.0,
            ))
        };
        let whole: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, unit("a", "b")),
            (Occur::Must, unit("c", "d")),
            (Occur::Should, term("e")),
            (Occur::Should, phrase("f", "g")),
            (Occur::MustNot, term("zzz")),
        ]));
        for q in [
            unit("a", "b"),
            unit("g", "zzz"),
            any(vec![term("zzz"), term("f")]),
        ] {
            let l = lazy(&*q);
            for step in [1, 3, 200, 5_000] {
                assert_eq!(walk(&s, &*q, step), walk(&s, &*l, step), "{q:?} by {step}");
            }
        }
        // Three and four units: tantivy sums an intersection in the order
        // of its clauses' costs, which the lazy unions must report alike.
        let more: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, unit("a", "b")),
            (Occur::Must, unit("c", "d")),
            (Occur::Must, unit("e", "f")),
            (Occur::Should, term("g")),
        ]));
        let most: Box<dyn Query> = Box::new(BooleanQuery::new(vec![
            (Occur::Must, unit("g", "a")),
            (Occur::Must, unit("b", "c")),
            (Occur::Must, unit("d", "e")),
            (Occur::Must, unit("f", "zzz")),
        ]));
        let top = |q: &dyn Query| {
            s.search(q, &(TopDocs::with_limit(50).order_by_score(), Count))
                .unwrap()
        };
        let bits = |v: Vec<(f32, tantivy::DocAddress)>| -> Vec<_> {
            v.into_iter().map(|(s, d)| (s.to_bits(), d)).collect()
        };
        for q in [whole, more, most] {
            let l = lazy_top(&*q);
            assert_eq!(walk(&s, &*q, 1), walk(&s, &*l, 1), "{q:?}");
            let (a, b) = (top(&*q), top(&*l));
            assert_eq!(a.1, b.1);
            assert!(a.1 > 100, "the test matches something: {}", a.1);
            assert_eq!(bits(a.0), bits(b.0), "{q:?}");
        }
    }
}
