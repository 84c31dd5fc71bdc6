//! Reading article dumps: formats, encodings, compression and the folder walk.
//!
//! [`read_file`] turns one file into [`Article`]s, handed one at a time to a
//! sink. Reading is a pipeline over a stream, so memory stays bounded:
//!
//! 1. [`compress`]: gzip, zstd or bzip2 is recognised by magic bytes and
//!    decompressed on the fly;
//! 2. [`decode`]: the encoding is detected from the first 64 KiB (BOM,
//!    UTF-8, else `chardetng`: GBK/GB18030, Big5, …) and the stream decoded
//!    to UTF-8, undecodable bytes becoming U+FFFD (one warning per file);
//! 3. [`sniff`]: the format is decided from the decoded head and the name;
//! 4. one reader per format: record formats ([`json`] Lines, [`tsv`],
//!    [`trec`] `<doc>` dumps) are streamed record by record with a size cap
//!    per record; one-document formats ([`scraped`] text pages, Markdown
//!    ([`markdown`], [`mddump`] daily dumps), [`json`], [`html`]) are read whole
//!    up to [`stream::MAX_DOCUMENT`].
//!
//! Problems that cost part of a file (a malformed JSON line, an unparseable
//! date, damaged bytes, a file cut short after some records) are returned
//! as warnings in [`FileInfo`]; problems that cost the whole file are errors,
//! one line each, naming the file. `docs/formats.md` is the user-facing
//! description of all of this.

pub mod boilerplate;
pub mod compress;
pub mod date;
pub mod decode;
pub mod delimited;
pub mod feed;
pub mod fields;
pub mod guard;
pub mod html;
pub mod json;
pub mod markdown;
pub mod mddump;
#[cfg(feature = "parquet")]
pub mod parquet_file;
pub mod paths;
pub mod scraped;
pub mod sniff;
pub mod stream;
pub mod trec;
pub mod tsv;
pub mod walk;
pub mod warc;

use std::cell::{Cell, RefCell};
use std::fmt;
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use anyhow::{bail, Result};
use serde::Serialize;

use boilerplate::SiteLines;
use fields::FieldUse;

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

/// What reading one file found.
#[derive(Debug, Clone, Serialize)]
pub struct FileInfo {
    /// Detected format.
    pub format: Format,
    /// Detected character encoding.
    pub encoding: &'static str,
    /// Compression the file was wrapped in, if any.
    pub compression: Option<&'static str>,
    /// Articles produced.
    pub articles: usize,
    /// One line per problem that cost part of the file.
    pub warnings: Vec<String>,
    /// Which key, column or element became which article field.
    pub fields: Vec<FieldUse>,
}

/// Test helper: runs a format reader over `text` as the file `name` and
/// returns its articles and warnings.
#[cfg(test)]
pub(crate) fn read_with(
    name: &str,
    text: &str,
    parse: impl FnOnce(&mut dyn std::io::BufRead, &mut Sink) -> Result<()>,
) -> (Vec<Article>, Vec<String>) {
    let mut arts = Vec::new();
    let mut sink = |a: Article| arts.push(a);
    let mut out = Sink::new(name, &mut sink, None);
    let r = parse(&mut text.as_bytes(), &mut out);
    assert!(r.is_ok(), "{r:?}");
    let w = out.warnings.clone();
    drop(out);
    (arts, w)
}

/// At most this many warnings are kept per file; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

/// Where a format reader sends its articles and warnings.
pub struct Sink<'s> {
    /// The file as shown to the user.
    pub display: &'s str,
    sink: &'s mut dyn FnMut(Article),
    /// Warnings so far (at most [`MAX_WARNINGS`]).
    pub warnings: Vec<String>,
    suppressed: usize,
    /// Articles emitted so far.
    pub count: usize,
    /// Date taken from the file name, for records that have none.
    pub file_date: Option<i64>,
    /// Which key, column or element became which field (for `inspect`).
    pub fields: Vec<FieldUse>,
    /// The line the current record starts on, for warnings (line formats).
    pub line: Option<usize>,
    /// Articles refused for their size.
    too_large: usize,
}

impl<'s> Sink<'s> {
    /// A new collector for the file `display`.
    pub fn new(display: &'s str, sink: &'s mut dyn FnMut(Article), file_date: Option<i64>) -> Self {
        Sink {
            display,
            sink,
            warnings: Vec::new(),
            suppressed: 0,
            count: 0,
            file_date,
            fields: Vec::new(),
            line: None,
            too_large: 0,
        }
    }

