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

use std::io::{self, BufRead, BufReader, Read};

use anyhow::{bail, Result};

use super::compress::Compression;
use super::stream::MAX_RECORD;
use super::{decode, html, Article, Sink};

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

fn read_up_to(r: &mut dyn Read, buf: &mut [u8]) -> usize {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    n
}

/// The raw bytes of a `.warc.gz`, with the bytes of the current gzip member
/// kept (up to [`MAX_RECORD`]) so that after a damaged member reading can
/// resume at the next member's start even when the decoder ran past it.
struct Members<R> {
    inner: BufReader<R>,
    /// Bytes to hand out before `inner` (a replay after damage).
    pending: Vec<u8>,
    pending_at: usize,
    /// The current member's bytes, while under the cap.
    recorded: Vec<u8>,
    recording: bool,
    /// Bytes handed out: the offset of the next byte in the file, roughly
    /// (replayed bytes are counted again).
    offset: u64,
}

const GZIP_MAGIC: [u8; 3] = [0x1f, 0x8b, 0x08];

impl<R: Read> Members<R> {
    fn new(inner: R) -> Self {
        Members {
            inner: BufReader::with_capacity(256 * 1024, inner),
            pending: Vec::new(),
            pending_at: 0,
            recorded: Vec::new(),
            recording: false,
            offset: 0,
        }
    }

    /// Starts recording a new member.
    fn start_member(&mut self) {
        self.recorded.clear();
        self.recording = true;
    }

