//! JSON Lines output: one `hit` line per article, then one `summary`
//! ([`write_hits`]); the other commands write their records the same way
//! ([`write_record`], [`write_line`]). The records themselves are
//! [`super::wire`]'s; docs/json.md lists them.

use std::io::{self, Write};

use serde::Serialize;

use super::wire::search::{WireError, WireHit, WireSummary};
use super::wire::Record;
use crate::search::Hits;

/// Writes `record` as one line of JSON.
pub fn write_line<W: Write + ?Sized, T: Serialize>(w: &mut W, record: &T) -> io::Result<()> {
    serde_json::to_writer(&mut *w, record)?;
    w.write_all(b"\n")
}

/// Writes `hits` as JSON Lines.
pub fn write_hits<W: Write>(
    w: &mut W,
    hits: &Hits,
    elapsed_ms: f64,
    query: Option<&str>,
) -> io::Result<()> {
    for h in &hits.hits {
        write_line(w, &WireHit::new(h, query))?;
    }
    write_line(w, &WireSummary::new(hits, elapsed_ms, query))
}

/// Writes one batch error line.
pub fn write_error<W: Write>(w: &mut W, query: &str, message: String) -> io::Result<()> {
    let error = WireError {
        kind: "error",
        query,
        message,
    };
    write_line(w, &error)
}

/// Writes `data` as one record of type `kind`, on one line.
pub fn write_record<W: Write, T: Serialize>(w: &mut W, kind: &str, data: &T) -> io::Result<()> {
    write_line(w, &Record { kind, data })
}