    /// Hands an article to the sink (filling in path and file date).
    pub fn emit(&mut self, mut a: Article) {
        if a.path.is_empty() {
            a.path = self.display.to_string();
        }
        if a.id.is_empty() {
            a.id = format!("{}#{}", self.display, self.count + 1);
        }
        if let Some(t) = a.date.filter(|&t| !date::storable(t)) {
            self.warn(format!(
                "{}: {}: date {} is outside 1678–2261, left out",
                self.display,
                a.id,
                date::format_ymd(t)
            ));
            a.date = None;
        } else if a.date.is_none() {
            a.date = self.file_date;
        }
        self.count += 1;
        let size = a.title.len() + a.body.len();
        if size > stream::MAX_ARTICLE {
            let at = match self.line {
                Some(l) => format!("{}:{l}", self.display),
                None => self.display.to_string(),
            };
            self.warn(format!(
                "{at}: article {} holds {:.1} MB of text, more than the {} MB one article may hold; skipped",
                a.id,
                size as f64 / 1e6,
                stream::MAX_ARTICLE >> 20
            ));
            self.too_large += 1;
            return;
        }
        (self.sink)(a)
    }

    /// Records a warning (beyond [`MAX_WARNINGS`], only counts it).
    pub fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        } else {
            self.suppressed += 1;
        }
    }

    fn finish(mut self) -> (usize, Vec<String>, Vec<FieldUse>) {
        if self.suppressed > 0 {
            self.warnings.push(format!(
                "{}: {} more warnings like these not shown",
                self.display, self.suppressed
            ));
        }
        (self.count - self.too_large, self.warnings, self.fields)
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

/// Reads `path` (shown to the user as `display`), handing each article to `sink`.
pub fn read_file(path: &Path, display: &str, sink: &mut dyn FnMut(Article)) -> Result<FileInfo> {
    read_file_with(path, display, None, sink)
}

/// Like [`read_file`], with the repeated lines of the file's site (see
/// [`boilerplate`]) to drop from scraped text pages.
pub fn read_file_with(
    path: &Path,
    display: &str,
    site: Option<&SiteLines>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let meta =
        std::fs::metadata(path).map_err(|e| anyhow::anyhow!("{display}: cannot read: {e}"))?;
    if meta.is_dir() {
        bail!("{display}: is a folder");
    }
    let mut f =
        std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{display}: cannot read: {e}"))?;
    let mut magic = [0u8; 4];
    let is_parquet = format_of(path) == Some(Format::Parquet)
        || (f.read_exact(&mut magic).is_ok() && &magic == PARQUET_MAGIC);
    if is_parquet {
        return read_parquet(path, display, sink);
    }
    let f =
        std::fs::File::open(path).map_err(|e| anyhow::anyhow!("{display}: cannot read: {e}"))?;
    read_stream(path, display, Box::new(f), site, sink)
}

/// The first bytes of a Parquet file.
const PARQUET_MAGIC: &[u8; 4] = b"PAR1";

/// A Parquet file: rows read through the field table.
#[cfg(feature = "parquet")]
fn read_parquet(path: &Path, display: &str, sink: &mut dyn FnMut(Article)) -> Result<FileInfo> {
    let mut out = Sink::new(display, sink, None);
    parquet_file::read(path, &mut out)?;
    let (count, warnings, fields) = out.finish();
    Ok(FileInfo {
        format: Format::Parquet,
        encoding: "UTF-8",
        compression: None,
        articles: count,
        warnings,
        fields,
    })
}

/// Without the `parquet` feature, a Parquet file is one clear error.
#[cfg(not(feature = "parquet"))]
fn read_parquet(_: &Path, display: &str, _: &mut dyn FnMut(Article)) -> Result<FileInfo> {
    bail!("{display}: Parquet file, but this newsidx was built without the `parquet` feature")
}

/// A WARC file: records decoded one by one ([`warc`]).
fn read_warc<'a>(
    display: &str,
    r: Box<dyn Read + 'a>,
    compression: Option<compress::Compression>,
    mut warnings: Vec<String>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let mut out = Sink::new(display, sink, None);
    match compression {
        Some(compress::Compression::Gzip) => warc::read(r, true, &mut out)?,
        Some(c) => {
            let r = compress::decompress(c, r)
                .map_err(|e| anyhow::anyhow!("{display}: not valid {} data: {e}", c.name()))?;
            warc::read(r, false, &mut out)?
        }
        None => warc::read(r, false, &mut out)?,
    }
    let (count, more, fields) = out.finish();
    warnings.extend(more);
    Ok(FileInfo {
        format: Format::Warc,
        encoding: "per record",
        compression: compression.map(|c| c.name()),
        articles: count,
        warnings,
        fields,
    })
}

