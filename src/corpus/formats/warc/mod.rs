//! WARC web archives (`.warc`, `.warc.gz`, and WET text extracts): Common
//! Crawl's news archive (CC-NEWS) and what `wget --warc-file` writes.
//!
//! Each `response` record whose HTTP payload is an HTML page (status 2xx)
//! is one article, through the same main-text extraction as `.html` files
//! ([`super::html`]); a `resource` record holding HTML likewise; a WET
//! `conversion` record (plain text) is one article with its first line as
//! the title. Other records (`request`, `metadata`, `warcinfo`, images,
//! redirects) are passed over without a word, as the format is full of them.
//!
//! * **Encoding per page**: the `charset` of the HTTP `Content-Type`
//!   header, else of the page's `<meta>`, else detected from the bytes as
//!   for any file (GBK, GB18030, Big5, …). A declared charset that the bytes
//!   contradict (undecodable sequences) gives way to the next candidate.
//! * **URL** from `WARC-Target-URI`; **date** from the page (meta tags, the
//!   page header), else `WARC-Date` (the crawl time); **source** from the
//!   page's `og:site_name`, else the URL's host.
//! * **Streamed**: records are read one at a time; a record larger than
//!   [`MAX_RECORD`] is skipped without being held. In `.warc.gz` each record
//!   is its own gzip member (as the WARC standard recommends); a damaged
//!   member costs that record, with one warning, and reading resumes at the
//!   next member. In an uncompressed WARC, a record cut short (its
//!   `Content-Length` runs into the next record's header) is one warning and
//!   the next record is still read.

mod http;
mod members;

use std::io::{self, BufRead, BufReader, Read};

use anyhow::{bail, Result};

use super::html;
use crate::corpus::article::Article;
use crate::corpus::compress::Compression;
use crate::corpus::sink::Sink;
use crate::corpus::stream::MAX_RECORD;
use http::{charset_of, decode_page, response_page};
use members::{find, read_up_to, Members, Pushback};

/// Whether `head` (the first raw bytes of a file, compressed as `c`) starts
/// a WARC file.
pub fn looks_like_warc(head: &[u8], c: Option<Compression>) -> bool {
    let mut start = [0u8; 8];
    let n = match c {
        None => {
            let n = head.len().min(8);
            start[..n].copy_from_slice(&head[..n]);
            n
        }
        Some(Compression::Gzip) => {
            let mut d = flate2::read::GzDecoder::new(head);
            read_up_to(&mut d, &mut start)
        }
        Some(_) => return false,
    };
    start[..n].starts_with(b"WARC/")
}

/// Counts kept while reading one file.
#[derive(Default)]
struct State {
    records: usize,
    articles: usize,
    damaged: usize,
}

/// Reads a WARC file from its raw bytes (`gzip` when it is a `.warc.gz`).
pub fn read(r: Box<dyn Read + '_>, gzip: bool, out: &mut Sink) -> Result<()> {
    for (from, to) in [
        ("HTML main text (response records)", "body"),
        ("og:title, <h1> or <title>", "title"),
        ("WARC-Target-URI", "url"),
        ("page date, else WARC-Date", "date"),
        ("og:site_name, else the URL's host", "source"),
    ] {
        out.fields.push(crate::corpus::fields::FieldUse {
            from: from.to_string(),
            to,
        });
    }
    let mut st = State::default();
    if gzip {
        let mut raw = Members::new(r);
        let mut member = 0usize;
        while !raw
            .at_end()
            .map_err(|e| anyhow::anyhow!("cannot read: {e}"))?
        {
            member += 1;
            let at = raw.offset;
            let warned = out.warnings.len();
            raw.start_member();
            let result = {
                let dec = flate2::bufread::GzDecoder::new(&mut raw);
                let mut br = BufReader::with_capacity(64 * 1024, dec);
                records(&mut br, &mut st, out)
            };
            if let Err(e) = result {
                // What the damaged member's garbage made the record reader
                // say is a consequence of the damage: one warning says it.
                out.warnings.truncate(warned);
                st.damaged += 1;
                out.warn(format!(
                    "gzip member {member} (byte {at}) is damaged ({e}); its record skipped"
                ));
                match raw.resync() {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(e) => {
                        out.warn(format!("reading stopped ({e})"));
                        break;
                    }
                }
            }
        }
    } else {
        let mut br = BufReader::with_capacity(256 * 1024, r);
        if let Err(e) = records(&mut br, &mut st, out) {
            out.warn(format!(
                "reading stopped ({e}); kept the {} articles before it",
                st.articles
            ));
        }
    }
    if st.records == 0 {
        if st.damaged > 0 {
            bail!("no readable WARC record");
        }
        bail!("no WARC records found");
    }
    Ok(())
}