    /// After a damaged member: the bytes from just after its start are
    /// searched again for the next member. Returns false at the end of the
    /// file.
    fn resync(&mut self) -> io::Result<bool> {
        let recorded = std::mem::take(&mut self.recorded);
        self.recording = false;
        let mut rest: Vec<u8> = recorded.get(1..).unwrap_or(&[]).to_vec();
        rest.extend_from_slice(&self.pending[self.pending_at.min(self.pending.len())..]);
        if let Some(i) = find(&rest, &GZIP_MAGIC) {
            self.pending = rest.split_off(i);
            self.pending_at = 0;
            return Ok(true);
        }
        self.pending.clear();
        self.pending_at = 0;
        // Scan the stream, keeping the last two bytes in case the magic
        // straddles two buffers.
        let mut carry: Vec<u8> = rest.iter().rev().take(2).rev().copied().collect();
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let mut window = carry.clone();
            window.extend_from_slice(buf);
            if let Some(i) = find(&window, &GZIP_MAGIC) {
                if i < carry.len() {
                    // The magic starts in bytes already consumed.
                    self.pending = carry[i..].to_vec();
                } else {
                    let skip = i - carry.len();
                    self.offset += skip as u64;
                    self.inner.consume(skip);
                }
                self.pending_at = 0;
                return Ok(true);
            }
            let n = buf.len();
            carry = window[window.len().saturating_sub(2)..].to_vec();
            self.offset += n as u64;
            self.inner.consume(n);
        }
    }

    /// Whether more bytes follow.
    fn at_end(&mut self) -> io::Result<bool> {
        Ok(self.pending_at >= self.pending.len() && self.inner.fill_buf()?.is_empty())
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

impl<R: Read> Read for Members<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl<R: Read> BufRead for Members<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.pending_at < self.pending.len() {
            return Ok(&self.pending[self.pending_at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.recording {
            let bytes = if self.pending_at < self.pending.len() {
                &self.pending[self.pending_at..self.pending_at + amt]
            } else {
                self.inner.buffer().get(..amt).unwrap_or(&[])
            };
            if self.recorded.len() + bytes.len() <= MAX_RECORD {
                self.recorded.extend_from_slice(bytes);
            } else {
                self.recording = false;
                self.recorded.clear();
            }
        }
        self.offset += amt as u64;
        if self.pending_at < self.pending.len() {
            self.pending_at += amt;
        } else {
            self.inner.consume(amt);
        }
    }
}

/// A byte stream with bytes pushed back in front of it (the rest of a block
/// that turned out to hold the next record).
struct Pushback<'a> {
    front: Vec<u8>,
    at: usize,
    inner: &'a mut dyn BufRead,
}

impl Read for Pushback<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for Pushback<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.front.len() {
            return Ok(&self.front[self.at..]);
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        if self.at < self.front.len() {
            self.at += amt;
        } else {
            self.inner.consume(amt);
        }
    }
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
    let display = out.display;
    for (from, to) in [
        ("HTML main text (response records)", "body"),
        ("og:title, <h1> or <title>", "title"),
        ("WARC-Target-URI", "url"),
        ("page date, else WARC-Date", "date"),
        ("og:site_name, else the URL's host", "source"),
    ] {
        out.fields.push(super::fields::FieldUse {
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
            .map_err(|e| anyhow::anyhow!("{display}: cannot read: {e}"))?
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
                    "{display}: gzip member {member} (byte {at}) is damaged ({e}); its record skipped"
                ));
                match raw.resync() {
                    Ok(true) => continue,
                    Ok(false) => break,
                    Err(e) => {
                        out.warn(format!("{display}: reading stopped ({e})"));
                        break;
                    }
                }
            }
        }
    } else {
        let mut br = BufReader::with_capacity(256 * 1024, r);
        if let Err(e) = records(&mut br, &mut st, out) {
            out.warn(format!(
                "{display}: reading stopped ({e}); kept the {} articles before it",
                st.articles
            ));
        }
    }
    if st.records == 0 {
        if st.damaged > 0 {
            bail!("{display}: no readable WARC record");
        }
        bail!("{display}: no WARC records found");
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
    loop {
        // The version line, after any blank lines between records.
        let n = read_capped_line(&mut pb, &mut line)?;
        if n == 0 {
            break;
        }
        let l = trim_eol(&line);
        if l.is_empty() {
            continue;
        }
        if !l.starts_with(b"WARC/") {
            junk += n as u64;
            continue;
        }
        if junk > 0 {
            out.warn(format!(
                "{}: {junk} bytes before record {} are not a WARC record, skipped",
                out.display,
                st.records + 1
            ));
            st.damaged += 1;
            junk = 0;
        }
        let mut h = Header::default();
        loop {
            let n = read_capped_line(&mut pb, &mut line)?;
            if n == 0 {
                break;
            }
            let l = trim_eol(&line);
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
        st.records += 1;
        let n = st.records;
        let Some(len) = h.length else {
            out.warn(format!(
                "{}: record {n} has no valid Content-Length, skipped",
                out.display
            ));
            st.damaged += 1;
            continue;
        };
        if len > MAX_RECORD as u64 {
            io::copy(&mut (&mut pb).take(len), &mut io::sink())?;
            if wanted(&h) {
                out.warn(format!(
                    "{}: record {n} is larger than {} MB, skipped",
                    out.display,
                    MAX_RECORD >> 20
                ));
            }
            continue;
        }
        let mut block = Vec::with_capacity(len.min(1 << 20) as usize);
        (&mut pb).take(len).read_to_end(&mut block)?;
        // A record cut short runs into the next record's header: what
        // follows it is read again as records.
        if let Some(p) = next_header_in(&block) {
            out.warn(format!(
                "{}: record {n} is cut short (the next record starts inside its {len} bytes), skipped",
                out.display
            ));
            st.damaged += 1;
            let mut front = block.split_off(p);
            front.extend_from_slice(&pb.front[pb.at.min(pb.front.len())..]);
            pb.front = front;
            pb.at = 0;
            continue;
        }
        if (block.len() as u64) < len {
            out.warn(format!(
                "{}: record {n} is cut short ({} of {len} bytes), skipped",
                out.display,
                block.len()
            ));
            st.damaged += 1;
            break;
        }
        if wanted(&h) {
            st.articles += usize::from(article(&h, &block, n, out));
        }
    }
    if junk > 0 {
        out.warn(format!(
            "{}: {junk} bytes at the end are not a WARC record, skipped",
            out.display
        ));
        st.damaged += 1;
    }
    Ok(())
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

/// The HTTP response inside a `response` record.
struct Http<'a> {
    status: u16,
    content_type: String,
    chunked: bool,
    encoding: Option<String>,
    body: &'a [u8],
}

fn parse_http(block: &[u8]) -> Option<Http<'_>> {
    let end = find(block, b"\r\n\r\n")
        .map(|i| (i, i + 4))
        .or_else(|| find(block, b"\n\n").map(|i| (i, i + 2)))?;
    let head = String::from_utf8_lossy(&block[..end.0]);
    let mut lines = head.lines();
    let status_line = lines.next()?;
    if !status_line.starts_with("HTTP/") {
        return None;
    }
    let status = status_line.split_whitespace().nth(1)?.parse().ok()?;
    let mut http = Http {
        status,
        content_type: String::new(),
        chunked: false,
        encoding: None,
        body: &block[end.1..],
    };
    for l in lines {
        let Some((k, v)) = l.split_once(':') else {
            continue;
        };
        let v = v.trim().to_ascii_lowercase();
        match k.trim().to_ascii_lowercase().as_str() {
            "content-type" => http.content_type = v,
            "transfer-encoding" => http.chunked = v.contains("chunked"),
            "content-encoding" if v != "identity" => http.encoding = Some(v),
            _ => {}
        }
    }
    Some(http)
}

