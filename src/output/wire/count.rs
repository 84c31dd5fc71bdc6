//! The records of `count --json` (plain counts and series alike) and the
//! server's answer to `/api/count`.
//!
//! JSON Lines: one `{"type":"bucket","key":…,"count":N}` line per bucket
//! (key `null` for articles without a date or source, so buckets add up to
//! the total), then `{"type":"total","count":N}`; `query` when several
//! queries are counted (or a batch), `of` and `share` with `--normalize`;
//! a query that fails gives an `error` line.

use serde::Serialize;

use crate::search::series::Point;

/// One line of `count --json` output.
#[derive(Debug, Serialize)]
pub struct Line<'a> {
    /// `"bucket"`, `"total"` or `"error"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The query (batch mode, or several queries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// The bucket's key (buckets only; null for no date or source).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<Option<&'a str>>,
    /// Matching articles.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Articles of the bucket in the whole index (`--normalize`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
    /// `count / of` (`--normalize`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
    /// The error (error lines only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// True on a `total` line when part of an engine did not answer
    /// (`--engine`, a shard down): the counts are short. Absent otherwise.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partial: bool,
}

impl<'a> Line<'a> {
    /// A `bucket` line: `count` articles under `key`.
    pub fn bucket(query: Option<&'a str>, key: Option<&'a str>, count: u64) -> Line<'a> {
        Line {
            kind: "bucket",
            query,
            key: Some(key),
            count: Some(count),
            of: None,
            share: None,
            message: None,
            partial: false,
        }
    }

    /// The line, marked partial when `partial` (see [`Line::partial`]).
    pub fn partial(self, partial: bool) -> Line<'a> {
        Line { partial, ..self }
    }

    /// The `total` line of a query.
    pub fn total(query: Option<&'a str>, count: u64) -> Line<'a> {
        Line {
            kind: "total",
            key: None,
            ..Line::bucket(query, None, count)
        }
    }

    /// A bucket (or, with `total`, the total) of a series, normalised
    /// when the point has the index's count.
    pub fn point(query: Option<&'a str>, p: &'a Point, total: bool) -> Line<'a> {
        let line = match total {
            true => Line::total(query, p.count),
            false => Line::bucket(query, p.key.as_deref(), p.count),
        };
        Line {
            of: p.of,
            share: p.share(),
            ..line
        }
    }

    /// The `error` line of a query that failed.
    pub fn error(query: &'a str, message: String) -> Line<'a> {
        Line {
            kind: "error",
            query: Some(query),
            key: None,
            count: None,
            of: None,
            share: None,
            message: Some(message),
            partial: false,
        }
    }
}

/// One bucket of a series of `/api/count`.
#[derive(Debug, Serialize)]
pub struct SeriesBucket<'a> {
    /// `2024-01`, a source, or null (undated).
    pub key: Option<&'a str>,
    /// Matching articles.
    pub count: u64,
    /// Articles of the bucket in the index (normalised only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
    /// `count / of` (normalised only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub share: Option<f64>,
}

impl<'a> SeriesBucket<'a> {
    /// The bucket of `p`.
    pub fn new(p: &'a Point) -> SeriesBucket<'a> {
        SeriesBucket {
            key: p.key.as_deref(),
            count: p.count,
            of: p.of,
            share: p.share(),
        }
    }
}

/// One query's series of `/api/count`.
#[derive(Debug, Serialize)]
pub struct Series<'a> {
    /// The query.
    pub query: &'a str,
    /// Its matching articles.
    pub total: u64,
    /// Articles of the index (normalised only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<u64>,
    /// Its buckets, the same as every other series'.
    pub buckets: Vec<SeriesBucket<'a>>,
}

/// The answer of `/api/count`.
#[derive(Debug, Serialize)]
pub struct CountResponse<'a> {
    /// `day`, `week`, `month`, `year`, `source` or `none`.
    pub by: &'a str,
    /// True when normalised.
    pub normalize: bool,
    /// Wall time in milliseconds (three decimals).
    pub took_ms: f64,
    /// One series per query, in order.
    pub series: Vec<Series<'a>>,
}