/// One record's WARC headers.
#[derive(Debug, Default)]
struct Header {
    kind: String,
    uri: Option<String>,
    date: Option<String>,
    content_type: String,
    length: Option<u64>,
}

/// Reads the records of one stream (a gzip member, or a whole file).
/// An `Err` is a failure of the stream itself (a damaged gzip member).
fn records(r: &mut dyn BufRead, st: &mut State, out: &mut Sink) -> io::Result<()> {
    let mut pb = Pushback {
        front: Vec::new(),
        at: 0,
        inner: r,
    };
    let mut line = Vec::new();
    let mut junk = 0u64;
    // The version line, after any blank lines between records.
    while let Some((l, n)) = next_line(&mut pb, &mut line)? {
        if l.is_empty() {
            continue;
        }
        if !l.starts_with(b"WARC/") {
            junk += n as u64;
            continue;
        }
        if junk > 0 {
            out.warn(format!(
                "{junk} bytes before record {} are not a WARC record, skipped",
                st.records + 1
            ));
            st.damaged += 1;
            junk = 0;
        }
        let h = read_header(&mut pb, &mut line)?;
        st.records += 1;
        let n = st.records;
        match read_block(&mut pb, &h, n, st, out)? {
            Block::Whole(block) => {
                if wanted(&h) {
                    st.articles += usize::from(article(&h, &block, n, out));
                }
            }
            Block::Skipped => {}
            Block::End => break,
        }
    }
    if junk > 0 {
        out.warn(format!(
            "{junk} bytes at the end are not a WARC record, skipped"
        ));
        st.damaged += 1;
    }
    Ok(())
}

/// The next line without its end of line, and its length with it; `None`
/// at the end of the stream.
fn next_line<'l>(
    r: &mut dyn BufRead,
    line: &'l mut Vec<u8>,
) -> io::Result<Option<(&'l [u8], usize)>> {
    let n = read_capped_line(r, line)?;
    Ok((n > 0).then(|| (trim_eol(line), n)))
}

