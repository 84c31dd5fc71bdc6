//! The plan's conditions without tantivy: what an article must hold to
//! match, built beside each tantivy query of the plan from the same
//! texts, so that a first stage other than the local index (an engine
//! answering SphinxQL) translates the plan the local index runs, not a
//! second reading of the query. Scoring-only clauses (the chunk, the bag
//! of bigrams, boosts) are not here: they never change what matches.

use tantivy::query::Query;

use super::substring::{all_of, any_of};
use super::DateRange;

/// A named-entity field (`person:`, `place:`, `org:`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    /// `person:`.
    Person,
    /// `place:`.
    Place,
    /// `org:`.
    Org,
}

/// One condition of a plan.
#[derive(Debug, Clone)]
pub enum Cond {
    /// Matches nothing (a text that gives no term).
    Nothing,
    /// `text` (normalised) verbatim in the bigram view of the title
    /// and/or the body, or, when `word`, the jieba word `text` in their
    /// word view.
    Text {
        /// The normalised text.
        text: String,
        /// Also the word view's term.
        word: bool,
        /// In the title.
        title: bool,
        /// In the body.
        body: bool,
    },
    /// A single character beside longer words: the character as a jieba
    /// word, or a bigram (or unigram) of the bigram view starting with it.
    Single {
        /// The character.
        c: String,
        /// In the title.
        title: bool,
        /// In the body.
        body: bool,
    },
    /// The source contains `text` (normalised) verbatim.
    Source(String),
    /// The named entity (exactly, normalised).
    Name(NameKind, String),
    /// The date within the range (articles without a date never are).
    Dates(DateRange),
    /// Any of them.
    Any(Vec<Cond>),
    /// All of them.
    All(Vec<Cond>),
}

impl Cond {
    /// Any of `cs` (nothing for none, the one itself for one), as
    /// `substring::any_of` joins the queries.
    pub fn any(mut cs: Vec<Cond>) -> Cond {
        match cs.len() {
            0 => Cond::Nothing,
            1 => cs.pop().unwrap_or(Cond::Nothing),
            _ => Cond::Any(cs),
        }
    }

    /// All of `cs` (nothing for none, the one itself for one), as
    /// `substring::all_of` joins the queries.
    pub fn all(mut cs: Vec<Cond>) -> Cond {
        match cs.len() {
            0 => Cond::Nothing,
            1 => cs.pop().unwrap_or(Cond::Nothing),
            _ => Cond::All(cs),
        }
    }
}

/// A tantivy query of the plan with its condition.
pub struct Unit {
    /// What the local index runs.
    pub query: Box<dyn Query>,
    /// What it matches.
    pub cond: Cond,
}

/// The conditions of a plan, in the places [`super::Plan::query`] puts
/// its queries: units (at least the required count of them), required,
/// filters (the date range among them), exclusions.
#[derive(Debug, Clone, Default)]
pub struct Conds {
    /// One per relaxable unit, in the order of [`super::Plan::units`].
    pub units: Vec<Cond>,
    /// Always required.
    pub required: Vec<Cond>,
    /// Filters (sources, dates).
    pub filters: Vec<Cond>,
    /// Excluded.
    pub excluded: Vec<Cond>,
    /// The runs of keywords searched as words, each where it occurs as
    /// typed, in the order of [`super::Plan::verbatim`] (scored as tiers,
    /// never required).
    pub verbatim: Vec<Cond>,
}

impl Conds {
    /// True when the plan matches nothing whatever the engine holds (as
    /// [`super::Plan::query`] gives an empty query).
    pub fn is_empty(&self) -> bool {
        self.units.is_empty() && self.required.is_empty() && self.filters.is_empty()
    }
}

impl Unit {
    fn split(us: Vec<Unit>) -> (Vec<Box<dyn Query>>, Vec<Cond>) {
        us.into_iter().map(|u| (u.query, u.cond)).unzip()
    }

    /// Matches when all of `us` do.
    pub fn all(us: Vec<Unit>) -> Unit {
        let (qs, cs) = Unit::split(us);
        Unit {
            query: all_of(qs),
            cond: Cond::all(cs),
        }
    }

    /// Matches when any of `us` does.
    pub fn any(us: Vec<Unit>) -> Unit {
        let (qs, cs) = Unit::split(us);
        Unit {
            query: any_of(qs),
            cond: Cond::any(cs),
        }
    }
}
