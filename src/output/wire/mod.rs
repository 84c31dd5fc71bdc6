//! The wire: every JSON record the command line and the server write, one
//! file per family. docs/json.md lists them all, field by field, in the
//! order they are written (a test holds the two together: `schema.rs`).
//!
//! A record whose fields are a library result's serialises that result
//! itself (`search::Hit` inside [`search::WireHit`], `index::stats::Stats`,
//! `search::kwic::Line`, `search::facets::Bucket`, `search::article::Article`,
//! `corpus::FileInfo`, the evaluation's results), so no field is declared
//! twice. Every JSON Lines record is one flat object whose first key,
//! `type`, names it ([`Record`] adds it to those that have none).

pub mod analyze;
pub mod count;
pub mod eval;
pub mod inspect;
pub mod kwic;
#[cfg(test)]
mod schema;
pub mod search;
pub mod serve;
pub mod terms;

use serde::Serialize;

/// A JSON Lines record of a command whose data has no `type` of its own
/// (`stats`, `eval`, `analyze`, `kwic`, `terms`, `synonyms`): one flat
/// object whose first key, `type`, names what the record is, as in the
/// `hit` and `summary` records of `search`.
#[derive(Debug, Serialize)]
pub struct Record<'a, T: Serialize> {
    /// What the record is (`stats`, `summary`, `query`, `line`, …).
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Its fields, after `type`.
    #[serde(flatten)]
    pub data: &'a T,
}

/// One `synonyms` record of `newsidx synonyms --json`.
#[derive(Debug, Serialize)]
pub struct Group<'a> {
    /// The members, as written in the synonyms file.
    pub members: &'a [String],
}
