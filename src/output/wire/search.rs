//! The records of a search: `hit` lines and a `summary` (`search --json`,
//! `/api/batch`), an `error` line for a query of a batch that failed, and
//! the server's answer to `/api/search` (the same hits, with facets).
//!
//! All offsets are UTF-8 byte offsets into the string they belong to, like
//! tantivy's `Token` offsets:
//!
//! ```text
//! {"type":"hit","rank":1,"score":7.1,"id":"…","title":"…","title_highlights":[[0,9]],
//!  "date":"2023-07-13","source":"…","author":null,"url":null,"path":"corpus/a.txt",
//!  "passages":[{"text":"…","highlights":[[12,24]]}],"duplicates":[],"relaxed":null}
//! {"type":"summary","total_hits":42,"relaxed_hits":0,"relaxed_hits_exact":true,"returned":10,"elapsed_ms":3.2,"relaxed":null}
//! ```
//! `total_hits` counts only the articles that match the query as written;
//! a relaxed search reports the articles it adds in `relaxed_hits`, and
//! marks each hit it adds with `"relaxed":[k,n]` (it matched `k` of the
//! relaxed query's `n` units). With `--batch`, every line also carries
//! `"query"`.

use serde::Serialize;

use crate::search::facets::Bucket;
use crate::search::{Hit, Hits};

/// A hit on the wire: `type`, the query of a batch, then the fields of
/// [`Hit`] as it serialises itself (`relaxed` `[k, n]` or null).
#[derive(Debug, Serialize)]
pub struct WireHit<'a> {
    /// Always `"hit"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The query answered (batch mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// The hit.
    #[serde(flatten)]
    pub hit: &'a Hit,
}

impl<'a> WireHit<'a> {
    /// The wire form of `hit` (shared by `search --json`, `serve` and the
    /// Python package).
    pub fn new(hit: &'a Hit, query: Option<&'a str>) -> WireHit<'a> {
        WireHit {
            kind: "hit",
            query,
            hit,
        }
    }
}

/// The closing summary on the wire.
#[derive(Debug, Serialize)]
pub struct WireSummary<'a> {
    /// Always `"summary"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The query answered (batch mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// Every article that matches the query as written, before
    /// collapsing and paging.
    pub total_hits: usize,
    /// Articles a relaxed search added (not counted in `total_hits`),
    /// exactly up to 1,000 ([`crate::search::RELAXED_CAP`]).
    pub relaxed_hits: usize,
    /// False when `relaxed_hits` is a lower bound: the search stopped
    /// counting at the cap.
    pub relaxed_hits_exact: bool,
    /// Hits returned.
    pub returned: usize,
    /// Wall time of the search in milliseconds (three decimals).
    pub elapsed_ms: f64,
    /// `[required, of]` query units when the match was relaxed, else null.
    pub relaxed: Option<(usize, usize)>,
    /// True when part of an engine did not answer (`--engine`, a shard
    /// down): the counts and hits are short. Absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl<'a> WireSummary<'a> {
    /// The summary of `hits`, found in `elapsed_ms`.
    pub fn new(hits: &Hits, elapsed_ms: f64, query: Option<&'a str>) -> WireSummary<'a> {
        WireSummary {
            kind: "summary",
            query,
            total_hits: hits.total_hits,
            relaxed_hits: hits.relaxed_hits,
            relaxed_hits_exact: hits.relaxed_hits_exact,
            returned: hits.hits.len(),
            elapsed_ms: (elapsed_ms * 1000.0).round() / 1000.0,
            relaxed: hits.relaxed,
            partial: hits.partial.is_some(),
        }
    }
}

/// An error for one query of a batch.
#[derive(Debug, Serialize)]
pub struct WireError<'a> {
    /// Always `"error"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The query.
    pub query: &'a str,
    /// The message.
    pub message: String,
}

/// The facets of a search: matching articles by source and by month.
#[derive(Debug, Serialize)]
pub struct Facets {
    /// Sources, most articles first; `null` key: articles without a source.
    pub sources: Vec<Bucket>,
    /// Matching articles in sources past the ones shown.
    pub other_sources: u64,
    /// Months in order; `null` key (last): undated articles.
    pub months: Vec<Bucket>,
}

/// The answer to one search of `/api/search`.
#[derive(Debug, Serialize)]
pub struct SearchResponse<'a> {
    /// The query.
    pub query: &'a str,
    /// As the summary's.
    pub total_hits: usize,
    /// As the summary's, but null when the search was not relaxed.
    pub relaxed_hits: Option<usize>,
    /// As the summary's, but null when the search was not relaxed.
    pub relaxed_hits_exact: Option<bool>,
    /// As the summary's.
    pub relaxed: Option<(usize, usize)>,
    /// Hits returned.
    pub returned: usize,
    /// The page asked for: hits skipped, and hits at most.
    pub offset: usize,
    /// Hits at most.
    pub limit: usize,
    /// Wall time in milliseconds (three decimals).
    pub took_ms: f64,
    /// As the summary's: true when part of the engine did not answer
    /// (`serve --engine`, a shard down); absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
    /// With `partial`: what did not answer, each agent followed by its
    /// node's name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unanswered: Option<&'a str>,
    /// The hits: the objects of the `hit` lines of `search --json`.
    pub hits: Vec<WireHit<'a>>,
    /// With `facets`: the facets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

impl<'a> SearchResponse<'a> {
    /// The answer of `hits` for `query`, the page asked for (`offset`,
    /// `limit`), found in `took_ms`.
    pub fn new(
        query: &'a str,
        hits: &'a Hits,
        (offset, limit): (usize, usize),
        took_ms: f64,
        facets: Option<Facets>,
    ) -> SearchResponse<'a> {
        SearchResponse {
            query,
            total_hits: hits.total_hits,
            relaxed_hits: hits.relaxed.map(|_| hits.relaxed_hits),
            relaxed_hits_exact: hits.relaxed.map(|_| hits.relaxed_hits_exact),
            relaxed: hits.relaxed,
            returned: hits.hits.len(),
            offset,
            limit,
            took_ms,
            partial: hits.partial.is_some(),
            unanswered: hits.partial.as_deref(),
            hits: hits.hits.iter().map(|h| WireHit::new(h, None)).collect(),
            facets,
        }
    }
}
