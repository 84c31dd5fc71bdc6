//! The top candidates of a relaxed query without scoring every match.
//!
//! A relaxed query ([`crate::search::plan::Plan::query`] below its full
//! match) is a disjunction: an article with any one unit matches, and a
//! question's common words match most of the index. tantivy's block-max
//! WAND only drives unions of plain terms; a unit is a union of phrases
//! and terms over two views with its coverage bonus added. So this is
//! MaxScore over the plan's parts ([`Plan::disjunction`]): each unit and
//! each optional clause is a list with an upper bound of its score
//! ([`super::bound`]); once the candidates fill up, the lists whose bounds
//! together cannot lift an article above the last candidate only add to
//! the score of articles found through the others, and an article whose
//! bound falls below it is not scored at all. Matches are counted exactly
//! up to [`Query::count_upto`], after which the common lists are no
//! longer walked and the count is a lower bound. The scores are the sums
//! the full query computes: the units' in plan order, then the optional
//! clauses'.

use anyhow::Result;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::best::{on, Best};
use super::bound::bound;
use super::lazy::lazy;
use super::{doc_ref, Local};
use crate::search::first_stage::{Query, Scored};
use crate::search::plan::Plan;

/// One list of the disjunction: a unit or an optional clause.
struct List {
    weight: Box<dyn Weight>,
    bound: Score,
    /// Its place in the plan (units first, then optional clauses).
    order: usize,
    unit: bool,
}

/// The weights of a plan's disjunction, lists sorted by bound (lowest
/// first).
pub(super) struct Parts {
    lists: Vec<List>,
    gate: Option<(Box<dyn Weight>, Score)>,
    filters: Option<Box<dyn Weight>>,
    excluded: Option<Box<dyn Weight>>,
}

impl Parts {
    /// The parts of `plan`'s disjunction scored with `stats`; `None` when
    /// some part has no known bound.
    pub fn new(
        plan: &Plan,
        searcher: &tantivy::Searcher,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<Option<Parts>> {
        let d = plan.disjunction();
        let scoring = EnableScoring::enabled_from_statistics_provider(stats, searcher);
        let plain = EnableScoring::disabled_from_searcher(searcher);
        let n = d.units.len();
        let mut lists = Vec::new();
        for (order, q) in d.units.iter().chain(&d.bonus).enumerate() {
            let Some(b) = bound(&**q, stats) else {
                return Ok(None);
            };
            lists.push(List {
                weight: lazy(&**q).weight(scoring)?,
                bound: b,
                order,
                unit: order < n,
            });
        }
        lists.sort_by(|a, b| a.bound.total_cmp(&b.bound));
        let gate = match &d.gate {
            Some(q) => match bound(&**q, stats) {
                Some(b) => Some((q.weight(scoring)?, b)),
                None => return Ok(None),
            },
            None => None,
        };
        let weight = |q: &Option<Box<dyn tantivy::query::Query>>| {
            q.as_ref().map(|q| q.weight(plain)).transpose()
        };
        Ok(Some(Parts {
            lists,
            gate,
            filters: weight(&d.filters)?,
            excluded: weight(&d.excluded)?,
        }))
    }
}

/// What the walk over the segments keeps: the best candidates (with the
/// units each has), the count.
pub(super) struct Walk {
    best: Best<u32>,
    count_upto: usize,
}

impl Walk {
    /// A walk keeping the best `q.limit` and counting up to `q.count_upto`.
    pub fn new(q: &Query<'_>) -> Walk {
        Walk {
            best: Best::new(q.limit),
            count_upto: q.count_upto,
        }
    }

    fn counting(&self) -> bool {
        self.best.total < self.count_upto
    }

    /// Matches counted.
    pub fn total(&self) -> usize {
        self.best.total
    }

    /// Articles scored.
    pub fn scored(&self) -> usize {
        self.best.scored
    }

