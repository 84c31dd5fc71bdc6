//! The formats newsidx reads, and the format a file name says.

use std::fmt;
use std::path::Path;

use serde::Serialize;

use super::compress;

/// The formats newsidx reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Format {
    /// Plain text or a scraped page: title on the first line, site chrome removed.
    Text,
    /// Markdown: like text, with `#` heading marks stripped from the title.
    Markdown,
    /// Markdown daily dump: one article per `###` section with HTML inside.
    MarkdownDump,
    /// One JSON object or an array of objects.
    Json,
    /// JSON Lines: one object per line.
    #[serde(rename = "jsonl")]
    JsonLines,
    /// An HTML page: main text extracted, navigation and comments dropped.
    Html,
    /// Pseudo-XML `<doc>` records (Sogou, TREC, LCSTS).
    #[serde(rename = "doc-xml")]
    Trec,
    /// Tab-separated lines (THUCNews `label\tcontent`, or a header row).
    Tsv,
    /// Comma-separated values with a header row.
    Csv,
    /// An RSS feed: one article per `<item>`.
    Rss,
    /// An Atom feed: one article per `<entry>`.
    Atom,
    /// A WARC web archive (or WET extract): one article per HTML response.
    Warc,
    /// A Parquet table: one article per row.
    Parquet,
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = match self {
            Format::Text => "text",
            Format::Markdown => "markdown",
            Format::MarkdownDump => "markdown-dump",
            Format::Json => "json",
            Format::JsonLines => "jsonl",
            Format::Html => "html",
            Format::Trec => "doc-xml",
            Format::Tsv => "tsv",
            Format::Csv => "csv",
            Format::Rss => "rss",
            Format::Atom => "atom",
            Format::Warc => "warc",
            Format::Parquet => "parquet",
        };
        f.write_str(s)
    }
}

/// The format of `path` from its extension (compression suffixes are looked
/// through), if the name alone says it. Content sniffing ([`sniff`]) can
/// still override it, and files with other names are sniffed.
pub fn format_of(path: &Path) -> Option<Format> {
    let inner = compress::inner_name(path);
    let ext = inner.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "txt" | "text" => Some(Format::Text),
        "md" | "markdown" => Some(Format::Markdown),
        "json" => Some(Format::Json),
        "jsonl" | "ndjson" => Some(Format::JsonLines),
        "html" | "htm" | "shtml" | "xhtml" => Some(Format::Html),
        "tsv" => Some(Format::Tsv),
        "csv" => Some(Format::Csv),
        "rss" => Some(Format::Rss),
        "atom" => Some(Format::Atom),
        "warc" | "wet" => Some(Format::Warc),
        "parquet" => Some(Format::Parquet),
        _ => None,
    }
}
