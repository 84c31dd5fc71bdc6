//! The records of the concordance: `kwic --json` writes one `kwic` record
//! per occurrence ([`crate::search::kwic::Line`] as it serialises itself),
//! then a [`Summary`]; `/api/kwic` answers a [`PageResponse`].
//!
//! ```text
//! {"type":"kwic","id":"a1","date":"2023-07-13","source":"…","left":"…","match":"马斯克","right":"…"}
//! {"type":"summary","occurrences":1,"articles":1,"more":false}
//! ```

use serde::Serialize;

use crate::search::kwic::Line;

/// The closing record of `kwic --json`.
#[derive(Debug, Serialize)]
pub struct Summary {
    /// Lines written.
    pub occurrences: u64,
    /// Articles they come from.
    pub articles: u64,
    /// True when `--limit` left lines out.
    pub more: bool,
}

/// One page of lines of `/api/kwic`.
#[derive(Debug, Serialize)]
pub struct PageResponse {
    /// The query.
    pub query: String,
    /// Characters of context on each side.
    pub width: usize,
    /// `found`, `left`, `right` or `date`.
    pub sort: &'static str,
    /// Lines skipped.
    pub offset: usize,
    /// Lines at most.
    pub limit: usize,
    /// Every occurrence (every line of every page).
    pub total: u64,
    /// The articles they are in.
    pub articles: u64,
    /// Lines returned.
    pub returned: usize,
    /// Wall time in milliseconds (three decimals).
    pub took_ms: f64,
    /// The lines, as `kwic --json`'s records without `type`.
    pub lines: Vec<Line>,
}