    /// The candidates, best first.
    pub fn into_sorted(self) -> Vec<Scored> {
        self.best
            .into_sorted()
            .into_iter()
            .map(|(s, a, units)| Scored {
                score: Some(s),
                tier: 0,
                doc: doc_ref(a),
                units: Some(units),
            })
            .collect()
    }
}

/// The scorers of one segment.
struct Segment<'p> {
    parts: &'p Parts,
    scorers: Vec<Box<dyn Scorer>>,
    /// `docs[i]`: the article `scorers[i]` is on (read once per move, not
    /// through the scorer at every look).
    docs: Vec<DocId>,
    gate: Option<Box<dyn Scorer>>,
    filters: Option<Box<dyn Scorer>>,
    excluded: Option<Box<dyn Scorer>>,
    /// The lists in the order they become non-essential: most postings
    /// per unit of bound first (see [`Segment::new`]).
    rank: Vec<usize>,
    /// `prefix[k]`: the sum of the bounds of `rank[..k]`.
    prefix: Vec<Score>,
    /// The lists walked (candidates come from them), in order.
    walked: Vec<usize>,
    /// For each list, whether it is walked.
    is_walked: Vec<bool>,
    /// The sum of the bounds of the lists not walked.
    rest: Score,
    /// The scores of one article, by the lists' places in the plan.
    buf: Vec<(usize, bool, Score)>,
}

