//! Searching an index: query → ranked, collapsed hits with passages.
//!
//! [`Searcher::search`] parses the query ([`syntax`]), plans it ([`plan`]),
//! asks the first stage for the candidates ([`first_stage`]: the seam; the
//! local index, [`local`], is one implementation), re-ranks the top ones
//! ([`rerank`]), collapses near-duplicates ([`collapse`]) and assembles the
//! hits with their passages ([`passage`]), one search context doing the
//! steps ([`context`]). It returns plain serialisable [`Hits`]; printers
//! and the evaluator call the same code. Counting by period or source,
//! concordance lines and significant terms are in [`analytics`] (also
//! reachable as `search::facets`, `search::kwic`, …).

pub mod analytics;
pub mod article;
pub mod collapse;
mod context;
pub mod first_stage;
pub mod local;
pub mod passage;
pub mod plan;
pub mod rerank;
pub mod syntax;
pub mod weights;

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::analysis::query::Vocabulary;
use crate::index::Store;
pub use analytics::{facets, kwic, periods, series, terms};
use first_stage::FirstStage;
pub use passage::Passage;
pub use plan::{DateRange, Plan, PlanInputs};
pub use weights::Weights;

/// How to order results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Date filter.
    pub dates: DateRange,
    /// Collapse near-duplicates.
    pub collapse: bool,
    /// Passages per hit (0 = none).
    pub passages: usize,
    /// Relax a natural-language question ([`Plan::is_question`]) when
    /// fewer than this many articles match it as written, or than the
    /// re-ranking depth ([`Weights::rerank_depth`]) when that is more, so
    /// that the re-ranking has a full set of candidates; 0 never relaxes
    /// any query (`--no-relax`). Keywords, and any search by date, are
    /// relaxed only when nothing matches as written. The decision does
    /// not depend on the page asked for, so that every page of a query
    /// comes from the same result list. A relaxed search requires
    /// [`relax_floor`] of the units of the relaxed plan
    /// ([`Plan::relaxed_plan`]) at once; the articles it adds are counted
    /// apart ([`Hits::relaxed_hits`]).
    pub relax_below: usize,
    /// Ranking weights.
    pub weights: Weights,
    /// Expand the index's synonym groups (`--no-synonyms` turns it off).
    pub synonyms: bool,
    /// Only articles whose source contains this text (as the query's
    /// `source:"…"` clause; none: every source).
    pub source: Option<String>,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            dates: DateRange::default(),
            collapse: true,
            passages: 3,
            relax_below: 10,
            weights: Weights::default(),
            synonyms: true,
            source: None,
        }
    }
}

impl SearchOptions {
    /// The options of a reading of every article a query matches as
    /// written (counts, concordances, terms): these dates and this source
    /// filter, never relaxed, the rest by default.
    pub fn as_written(dates: DateRange, source: Option<String>) -> SearchOptions {
        SearchOptions {
            dates,
            relax_below: 0,
            source,
            ..SearchOptions::default()
        }
    }
}

/// One ranked article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Relevance score (absent when sorted by date).
    pub score: Option<f32>,
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Highlights in the title (byte ranges).
    pub title_highlights: Vec<[usize; 2]>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Original address.
    pub url: Option<String>,
    /// File it was read from.
    pub path: String,
    /// Best passages, best first.
    pub passages: Vec<Passage>,
    /// Ids of near-duplicates collapsed into this hit.
    pub duplicates: Vec<String>,
    /// For a hit shown only because the search was relaxed (it does not
    /// match the query as written): `(k, n)`, the `k` of the relaxed
    /// query's `n` units it matched. `None` for a match as written.
    pub relaxed: Option<(usize, usize)>,
}

/// The result of a search.
#[derive(Debug, Clone, Serialize)]
pub struct Hits {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Every article that matches the query as written (before
    /// collapsing and paging); never the articles a relaxed search adds.
    pub total_hits: usize,
    /// Articles a relaxed search adds to those (0 unless relaxed),
    /// counted exactly up to [`RELAXED_CAP`]; beyond it this is the cap,
    /// a lower bound, and `relaxed_hits_exact` is false.
    pub relaxed_hits: usize,
    /// False when `relaxed_hits` is a lower bound (the search stopped
    /// counting at [`RELAXED_CAP`]).
    pub relaxed_hits_exact: bool,
    /// `(k, n)` when the search was relaxed: `k` of the `n` units of the
    /// relaxed plan ([`Plan::relaxed_plan`]) were required.
    pub relaxed: Option<(usize, usize)>,
    /// Articles the first stage scored: the work of the search, which
    /// dynamic pruning keeps well below the matches of a relaxed query
    /// (`newsidx search` prints it on stderr when `NEWSIDX_STATS` is set).
    #[serde(skip)]
    pub scored: usize,
    /// What did not answer when the first stage answered in part (a
    /// shard of an engine down): `total_hits` and the hits are short.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub partial: Option<String>,
}

/// The most articles a relaxed search counts exactly: beyond it
/// [`Hits::relaxed_hits`] is this lower bound. Counting stops there so
/// that a question whose common words match most of a large index is not
/// scored all through: while it counts, the walk visits every article
/// with any of the query's words. 1,000 rather than 10,000 took the
/// median pasted headline from 3.3 to 2.5 ms (BENCHMARKS.md, issue 28);
/// the count of matches as written is exact whatever this is.
pub const RELAXED_CAP: usize = 1_000;

/// The fewest units a relaxed search of `n` units requires: one. The
/// coverage bonus ([`Weights::coord`]) still ranks articles with more of
/// the words first. Requiring half of them instead (so that a query whose
/// words mostly do not occur finds nothing) cost MRR@10 on DRCD and
/// DuReader (BENCHMARKS.md, "Search quality", has the figures): a
/// question's answer passage often has only its two rarest words.
pub fn relax_floor(n: usize) -> usize {
    n.min(1)
}

impl Vocabulary for Searcher {
    /// True when some article has `w` as a jieba word of its title or body.
    fn is_word(&self, w: &str) -> bool {
        self.first.is_word(w)
    }

