//! The top candidates of a one-unit query that matches much of the
//! index (a common word: 新闻联播 in 363,000 of 578,000 articles) without
//! matching its phrases in every article.
//!
//! Such a query is the word's unit (its alternatives: the word in each
//! view's word field, its bigrams as a phrase in each bigram field; the
//! coverage bonus added) and the optional bigram-bag clauses. tantivy
//! scores every match, and most of that time is the phrases: the
//! positions of three bigrams read and matched in each of 363,000
//! bodies. Here every match is still counted exactly, but a phrase is
//! matched only where it decides something:
//!
//! - whether an article matches, when no other alternative of the unit is
//!   in it (an article with the word as a jieba word matches without it);
//! - its score, when the article may be a candidate: the bound of a
//!   phrase is its BM25 at the smallest frequency of its terms in the
//!   article (a phrase occurs no more often than any of its terms), so an
//!   article is scored in full only when the exact scores of its other
//!   alternatives and these bounds could lift it above the last
//!   candidate.
//!
//! The scores are the sums tantivy computes for the whole query (the
//! unit's alternatives in order, the coverage bonus, then the optional
//! clauses in order), each part from the part's own scorer, so the
//! candidates, their order and their scores are the same.

use anyhow::Result;
use tantivy::query::{
    Bm25StatisticsProvider, Bm25Weight, BooleanQuery, EnableScoring, Occur, PhraseQuery, Query,
    Scorer, TermQuery, Weight,
};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use super::best::{on, Best};
use super::phrase_terms::Terms;
use crate::search::plan::boosted::Boosted;
use crate::search::plan::offset::Offset;

/// Fewest matches (estimated from the terms' document frequencies) for
/// which a query is ranked here; fewer are ranked by tantivy as a whole.
pub const DENSE_FROM: u64 = 10_000;

/// A phrase alternative: its terms and its BM25 weight (boosted as the
/// alternative is).
struct Phrase {
    terms: Vec<Term>,
    bm25: Bm25Weight,
}

/// One alternative of the unit.
struct Alt {
    weight: Box<dyn Weight>,
    /// Set for a phrase, matched only where needed.
    phrase: Option<Phrase>,
}

/// How an optional clause is bounded in an article.
enum Bound {
    /// A term of the phrase of alternative `alt` (the `term`-th): its
    /// BM25 from the phrase's postings where all its terms are.
    Shared {
        alt: usize,
        term: usize,
        bm25: Bm25Weight,
    },
    /// By its exact score.
    Exact,
}

/// A one-unit query taken apart: the unit's alternatives, its coverage
/// bonus, the optional clauses and their bounds.
pub struct Dense {
    alts: Vec<Alt>,
    coord: Option<Score>,
    bonus: Vec<Box<dyn Weight>>,
    bounds: Vec<Bound>,
}

/// The term inside `q` (a term query, boosted or not) and its boost.
fn term_of(q: &dyn Query) -> Option<(&Term, Score)> {
    if let Some(b) = q.downcast_ref::<Boosted>() {
        return term_of(b.inner()).map(|(t, s)| (t, s * b.boost()));
    }
    q.downcast_ref::<TermQuery>().map(|t| (t.term(), 1.0))
}

/// The phrase inside `q` (a phrase query, boosted or not) and its boost.
fn phrase_of(q: &dyn Query) -> Option<(&PhraseQuery, Score)> {
    if let Some(b) = q.downcast_ref::<Boosted>() {
        return phrase_of(b.inner()).map(|(p, s)| (p, s * b.boost()));
    }
    let p = q.downcast_ref::<PhraseQuery>()?;
    // Only exact phrases: with a slop, a phrase may occur more often than
    // one of its terms.
    format!("{p:?}").ends_with("slop: 0 }").then_some((p, 1.0))
}

