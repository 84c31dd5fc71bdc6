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
//! up to [`crate::search::first_stage::Query::count_upto`], after which the common lists are no
//! longer walked and the count is a lower bound. The scores are the sums
//! the full query computes: the units' in plan order, then the optional
//! clauses'.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicU32, AtomicUsize};

use anyhow::Result;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Scorer, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader, TERMINATED};

use super::best::{on, Best};
use super::bound::bound;
use super::doc_ref;
use super::lazy::lazy;
use crate::search::first_stage::Scored;
use crate::search::plan::{Disjunction, Plan};

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
        Parts::of(&plan.disjunction(), searcher, stats)
    }

    /// The parts of the disjunction `d` scored with `stats`; `None` when
    /// some part has no known bound.
    pub fn of(
        d: &Disjunction,
        searcher: &tantivy::Searcher,
        stats: &dyn Bm25StatisticsProvider,
    ) -> Result<Option<Parts>> {
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

/// What walks over segments in parallel share: the bar a candidate must
/// pass (the highest last candidate of any of them, as the bits of a
/// positive score, which order as the scores do) and the matches counted.
#[derive(Default)]
pub(super) struct Shared {
    bar: AtomicU32,
    counted: AtomicUsize,
}

/// Matches a walk counts before it adds them to [`Shared::counted`].
const PUBLISH_EVERY: usize = 64;

/// What the walk over the segments keeps: the best candidates (with the
/// units each has), the count.
pub(super) struct Walk<'s> {
    best: Best<u32>,
    count_upto: usize,
    /// What it shares with walks over other segments, if any.
    shared: Option<&'s Shared>,
    /// Matches counted and not yet added to the shared count.
    unpublished: usize,
    /// The last candidate's score it shared, as bits.
    published: u32,
}