    /// True when some article's title or body contains `w` verbatim.
    fn occurs(&self, w: &str) -> bool {
        self.first.occurs(w)
    }
}

/// A searcher over one index: what planning needs of it (fields,
/// segmenter, synonym groups: the [`Store`]) and a first stage.
pub struct Searcher {
    store: Store,
    first: Box<dyn FirstStage>,
}

impl Searcher {
    /// Opens the index at `dir` for searching (its latest commit).
    pub fn open(dir: &Path) -> Result<Searcher> {
        let store = Store::open(dir)?;
        let first = Box::new(local::Local::open(&store)?);
        Ok(Searcher::new(store, first))
    }

    /// A searcher planning with `store` and asking `first` for the
    /// candidates.
    pub fn new(store: Store, first: Box<dyn FirstStage>) -> Searcher {
        Searcher { store, first }
    }

    /// The store behind this searcher.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The first stage behind this searcher.
    pub fn first_stage(&self) -> &dyn FirstStage {
        &*self.first
    }

    /// Plans `q` (parsed) for this index, with the source filter of
    /// `opts` and its synonym groups expanded (unless `opts` says not to).
    pub fn plan(&self, parsed: &syntax::Parsed, opts: &SearchOptions) -> Plan {
        let with_source;
        let parsed = match &opts.source {
            Some(s) => {
                let mut p = parsed.clone();
                p.groups.push(vec![syntax::Clause {
                    scope: syntax::Scope::Source,
                    atom: syntax::Atom::Phrase(s.clone()),
                }]);
                with_source = p;
                &with_source
            }
            None => parsed,
        };
        let expanded = match opts.synonyms {
            true => plan::synonyms::expand(parsed, &self.store.synonyms),
            false => None,
        };
        let parsed = expanded.as_ref().map_or(parsed, |(p, _)| p);
        Plan::new(PlanInputs {
            parsed,
            fields: &self.store.fields,
            seg: &self.store.seg,
            weights: opts.weights,
            dates: opts.dates,
            vocab: Some(self),
        })
    }

    /// Parses and plans the query string `q`; a syntax error names it.
    pub fn plan_text(&self, q: &str, opts: &SearchOptions) -> Result<Plan> {
        let parsed = syntax::parse(q).map_err(|e| anyhow::anyhow!("query {q:?}: {e}"))?;
        Ok(self.plan(&parsed, opts))
    }

    /// Plans every article (an empty query) with the filters of `opts`:
    /// its dates and source.
    pub fn plan_all(&self, opts: &SearchOptions) -> Plan {
        self.plan(&syntax::Parsed::default(), opts)
    }

    /// The synonym groups the clauses of the query string `q` expand to
    /// (none when `opts` turns synonyms off, or `q` does not parse): what
    /// `newsidx analyze` shows.
    pub fn expansions(&self, q: &str, opts: &SearchOptions) -> Vec<plan::synonyms::Expansion> {
        let Ok(parsed) = syntax::parse(q) else {
            return Vec::new();
        };
        opts.synonyms
            .then(|| plan::synonyms::expand(&parsed, &self.store.synonyms))
            .flatten()
            .map(|(_, e)| e)
            .unwrap_or_default()
    }

    /// Runs the query string `q`.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> Result<Hits> {
        let plan = self.plan_text(q, opts)?;
        self.run(&plan, opts)
    }

    /// Runs a plan.
    pub fn run(&self, plan: &Plan, opts: &SearchOptions) -> Result<Hits> {
        let mut hits = context::Search::new(&*self.first, plan, opts).into_hits()?;
        hits.partial = self.first.take_partial();
        Ok(hits)
    }

    /// The re-ranking candidates of a plan (the top `rerank_depth` by the
    /// first-stage score), with their ids, scores and features: what
    /// `newsidx eval --features` writes for fitting the weights.
    pub fn candidates(&self, plan: &Plan, opts: &SearchOptions) -> Result<Vec<rerank::Candidate>> {
        let opts = SearchOptions {
            sort: Sort::Relevance,
            ..opts.clone()
        };
        context::Search::new(&*self.first, plan, &opts).candidates()
    }

    /// Number of articles in the index.
    pub fn num_docs(&self) -> u64 {
        self.first.num_docs()
    }
}