/// Undoes `Transfer-Encoding: chunked`; `None` when the chunks are broken.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    loop {
        let nl = find(rest, b"\n")?;
        let size_line = String::from_utf8_lossy(&rest[..nl]);
        let size = usize::from_str_radix(size_line.trim().split(';').next()?.trim(), 16).ok()?;
        rest = &rest[nl + 1..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size..)?;
        rest = rest
            .strip_prefix(b"\r\n")
            .or(rest.strip_prefix(b"\n"))
            .unwrap_or(rest);
    }
}

/// Undoes `Content-Encoding: gzip`/`deflate`, at most [`MAX_RECORD`] bytes.
fn inflate(body: &[u8], how: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let r: Box<dyn Read> = match how {
        "gzip" | "x-gzip" => Box::new(flate2::read::MultiGzDecoder::new(body)),
        "deflate" => Box::new(flate2::read::ZlibDecoder::new(body)),
        _ => return None,
    };
    r.take(MAX_RECORD as u64 + 1).read_to_end(&mut out).ok()?;
    (out.len() <= MAX_RECORD).then_some(out)
}

/// The `charset=` value in a `Content-Type`-like string.
fn charset_of(s: &str) -> Option<String> {
    let i = s.find("charset=")?;
    let v = s[i + 8..]
        .trim_start_matches(['"', '\''])
        .split(|c: char| {
            c == ';' || c == '"' || c == '\'' || c.is_whitespace() || c == '>' || c == '/'
        })
        .next()?;
    (!v.is_empty()).then(|| v.to_string())
}

/// The charset a page declares in a `<meta>` within its first 4 KiB.
fn meta_charset(body: &[u8]) -> Option<String> {
    let head = &body[..body.len().min(4096)];
    let lower = String::from_utf8_lossy(head).to_ascii_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find("<meta") {
        let at = from + i;
        let end = lower[at..].find('>').map_or(lower.len(), |e| at + e);
        if let Some(cs) = charset_of(&lower[at..end]) {
            return Some(cs);
        }
        from = end;
    }
    None
}

/// Decodes a page: the first declared charset the bytes agree with, else
/// the one detected from the bytes.
fn decode_page(body: &[u8], header: Option<String>, display: &str) -> (String, usize) {
    let declared: Vec<&'static encoding_rs::Encoding> = [header, meta_charset(body)]
        .into_iter()
        .flatten()
        .filter_map(|l| encoding_rs::Encoding::for_label(l.as_bytes()))
        .collect();
    for enc in &declared {
        let (text, had_errors) = enc.decode_without_bom_handling(body);
        if !had_errors {
            return (text.into_owned(), 0);
        }
    }
    let detected = decode::detect(body, true, display)
        .map(|d| d.encoding)
        .ok()
        .or(declared.first().copied())
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = detected.decode(body);
    let bad = text.matches('\u{fffd}').count();
    (text.into_owned(), bad)
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    (!host.is_empty()).then(|| host.to_string())
}