impl Dense {
    /// `unit` (a union of alternatives, the coverage bonus added) and
    /// `bonus` taken apart with `stats`; `None` when the query is of
    /// another shape (no phrase among the alternatives), or when it is
    /// estimated to match fewer than [`DENSE_FROM`] articles.
    pub fn new(
        unit: &dyn Query,
        bonus: &[Box<dyn Query>],
        searcher: &tantivy::Searcher,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<Option<Dense>> {
        let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
        let (inner, coord) = match unit.downcast_ref::<Offset>() {
            Some(o) => (o.inner(), Some(o.add())),
            None => (unit, None),
        };
        let parts: Vec<&dyn Query> = match inner.downcast_ref::<BooleanQuery>() {
            Some(b) if b.clauses().iter().all(|(o, _)| *o == Occur::Should) => {
                b.clauses().iter().map(|(_, q)| &**q).collect()
            }
            Some(_) => return Ok(None),
            None => vec![inner],
        };
        let mut alts = Vec::with_capacity(parts.len());
        let mut estimate = 0;
        let mut phrases = 0;
        for q in parts {
            let phrase = match phrase_of(q) {
                Some((p, boost)) => {
                    let terms = p.phrase_terms();
                    let mut least = u64::MAX;
                    for t in &terms {
                        least = least.min(stats.doc_freq(t)?);
                    }
                    estimate += least;
                    phrases += 1;
                    let bm25 = Bm25Weight::for_terms(stats, &terms)?.boost_by(boost);
                    Some(Phrase { terms, bm25 })
                }
                None => {
                    q.query_terms(&mut |t, _| estimate += stats.doc_freq(t).unwrap_or(0));
                    None
                }
            };
            alts.push(Alt {
                weight: q.weight(scoring)?,
                phrase,
            });
        }
        if phrases == 0 || estimate < DENSE_FROM {
            return Ok(None);
        }
        let mut bounds = Vec::with_capacity(bonus.len());
        for q in bonus {
            bounds.push(match shared(&alts, &**q, stats)? {
                Some((alt, term, bm25)) => Bound::Shared { alt, term, bm25 },
                None => Bound::Exact,
            });
        }
        let bonus = bonus
            .iter()
            .map(|q| q.weight(scoring))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Some(Dense {
            alts,
            coord,
            bonus,
            bounds,
        }))
    }
}

/// The alternative whose phrase has the term of the clause `q` (a term
/// query), the term's place in it and the clause's BM25 weight.
fn shared(
    alts: &[Alt],
    q: &dyn Query,
    stats: &dyn Bm25StatisticsProvider,
) -> Result<Option<(usize, usize, Bm25Weight)>> {
    let Some((t, boost)) = term_of(q) else {
        return Ok(None);
    };
    for (i, a) in alts.iter().enumerate() {
        let Some(p) = &a.phrase else { continue };
        if let Some(j) = p.terms.iter().position(|x| x == t) {
            let bm25 = Bm25Weight::for_terms(stats, std::slice::from_ref(t))?.boost_by(boost);
            return Ok(Some((i, j, bm25)));
        }
    }
    Ok(None)
}

/// The best candidates and the counts of a walk over the segments.
pub type Top = Best<()>;

/// What one segment walks: each alternative's scorer (and a phrase's
/// terms), each bonus clause's scorer.
struct Segment<'d> {
    dense: &'d Dense,
    alts: Vec<Box<dyn Scorer>>,
    terms: Vec<Option<Terms>>,
    bonus: Vec<Box<dyn Scorer>>,
    /// Per alternative: its score in the current article, when known to
    /// match; `None` when it does not.
    found: Vec<Option<Score>>,
}