impl<'s> Walk<'s> {
    /// A walk keeping the best `limit` and counting up to `count_upto`
    /// (a query's `limit` and `count_upto`).
    pub fn new(limit: usize, count_upto: usize) -> Walk<'s> {
        Walk {
            best: Best::new(limit),
            count_upto,
            shared: None,
            unpublished: 0,
            published: 0,
        }
    }

    /// This walk over some segments beside others walking the rest with
    /// the same `shared`.
    pub fn beside(self, shared: &'s Shared) -> Walk<'s> {
        Walk {
            shared: Some(shared),
            ..self
        }
    }

    /// The walks of all the segments as one (keeping the best `limit`,
    /// counting up to `count_upto`), their candidates merged.
    pub fn merge(limit: usize, count_upto: usize, walks: Vec<Walk<'_>>) -> Walk<'s> {
        let mut all = Walk::new(limit, count_upto);
        for w in walks {
            all.best.total += w.best.total;
            all.best.scored += w.best.scored;
            for (s, a, units) in w.best.into_sorted() {
                all.best.push(s, a, units);
            }
        }
        // As one walk counts: up to the bound, then no further.
        all.best.total = all.best.total.min(all.count_upto);
        all
    }

    fn counting(&self) -> bool {
        match self.shared {
            None => self.best.total < self.count_upto,
            Some(s) => s.counted.load(Relaxed) + self.unpublished < self.count_upto,
        }
    }

    /// Counts one match.
    fn count(&mut self) {
        self.best.total += 1;
        if let Some(s) = self.shared {
            self.unpublished += 1;
            if self.unpublished >= PUBLISH_EVERY {
                s.counted.fetch_add(self.unpublished, Relaxed);
                self.unpublished = 0;
            }
        }
    }

    /// Shares its last candidate and its count, and takes the others'
    /// bar as its floor.
    fn share(&mut self, done: bool) {
        let Some(s) = self.shared else {
            return;
        };
        if done && self.unpublished > 0 {
            s.counted.fetch_add(self.unpublished, Relaxed);
            self.unpublished = 0;
        }
        if let Some(last) = self.best.last().filter(|l| *l > 0.0) {
            if last.to_bits() > self.published {
                self.published = last.to_bits();
                s.bar.fetch_max(self.published, Relaxed);
            }
        }
        let bar = s.bar.load(Relaxed);
        if bar > self.published {
            self.best.raise(Score::from_bits(bar));
        }
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

/// Walks the segment `ord` of `searcher` for `parts` into `walk`.
pub(super) fn walk_segment(
    searcher: &tantivy::Searcher,
    ord: u32,
    parts: &Parts,
    walk: &mut Walk,
) -> Result<()> {
    let reader = searcher.segment_reader(ord);
    let alive = reader.alive_bitset();
    let mut seg = Segment::new(parts, reader)?;
    let mut chosen = None;
    let mut seen = usize::MAX;
    let mut e = 0;
    loop {
        walk.share(false);
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
            walk.share(true);
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
                    walk.count();
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

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::query::{BooleanQuery, Occur, PhraseQuery, TermQuery};
    use tantivy::schema::{IndexRecordOption, Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter, Term};

    use crate::search::plan::boosted::Boosted;
    use crate::search::plan::offset::Offset;

    type Q = Box<dyn tantivy::query::Query>;

    /// The pruned walk, one segment after another or each on its own
    /// thread, finds the best candidates (scores to the bit) and the
    /// count of tantivy's whole relaxed query, on segments where common
    /// and rare words come and go independently.
    #[test]
    fn same_top_and_count_as_the_whole_query_in_order_or_in_parallel() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 50_000_000).unwrap();
        let mut x: u64 = 11;
        let mut next = |n: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % n
        };
        let words = ["a", "b", "c", "d", "e", "f", "g", "h", "r", "s"];
        for i in 0..12_000u64 {
            // Word k with weight 1 / (k + 1): common and rare words.
            let text: Vec<&str> = (0..1 + next(30))
                .map(|_| words[(next(1_000) * next(1_000) / 100_000).min(9) as usize])
                .collect();
            w.add_document(doc!(f => text.join(" "))).unwrap();
            if i % 3_000 == 2_999 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        let s = index.reader().unwrap().searcher();
        assert!(s.segment_readers().len() > 2);
        let term = |t: &str| -> Q {
            Box::new(TermQuery::new(
                Term::from_field_text(f, t),
                IndexRecordOption::WithFreqs,
            ))
        };
        let unit = |a: &str, b: &str| -> Q {
            let phrase = PhraseQuery::new(vec![
                Term::from_field_text(f, a),
                Term::from_field_text(f, b),
            ]);
            let alts: Vec<(Occur, Q)> = vec![
                (Occur::Should, Box::new(Boosted::new(term(a), 0.8))),
                (Occur::Should, Box::new(phrase)),
            ];
            Box::new(Offset::new(Box::new(BooleanQuery::new(alts)), 4.0))
        };
        let units = vec![
            unit("a", "b"),
            unit("c", "a"),
            unit("r", "s"),
            unit("g", "h"),
        ];
        let bonus: Vec<Q> = ["b", "s", "e"]
            .iter()
            .map(|t| Box::new(Boosted::new(term(t), 0.5)) as Q)
            .collect();
        let shoulds = units
            .iter()
            .map(|u| (Occur::Should, u.box_clone()))
            .collect();
        let mut whole: Vec<(Occur, Q)> = vec![(
            Occur::Must,
            Box::new(BooleanQuery::with_minimum_required_clauses(shoulds, 1)),
        )];
        whole.extend(bonus.iter().map(|q| (Occur::Should, q.box_clone())));
        let whole = BooleanQuery::new(whole);
        let n = s.num_docs() as usize;
        let (mut all, count) = s
            .search(&whole, &(TopDocs::with_limit(n).order_by_score(), Count))
            .unwrap();
        // Best first, then the earlier article: the walk's order.
        all.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let d = Disjunction {
            units,
            bonus,
            gate: None,
            filters: None,
            excluded: None,
        };
        let parts = Parts::of(&d, &s, &s).unwrap().expect("bounds");
        let segments = s.segment_readers().len() as u32;
        for (limit, upto) in [(10, usize::MAX), (40, usize::MAX), (10, 500)] {
            let in_order = {
                let mut walk = Walk::new(limit, upto);
                for ord in 0..segments {
                    walk_segment(&s, ord, &parts, &mut walk).unwrap();
                }
                walk
            };
            let shared = Shared::default();
            let one = |ord| {
                let mut walk = Walk::new(limit, upto).beside(&shared);
                walk_segment(&s, ord, &parts, &mut walk).unwrap();
                walk
            };
            let walks = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..segments).map(|o| scope.spawn(move || one(o))).collect();
                handles.into_iter().map(|h| h.join().unwrap()).collect()
            });
            let parallel = Walk::merge(limit, upto, walks);
            let want: Vec<(u32, DocAddress)> = all
                .iter()
                .take(limit)
                .map(|(s, a)| (s.to_bits(), *a))
                .collect();
            for walk in [in_order, parallel] {
                assert_eq!(walk.total(), count.min(upto));
                assert!(
                    walk.scored() < count,
                    "pruned: {} of {count}",
                    walk.scored()
                );
                let got: Vec<(u32, DocAddress)> = walk
                    .best
                    .into_sorted()
                    .into_iter()
                    .map(|(s, a, _)| (s.to_bits(), a))
                    .collect();
                assert_eq!(got, want, "limit {limit}, count up to {upto}");
            }
        }
    }
}
