//! The `line` records of `analyze --json`: one per input line, its tokens
//! (normalised text and UTF-8 byte offsets into the line) and, in query
//! mode, how it reads, its runs of keywords and its synonyms.

use serde::Serialize;

use crate::analysis::query::runs::{Run, Verdict};

/// One token of `--json` output.
#[derive(Debug, Serialize)]
pub struct JsonToken<'a> {
    /// Normalised token text.
    pub text: &'a str,
    /// UTF-8 byte offset of the start in the input line.
    pub start: usize,
    /// UTF-8 byte offset of the end in the input line.
    pub end: usize,
}

/// One line of `--json` output.
#[derive(Debug, Serialize)]
pub struct JsonLine<'a> {
    /// The input line.
    pub text: &'a str,
    /// Its tokens.
    pub tokens: Vec<JsonToken<'a>>,
    /// Query mode: true when the line is a question (its words are
    /// searched apart, and no run is matched as typed).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub question: Option<bool>,
    /// Query mode: `keywords`, `question` or `description` (a headline or
    /// sentence: words searched apart, like a question).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<&'static str>,
    /// Query mode: each run of keywords and how it is searched.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runs: Option<Vec<JsonRun<'a>>>,
    /// Query mode: the members of the index's synonym groups the line
    /// holds, each with the members searched beside it.
    #[serde(skip_serializing_if = "<[JsonSynonyms]>::is_empty")]
    pub synonyms: Vec<JsonSynonyms<'a>>,
}

/// One expanded member of `--mode query --json` output.
#[derive(Debug, Serialize)]
pub struct JsonSynonyms<'a> {
    /// The member as typed.
    pub typed: &'a str,
    /// The other members of its group, searched beside it.
    pub added: &'a [String],
    /// True when the member is excluded (so are the others).
    pub excluded: bool,
}

/// One run of `--mode query --json` output (see [`crate::search::runs`]).
#[derive(Debug, Serialize)]
pub struct JsonRun<'a> {
    /// The run, normalised.
    pub text: &'a str,
    /// UTF-8 byte offset of its start in the input line.
    pub start: usize,
    /// UTF-8 byte offset of its end.
    pub end: usize,
    /// The segmenter's pieces.
    pub pieces: &'a [String],
    /// `"as_typed"`, `"words"` or `"whole"` (one piece).
    pub searched: &'static str,
    /// The pieces the segmenter cannot vouch for, and why.
    pub doubts: Vec<[&'a str; 2]>,
}

/// The runs of a query line on the wire.
pub fn json_runs(runs: &[Run]) -> Vec<JsonRun<'_>> {
    runs.iter()
        .map(|r| JsonRun {
            text: &r.text,
            start: r.offset_from,
            end: r.offset_to,
            pieces: &r.pieces,
            searched: match r.verdict {
                Verdict::Whole => "whole",
                Verdict::Words => "words",
                Verdict::AsTyped(_) => "as_typed",
            },
            doubts: match &r.verdict {
                Verdict::AsTyped(d) => d.iter().map(|(p, why)| [p.as_str(), why.label()]).collect(),
                _ => Vec::new(),
            },
        })
        .collect()
}
