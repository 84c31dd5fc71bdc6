//! The server's own answers: `/api/stats` (the `stats` record and the
//! server's limits), `/api/health`, and the body of every error.

use serde::Serialize;

use crate::index::stats::Stats;

/// What `/api/stats` answers: `newsidx stats --json` plus the server's.
#[derive(Debug, Serialize)]
pub struct StatsResponse {
    /// The index's figures, as `stats --json` (without `type`).
    #[serde(flatten)]
    pub index: Stats,
    /// When the commit in service was opened (seconds since the epoch).
    pub opened_at: u64,
    /// The server's limits.
    pub limits: Limits,
}

/// The server's limits, in `/api/stats`.
#[derive(Debug, Serialize)]
pub struct Limits {
    /// Hits one search may ask for.
    pub max_limit: usize,
    /// The furthest page's offset.
    pub max_offset: usize,
    /// The longest query.
    pub max_query_bytes: usize,
    /// The largest body of a search.
    pub max_body_bytes: usize,
    /// The largest body of a batch.
    pub max_batch_body_bytes: usize,
    /// Queries in one batch.
    pub max_batch_queries: usize,
    /// Searches at once.
    pub max_searches: usize,
    /// Longest a search may take, waiting included.
    pub time_limit_secs: f64,
}

/// What `/api/health` answers.
#[derive(Debug, Serialize)]
pub struct Health {
    /// Always `"ok"` (an error otherwise).
    pub status: &'static str,
    /// Articles in the index in service (the engine's, at start).
    pub articles: u64,
    /// True when the server searches an engine (`serve --engine`): only
    /// search, count and articles are answered.
    pub engine: bool,
}

/// The body of every error of the API.
#[derive(Debug, Serialize)]
pub struct ErrorBody<'a> {
    /// The message, one line.
    pub error: &'a str,
}
