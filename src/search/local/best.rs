//! What the pruned walks share ([`super::pruned`], [`super::dense`]): the
//! best candidates found so far, kept in a bounded heap, the test of
//! whether an article could still join them, and the counts of the walk.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use tantivy::query::Scorer;
use tantivy::{DocAddress, DocId, Score};

/// Bounds are sums of floats computed in another order than the scores:
/// an article is kept for scoring while its bound is within this
/// (relative and absolute) margin of the last candidate.
const SLACK: Score = 1e-4;

/// A candidate: better is greater (higher score, then earlier article);
/// `P` is what the walk keeps beside it, not compared.
#[derive(Clone, Copy)]
struct Entry<P>(Score, DocAddress, P);

impl<P> PartialEq for Entry<P> {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other).is_eq()
    }
}

impl<P> Eq for Entry<P> {}

impl<P> PartialOrd for Entry<P> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<P> Ord for Entry<P> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(other.1.cmp(&self.1))
    }
}

/// The best `limit` candidates of a walk over the segments in order, and
/// its counts.
pub struct Best<P> {
    heap: BinaryHeap<Reverse<Entry<P>>>,
    limit: usize,
    /// Matches counted.
    pub total: usize,
    /// Articles scored in full.
    pub scored: usize,
    /// Changes to the candidates (and to `floor`).
    pub changes: usize,
    /// A score an article must pass besides the last candidate's: the
    /// last candidate of a walk over other segments in parallel.
    floor: Score,
}

impl<P: Copy> Best<P> {
    /// Keeping the best `limit` (at least one).
    pub fn new(limit: usize) -> Best<P> {
        Best {
            heap: BinaryHeap::with_capacity(limit + 1),
            limit: limit.max(1),
            total: 0,
            scored: 0,
            changes: 0,
            floor: Score::NEG_INFINITY,
        }
    }

    /// True when an article whose score is at most `ub` may still be a
    /// candidate. The walk goes in article order, so an article that only
    /// ties the last candidate comes after it and loses the tie.
    pub fn competes(&self, ub: Score) -> bool {
        let bar = self.last().unwrap_or(Score::NEG_INFINITY).max(self.floor);
        bar == Score::NEG_INFINITY || ub + SLACK + ub.abs() * SLACK > bar
    }

    /// The score of the last candidate when there are `limit`.
    pub fn last(&self) -> Option<Score> {
        match self.heap.peek() {
            Some(Reverse(worst)) if self.heap.len() >= self.limit => Some(worst.0),
            _ => None,
        }
    }

    /// Raises the floor to `floor` (an article that only ties it may
    /// still be a candidate: see [`Best::competes`]).
    pub fn raise(&mut self, floor: Score) {
        if floor > self.floor {
            self.floor = floor;
            self.changes += 1;
        }
    }

    /// Offers a scored article.
    pub fn push(&mut self, score: Score, doc: DocAddress, with: P) {
        let e = Entry(score, doc, with);
        self.changes += 1;
        if self.heap.len() < self.limit {
            self.heap.push(Reverse(e));
        } else if self.heap.peek().is_some_and(|Reverse(w)| e > *w) {
            self.heap.pop();
            self.heap.push(Reverse(e));
        }
    }

    /// The candidates, best first.
    pub fn into_sorted(self) -> Vec<(Score, DocAddress, P)> {
        let mut all: Vec<Entry<P>> = self.heap.into_iter().map(|Reverse(e)| e).collect();
        all.sort_by(|a, b| b.cmp(a));
        all.into_iter().map(|Entry(s, a, p)| (s, a, p)).collect()
    }
}

/// `s` moved to `doc` or past it; true when it is on `doc`.
pub fn on(s: &mut dyn Scorer, doc: DocId) -> bool {
    if s.doc() < doc {
        s.seek(doc);
    }
    s.doc() == doc
}
