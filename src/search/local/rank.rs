//! The local first stage's ranking of one query: BM25 with each view's
//! length normalisation ([`super::lengthnorm`]), verbatim tiers first
//! ([`super::verbatim`]), or by date; the matches counted in the same
//! pass.

use anyhow::Result;
use tantivy::collector::{Count, TopDocs};
use tantivy::{DocAddress, Order as TantivyOrder};

use super::lengthnorm::LengthNorm;
use super::verbatim::Tiers;
use super::{doc_ref, Local};
use crate::index::schema::names;
use crate::search::first_stage::{Order, Query, Ranked, Scored};

impl Local {
    /// The top candidates of `q` and the number of its matches.
    pub(super) fn rank(&self, q: Query<'_>) -> Result<Ranked> {
        let searcher = &self.searcher;
        let query = q.plan.query(q.required);
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
        let (candidates, total) = match q.order {
            Order::Score | Order::VerbatimFirst if !tiers.is_empty() => {
                let (top, count) = tiers.top(searcher, &*query, limit, &norm)?;
                (scored(top, &tiers), count)
            }
            Order::Score | Order::VerbatimFirst => {
                let collector = (TopDocs::with_limit(limit).order_by_score(), Count);
                let (top, count) = if norm.is_default() {
                    searcher.search(&*query, &collector)?
                } else {
                    searcher.search_with_statistics_provider(&*query, &collector, &norm)?
                };
                (scored(top, &tiers), count)
            }
            Order::Date => {
                let by_date = TopDocs::with_limit(limit)
                    .order_by_fast_field::<tantivy::DateTime>(names::DATE, TantivyOrder::Desc);
                let (top, count) = searcher.search(&*query, &(by_date, Count))?;
                let candidates = top
                    .into_iter()
                    .map(|(_, addr)| Scored {
                        score: None,
                        tier: 0,
                        doc: doc_ref(addr),
                    })
                    .collect();
                (candidates, count)
            }
        };
        Ok(Ranked { candidates, total })
    }
}

/// Candidates ranked by score, with their tiers.
fn scored(top: Vec<(f32, DocAddress)>, tiers: &Tiers) -> Vec<Scored> {
    top.into_iter()
        .map(|(s, addr)| Scored {
            score: Some(s),
            tier: if tiers.is_empty() {
                0
            } else {
                tiers.tier(addr)
            },
            doc: doc_ref(addr),
        })
        .collect()
}
