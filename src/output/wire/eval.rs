//! The records of `eval`: with `--per-query`, a `query` record per judged
//! query ([`crate::evaluation::QueryResult`] as it serialises itself), then
//! a `summary` ([`crate::evaluation::metrics::Summary`]); with
//! `--features FILE`, one [`FeaturesLine`] per query in that file.

use std::io::{self, Write};

use serde::Serialize;

use crate::search::rerank::features::Features;

/// One re-ranking candidate of a [`FeaturesLine`].
#[derive(Debug, Serialize)]
pub struct WireCandidate<'a> {
    /// Article id.
    pub id: &'a str,
    /// Relevance from the judgements (0 when not judged).
    pub rel: u32,
    /// First-stage score.
    pub score: f32,
    /// Its features, by name.
    #[serde(flatten)]
    pub features: &'a Features,
}

/// One query's re-ranking candidates, a line of the `--features` file:
/// `{"candidates": [{"id", "rel", "score", features…}], "qid", "reading"}`.
#[derive(Debug, Serialize)]
pub struct FeaturesLine<'a> {
    /// The candidates, best first.
    pub candidates: Vec<WireCandidate<'a>>,
    /// Query id.
    pub qid: &'a str,
    /// How the query reads.
    pub reading: &'static str,
}

impl FeaturesLine<'_> {
    /// Writes the line with every object's keys in alphabetical order (and
    /// scores widened to `f64`), as the file has always been written
    /// (bench/fit_rerank.py reads it).
    pub fn write(&self, out: &mut impl Write) -> io::Result<()> {
        let value = serde_json::to_value(self)?;
        serde_json::to_writer(&mut *out, &value)?;
        writeln!(out)
    }
}
