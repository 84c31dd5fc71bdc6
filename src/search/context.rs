//! One search, from a plan to its page of hits, and what it keeps while
//! it runs: the first stage it asks, the plan, the options, the stored
//! documents it has read and what collapsing learnt of copies.
//!
//! The steps, in order: [`Search::first_stage`] picks the query (as
//! written, or relaxed when too few articles match it) and takes its top
//! candidates; [`Search::fill_page`] re-ranks them, collapses copies and,
//! when collapsing leaves the page short, takes more candidates of the
//! same query; [`Search::into_hits`] makes the hits of the page asked for.

use std::collections::HashMap;

use anyhow::Result;

use super::collapse::{collapse, Copies, Kept};
use super::first_stage::{DocRef, FirstStage, Order, Query, Scored, Stored};
use super::{passage, relax_floor, rerank, Hit, Hits, Plan, SearchOptions, Sort, RELAXED_CAP};

/// What the first stage found for the query it settled on.
struct Found<'p> {
    /// The query run: as written, or relaxed (with a larger limit when the
    /// page is short, the same articles in the same order come first).
    query: Query<'p>,
    /// The candidates, in the query's order.
    ranked: Vec<Scored>,
    /// Every article that matched the query run.
    total: usize,
    /// Units required, of all, when relaxed.
    relaxed: Option<(usize, usize)>,
    /// Articles that match as written.
    all_words_hits: usize,
    /// True when `total` is exact (see [`Query::count_upto`]).
    exact: bool,
    /// Articles the first stage scored.
    scored: usize,
    /// True when the re-ranking keeps the verbatim tiers (a query as
    /// written, by relevance).
    tiered: bool,
}

/// The page a search filled: the kept hits up to the page asked for.
struct Page {
    /// Kept hits, best first (from the first, not from the offset).
    kept: Vec<Kept>,
    /// Every article that matched.
    total: usize,
    /// Units required, of all, when relaxed.
    relaxed: Option<(usize, usize)>,
    /// Articles that match every unit.
    all_words_hits: usize,
    /// True when `total` is exact.
    exact: bool,
    /// Articles the first stage scored.
    scored: usize,
}

/// How many candidates the first stage takes: the page and what
/// collapsing may take out of it, the re-ranked candidates (always, so
/// that pages agree), and at least `at_least`.
fn first_stage_size(opts: &SearchOptions, at_least: usize) -> usize {
    let want = opts.offset.saturating_add(opts.limit);
    let page = if opts.collapse {
        want.saturating_mul(2).saturating_add(10)
    } else {
        want
    };
    let reranked = if opts.sort == Sort::Relevance {
        opts.weights.rerank_depth
    } else {
        0
    };
    page.max(reranked).max(at_least)
}

/// One search of one plan.
pub(super) struct Search<'a> {
    first: &'a dyn FirstStage,
    plan: &'a Plan,
    opts: &'a SearchOptions,
    /// Documents read for the re-ranking and the collapsing, kept for the
    /// hits.
    loaded: HashMap<DocRef, Stored>,
    /// The shingles and ids of the documents collapsing compared.
    copies: Copies,
    /// The units each candidate has, when the first stage said.
    units: HashMap<DocRef, u32>,
}

impl<'a> Search<'a> {
    /// A search of `plan` with `opts` on `first`.
    pub fn new(first: &'a dyn FirstStage, plan: &'a Plan, opts: &'a SearchOptions) -> Self {
        Search {
            first,
            plan,
            opts,
            loaded: HashMap::new(),
            copies: Copies::default(),
            units: HashMap::new(),
        }
    }

    /// How many candidates to take: [`first_stage_size`], never more
    /// than the index holds (a huge -n or --offset must not allocate for
    /// them or overflow), at least one.
    fn limit(&self, at_least: usize) -> usize {
        let docs = usize::try_from(self.first.num_docs()).unwrap_or(usize::MAX);
        first_stage_size(self.opts, at_least).min(docs).max(1)
    }

    /// How many matches as written a search needs not to relax:
    /// questions are relaxed below the re-ranking depth; keywords (and
    /// searches by date, which have no coverage bonus to keep full
    /// matches first) only when nothing matches as written.
    fn need(&self) -> usize {
        let (plan, opts) = (self.plan, self.opts);
        match opts.sort {
            Sort::Relevance if plan.is_question() => {
                opts.relax_below.max(plan.weights().rerank_depth)
            }
            _ => 1,
        }
    }