impl<'d> Segment<'d> {
    fn new(dense: &'d Dense, reader: &SegmentReader) -> Result<Segment<'d>> {
        let mut alts = Vec::with_capacity(dense.alts.len());
        let mut terms = Vec::with_capacity(dense.alts.len());
        for a in &dense.alts {
            alts.push(a.weight.scorer(reader, 1.0)?);
            terms.push(match &a.phrase {
                Some(p) => Some(Terms::new(&p.terms, reader)?),
                None => None,
            });
        }
        let bonus = dense
            .bonus
            .iter()
            .map(|w| w.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Segment {
            dense,
            alts,
            terms,
            bonus,
            found: vec![None; dense.alts.len()],
        })
    }

    /// The next article any alternative may be in.
    fn next_doc(&self) -> DocId {
        let mut next = TERMINATED;
        for (s, t) in self.alts.iter().zip(&self.terms) {
            next = next.min(match t {
                Some(t) => t.doc,
                None => s.doc(),
            });
        }
        next
    }

    /// Whether `doc` matches: the other alternatives' scores taken, the
    /// phrases matched only when nothing else is in it.
    fn matches(&mut self, doc: DocId) -> bool {
        let mut any = false;
        for i in 0..self.alts.len() {
            self.found[i] = None;
            // A phrase's scorer may already be on `doc` (it runs ahead to
            // its next match when sought where it is not).
            if self.alts[i].doc() == doc {
                self.found[i] = Some(self.alts[i].score());
                any = true;
            }
        }
        for i in 0..self.alts.len() {
            if any {
                break;
            }
            if self.terms[i].as_ref().is_some_and(|t| t.doc == doc) && on(&mut *self.alts[i], doc) {
                self.found[i] = Some(self.alts[i].score());
                any = true;
            }
        }
        any
    }

    /// The unit's highest possible score in `doc` (the coverage bonus
    /// included): exact where known, a phrase's bound where not.
    fn unit_bound(&self, doc: DocId) -> Score {
        let mut ub = self.dense.coord.unwrap_or(0.0);
        for (i, a) in self.dense.alts.iter().enumerate() {
            ub += match (&self.found[i], &self.terms[i], &a.phrase) {
                (Some(s), _, _) => *s,
                // Not yet matched here (a scorer past `doc` is not in it).
                (None, Some(t), Some(p)) if t.doc == doc && self.alts[i].doc() < doc => {
                    t.bound(&p.bm25)
                }
                _ => 0.0,
            };
        }
        ub
    }

    /// The optional clauses' highest possible score in `doc`: a term of
    /// a phrase whose terms are all in it from the phrase's postings,
    /// every other clause's exact score.
    fn bonus_bound(&mut self, doc: DocId) -> Score {
        let mut ub = 0.0;
        for (b, s) in self.dense.bounds.iter().zip(&mut self.bonus) {
            ub += match b {
                Bound::Shared {
                    alt, term, bm25, ..
                } if self.terms[*alt].as_ref().is_some_and(|t| t.doc == doc) => self.terms[*alt]
                    .as_ref()
                    .map_or(0.0, |t| t.term_score(*term, bm25)),
                _ if on(&mut **s, doc) => s.score(),
                _ => 0.0,
            };
        }
        ub
    }

    /// The optional clauses' scores in `doc`, summed in order, if any
    /// is in it (they are terms: cheaper than a phrase).
    fn bonus(&mut self, doc: DocId) -> Option<Score> {
        let mut bonus: Option<Score> = None;
        for s in &mut self.bonus {
            if on(&mut **s, doc) {
                bonus = Some(bonus.unwrap_or(0.0) + s.score());
            }
        }
        bonus
    }

    /// The score of `doc` as the whole query sums it: the unit's
    /// alternatives in order, the coverage bonus, then the optional
    /// clauses' sum `bonus`.
    fn score(&mut self, doc: DocId, bonus: Option<Score>) -> Score {
        let mut unit: Score = 0.0;
        for i in 0..self.alts.len() {
            if self.found[i].is_none()
                && self.terms[i].as_ref().is_some_and(|t| t.doc == doc)
                && on(&mut *self.alts[i], doc)
            {
                self.found[i] = Some(self.alts[i].score());
            }
            if let Some(s) = self.found[i] {
                unit += s;
            }
        }
        let req = match self.dense.coord {
            Some(c) => unit + c,
            None => unit,
        };
        match bonus {
            Some(b) => req + b,
            None => req,
        }
    }

    /// Moves past `doc`.
    fn advance(&mut self, doc: DocId) {
        for (s, t) in self.alts.iter_mut().zip(&mut self.terms) {
            match t {
                Some(t) if t.doc == doc => t.advance(),
                Some(_) => {}
                None if s.doc() == doc => {
                    s.advance();
                }
                None => {}
            }
        }
    }
}

impl Dense {
    /// Walks the segment `ord` of `searcher` into `top`.
    pub fn walk(&self, searcher: &tantivy::Searcher, ord: u32, top: &mut Top) -> Result<()> {
        let reader = searcher.segment_reader(ord);
        let alive = reader.alive_bitset();
        let mut seg = Segment::new(self, reader)?;
        loop {
            let doc = seg.next_doc();
            if doc == TERMINATED {
                return Ok(());
            }
            if alive.is_none_or(|a| a.is_alive(doc)) && seg.matches(doc) {
                top.total += 1;
                if top.competes(seg.unit_bound(doc) + seg.bonus_bound(doc)) {
                    let bonus = seg.bonus(doc);
                    let score = seg.score(doc, bonus);
                    top.scored += 1;
                    top.push(score, DocAddress::new(ord, doc), ());
                }
            }
            seg.advance(doc);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    /// The walk finds the candidates, scores and count tantivy finds for
    /// the whole query, on articles where the phrase, its terms and the
    /// word come and go independently.
    #[test]
    fn same_candidates_scores_and_count_as_the_whole_query() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let g = b.add_text_field("g", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let mut x: u64 = 7;
        let mut next = |n: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % n
        };
        for i in 0..24_000u64 {
            let len = 1 + next(40);
            let text: Vec<&str> = (0..len)
                .map(|_| ["a", "b", "c", "d", "e"][next(5) as usize])
                .collect();
            let word = if next(3) == 0 { "abc x" } else { "x" };
            w.add_document(doc!(f => text.join(" "), g => word))
                .unwrap();
            if i % 7_000 == 6_999 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term = |field, t: &str| Term::from_field_text(field, t);
        let phrase = PhraseQuery::new(vec![term(f, "a"), term(f, "b"), term(f, "c")]);
        let alts: Vec<(Occur, Box<dyn Query>)> = vec![
            (
                Occur::Should,
                Box::new(Boosted::new(Box::new(phrase.clone()), 0.7)),
            ),
            (
                Occur::Should,
                Box::new(TermQuery::new(term(g, "abc"), IndexRecordOption::WithFreqs)),
            ),
            (Occur::Should, Box::new(phrase)),
        ];
        let unit: Box<dyn Query> = Box::new(Offset::new(Box::new(BooleanQuery::new(alts)), 4.0));
        let bonus: Vec<Box<dyn Query>> = ["a", "c", "d"]
            .iter()
            .map(|t| {
                let q = TermQuery::new(term(f, t), IndexRecordOption::WithFreqs);
                Box::new(Boosted::new(Box::new(q), 0.5)) as Box<dyn Query>
            })
            .collect();
        let mut whole: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, unit.box_clone())];
        whole.extend(bonus.iter().map(|q| (Occur::Should, q.box_clone())));
        let whole = BooleanQuery::new(whole);
        for limit in [1, 10, 30, 200] {
            let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
            let (want, count) = searcher.search(&whole, &collector).unwrap();
            let dense = Dense::new(&*unit, &bonus, &searcher, &searcher)
                .unwrap()
                .expect("dense");
            let mut top = Top::new(limit);
            for ord in 0..searcher.segment_readers().len() {
                dense.walk(&searcher, ord as u32, &mut top).unwrap();
            }
            assert_eq!(top.total, count);
            assert!(top.scored < count / 2, "scored {} of {count}", top.scored);
            let got: Vec<_> = top
                .into_sorted()
                .into_iter()
                .map(|(s, a, ())| (s, a))
                .collect();
            assert_eq!(got, want, "limit {limit}");
        }
    }
}
