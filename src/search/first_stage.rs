//! The seam under search: what a search needs from the index.
//!
//! Everything above the seam (planning, re-ranking, collapsing, passages,
//! highlights, counting by period, concordance lines, significant terms)
//! is the same code whatever answers the first stage. Below it, a
//! [`FirstStage`] finds the candidates of a plan with their scores and the
//! number of matches, orders by date, counts matches by day and source,
//! and hands out the stored text of an article by its [`DocRef`]. The
//! local tantivy index ([`super::local::Local`]) is one implementation; a
//! distributed engine answering SphinxQL is meant to be another: it
//! translates the plan ([`Plan`]: its units, required count, filters) into
//! its own query, returns the top ids with scores, `total_hits`, ids by
//! date, facet buckets, and the stored text of the ids asked for.

use anyhow::Result;

use super::analytics::facets::Tally;
use super::analytics::terms::TermKind;
use super::collapse::Stamp;
use super::plan::{DateRange, Plan};
use crate::analysis::query::Vocabulary;

/// An article as the first stage knows it: an opaque number, stable for
/// the life of one [`FirstStage`] (the local index packs a segment and a
/// document number into it; an engine may use its document id). Ordering
/// them orders the articles the way the first stage enumerates them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocRef(pub u64);

/// A ranked candidate: its score (absent when sorted by date), its
/// verbatim tier (see [`Order::VerbatimFirst`]) and the article.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    /// Relevance score (absent when sorted by date).
    pub score: Option<f32>,
    /// How many of the plan's verbatim runs the article holds (0 unless
    /// ranked [`Order::VerbatimFirst`]); the re-ranking never moves an
    /// article across tiers.
    pub tier: u32,
    /// The article.
    pub doc: DocRef,
    /// How many of the plan's units the article has, when the first
    /// stage learnt it while scoring (the dynamic pruning of a relaxed
    /// query does); it spares [`FirstStage::marks`].
    pub units: Option<u32>,
}

/// The stored fields of an article, as the hits show them.
#[derive(Debug, Clone, Default)]
pub struct Stored {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Body text.
    pub body: String,
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
}

/// The text fields of the index, for term statistics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextField {
    /// The title's words.
    TitleWords,
    /// The body's words.
    BodyWords,
    /// The body's bigrams.
    BodyBigrams,
}

/// How the first stage orders the candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Best score first.
    Score,
    /// Articles holding more of the plan's verbatim runs
    /// ([`Plan::verbatim`]) first, then by score.
    VerbatimFirst,
    /// Newest first (no score).
    Date,
}

/// One first-stage query: the articles with at least `required` of the
/// plan's units (every phrase, exclusion and filter always), the top
/// `limit` of them in `order`.
#[derive(Clone, Copy)]
pub struct Query<'a> {
    /// The plan.
    pub plan: &'a Plan,
    /// Units required ([`Plan::unit_count`] = the query as written).
    pub required: usize,
    /// The order of the candidates.
    pub order: Order,
    /// How many candidates (at least 1, at most the articles indexed).
    pub limit: usize,
    /// Count the matches exactly up to this many; beyond it the first
    /// stage may stop counting and report a lower bound
    /// ([`Ranked::exact`] false), so that a relaxed query matching most
    /// of the index need not score it all. `usize::MAX`: always exact.
    pub count_upto: usize,
}

/// What one first-stage query found.
#[derive(Debug, Clone, Default)]
pub struct Ranked {
    /// The candidates, in the order asked for.
    pub candidates: Vec<Scored>,
    /// Every article that matched (at least this many when not
    /// [`Ranked::exact`]).
    pub total: usize,
    /// True when `total` is the exact number of matches.
    pub exact: bool,
    /// Articles whose score the first stage computed (a measure of its
    /// work: dynamic pruning skips most matches of a relaxed query).
    pub scored: usize,
}

/// Term counts for significant terms: `[kept, all, corpus]` per term, the
/// articles among `kept`, among `all` and in the whole index having it.
pub type TermTally = std::collections::HashMap<String, [u64; 3]>;

/// What a search needs from the index; see the module documentation.
/// [`Vocabulary`] (is a text a word of the index, does it occur) serves
/// the planning of unquoted words.
pub trait FirstStage: Vocabulary + Send + Sync {
    /// Articles in the index.
    fn num_docs(&self) -> u64;

    /// Articles whose `field` has the term `text` (0 when none, or on a
    /// read error).
    fn doc_freq(&self, field: TextField, text: &str) -> u64;

    /// The top candidates of a query and the number of its matches.
    fn top(&self, q: Query<'_>) -> Result<Ranked>;

    /// For each of `docs` (hits of a relaxed search): `None` when it
    /// matches `plan` as written, else `(k, n)`, the `k` of the `n` units
    /// of the relaxed plan ([`Plan::relaxed_plan`]) it has.
    fn marks(&self, plan: &Plan, docs: &[DocRef]) -> Result<Vec<Option<(usize, usize)>>>;

    /// The stored fields of an article. A search asks for the top
    /// candidates' fields right after [`FirstStage::top`] (re-ranking,
    /// collapsing, the hits): an engine that returns the stored text with
    /// its top N can answer these from what it kept.
    fn stored(&self, doc: DocRef) -> Result<Stored>;

    /// The fingerprint and date of an article, for collapsing copies
    /// (without reading its text).
    fn stamp(&self, doc: DocRef) -> Stamp;

    /// The article with this id (the first, if two records share one).
    fn find(&self, id: &str) -> Result<Option<DocRef>>;

    /// Counts the articles `plan` matches as written by day, and by
    /// source when `sources`.
    fn count(&self, plan: &Plan, sources: bool) -> Result<Tally>;

    /// Counts every article (within `dates`) by day, and by source when
    /// `sources`.
    fn count_all(&self, dates: DateRange, sources: bool) -> Result<Tally>;

    /// Every article `plan` matches as written, in ascending order.
    fn matching(&self, plan: &Plan) -> Result<Vec<DocRef>>;

    /// Calls `each` with the stored fields of every article `plan`
    /// matches as written, in the order of [`FirstStage::matching`],
    /// until it answers false.
    fn for_each_match(
        &self,
        plan: &Plan,
        each: &mut dyn FnMut(Stored) -> Result<bool>,
    ) -> Result<()>;

    /// Fails, saying why, when the index cannot count terms of `kind`.
    fn require_terms(&self, kind: TermKind) -> Result<()>;

    /// The counts of the terms of `kind` that the `kept` articles have:
    /// among them, among `all` (sorted), and in the whole index.
    fn term_counts(&self, kind: TermKind, kept: &[DocRef], all: &[DocRef]) -> Result<TermTally>;

    /// What did not answer since the last call, when part of the first
    /// stage did not (a shard of an engine down or late): the answers
    /// since were partial. The local index always answers whole.
    fn take_partial(&self) -> Option<String> {
        None
    }
}