    /// The first stage: the ranked candidates of the plan (relaxed when
    /// too few articles have every unit), the number of matches, the
    /// relaxation and the number of articles with every unit.
    fn first_stage(&self) -> Result<Found<'a>> {
        let (plan, opts) = (self.plan, self.opts);
        let n = plan.unit_count();
        // Verbatim first: by tier, then score (keywords only).
        let order = match opts.sort {
            Sort::Relevance => Order::VerbatimFirst,
            Sort::Date => Order::Date,
        };
        let mut query = Query {
            plan,
            required: n,
            order,
            limit: self.limit(0),
            count_upto: usize::MAX,
        };
        let mut found = self.first.top(query)?;
        let all_words_hits = found.total;
        let mut scored = found.scored;
        // A relaxed search counts what it adds up to RELAXED_CAP.
        query.count_upto = all_words_hits.saturating_add(RELAXED_CAP + 1);
        let need = self.need();
        // Relax in one step to the floor, not one unit at a time: stepping
        // down stops at the first level where enough long articles match
        // the common words, and hides the passage that has the rare ones.
        // Runs matched as typed are first searched as words (every word,
        // anywhere), and only when fewer than `relax_below` articles have
        // them all, relaxed to the floor.
        let loose = plan.relaxed_plan();
        let (m, floor) = (loose.unit_count(), relax_floor(loose.unit_count()));
        let mut relaxed = None;
        let mut tiered = query.order == Order::VerbatimFirst;
        // Verbatim first orders matches as written; relaxed articles are
        // ranked as before by score.
        let loose_order = match order {
            Order::VerbatimFirst => Order::Score,
            other => other,
        };
        if opts.relax_below > 0 && found.total < need {
            tiered = false;
            if !std::ptr::eq(loose, plan) {
                query.plan = loose;
                query.required = m;
                query.order = loose_order;
                found = self.first.top(query)?;
                scored += found.scored;
                relaxed = Some((m, m));
            }
            // Keywords by relevance go on to the floor as they always did
            // (below `relax_below` articles with every word).
            let further = match opts.sort {
                Sort::Relevance if !plan.is_question() => opts.relax_below,
                _ => need,
            };
            if found.total < further && m > floor {
                query.plan = loose;
                query.required = floor;
                query.order = loose_order;
                found = self.first.top(query)?;
                scored += found.scored;
                relaxed = Some((floor, m));
            }
        }
        Ok(Found {
            query,
            ranked: found.candidates,
            total: found.total,
            relaxed,
            all_words_hits,
            exact: found.exact,
            scored,
            tiered,
        })
    }

    /// The candidates up to the page asked for, re-ranked and collapsed.
    /// Collapsing may leave fewer hits than asked: more candidates of the
    /// same first-stage query are taken until the page is full or every
    /// match has been seen, so that no page comes up short and the next
    /// one never skips a hit.
    fn fill_page(&mut self) -> Result<Page> {
        let want = self.opts.offset.saturating_add(self.opts.limit);
        let mut found = self.first_stage()?;
        let mut at_least = 0;
        loop {
            let mut ranked = std::mem::take(&mut found.ranked);
            self.units
                .extend(ranked.iter().filter_map(|r| Some((r.doc, r.units?))));
            if self.opts.sort == Sort::Relevance {
                // A relaxed search ranks by the words of the relaxed plan.
                let ranking = match found.relaxed {
                    Some(_) => self.plan.relaxed_plan(),
                    None => self.plan,
                };
                rerank::rerank(self.first, ranking, &mut ranked, &mut self.loaded)?;
                // The re-ranking never moves an article across tiers.
                if found.tiered {
                    ranked.sort_by_key(|r| std::cmp::Reverse(r.tier));
                }
            }
            let taken = ranked.len();
            let kept = if self.opts.collapse {
                let (first, loaded, copies) = (self.first, &mut self.loaded, &mut self.copies);
                collapse(first, ranked, want, loaded, copies)?
            } else {
                ranked.into_iter().map(Kept::from).collect()
            };
            // No candidate at all: asking for more gives none either.
            let all_seen = (found.exact && taken >= found.total) || taken == 0;
            if kept.len() >= want || all_seen || taken < at_least {
                return Ok(Page {
                    kept,
                    total: found.total,
                    relaxed: found.relaxed,
                    all_words_hits: found.all_words_hits,
                    exact: found.exact,
                    scored: found.scored,
                });
            }
            at_least = taken.saturating_mul(2);
            found.query.limit = self.limit(at_least);
            let more = self.first.top(found.query)?;
            found.scored += more.scored;
            found.ranked = more.candidates;
        }
    }

    /// Runs the search: the hits of the page asked for.
    pub fn into_hits(mut self) -> Result<Hits> {
        let page = self.fill_page()?;
        let (plan, opts) = (self.plan, self.opts);
        let shown: Vec<Kept> = page
            .kept
            .into_iter()
            .skip(opts.offset)
            .take(opts.limit)
            .collect();
        // A relaxed search marks the hits that do not match as written,
        // and highlights the words of the relaxed plan.
        let (marks, highlighted) = match page.relaxed {
            Some(_) => {
                let docs: Vec<DocRef> = shown.iter().map(|k| k.doc).collect();
                (Some(self.marks(&docs)?), plan.relaxed_plan())
            }
            None => (None, plan),
        };
        let mut hits = Vec::with_capacity(shown.len());
        for (i, kept) in shown.into_iter().enumerate() {
            let mut hit = self.hit(highlighted, opts.offset + i + 1, kept)?;
            if let Some(m) = &marks {
                hit.relaxed = m[i];
            }
            hits.push(hit);
        }
        // An engine counts every match: beyond the cap it says as much as
        // the local walk would.
        let relaxed_hits = page.total.saturating_sub(page.all_words_hits);
        Ok(Hits {
            hits,
            total_hits: page.all_words_hits,
            relaxed_hits: relaxed_hits.min(RELAXED_CAP),
            relaxed_hits_exact: page.exact && relaxed_hits <= RELAXED_CAP,
            relaxed: page.relaxed,
            scored: page.scored,
            partial: None,
        })
    }

    /// The marks of the hits `docs` of a relaxed search: from the units
    /// the first stage counted when it could (a question's relaxed plan
    /// is the plan itself, so all of its units is a match as written),
    /// else asked of the first stage.
    fn marks(&self, docs: &[DocRef]) -> Result<Vec<Option<(usize, usize)>>> {
        let plan = self.plan;
        let n = plan.unit_count();
        let known: Option<Vec<u32>> = docs.iter().map(|d| self.units.get(d).copied()).collect();
        match known {
            Some(units) if std::ptr::eq(plan.relaxed_plan(), plan) => Ok(units
                .into_iter()
                .map(|k| (k as usize != n).then_some((k as usize, n)))
                .collect()),
            _ => self.first.marks(plan, docs),
        }
    }

    /// The hit of rank `rank` for the kept article `kept`: its fields, the
    /// highlights and passages of `highlighted`, the ids of its copies.
    fn hit(&mut self, highlighted: &Plan, rank: usize, kept: Kept) -> Result<Hit> {
        let doc = match self.loaded.remove(&kept.doc) {
            Some(d) => d,
            None => self.first.stored(kept.doc)?,
        };
        let mut duplicates = Vec::with_capacity(kept.copies.len());
        for d in kept.copies {
            duplicates.push(match self.copies.ids.get(&d) {
                Some(id) => id.clone(),
                None => self.first.stored(d)?.id,
            });
        }
        let passages = match self.opts.passages {
            0 => Vec::new(),
            n => passage::best_passages(&doc.body, &highlighted.highlights, n),
        };
        Ok(Hit {
            rank,
            score: kept.score,
            title_highlights: passage::highlight(&doc.title, &highlighted.highlights),
            id: doc.id,
            title: doc.title,
            date: doc.date,
            source: doc.source,
            author: doc.author,
            url: doc.url,
            path: doc.path,
            passages,
            duplicates,
            relaxed: None,
        })
    }

    /// The re-ranking candidates of the plan (by relevance, the top
    /// `rerank_depth` by the first-stage score) with their features.
    pub fn candidates(self) -> Result<Vec<rerank::Candidate>> {
        let found = self.first_stage()?;
        rerank::candidates(self.first, self.plan, &found.ranked)
    }
}
