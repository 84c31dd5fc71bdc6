//! A boosted query whose boost and inner query can be read back.
//!
//! tantivy's `BoostQuery` scores its query times a constant but keeps both
//! private; [`Boosted`] builds the very same weight (tantivy's
//! `BoostWeight`) and lets the first stage bound a unit's score
//! ([`crate::search::local::bound`]) without running it.

use std::fmt;

use tantivy::query::{BoostWeight, EnableScoring, Query, Weight};
use tantivy::{Score, Term};

/// Matches what `query` matches, scoring `query`'s score times `boost`.
pub struct Boosted {
    query: Box<dyn Query>,
    boost: Score,
}

impl Boosted {
    /// `query` scored `boost` times.
    pub fn new(query: Box<dyn Query>, boost: Score) -> Boosted {
        Boosted { query, boost }
    }

    /// The boosted query.
    pub fn inner(&self) -> &dyn Query {
        &*self.query
    }

    /// The factor.
    pub fn boost(&self) -> Score {
        self.boost
    }
}

impl Clone for Boosted {
    fn clone(&self) -> Self {
        Boosted {
            query: self.query.box_clone(),
            boost: self.boost,
        }
    }
}

impl fmt::Debug for Boosted {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "Boost(query={:?}, boost={})", self.query, self.boost)
    }
}

impl Query for Boosted {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let inner = self.query.weight(enable_scoring)?;
        Ok(if enable_scoring.is_scoring_enabled() {
            Box::new(BoostWeight::new(inner, self.boost))
        } else {
            inner
        })
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.query.query_terms(visitor)
    }
}