/// Turns one wanted record into an article; false when it holds none.
fn article(h: &Header, block: &[u8], n: usize, out: &mut Sink) -> bool {
    let display = out.display;
    let where_ = format!("{display}: record {n}");
    let (payload, header_charset, is_html): (std::borrow::Cow<[u8]>, Option<String>, bool) =
        match h.kind.as_str() {
            "response" => {
                let Some(http) = parse_http(block) else {
                    out.warn(format!("{where_}: no HTTP response inside, skipped"));
                    return false;
                };
                if !(200..300).contains(&http.status)
                    || !(http.content_type.contains("html") || http.content_type.is_empty())
                {
                    return false;
                }
                let mut body = std::borrow::Cow::Borrowed(http.body);
                if http.chunked {
                    if let Some(b) = dechunk(&body) {
                        body = b.into();
                    }
                }
                if let Some(how) = &http.encoding {
                    match inflate(&body, how) {
                        Some(b) => body = b.into(),
                        None => {
                            out.warn(format!(
                                "{where_}: page compressed as {how}, which cannot be read, skipped"
                            ));
                            return false;
                        }
                    }
                }
                let looks_html = http.content_type.contains("html") || {
                    let head =
                        String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
                    head.contains("<html") || head.contains("<!doctype html")
                };
                if !looks_html {
                    return false;
                }
                (body, charset_of(&http.content_type), true)
            }
            "resource" => (block.into(), charset_of(&h.content_type), true),
            _ => (block.into(), charset_of(&h.content_type), false),
        };
    let (text, bad) = decode_page(&payload, header_charset, display);
    if bad > 0 {
        out.warn(format!(
            "{where_}: {bad} undecodable byte sequences replaced with U+FFFD"
        ));
    }
    let mut art = if is_html {
        let mut got: Option<Article> = None;
        let mut sink = |a: Article| got = Some(a);
        let mut page_out = Sink::new(&where_, &mut sink, None);
        let res = html::parse(&text, &mut page_out);
        let warnings = std::mem::take(&mut page_out.warnings);
        drop(page_out);
        for w in warnings {
            out.warn(w);
        }
        match (res, got) {
            (Ok(()), Some(a)) => a,
            (Err(e), _) => {
                out.warn(format!("{e:#}"));
                return false;
            }
            _ => return false,
        }
    } else {
        let text = text.trim();
        let (title, body) = text.split_once('\n').unwrap_or((text, ""));
        if title.trim().is_empty() && body.trim().is_empty() {
            return false;
        }
        Article {
            title: title.trim().to_string(),
            body: body.trim().to_string(),
            ..Article::default()
        }
    };
    art.id = format!("{display}#{n}");
    art.path = display.to_string();
    if let Some(u) = &h.uri {
        art.url = Some(u.clone());
    }
    if art.date.is_none() {
        art.date = h.date.as_deref().and_then(super::date::parse_date);
    }
    if art.source.is_none() {
        art.source = art.url.as_deref().and_then(host_of);
    }
    out.emit(art);
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charsets_from_headers_and_meta() {
        assert_eq!(charset_of("text/html; charset=gbk").as_deref(), Some("gbk"));
        assert_eq!(
            meta_charset(b"<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=GB2312\">").as_deref(),
            Some("gb2312")
        );
        assert_eq!(
            meta_charset(b"<meta charset=\"big5\"/>").as_deref(),
            Some("big5")
        );
        assert_eq!(meta_charset(b"<p>charset=gbk</p>"), None);
    }

    #[test]
    fn chunked_bodies() {
        assert_eq!(
            dechunk(b"3\r\nabc\r\n2;x=y\r\nde\r\n0\r\n\r\n").as_deref(),
            Some(&b"abcde"[..])
        );
        assert_eq!(dechunk(b"zz\r\n"), None);
    }

    #[test]
    fn hosts() {
        assert_eq!(
            host_of("https://u@news.example.com:8080/a?b").as_deref(),
            Some("news.example.com")
        );
        assert_eq!(host_of("nonsense"), None);
    }
}
