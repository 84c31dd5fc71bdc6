//! The HTTP response inside a WARC `response` record: status and headers,
//! chunked and compressed bodies, and the page's charset.

use std::borrow::Cow;
use std::io::Read;

use super::members::find;
use crate::corpus::decode;
use crate::corpus::sink::Sink;
use crate::corpus::stream::MAX_RECORD;

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
pub(super) fn charset_of(s: &str) -> Option<String> {
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
pub(super) fn decode_page(body: &[u8], header: Option<String>) -> (String, usize) {
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
    let detected = decode::detect(body, true)
        .map(|d| d.encoding)
        .ok()
        .or(declared.first().copied())
        .unwrap_or(encoding_rs::UTF_8);
    let (text, _, _) = detected.decode(body);
    let bad = text.matches('\u{fffd}').count();
    (text.into_owned(), bad)
}

/// The HTML page of a `response` record and the charset its HTTP header
/// declares: `None` for a response that is no page to read (not 2xx, not
/// HTML), or that cannot be read (warned of, as `record` of the file).
pub(super) fn response_page<'b>(
    block: &'b [u8],
    record: &str,
    out: &mut Sink,
) -> Option<(Cow<'b, [u8]>, Option<String>)> {
    let Some(http) = parse_http(block) else {
        out.warn(format!("{record}: no HTTP response inside, skipped"));
        return None;
    };
    if !(200..300).contains(&http.status)
        || !(http.content_type.contains("html") || http.content_type.is_empty())
    {
        return None;
    }
    let mut body = Cow::Borrowed(http.body);
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
                    "{record}: page compressed as {how}, which cannot be read, skipped"
                ));
                return None;
            }
        }
    }
    let looks_html = http.content_type.contains("html") || {
        let head = String::from_utf8_lossy(&body[..body.len().min(1024)]).to_ascii_lowercase();
        head.contains("<html") || head.contains("<!doctype html")
    };
    if !looks_html {
        return None;
    }
    Some((body, charset_of(&http.content_type)))
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
}
