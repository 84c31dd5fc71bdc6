//! Verbatim first, and which query parts a hit matched.
//!
//! For keywords, an article that contains a run searched as words (北京小吃)
//! exactly as typed ranks above every article that only has its words
//! apart, on every page: the first stage orders by *tier* (the number of
//! such runs the article has verbatim), then by score, and the re-ranking
//! never moves an article across tiers (each candidate carries its tier,
//! [`crate::search::first_stage::Scored::tier`]).
//!
//! [`Matcher`] answers, for the few hits of a page, whether each matches a
//! query: the as-written test and the units a relaxed hit matched.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::Result;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::query::{EnableScoring, Query, Weight};
use tantivy::{DocAddress, DocId, DocSet, Score, SegmentReader};

use super::parallel;
use crate::search::plan::Plan;

/// The articles holding each verbatim run of a plan.
#[derive(Debug, Default, Clone)]
pub struct Tiers {
    sets: Arc<Vec<HashSet<DocAddress>>>,
}

impl Tiers {
    /// The articles matching each of `verbatim` (none: every article is
    /// in tier 0).
    pub fn of(searcher: &tantivy::Searcher, verbatim: &[Box<dyn Query>]) -> Result<Tiers> {
        let mut sets = Vec::with_capacity(verbatim.len());
        for q in verbatim {
            sets.push(parallel::search(
                searcher,
                &**q,
                &DocSetCollector,
                searcher,
            )?);
        }
        Ok(Tiers {
            sets: Arc::new(sets),
        })
    }

    /// True when no run is tested (all articles are in one tier).
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// The number of verbatim runs `addr` holds.
    pub fn tier(&self, addr: DocAddress) -> u32 {
        self.sets.iter().filter(|s| s.contains(&addr)).count() as u32
    }

    /// The `limit` best matches of `query` by tier, then score, and the
    /// number of matches.
    pub fn top(
        &self,
        searcher: &tantivy::Searcher,
        query: &dyn Query,
        limit: usize,
        norm: &super::lengthnorm::LengthNorm,
    ) -> Result<(Vec<(Score, DocAddress)>, usize)> {
        let ords: Arc<HashMap<tantivy::index::SegmentId, u32>> = Arc::new(
            searcher
                .segment_readers()
                .iter()
                .enumerate()
                .map(|(i, r)| (r.segment_id(), i as u32))
                .collect(),
        );
        let tiers = self.clone();
        let collector = TopDocs::with_limit(limit).tweak_score(move |reader: &SegmentReader| {
            let ord = ords.get(&reader.segment_id()).copied().unwrap_or(u32::MAX);
            let tiers = tiers.clone();
            move |doc: DocId, score: Score| (tiers.tier(DocAddress::new(ord, doc)), score)
        });
        let collector = (collector, Count);
        let (top, count) = parallel::search(searcher, query, &collector, norm.stats())?;
        Ok((top.into_iter().map(|((_, s), a)| (s, a)).collect(), count))
    }
}

/// Tests documents against a few queries.
pub struct Matcher {
    weights: Vec<Box<dyn Weight>>,
}

impl Matcher {
    /// A matcher for `queries` (matching only, no scoring).
    pub fn new(searcher: &tantivy::Searcher, queries: &[&dyn Query]) -> Result<Matcher> {
        let weights = queries
            .iter()
            .map(|q| q.weight(EnableScoring::disabled_from_searcher(searcher)))
            .collect::<tantivy::Result<Vec<_>>>()?;
        Ok(Matcher { weights })
    }

    /// For each of `addrs` (in any order), whether the document matches
    /// each query. One scorer per query and segment, seeked in document
    /// order: making a scorer can cost a scan of the term dictionary (a
    /// single character's regex), so it is made once, not once per hit.
    pub fn matches(
        &self,
        searcher: &tantivy::Searcher,
        addrs: &[DocAddress],
    ) -> Result<Vec<Vec<bool>>> {
        let mut order: Vec<usize> = (0..addrs.len()).collect();
        order.sort_by_key(|&i| addrs[i]);
        let mut out = vec![Vec::new(); addrs.len()];
        let mut segment = None;
        let mut scorers: Vec<Box<dyn tantivy::query::Scorer>> = Vec::new();
        for i in order {
            let addr = addrs[i];
            if segment != Some(addr.segment_ord) {
                let reader = searcher.segment_reader(addr.segment_ord);
                scorers = self
                    .weights
                    .iter()
                    .map(|w| w.scorer(reader, 1.0))
                    .collect::<tantivy::Result<_>>()?;
                segment = Some(addr.segment_ord);
            }
            out[i] = scorers
                .iter_mut()
                .map(|s| {
                    let doc = s.doc();
                    if doc >= addr.doc_id {
                        doc == addr.doc_id
                    } else {
                        s.seek(addr.doc_id) == addr.doc_id
                    }
                })
                .collect();
        }
        Ok(out)
    }
}

/// Marks the hits of a relaxed search: whether each matches the query as
/// written, and how many units of the relaxed plan it has.
pub struct Marks {
    matcher: Matcher,
}

impl Marks {
    /// The marks of `plan`'s hits.
    pub fn new(searcher: &tantivy::Searcher, plan: &Plan) -> Result<Marks> {
        let as_written = plan.query(plan.unit_count());
        let mut qs: Vec<&dyn tantivy::query::Query> = vec![&*as_written];
        qs.extend(plan.relaxed_plan().units().iter().map(|u| &**u));
        Ok(Marks {
            matcher: Matcher::new(searcher, &qs)?,
        })
    }

    /// For each of `addrs`: `None` for a match as written, else the units
    /// matched, of all.
    pub fn of(
        &self,
        searcher: &tantivy::Searcher,
        addrs: &[DocAddress],
    ) -> Result<Vec<Option<(usize, usize)>>> {
        let found = self.matcher.matches(searcher, addrs)?;
        Ok(found
            .into_iter()
            .map(|f| {
                let units = f[1..].iter().filter(|&&b| b).count();
                (!f[0]).then_some((units, f.len() - 1))
            })
            .collect())
    }
}
