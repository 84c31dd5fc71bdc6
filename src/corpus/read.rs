//! The reading pipeline: one file or byte stream to articles, through
//! decompression, decoding, sniffing and the reader of its format.

use std::cell::{Cell, RefCell};
use std::io::{BufReader, Read};
use std::path::Path;
use std::rc::Rc;

use anyhow::{anyhow, bail, Result};
use serde::Serialize;

use super::article::Article;
use super::boilerplate::SiteLines;
use super::fields::FieldUse;
use super::format::{format_of, Format};
#[cfg(feature = "parquet")]
use super::formats::parquet_file;
use super::formats::{delimited, feed, html, json, markdown, mddump, scraped, trec, tsv, warc};
use super::sink::{self, named, At, Sink};
use super::stream::ContentHash;
use super::{compress, decode, sniff, stream};
use crate::dates;

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
    read_path(path, display, site, None, sink).map_err(|e| name_error(display, e))
}

/// Like [`read_file_with`], hashing the file's bytes as they pass (and the
/// rest of them when the reader stops early), so a file is read once: the
/// information and the content hash ([`stream::hash_file`]'s).
pub fn read_file_hashed(
    path: &Path,
    display: &str,
    site: Option<&SiteLines>,
    sink: &mut dyn FnMut(Article),
) -> Result<(FileInfo, String)> {
    let hash = ContentHash::default();
    let info =
        read_path(path, display, site, Some(&hash), sink).map_err(|e| name_error(display, e))?;
    Ok((info, hash.hex()))
}

/// The reading pipeline over any byte stream.
pub fn read_stream<'a>(
    path: &Path,
    display: &str,
    r: Box<dyn Read + 'a>,
    site: Option<&SiteLines>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    stream_of(path, display, r, site, sink).map_err(|e| name_error(display, e))
}

/// An error that cost the file, as one line naming it: the one place the
/// readers' and the pipeline's errors get the file's name.
fn name_error(display: &str, e: anyhow::Error) -> anyhow::Error {
    anyhow!(named(display, At::File, format!("{e:#}")))
}

/// Why a file could not be read.
fn cannot(e: std::io::Error) -> anyhow::Error {
    anyhow!("cannot read: {e}")
}

/// [`read_file_with`] without the file's name in its error; with `hash`,
/// every byte of the file goes through it.
fn read_path(
    path: &Path,
    display: &str,
    site: Option<&SiteLines>,
    hash: Option<&ContentHash>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let meta = std::fs::metadata(path).map_err(cannot)?;
    if meta.is_dir() {
        bail!("is a folder");
    }
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    let mut magic = [0u8; 4];
    let is_parquet = format_of(path) == Some(Format::Parquet)
        || (f.read_exact(&mut magic).is_ok() && &magic == PARQUET_MAGIC);
    if is_parquet {
        if let Some(h) = hash {
            // Parquet is read from its footer, not in one pass: hashed apart.
            let whole = std::fs::File::open(path).map_err(cannot)?;
            h.read_rest(whole).map_err(cannot)?;
        }
        return read_parquet(path, display, sink);
    }
    let mut f = std::fs::File::open(path).map_err(cannot)?;
    let Some(h) = hash else {
        return stream_of(path, display, Box::new(f), site, sink);
    };
    let res = stream_of(path, display, Box::new(h.reader(&mut f)), site, sink);
    // A failed read is what the file's hash says first, as when it was
    // hashed before reading; otherwise the bytes the reader left are hashed.
    h.failure().map_or(Ok(()), |e| Err(cannot(e)))?;
    let info = res?;
    h.read_rest(f).map_err(cannot)?;
    Ok(info)
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
fn read_parquet(_: &Path, _: &str, _: &mut dyn FnMut(Article)) -> Result<FileInfo> {
    bail!("Parquet file, but this newsidx was built without the `parquet` feature")
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
                .map_err(|e| anyhow!("not valid {} data: {e}", c.name()))?;
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

/// [`read_stream`] without the file's name in its error.
fn stream_of<'a>(
    path: &Path,
    display: &str,
    r: Box<dyn Read + 'a>,
    site: Option<&SiteLines>,
    sink: &mut dyn FnMut(Article),
) -> Result<FileInfo> {
    let (magic, _, r) = stream::peek(r, 8).map_err(cannot)?;
    if magic.is_empty() {
        bail!("empty file");
    }
    let mut warnings = Vec::new();
    let compression = compress::sniff(&magic);
    let name = inner_name(path, display, compression, &mut warnings);
    // WARC is binary-safe and decoded per record, and a `.warc.gz` is read
    // member by member: it bypasses the file-level decoding below.
    let (raw_head, _, r) = stream::peek(r, 4096).map_err(cannot)?;
    refuse_parquet(&raw_head, &name, compression)?;
    if format_of(&name) == Some(Format::Warc) || warc::looks_like_warc(&raw_head, compression) {
        return read_warc(display, r, compression, warnings, sink);
    }
    drop(raw_head);
    let failure = Rc::new(RefCell::new(None));
    let replaced = Rc::new(Cell::new(0usize));
    let mut text = decode_stream(&name, r, compression, &failure, &replaced)?;
    let mut out = Sink::new(display, sink, dates::from_file_name(&name));
    read_format(text.format, &mut text.reader, site, &mut out)?;
    let (count, more, fields) = out.finish();
    if let Some(e) = failure.borrow_mut().take() {
        if count == 0 {
            return Err(cannot(e));
        }
        let what = format!("reading stopped early ({e}); kept the {count} articles before it");
        warnings.push(named(display, At::File, what));
    }
    if replaced.get() > 0 {
        let what = format!(
            "{} undecodable byte sequences ({}) replaced with U+FFFD",
            replaced.get(),
            text.encoding
        );
        warnings.push(named(display, At::File, what));
    }
    warnings.extend(more);
    Ok(FileInfo {
        format: text.format,
        encoding: text.encoding,
        compression: compression.map(|c| c.name()),
        articles: count,
        warnings,
        fields,
    })
}

/// The name of what `path` holds: without its compression suffix when it
/// is compressed or named so. A name that says compressed over bytes that
/// are not is read as is, with a warning.
fn inner_name(
    path: &Path,
    display: &str,
    compression: Option<compress::Compression>,
    warnings: &mut Vec<String>,
) -> std::path::PathBuf {
    let named = compress::by_extension(path);
    if named.is_some() && compression.is_none() {
        let what = format!(
            "named like a {} file but not compressed; read as is",
            named.map(|c| c.name()).unwrap_or_default()
        );
        warnings.push(sink::named(display, At::File, what));
    }
    if compression.is_some() || named.is_some() {
        compress::inner_name(path)
    } else {
        path.to_path_buf()
    }
}

/// A Parquet file needs a file on disk, uncompressed (see [`read_file_with`]).
fn refuse_parquet(
    raw_head: &[u8],
    name: &Path,
    compression: Option<compress::Compression>,
) -> Result<()> {
    if raw_head.starts_with(PARQUET_MAGIC) && compression.is_none() {
        bail!("a Parquet file can only be read from a file on disk");
    }
    if compression.is_some() && format_of(name) == Some(Format::Parquet) {
        bail!("a compressed Parquet file cannot be read; decompress it first");
    }
    Ok(())
}

/// A stream decompressed, decoded to UTF-8 and sniffed.
struct DecodedStream<'a> {
    /// The encoding's label.
    encoding: &'static str,
    /// The format sniffed from the decoded head and the name.
    format: Format,
    /// The UTF-8 text.
    reader: BufReader<Box<dyn Read + 'a>>,
}

