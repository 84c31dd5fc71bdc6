//! Reading article dumps: formats, encodings and the folder walk.
//!
//! [`read_file`] turns one file into [`Article`]s, handed one at a time to a
//! sink so that huge files never sit in memory whole. Problems that cost
//! part of a file (a malformed JSON line, an unparseable date) are returned
//! as warnings in [`FileInfo`]; problems that cost the whole file are errors.

pub mod date;
pub mod decode;
pub mod json;
pub mod text;
pub mod walk;

use std::fmt;
use std::path::Path;

use anyhow::{bail, Context, Result};
use serde::Serialize;

/// One news article, as read from a dump.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Article {
    /// The record's own id, or one derived from the path and position.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Main text.
    pub body: String,
    /// Publication time, Unix seconds (UTC).
    pub date: Option<i64>,
    /// Publishing site or outlet.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Original address.
    pub url: Option<String>,
    /// The file it came from, as walked.
    pub path: String,
}

/// The formats newsidx reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// Plain text: title on the first non-empty line, body after it.
    Text,
    /// Markdown: like text, with `#` heading marks stripped from the title.
    Markdown,
    /// One JSON object or an array of objects.
    Json,
    /// JSON Lines: one object per line.
    JsonLines,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
        };
        f.write_str(s)
    }
}

/// What reading one file found.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// Detected format.
    pub format: Format,
    /// Detected character encoding.
    pub encoding: &'static str,
    /// Articles produced.
    pub articles: usize,
    /// One line per problem that cost part of the file.
    pub warnings: Vec<String>,
}

/// The format of `path` from its extension, if it is one newsidx reads.
pub fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        _ => None,
    }
}

/// Reads `path` (shown to the user as `display`), handing each article to `sink`.
pub fn read_file(path: &Path, display: &str, sink: &mut dyn FnMut(Article)) -> Result<FileInfo> {
    let bytes = std::fs::read(path).with_context(|| format!("{display}: cannot read"))?;
    read_bytes(path, &bytes, display, sink)
}

/// Parses the content `bytes` of `path` (shown as `display`).
pub fn read_bytes(
    path: &Path,
    bytes: &[u8],
    display: &str,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let Some(format) = format_of(path) else {
        bail!("{display}: unsupported file type");
    };
    if bytes.is_empty() {
        bail!("{display}: empty file");
    }
    let mut warnings = Vec::new();
    let (text, encoding) = decode::decode(bytes, display, &mut warnings)?;
    let mut count = 0usize;
    let mut counting = |a: Article| {
        count += 1;
        sink(a)
    };
    match format {
        Format::Text | Format::Markdown => {
            if let Some(a) = text::parse(&text, display, format == Format::Markdown) {
                counting(a);
            } else {
                bail!("{display}: no text");
            }
        }
        Format::Json => json::parse_json(&text, display, &mut counting, &mut warnings)?,
        Format::JsonLines => json::parse_lines(&text, display, &mut counting, &mut warnings)?,
    }
    Ok(FileInfo {
        format,
        encoding,
        articles: count,
        warnings,
    })
}
