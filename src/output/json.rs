//! JSON Lines output: one `hit` message per article, then one `summary`.
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
//! relaxed query's `n` units).
//! With `--batch`, every message also carries `"query"`. The other
//! commands write their records the same way ([`write_record`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::search::{Hit, Hits, Passage};

/// A hit on the wire.
#[derive(Debug, Serialize)]
pub struct WireHit<'a> {
    /// Always `"hit"`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    /// The query answered (batch mode only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub query: Option<&'a str>,
    /// 1-based rank.
    pub rank: usize,
    /// Relevance score (null when sorted by date).
    pub score: Option<f32>,
    /// Article id.
    pub id: &'a str,
    /// Title.
    pub title: &'a str,
    /// Highlight byte ranges in the title.
    pub title_highlights: &'a [[usize; 2]],
    /// `YYYY-MM-DD` or null.
    pub date: Option<&'a str>,
    /// Source or null.
    pub source: Option<&'a str>,
    /// Author or null.
    pub author: Option<&'a str>,
    /// URL or null.
    pub url: Option<&'a str>,
    /// File the article came from.
    pub path: &'a str,
    /// Best passages, best first.
    pub passages: &'a [Passage],
    /// Ids of collapsed near-duplicates.
    pub duplicates: &'a [String],
    /// `[k, n]` for a hit that does not match the query as written, shown
    /// because the search was relaxed: it matched `k` of the `n` units of
    /// the relaxed query. Null for a match as written.
    pub relaxed: Option<[usize; 2]>,
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
    /// exactly up to 10,000 ([`crate::search::RELAXED_CAP`]).
    pub relaxed_hits: usize,
    /// False when `relaxed_hits` is a lower bound: the search stopped
    /// counting at the cap.
    pub relaxed_hits_exact: bool,
    /// Hits returned.
    pub returned: usize,
    /// Wall time of the search in milliseconds.
    pub elapsed_ms: f64,
    /// `[required, of]` query units when the match was relaxed, else null.
    pub relaxed: Option<[usize; 2]>,
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

/// The wire form of a hit (shared by `search --json` and `serve`).
pub fn wire<'a>(h: &'a Hit, query: Option<&'a str>) -> WireHit<'a> {
    WireHit {
        kind: "hit",
        query,
        rank: h.rank,
        score: h.score,
        id: &h.id,
        title: &h.title,
        title_highlights: &h.title_highlights,
        date: h.date.as_deref(),
        source: h.source.as_deref(),
        author: h.author.as_deref(),
        url: h.url.as_deref(),
        path: &h.path,
        passages: &h.passages,
        duplicates: &h.duplicates,
        relaxed: h.relaxed.map(|(a, b)| [a, b]),
    }
}

/// Writes `hits` as JSON Lines.
pub fn write_hits<W: Write>(
    w: &mut W,
    hits: &Hits,
    elapsed_ms: f64,
    query: Option<&str>,
) -> io::Result<()> {
    for h in &hits.hits {
        serde_json::to_writer(&mut *w, &wire(h, query))?;
        w.write_all(b"\n")?;
    }
    let summary = WireSummary {
        kind: "summary",
        query,
        total_hits: hits.total_hits,
        relaxed_hits: hits.relaxed_hits,
        relaxed_hits_exact: hits.relaxed_hits_exact,
        returned: hits.hits.len(),
        elapsed_ms: (elapsed_ms * 1000.0).round() / 1000.0,
        relaxed: hits.relaxed.map(|(a, b)| [a, b]),
    };
    serde_json::to_writer(&mut *w, &summary)?;
    w.write_all(b"\n")
}

/// Writes one batch error line.
pub fn write_error<W: Write>(w: &mut W, query: &str, message: String) -> io::Result<()> {
    serde_json::to_writer(
        &mut *w,
        &WireError {
            kind: "error",
            query,
            message,
        },
    )?;
    w.write_all(b"\n")
}

/// A JSON Lines record of `inspect`, `stats`, `eval` and `analyze`: one
/// flat object whose first key, `type`, names what the record is, as in
/// the `hit` and `summary` records of `search`.
#[derive(Debug, Serialize)]
pub struct Record<'a, T: Serialize> {
    /// What the record is (`stats`, `summary`, `query`, `line`, …).
    #[serde(rename = "type")]
    pub kind: &'a str,
    /// Its fields, after `type`.
    #[serde(flatten)]
    pub data: &'a T,
}

/// Writes `data` as one record of type `kind`, on one line.
pub fn write_record<W: Write, T: Serialize>(w: &mut W, kind: &str, data: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, &Record { kind, data })?;
    w.write_all(b"\n")
}
