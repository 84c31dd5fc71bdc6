//! The parameters of a search request (query string or JSON body), resolved
//! and checked into the same [`SearchOptions`] as `newsidx search`.

use axum::http::StatusCode;
use serde::Deserialize;

use crate::search::{DateRange, SearchOptions, Sort};

use super::error::ApiError;
use super::limits::{MAX_LIMIT, MAX_OFFSET, MAX_QUERY_BYTES};

/// A parameter given as a JSON number, boolean or string (a query string
/// has only strings).
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum Scalar {
    /// A number.
    Num(u64),
    /// A boolean.
    Bool(bool),
    /// Anything else, as text.
    Text(String),
}

impl Scalar {
    fn text(&self) -> String {
        match self {
            Scalar::Num(n) => n.to_string(),
            Scalar::Bool(b) => b.to_string(),
            Scalar::Text(s) => s.trim().to_string(),
        }
    }
}

/// The parameters of a search, from the query string or a JSON body.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SearchParams {
    /// The query, in the CLI's syntax.
    #[serde(alias = "query")]
    pub q: Option<String>,
    /// Hits per page (10; at most [`MAX_LIMIT`]).
    pub limit: Option<Scalar>,
    /// Hits to skip (at most [`MAX_OFFSET`]).
    pub offset: Option<Scalar>,
    /// `relevance` or `date`.
    pub sort: Option<String>,
    /// Earliest date.
    pub since: Option<String>,
    /// Latest date.
    pub until: Option<String>,
    /// Only articles whose source contains this (as `source:"…"`).
    pub source: Option<String>,
    /// Collapse near-duplicates (true).
    pub collapse: Option<Scalar>,
    /// Passages per hit (3; at most 10).
    pub passages: Option<Scalar>,
    /// Count by source and month (true).
    pub facets: Option<Scalar>,
    /// Expand the index's synonym groups (true).
    pub synonyms: Option<Scalar>,
}

impl SearchParams {
    /// `self`, with what it leaves out taken from `base`.
    pub(super) fn or(self, base: &SearchParams) -> SearchParams {
        let b = base.clone();
        SearchParams {
            q: self.q.or(b.q),
            limit: self.limit.or(b.limit),
            offset: self.offset.or(b.offset),
            sort: self.sort.or(b.sort),
            since: self.since.or(b.since),
            until: self.until.or(b.until),
            source: self.source.or(b.source),
            collapse: self.collapse.or(b.collapse),
            passages: self.passages.or(b.passages),
            facets: self.facets.or(b.facets),
            synonyms: self.synonyms.or(b.synonyms),
        }
    }
}

fn number(
    name: &str,
    v: &Option<Scalar>,
    default: usize,
    min: usize,
    max: usize,
) -> Result<usize, ApiError> {
    let Some(v) = v else { return Ok(default) };
    let t = v.text();
    if t.is_empty() {
        return Ok(default);
    }
    let n: usize = t
        .parse()
        .map_err(|_| ApiError::bad(format!("{name} {t:?}: not a number")))?;
    if n < min || n > max {
        return Err(ApiError::bad(format!(
            "{name} {n}: must be between {min} and {max}"
        )));
    }
    Ok(n)
}

fn flag(name: &str, v: &Option<Scalar>, default: bool) -> Result<bool, ApiError> {
    let Some(v) = v else { return Ok(default) };
    match v.text().as_str() {
        "" => Ok(default),
        "true" | "1" | "yes" | "on" => Ok(true),
        "false" | "0" | "no" | "off" => Ok(false),
        t => Err(ApiError::bad(format!("{name} {t:?}: use true or false"))),
    }
}

fn non_empty(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// A search, resolved and checked.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The query as given.
    pub q: String,
    /// Options, as `newsidx search` would build them (the source filter
    /// too).
    pub opts: SearchOptions,
    /// Count by source and month.
    pub facets: bool,
}

/// Checks a query's length.
pub(super) fn check_query(q: &str) -> Result<(), ApiError> {
    if q.len() > MAX_QUERY_BYTES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("query of {} bytes: the limit is {MAX_QUERY_BYTES}", q.len()),
        ));
    }
    Ok(())
}

impl SearchParams {
    /// Resolves the parameters into search options; a query is required
    /// unless `need_query` is false (a batch's defaults).
    pub fn resolve(&self, need_query: bool) -> Result<Resolved, ApiError> {
        let q = self.q.as_deref().unwrap_or("").trim().to_string();
        check_query(&q)?;
        if need_query && q.is_empty() {
            return Err(ApiError::bad("missing query: give q=…"));
        }
        let dates = DateRange::parse(
            non_empty(&self.since),
            non_empty(&self.until),
            ["since", "until"],
        )
        .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        let sort = match non_empty(&self.sort) {
            None | Some("relevance") => Sort::Relevance,
            Some("date") => Sort::Date,
            Some(s) => return Err(ApiError::bad(format!("sort {s:?}: use relevance or date"))),
        };
        let source = non_empty(&self.source).map(str::to_string);
        if let Some(s) = &source {
            check_query(s)?;
        }
        Ok(Resolved {
            q,
            opts: SearchOptions {
                limit: number("limit", &self.limit, 10, 1, MAX_LIMIT)?,
                offset: number("offset", &self.offset, 0, 0, MAX_OFFSET)?,
                sort,
                dates,
                collapse: flag("collapse", &self.collapse, true)?,
                passages: number("passages", &self.passages, 3, 0, 10)?,
                synonyms: flag("synonyms", &self.synonyms, true)?,
                source,
                ..SearchOptions::default()
            },
            facets: flag("facets", &self.facets, true)?,
        })
    }
}