/// The reading pipeline over any byte stream.
pub fn read_stream<'a>(
    path: &Path,
    display: &str,
    r: Box<dyn Read + 'a>,
    site: Option<&SiteLines>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let cannot = |e: std::io::Error| anyhow::anyhow!("{display}: cannot read: {e}");
    let (magic, _, r) = stream::peek(r, 8).map_err(cannot)?;
    if magic.is_empty() {
        bail!("{display}: empty file");
    }
    let mut warnings = Vec::new();
    let compression = compress::sniff(&magic);
    let named = compress::by_extension(path);
    if named.is_some() && compression.is_none() {
        warnings.push(format!(
            "{display}: named like a {} file but not compressed; read as is",
            named.map(|c| c.name()).unwrap_or_default()
        ));
    }
    let name = if compression.is_some() || named.is_some() {
        compress::inner_name(path)
    } else {
        path.to_path_buf()
    };
    // WARC is binary-safe and decoded per record, and a `.warc.gz` is read
    // member by member: it bypasses the file-level decoding below.
    let (raw_head, _, r) = stream::peek(r, 4096).map_err(cannot)?;
    if raw_head.starts_with(PARQUET_MAGIC) && compression.is_none() {
        bail!("{display}: a Parquet file can only be read from a file on disk");
    }
    if compression.is_some() && format_of(&name) == Some(Format::Parquet) {
        bail!("{display}: a compressed Parquet file cannot be read; decompress it first");
    }
    if format_of(&name) == Some(Format::Warc) || warc::looks_like_warc(&raw_head, compression) {
        return read_warc(display, r, compression, warnings, sink);
    }
    drop(raw_head);
    let r = match compression {
        Some(c) => compress::decompress(c, r)
            .map_err(|e| anyhow::anyhow!("{display}: not valid {} data: {e}", c.name()))?,
        None => r,
    };
    let failure = Rc::new(RefCell::new(None));
    let r = stream::StopOnError::new(r, failure.clone());
    let (head, complete, r) = stream::peek(r, stream::HEAD).map_err(cannot)?;
    if head.is_empty() {
        if let Some(e) = failure.borrow_mut().take() {
            bail!("{display}: cannot read: {e}");
        }
        bail!("{display}: empty file");
    }
    let det = decode::detect(&head, complete, display)?;
    let replaced = Rc::new(Cell::new(0usize));
    let decoded = decode::FffdCounter::new(decode::decoder(det.encoding, r), replaced.clone());
    let (dhead, _, decoded) = stream::peek(decoded, stream::HEAD).map_err(cannot)?;
    let text_head = String::from_utf8_lossy(&dhead);
    let format = sniff::format(&name, &text_head);
    drop(text_head);
    drop(dhead);
    let mut br = BufReader::with_capacity(256 * 1024, decoded);
    let mut out = Sink::new(display, sink, date::from_file_name(&name));
    match format {
        Format::JsonLines => json::parse_lines(&mut br, &mut out)?,
        Format::Tsv => tsv::parse(&mut br, &mut out)?,
        Format::Csv => delimited::parse(&mut br, b',', &mut out)?,
        Format::Rss | Format::Atom => feed::parse(&mut br, &mut out)?,
        Format::Trec => trec::parse(&mut br, &mut out)?,
        _ => {
            let text = match stream::read_text(&mut br, stream::MAX_DOCUMENT).map_err(cannot)? {
                Ok(t) => t,
                Err(max) => bail!(
                    "{display}: larger than {} MB, too large for one {format} document",
                    max >> 20
                ),
            };
            match format {
                Format::Json => json::parse_json(&text, &mut out)?,
                Format::Html => html::parse(&text, &mut out)?,
                Format::MarkdownDump => mddump::parse(&text, &mut out)?,
                Format::Markdown => markdown::parse_markdown(&text, &mut out)?,
                _ => scraped::parse(&text, site, &mut out)?,
            }
        }
    }
    let (count, more, fields) = out.finish();
    if let Some(e) = failure.borrow_mut().take() {
        if count == 0 {
            bail!("{display}: cannot read: {e}");
        }
        warnings.push(format!(
            "{display}: reading stopped early ({e}); kept the {count} articles before it"
        ));
    }
    if replaced.get() > 0 {
        warnings.push(format!(
            "{display}: {} undecodable byte sequences ({}) replaced with U+FFFD",
            replaced.get(),
            det.label
        ));
    }
    warnings.extend(more);
    Ok(FileInfo {
        format,
        encoding: det.label,
        compression: compression.map(|c| c.name()),
        articles: count,
        warnings,
        fields,
    })
}
