//! The local first stage's ranking of one query: BM25 with each view's
//! length normalisation ([`super::lengthnorm`]), verbatim tiers first
//! ([`super::verbatim`]), or by date; the matches counted in the same
//! pass.

use anyhow::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Order as TantivyOrder};

use super::dense::{Dense, Top};
use super::lazy::lazy_top;
use super::lengthnorm::LengthNorm;
use super::parallel;
use super::pruned::{walk_segment, Parts, Shared, Walk};
use super::verbatim::Tiers;
use super::{doc_ref, Local};
use crate::index::schema::names;
use crate::search::first_stage::{Order, Query, Ranked, Scored};

impl Local {
    /// The top candidates of `q` and the number of its matches.
    pub(super) fn rank(&self, q: Query<'_>) -> Result<Ranked> {
        let searcher = &self.searcher;
        let query = lazy_top(&*q.plan.query(q.required));
        let (limit, f) = (q.limit, self.fields);
        let w = q.plan.weights();
        let norm = LengthNorm::new(
            searcher,
            &[
                (f.body, w.b_body_words),
                (f.body_bg, w.b_body_bigrams),
                (f.title, w.b_title_words),
                (f.title_bg, w.b_title_bigrams),
            ],
        );
        let tiers = match q.order {
            Order::VerbatimFirst => Tiers::of(searcher, q.plan.verbatim())?,
            Order::Score | Order::Date => Tiers::default(),
        };
        if let Some(ranked) = self.rank_pruned(&q, &norm)? {
            return Ok(ranked);
        }
        if let Some(ranked) = self.rank_dense(&q, &norm, &tiers)? {
            return Ok(ranked);
        }
        let (candidates, total) = match q.order {
            Order::Score | Order::VerbatimFirst if !tiers.is_empty() => {
                let (top, count) = tiers.top(searcher, &*query, limit, &norm)?;
                (scored_of(top, &tiers), count)
            }
            Order::Score | Order::VerbatimFirst => {
                let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
                let (top, count) = parallel::search(searcher, &*query, &collector, norm.stats())?;
                (scored_of(top, &tiers), count)
            }
            Order::Date => {
                let by_date = TopDocs::with_limit(limit)
                    .order_by_fast_field::<tantivy::DateTime>(names::DATE, TantivyOrder::Desc);
                let (top, count) =
                    parallel::search(searcher, &*query, &(by_date, Count), searcher)?;
                let candidates = top
                    .into_iter()
                    .map(|(_, addr)| Scored {
                        score: None,
                        tier: 0,
                        doc: doc_ref(addr),
                        units: None,
                    })
                    .collect();
                (candidates, count)
            }
        };
        Ok(Ranked {
            candidates,
            total,
            exact: true,
            scored: total,
        })
    }

    /// The top candidates of a relaxed query by score, with dynamic
    /// pruning ([`super::pruned`]); `None` for any other query, or when a
    /// part of it has no known bound.
    fn rank_pruned(&self, q: &Query<'_>, norm: &LengthNorm) -> Result<Option<Ranked>> {
        let units = q.plan.unit_count();
        if q.order != Order::Score || q.required != 1 || units < 2 {
            return Ok(None);
        }
        let Some(parts) = Parts::new(q.plan, &self.searcher, norm.stats())? else {
            return Ok(None);
        };
        let n = self.searcher.segment_readers().len() as u32;
        let walk = match parallel::pool_for(&self.searcher) {
            // Each segment on the pool, the candidates' bar shared.
            Some(pool) => {
                let shared = Shared::default();
                let one = |ord: u32| {
                    let mut walk = Walk::new(q.limit, q.count_upto).beside(&shared);
                    Ok(walk_segment(&self.searcher, ord, &parts, &mut walk).map(|()| walk))
                };
                let walks = pool.map(one, 0..n)?;
                Walk::merge(
                    q.limit,
                    q.count_upto,
                    walks.into_iter().collect::<Result<Vec<_>>>()?,
                )
            }
            None => {
                let mut walk = Walk::new(q.limit, q.count_upto);
                for ord in 0..n {
                    walk_segment(&self.searcher, ord, &parts, &mut walk)?;
                }
                walk
            }
        };
        let (total, scored) = (walk.total(), walk.scored());
        Ok(Some(Ranked {
            candidates: walk.into_sorted(),
            total,
            exact: total < q.count_upto,
            scored,
        }))
    }
}

impl Local {
    /// The top candidates of a one-unit query as written that matches
    /// much of the index, its phrases matched only where they decide
    /// something ([`super::dense`]); `None` for any other query.
    fn rank_dense(
        &self,
        q: &Query<'_>,
        norm: &LengthNorm,
        tiers: &Tiers,
    ) -> Result<Option<Ranked>> {
        let plan = q.plan;
        let one_unit = plan.unit_count() == 1 && q.required == 1;
        if q.order == Order::Date || !tiers.is_empty() || !one_unit {
            return Ok(None);
        }
        let d = plan.disjunction();
        if d.gate.is_some() || d.filters.is_some() || d.excluded.is_some() {
            return Ok(None);
        }
        let Some(dense) = Dense::new(&*d.units[0], &d.bonus, &self.searcher, norm.stats())? else {
            return Ok(None);
        };
        let mut top = Top::new(q.limit);
        for ord in 0..self.searcher.segment_readers().len() {
            dense.walk(&self.searcher, ord as u32, &mut top)?;
        }
        let (total, scored) = (top.total, top.scored);
        let candidates = top
            .into_sorted()
            .into_iter()
            .map(|(s, a, ())| Scored {
                score: Some(s),
                tier: 0,
                doc: doc_ref(a),
                units: None,
            })
            .collect();
        Ok(Some(Ranked {
            candidates,
            total,
            exact: true,
            scored,
        }))
    }
}

/// Candidates ranked by score, with their tiers.
fn scored_of(top: Vec<(f32, DocAddress)>, tiers: &Tiers) -> Vec<Scored> {
    top.into_iter()
        .map(|(s, addr)| Scored {
            score: Some(s),
            tier: if tiers.is_empty() {
                0
            } else {
                tiers.tier(addr)
            },
            doc: doc_ref(addr),
            units: None,
        })
        .collect()
}