/// The header lines of a record, up to the blank line that ends them.
fn read_header(r: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<Header> {
    let mut h = Header::default();
    while let Some((l, _)) = next_line(r, line)? {
        if l.is_empty() {
            break;
        }
        let l = String::from_utf8_lossy(l);
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim().to_string();
        match k.trim().to_ascii_lowercase().as_str() {
            "warc-type" => h.kind = v.to_ascii_lowercase(),
            "warc-target-uri" => h.uri = Some(v.trim_matches(['<', '>']).to_string()),
            "warc-date" => h.date = Some(v),
            "content-type" => h.content_type = v.to_ascii_lowercase(),
            "content-length" => h.length = v.parse().ok(),
            _ => {}
        }
    }
    Ok(h)
}

/// What reading a record's block gave.
enum Block {
    /// The block, whole.
    Whole(Vec<u8>),
    /// The record is skipped (warned of where it matters); read on.
    Skipped,
    /// The stream ended inside the block.
    End,
}

/// Reads the block of record `n` (headers `h`). A block over
/// [`MAX_RECORD`] is skipped without being held; one cut short by the
/// next record's header is skipped and what follows it is read again as
/// records.
fn read_block(
    pb: &mut Pushback,
    h: &Header,
    n: usize,
    st: &mut State,
    out: &mut Sink,
) -> io::Result<Block> {
    let Some(len) = h.length else {
        out.warn(format!("record {n} has no valid Content-Length, skipped"));
        st.damaged += 1;
        return Ok(Block::Skipped);
    };
    if len > MAX_RECORD as u64 {
        io::copy(&mut (&mut *pb).take(len), &mut io::sink())?;
        if wanted(h) {
            out.warn(format!(
                "record {n} is larger than {} MB, skipped",
                MAX_RECORD >> 20
            ));
        }
        return Ok(Block::Skipped);
    }
    let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
    (&mut *pb).take(len).read_to_end(&mut block)?;
    if let Some(p) = next_header_in(&block) {
        out.warn(format!(
            "record {n} is cut short (the next record starts inside its {len} bytes), skipped"
        ));
        st.damaged += 1;
        let mut front = block.split_off(p);
        front.extend_from_slice(&pb.front[pb.at.min(pb.front.len())..]);
        pb.front = front;
        pb.at = 0;
        return Ok(Block::Skipped);
    }
    if (block.len() as u64) < len {
        out.warn(format!(
            "record {n} is cut short ({} of {len} bytes), skipped",
            block.len()
        ));
        st.damaged += 1;
        return Ok(Block::End);
    }
    Ok(Block::Whole(block))
}

/// A line of at most 64 KiB (a longer one is cut; WARC header lines are short).
fn read_capped_line(r: &mut dyn BufRead, line: &mut Vec<u8>) -> io::Result<usize> {
    line.clear();
    let n = r.take(64 * 1024).read_until(b'\n', line)?;
    Ok(n)
}

fn trim_eol(l: &[u8]) -> &[u8] {
    let l = l.strip_suffix(b"\n").unwrap_or(l);
    l.strip_suffix(b"\r").unwrap_or(l)
}

/// Where a WARC header starts inside `block` (a `WARC/1.x` version line,
/// anywhere, since a record cut short stops mid-line, followed by
/// `WARC-Type` or `WARC-Record-ID` and `Content-Length` lines), if anywhere.
fn next_header_in(block: &[u8]) -> Option<usize> {
    let mut from = 1;
    while let Some(i) = block.get(from..).and_then(|b| find(b, b"WARC/1.")) {
        let at = from + i;
        let ahead = &block[at..(at + 2048).min(block.len())];
        let version_line = matches!(ahead.get(7..10), Some(b"0\r\n" | b"1\r\n"))
            || matches!(ahead.get(7..9), Some(b"0\n" | b"1\n"));
        if version_line
            && (find(ahead, b"\nWARC-Type:").is_some()
                || find(ahead, b"\nWARC-Record-ID:").is_some())
            && find(ahead, b"\nContent-Length:").is_some()
        {
            return Some(at);
        }
        from = at + 7;
    }
    None
}

/// Whether a record can hold an article.
fn wanted(h: &Header) -> bool {
    match h.kind.as_str() {
        "response" => h.content_type.contains("application/http"),
        "resource" => h.content_type.contains("html"),
        "conversion" => h.content_type.starts_with("text/plain") || h.content_type.is_empty(),
        _ => false,
    }
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// Turns one wanted record into an article; false when it holds none.
fn article(h: &Header, block: &[u8], n: usize, out: &mut Sink) -> bool {
    let record = format!("record {n}");
    let (payload, header_charset, is_html) = match h.kind.as_str() {
        "response" => match response_page(block, &record, out) {
            Some((body, charset)) => (body, charset, true),
            None => return false,
        },
        "resource" => (block.into(), charset_of(&h.content_type), true),
        _ => (block.into(), charset_of(&h.content_type), false),
    };
    let (text, bad) = decode_page(&payload, header_charset);
    if bad > 0 {
        out.warn(format!(
            "{record}: {bad} undecodable byte sequences replaced with U+FFFD"
        ));
    }
    let art = if is_html {
        html_article(&text, &record, out)
    } else {
        text_article(&text)
    };
    let Some(mut art) = art else {
        return false;
    };
    art.id = out.record_id(n);
    // The page's sink named it as a part; the file's sink names the file.
    art.path.clear();
    if let Some(u) = &h.uri {
        art.url = Some(u.clone());
    }
    if art.date.is_none() {
        art.date = h.date.as_deref().and_then(crate::dates::parse_date);
    }
    if art.source.is_none() {
        art.source = art.url.as_deref().and_then(host_of);
    }
    out.emit(art);
    true
}

/// The article of an HTML page (`record` of the file), through the
/// `.html` reader; its warnings go to `out`.
fn html_article(text: &str, record: &str, out: &mut Sink) -> Option<Article> {
    let mut got: Option<Article> = None;
    let mut sink = |a: Article| got = Some(a);
    let name = out.part_name(record);
    let mut page_out = Sink::new(&name, &mut sink, None);
    let res = html::parse(text, &mut page_out);
    let warnings = std::mem::take(&mut page_out.warnings);
    drop(page_out);
    out.adopt(warnings);
    match (res, got) {
        (Ok(()), Some(a)) => Some(a),
        (Err(e), _) => {
            out.warn(format!("{record}: {e:#}"));
            None
        }
        _ => None,
    }
}

/// The article of a WET text extract: the first line is the title.
fn text_article(text: &str) -> Option<Article> {
    let text = text.trim();
    let (title, body) = text.split_once('\n').unwrap_or((text, ""));
    if title.trim().is_empty() && body.trim().is_empty() {
        return None;
    }
    Some(Article {
        title: title.trim().to_string(),
        body: body.trim().to_string(),
        ..Article::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://u@news.example.com:8080/a?b").as_deref(),
            Some("news.example.com")
        );
        assert_eq!(host_of("nonsense"), None);
    }
}