impl<'p> Segment<'p> {
    fn new(parts: &'p Parts, reader: &SegmentReader) -> Result<Segment<'p>> {
        let scorers = parts
            .lists
            .iter()
            .map(|l| l.weight.scorer(reader, 1.0))
            .collect::<tantivy::Result<Vec<_>>>()?;
        let rank = cost_order(&parts.lists, &scorers);
        let mut prefix = vec![0.0];
        for &i in &rank {
            prefix.push(prefix[prefix.len() - 1] + parts.lists[i].bound);
        }
        let plain = |w: &Option<Box<dyn Weight>>| w.as_ref().map(|w| w.scorer(reader, 1.0));
        let n = parts.lists.len();
        let docs = scorers.iter().map(|s| s.doc()).collect();
        Ok(Segment {
            parts,
            scorers,
            docs,
            gate: match &parts.gate {
                Some((w, _)) => Some(w.scorer(reader, 1.0)?),
                None => None,
            },
            filters: plain(&parts.filters).transpose()?,
            excluded: plain(&parts.excluded).transpose()?,
            rank,
            prefix,
            walked: Vec::with_capacity(n),
            is_walked: vec![false; n],
            rest: 0.0,
            buf: Vec::with_capacity(n),
        })
    }

    /// The bound of the gate.
    fn fixed(&self) -> Score {
        self.parts.gate.as_ref().map_or(0.0, |(_, b)| *b)
    }

    /// The first essential list of `rank`: the lists before it cannot,
    /// together, make a candidate.
    fn essential(&self, walk: &Walk) -> usize {
        let n = self.parts.lists.len();
        (1..=n)
            .take_while(|&e| !walk.best.competes(self.prefix[e] + self.fixed()))
            .last()
            .unwrap_or(0)
    }

    /// Walks the lists from `e` on, and every unit while `counting`.
    fn choose(&mut self, e: usize, counting: bool) {
        self.walked.clear();
        self.rest = 0.0;
        for (k, &i) in self.rank.iter().enumerate() {
            let l = &self.parts.lists[i];
            let w = k >= e || (counting && l.unit);
            self.is_walked[i] = w;
            if w {
                self.walked.push(i);
            } else {
                self.rest += l.bound;
            }
        }
    }

    /// The next candidate: the first article a walked list is on.
    fn next_doc(&self) -> DocId {
        self.walked
            .iter()
            .map(|&i| self.docs[i])
            .min()
            .unwrap_or(TERMINATED)
    }

    /// True when `doc` passes the gate, the filters and the exclusions.
    fn admits(&mut self, doc: DocId) -> bool {
        self.gate.as_mut().is_none_or(|s| on(&mut **s, doc))
            && self.filters.as_mut().is_none_or(|s| on(&mut **s, doc))
            && !self.excluded.as_mut().is_some_and(|s| on(&mut **s, doc))
    }

    /// The score of `doc` as the full query sums it, every list on it or
    /// past it: the units' in plan order, the gate's, the optional
    /// clauses'.
    fn score(&mut self, doc: DocId) -> Score {
        self.buf.clear();
        let on_doc = self.scorers.iter_mut().zip(&self.docs);
        for (l, (s, &at)) in self.parts.lists.iter().zip(on_doc) {
            if at == doc {
                self.buf.push((l.order, l.unit, s.score()));
            }
        }
        self.buf.sort_unstable_by_key(|p| p.0);
        let parts = &self.buf;
        let units: Score = parts.iter().filter(|p| p.1).fold(0.0, |a, p| a + p.2);
        let bonus: Score = parts.iter().filter(|p| !p.1).fold(0.0, |a, p| a + p.2);
        let any_bonus = parts.iter().any(|p| !p.1);
        match self.gate.as_mut() {
            Some(g) => units + g.score() + bonus,
            None if any_bonus => units + bonus,
            None => units,
        }
    }

    /// Scores `doc` when its bound lets it be a candidate. The bound is
    /// the scores of the walked lists on it and the bounds of the others;
    /// those are moved to it, highest bound first, each bound replaced by
    /// the list's score (or dropped), while it still can.
    fn consider(&mut self, doc: DocId, ord: u32, walk: &mut Walk) {
        let lists = &self.parts.lists;
        let mut ub = self.fixed() + self.rest;
        for &i in &self.walked {
            if self.docs[i] == doc {
                ub += self.scorers[i].score();
            }
        }
        for i in (0..lists.len()).rev().filter(|&i| !self.is_walked[i]) {
            if !walk.best.competes(ub) {
                return;
            }
            let s = &mut self.scorers[i];
            ub -= lists[i].bound;
            let there = on(&mut **s, doc);
            self.docs[i] = s.doc();
            if there {
                ub += s.score();
            }
        }
        let units = (0..lists.len())
            .filter(|&i| lists[i].unit && self.docs[i] == doc)
            .count() as u32;
        if units == 0 || !walk.best.competes(ub) {
            return;
        }
        walk.best.scored += 1;
        let score = self.score(doc);
        walk.best.push(score, DocAddress::new(ord, doc), units);
    }
}

/// The order in which `lists` (with their `scorers` on one segment)
/// become non-essential as the candidates get better. MaxScore is exact
/// whatever the order (an article on none of the walked lists scores at
/// most the sum of the others' bounds); it saves most when the lists left
/// to seeks are those with the most postings per unit of bound. By bound
/// alone, a question's many small optional clauses (its bigrams) took the
/// room of its common words (年, 月), and those were walked in full.
fn cost_order(lists: &[List], scorers: &[Box<dyn Scorer>]) -> Vec<usize> {
    let density = |i: usize| scorers[i].cost() as f64 / (f64::from(lists[i].bound) + 1e-6);
    let mut rank: Vec<usize> = (0..lists.len()).collect();
    rank.sort_by(|&a, &b| density(b).total_cmp(&density(a)).then(a.cmp(&b)));
    rank
}

impl Local {
    /// Walks one segment of `parts` into `walk`.
    pub(super) fn walk_segment(&self, ord: u32, parts: &Parts, walk: &mut Walk) -> Result<()> {
        let reader = self.searcher.segment_reader(ord);
        let alive = reader.alive_bitset();
        let mut seg = Segment::new(parts, reader)?;
        let mut chosen = None;
        let mut seen = usize::MAX;
        let mut e = 0;
        loop {
            let counting = walk.counting();
            // The essential lists change only when the candidates do.
            if walk.best.changes != seen {
                seen = walk.best.changes;
                e = seg.essential(walk);
            }
            if chosen != Some((e, counting)) {
                chosen = Some((e, counting));
                seg.choose(e, counting);
            }
            let doc = seg.next_doc();
            if doc == TERMINATED {
                return Ok(());
            }
            if alive.is_none_or(|a| a.is_alive(doc)) && seg.admits(doc) {
                if counting {
                    let lists = &parts.lists;
                    if seg
                        .walked
                        .iter()
                        .any(|&i| lists[i].unit && seg.docs[i] == doc)
                    {
                        walk.best.total += 1;
                    }
                }
                seg.consider(doc, ord, walk);
            }
            for k in 0..seg.walked.len() {
                let i = seg.walked[k];
                if seg.docs[i] == doc {
                    seg.docs[i] = seg.scorers[i].advance();
                }
            }
        }
    }
}