/// Decompresses `r`, detects its encoding and decodes it, and sniffs the
/// format. A read error ends the stream cleanly and is kept in `failure`;
/// the undecodable byte sequences are counted in `replaced`.
fn decode_stream<'a>(
    name: &Path,
    r: Box<dyn Read + 'a>,
    compression: Option<compress::Compression>,
    failure: &Rc<RefCell<Option<std::io::Error>>>,
    replaced: &Rc<Cell<usize>>,
) -> Result<DecodedStream<'a>> {
    let r = match compression {
        Some(c) => {
            compress::decompress(c, r).map_err(|e| anyhow!("not valid {} data: {e}", c.name()))?
        }
        None => r,
    };
    let r = stream::StopOnError::new(r, failure.clone());
    let (head, complete, r) = stream::peek(r, stream::HEAD).map_err(cannot)?;
    if head.is_empty() {
        if let Some(e) = failure.borrow_mut().take() {
            return Err(cannot(e));
        }
        bail!("empty file");
    }
    let det = decode::detect(&head, complete)?;
    let decoded = decode::FffdCounter::new(decode::decoder(det.encoding, r), replaced.clone());
    let (dhead, _, decoded) = stream::peek(decoded, stream::HEAD).map_err(cannot)?;
    let format = sniff::format(name, &String::from_utf8_lossy(&dhead));
    Ok(DecodedStream {
        encoding: det.label,
        format,
        reader: BufReader::with_capacity(256 * 1024, decoded),
    })
}

/// Runs the reader of `format` over the decoded text: record formats
/// streamed, one-document formats read whole up to
/// [`stream::MAX_DOCUMENT`].
fn read_format(
    format: Format,
    br: &mut dyn std::io::BufRead,
    site: Option<&SiteLines>,
    out: &mut Sink,
) -> Result<()> {
    match format {
        Format::JsonLines => json::parse_lines(br, out)?,
        Format::Tsv => tsv::parse(br, out)?,
        Format::Csv => delimited::parse(br, b',', out)?,
        Format::Rss | Format::Atom => feed::parse(br, out)?,
        Format::Trec => trec::parse(br, out)?,
        _ => {
            let text = match stream::read_text(br, stream::MAX_DOCUMENT).map_err(cannot)? {
                Ok(t) => t,
                Err(max) => bail!(
                    "larger than {} MB, too large for one {format} document",
                    max >> 20
                ),
            };
            match format {
                Format::Json => json::parse_json(&text, out)?,
                Format::Html => html::parse(&text, out)?,
                Format::MarkdownDump => mddump::parse(&text, out)?,
                Format::Markdown => markdown::parse_markdown(&text, out)?,
                _ => scraped::parse(&text, site, out)?,
            }
        }
    }
    Ok(())
}
