//! Bytes to text: character-encoding detection and streaming decoding.
//!
//! Detection looks at the first bytes of a file (the "head", up to
//! [`super::stream::HEAD`] bytes): a byte-order mark decides first (UTF-8,
//! UTF-16LE/BE); then data that is valid UTF-8, or UTF-8 with only a few
//! damaged sequences, is UTF-8; anything else goes to `chardetng` (the
//! detector Firefox uses), which tells GBK/GB18030, Big5 and the rest apart.
//! GBK and GB18030 share one decoder (the WHATWG GBK decoder *is* the
//! GB18030 decoder); the label says GB18030 when four-byte sequences occur.
//!
//! Decoding is streamed with `encoding_rs` ([`Decode`]), which turns any input into
//! UTF-8 and replaces undecodable bytes with U+FFFD. [`FffdCounter`] counts
//! those replacements so that a damaged file costs one warning, not a skip.

use std::cell::Cell;
use std::io::{self, Read};
use std::rc::Rc;

use anyhow::{bail, Result};
use encoding_rs::Encoding;

/// What detection decided for a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    /// The decoder to use.
    pub encoding: &'static Encoding,
    /// The name shown to users (`UTF-8`, `UTF-8 (BOM)`, `GBK`, `GB18030`, …).
    pub label: &'static str,
}

/// Decides the encoding of a file from its first bytes. `complete` says the
/// head is the whole file (so a multi-byte character cut at its end is an
/// error, not a truncation). Binary data is refused.
pub fn detect(head: &[u8], complete: bool) -> Result<Detected> {
    if let Some((enc, _)) = Encoding::for_bom(head) {
        let label = if enc == encoding_rs::UTF_8 {
            "UTF-8 (BOM)"
        } else if enc == encoding_rs::UTF_16LE {
            "UTF-16LE (BOM)"
        } else {
            "UTF-16BE (BOM)"
        };
        return Ok(Detected {
            encoding: enc,
            label,
        });
    }
    if let Some(enc) = utf16_without_bom(head) {
        let label = if enc == encoding_rs::UTF_16LE {
            "UTF-16LE"
        } else {
            "UTF-16BE"
        };
        return Ok(Detected {
            encoding: enc,
            label,
        });
    }
    if is_binary(head) {
        bail!("binary file, not text");
    }
    let (bad, spots, non_ascii, multibyte) = utf8_damage(head, complete);
    // A handful of broken sequences in otherwise valid UTF-8 is damage, not
    // another encoding: in GBK or Big5 nearly every non-ASCII pair is invalid.
    if bad == 0 || bad * 50 <= non_ascii || multibyte >= 4 * bad {
        return Ok(Detected {
            encoding: encoding_rs::UTF_8,
            label: "UTF-8",
        });
    }
    // Damage confined to a few lines of a file whose other lines are
    // clean UTF-8 with Chinese in them: one damaged record must not turn
    // every record into mojibake.
    if utf8_lines_win(head, complete) {
        return Ok(Detected {
            encoding: encoding_rs::UTF_8,
            label: "UTF-8",
        });
    }
    let enc = guess_legacy(head, complete);
    // No multi-byte legacy encoding fits, and valid UTF-8 characters far
    // outnumber the damaged places (a run of bad bytes is one place): a
    // short UTF-8 file with a few damaged bytes, which a single-byte
    // encoding would turn into mojibake from its first line to its last.
    // A multi-byte guess that reads the head with more damage than UTF-8
    // does is the same mistake, made by chardetng on a few stray bytes.
    let utf8_fits = if is_multibyte(enc) {
        multibyte > 0 && spots < malformed(enc, head, complete)
    } else {
        multibyte > 0 && multibyte >= 2 * spots
    };
    if utf8_fits {
        return Ok(Detected {
            encoding: encoding_rs::UTF_8,
            label: "UTF-8",
        });
    }
    let (enc, label) = if enc == encoding_rs::GBK {
        if has_gb18030_four_byte(head) {
            (encoding_rs::GB18030, "GB18030")
        } else {
            (encoding_rs::GBK, "GBK")
        }
    } else {
        (enc, enc.name())
    };
    Ok(Detected {
        encoding: enc,
        label,
    })
}

/// Malformed sequences in `head` read as `enc`.
fn malformed(enc: &'static Encoding, head: &[u8], complete: bool) -> usize {
    let mut dec = enc.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(head.len() * 3 + 16);
    let mut input = head;
    let mut count = 0;
    loop {
        let (res, read) = dec.decode_to_string_without_replacement(input, &mut out, complete);
        input = &input[read..];
        match res {
            encoding_rs::DecoderResult::Malformed(..) => count += 1,
            encoding_rs::DecoderResult::InputEmpty => return count,
            encoding_rs::DecoderResult::OutputFull => out.reserve(out.capacity().max(64)),
        }
    }
}

/// Multi-byte legacy encodings (the ones Chinese, Japanese and Korean use).
fn is_multibyte(enc: &'static Encoding) -> bool {
    [
        encoding_rs::GBK,
        encoding_rs::GB18030,
        encoding_rs::BIG5,
        encoding_rs::SHIFT_JIS,
        encoding_rs::EUC_JP,
        encoding_rs::EUC_KR,
    ]
    .contains(&enc)
}

fn chardet(bytes: &[u8], last: bool) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, last);
    det.guess(None, chardetng::Utf8Detection::Allow)
}

/// `chardetng` on the whole head; when it falls back to a single-byte
/// encoding, which it does when a multi-byte file has a damaged byte
/// anywhere, each line votes on its own (weighted by its non-ASCII bytes)
/// and a clear multi-byte majority wins.
fn guess_legacy(head: &[u8], complete: bool) -> &'static Encoding {
    let whole = chardet(head, complete);
    if is_multibyte(whole) {
        return whole;
    }
    let mut votes: Vec<(&'static Encoding, usize)> = Vec::new();
    let mut total = 0usize;
    for line in head.split(|&b| b == b'\n') {
        let weight = line.iter().filter(|b| !b.is_ascii()).count();
        if weight < 8 {
            continue;
        }
        total += weight;
        let enc = chardet(line, false);
        match votes.iter_mut().find(|(e, _)| *e == enc) {
            Some((_, w)) => *w += weight,
            None => votes.push((enc, weight)),
        }
    }
    match votes.into_iter().max_by_key(|&(_, w)| w) {
        Some((enc, w)) if is_multibyte(enc) && w * 2 > total => enc,
        _ => whole,
    }
}

/// UTF-16 without a BOM: most code units of Chinese or ASCII text in UTF-16
/// have a zero byte on one side only for ASCII, so we only accept text whose
/// zero bytes sit overwhelmingly at odd (LE) or even (BE) positions.
fn utf16_without_bom(head: &[u8]) -> Option<&'static Encoding> {
    let n = head.len().min(4096) & !1;
    if n < 16 {
        return None;
    }
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, &b) in head[..n].iter().enumerate() {
        if b == 0 {
            if i % 2 == 0 {
                even += 1
            } else {
                odd += 1
            }
        }
    }
    let units = n / 2;
    if odd * 3 >= units && even * 20 < odd.max(1) {
        Some(encoding_rs::UTF_16LE)
    } else if even * 3 >= units && odd * 20 < even.max(1) {
        Some(encoding_rs::UTF_16BE)
    } else {
        None
    }
}

/// NUL bytes or many control characters in the first 8 KiB.
fn is_binary(head: &[u8]) -> bool {
    let h = &head[..head.len().min(8192)];
    if h.contains(&0) {
        return true;
    }
    let control = h
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    control * 20 > h.len()
}

/// True when, line by line, `head` reads as UTF-8 with a few damaged
/// lines: at least two lines hold valid multi-byte UTF-8 and no error, and
/// they are at least twice as many as the lines with an error. Text in GBK,
/// Big5 or Shift_JIS almost never forms valid multi-byte UTF-8 on a line,
/// so a legacy file has next to no such lines. The last line of an
/// incomplete head may end inside a character: that is not an error.
fn utf8_lines_win(head: &[u8], complete: bool) -> bool {
    let (mut clean, mut damaged) = (0usize, 0usize);
    let mut lines = head.split(|&b| b == b'\n').peekable();
    while let Some(line) = lines.next() {
        let last = lines.peek().is_none();
        match std::str::from_utf8(line) {
            Ok(text) => clean += usize::from(!text.is_ascii()),
            Err(e) if last && !complete && e.error_len().is_none() => {
                clean += usize::from(line[..e.valid_up_to()].iter().any(|&b| b >= 0xC0));
            }
            Err(_) => damaged += 1,
        }
    }
    clean >= 2 && clean >= 2 * damaged
}

/// Invalid UTF-8 sequences, the places they sit (adjacent ones count as
/// one), non-ASCII bytes and valid multi-byte characters in `head`.
fn utf8_damage(head: &[u8], complete: bool) -> (usize, usize, usize, usize) {
    let non_ascii = head.iter().filter(|b| !b.is_ascii()).count();
    let mut bad = 0;
    let mut spots = 0;
    let mut multibyte = 0;
    let mut rest = head;
    let count = |s: &[u8]| s.iter().filter(|&&b| b >= 0xC0).count();
    loop {
        match std::str::from_utf8(rest) {
            Ok(_) => {
                multibyte += count(rest);
                break;
            }
            Err(e) => match e.error_len() {
                Some(len) => {
                    bad += 1;
                    if e.valid_up_to() > 0 || spots == 0 {
                        spots += 1;
                    }
                    multibyte += count(&rest[..e.valid_up_to()]);
                    rest = &rest[e.valid_up_to() + len..];
                }
                None => {
                    // Cut at the end of the head: only an error if it is the file's end.
                    multibyte += count(&rest[..e.valid_up_to()]);
                    if complete {
                        bad += 1;
                        spots += 1;
                    }
                    break;
                }
            },
        }
    }
    (bad, spots, non_ascii, multibyte)
}

/// GB18030 four-byte sequences (lead 0x81–0xFE, then a digit) in `head`.
fn has_gb18030_four_byte(head: &[u8]) -> bool {
    let mut i = 0;
    while i + 3 < head.len() {
        let b = head[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b) && head[i + 1].is_ascii_digit() {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// A streaming decoder from `enc` to UTF-8 (a BOM sniffed and removed,
/// bad bytes → U+FFFD).
pub fn decoder<R: Read>(enc: &'static Encoding, r: R) -> Decode<R> {
    Decode {
        inner: r,
        dec: enc.new_decoder(),
        input: vec![0; 16 * 1024],
        at: 0,
        len: 0,
        output: vec![0; 48 * 1024 + 16],
        out_at: 0,
        out_len: 0,
        eof: false,
        done: false,
    }
}

/// The reader [`decoder`] returns. Written on `encoding_rs` directly:
/// `encoding_rs_io` cut the last replacement character of a GB18030 stream
/// to two bytes (invalid UTF-8) when its input arrived in reads of a few
/// bytes, as a decompressor or a pipe may give it (found by
/// `bench/fuzz.sh`).
pub struct Decode<R> {
    inner: R,
    dec: encoding_rs::Decoder,
    input: Vec<u8>,
    at: usize,
    len: usize,
    output: Vec<u8>,
    out_at: usize,
    out_len: usize,
    eof: bool,
    done: bool,
}

impl<R: Read> Read for Decode<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.out_at < self.out_len {
                let n = (self.out_len - self.out_at).min(buf.len());
                buf[..n].copy_from_slice(&self.output[self.out_at..self.out_at + n]);
                self.out_at += n;
                return Ok(n);
            }
            if self.done || buf.is_empty() {
                return Ok(0);
            }
            if self.at == self.len && !self.eof {
                self.at = 0;
                self.len = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.eof = self.len == 0;
            }
            let (res, read, written, _) =
                self.dec
                    .decode_to_utf8(&self.input[self.at..self.len], &mut self.output, self.eof);
            self.at += read;
            self.out_at = 0;
            self.out_len = written;
            if self.eof && res == encoding_rs::CoderResult::InputEmpty {
                // Everything, including a sequence cut at the end, is out.
                self.done = true;
            }
        }
    }
}

/// Passes UTF-8 bytes through, counting U+FFFD replacement characters.
pub struct FffdCounter<R> {
    inner: R,
    count: Rc<Cell<usize>>,
    tail: Vec<u8>,
}

impl<R> FffdCounter<R> {
    /// Wraps `inner`; `count` receives the number of replacement characters.
    pub fn new(inner: R, count: Rc<Cell<usize>>) -> Self {
        FffdCounter {
            inner,
            count,
            tail: Vec::new(),
        }
    }
}

impl<R: Read> Read for FffdCounter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        // The last two bytes of the previous read join this one, so that a
        // replacement character split across reads is still counted once.
        let mut joined = std::mem::take(&mut self.tail);
        joined.extend_from_slice(&buf[..n]);
        let found = joined
            .windows(3)
            .filter(|w| w == &[0xEF, 0xBF, 0xBD])
            .count();
        self.count.set(self.count.get() + found);
        if joined.ends_with(&[0xEF, 0xBF]) {
            self.tail = vec![0xEF, 0xBF];
        } else if joined.ends_with(&[0xEF]) {
            self.tail = vec![0xEF];
        }
        Ok(n)
    }
}

/// Decodes a whole byte slice (used by tests and small inputs).
pub fn decode_all(bytes: &[u8]) -> Result<(String, Detected, usize)> {
    let det = detect(bytes, true)?;
    let mut out = String::new();
    let count = Rc::new(Cell::new(0));
    FffdCounter::new(decoder(det.encoding, bytes), count.clone()).read_to_string(&mut out)?;
    Ok((out, det, count.get()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "新华社北京电 今年夏粮再获丰收，全国小麦平均亩产创新高。臺灣";

    #[test]
    fn utf8_with_and_without_bom() {
        let (s, det, bad) = decode_all(TEXT.as_bytes()).unwrap();
        assert_eq!((s.as_str(), det.label, bad), (TEXT, "UTF-8", 0));
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(TEXT.as_bytes());
        let (s, det, _) = decode_all(&b).unwrap();
        assert_eq!((s.as_str(), det.label), (TEXT, "UTF-8 (BOM)"));
    }

    #[test]
    fn utf16_with_bom() {
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for u in TEXT.encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(decode_all(&le).unwrap().0, TEXT);
        assert_eq!(decode_all(&be).unwrap().0, TEXT);
    }

    #[test]
    fn legacy_chinese_encodings() {
        let long = "新华社北京电 今年夏粮再获丰收，全国小麦平均亩产创新高。".repeat(8);
        let trad = "中央社台北電 今年夏季稻米再獲豐收，全國平均產量創新高。".repeat(8);
        for (enc, want, text) in [
            (encoding_rs::GBK, "GBK", &long),
            (encoding_rs::BIG5, "Big5", &trad),
        ] {
            let (bytes, _, had_errors) = enc.encode(text);
            assert!(!had_errors);
            let (s, det, bad) = decode_all(&bytes).unwrap();
            assert_eq!(det.label, want);
            assert_eq!(&s, text);
            assert_eq!(bad, 0);
        }
        // GB18030 four-byte sequence (U+20AC € is 0xA2E3 in GB18030, so use a
        // character outside GBK: U+1F600).
        let text = format!("{long}😀");
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let (s, det, _) = decode_all(&bytes).unwrap();
        assert_eq!((s.as_str(), det.label), (text.as_str(), "GB18030"));
    }

    #[test]
    fn damaged_utf8_is_replaced_and_counted() {
        let mut b = TEXT.repeat(4).into_bytes();
        b[7] = 0xFF;
        let (s, det, bad) = decode_all(&b).unwrap();
        assert_eq!(det.label, "UTF-8");
        assert!(s.contains('\u{FFFD}'));
        assert!(bad >= 1);
    }

    #[test]
    fn one_bad_byte_in_mostly_ascii_utf8_is_still_utf8() {
        let mut b = format!(
            "{{\"title\":\"春天来了\",\"body\":\"{}\"}}",
            "a".repeat(500)
        )
        .into_bytes();
        b.insert(30, 0xFF);
        let (_, det, bad) = decode_all(&b).unwrap();
        assert_eq!((det.label, bad), ("UTF-8", 1));
    }

    #[test]
    fn binary_is_refused() {
        assert!(decode_all(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").is_err());
    }

    #[test]
    fn a_short_utf8_file_with_a_few_damaged_bytes_stays_utf8() {
        // Found by the property tests: three damaged places in a short
        // JSON Lines file made it windows-1252, garbling every line.
        let mut b = Vec::new();
        b.extend_from_slice("{\"title\":\"题".as_bytes());
        b.extend_from_slice(b"\xb1\xa3,\"body\":\"\xe6\"\x96\x870\"}\n");
        for i in 1..8 {
            b.extend_from_slice(format!("{{\"title\":\"题{i}\",\"body\":\"文{i}\"}}\n").as_bytes());
        }
        let (s, det, bad) = decode_all(&b).unwrap();
        assert_eq!(det.label, "UTF-8");
        assert!(s.contains("题7") && bad > 0, "{s}");
    }

    #[test]
    fn one_damaged_line_does_not_make_a_utf8_file_single_byte() {
        // Found by bench/fuzz.sh (jsonl_damage_is_local): stray bytes in one
        // record of a short JSON Lines file made every record mojibake.
        let mut file = Vec::new();
        for i in 0..8 {
            if i == 3 {
                file.extend_from_slice(b"{\"id\":\"r3\",\"title\":\"");
                for c in b'a'..=b'j' {
                    file.extend_from_slice(&[0x80, c]);
                }
                file.extend_from_slice(b"\"}");
            } else {
                file.extend_from_slice(
                    format!("{{\"id\":\"r{i}\",\"title\":\"题{i}\",\"body\":\"文{i}\"}}")
                        .as_bytes(),
                );
            }
            file.push(b'\n');
        }
        let d = detect(&file, true).expect("text");
        assert_eq!(d.encoding, encoding_rs::UTF_8, "{}", d.label);
        // GBK text stays GBK.
        let (gbk, _, _) = encoding_rs::GBK.encode("题目一\n文章二\n新闻三\n报道四\n");
        let d = detect(&gbk, true).expect("text");
        assert_ne!(d.encoding, encoding_rs::UTF_8);
    }

    #[test]
    fn stray_bytes_do_not_make_utf8_shift_jis() {
        // Found by bench/fuzz.sh: two inserted bytes made chardetng guess
        // Shift_JIS for a short UTF-8 file.
        let mut b = Vec::new();
        b.extend_from_slice(b"{\"id\":\"r0\",\"title\":\"\xe9\xa2\x81\x980\",");
        b.extend_from_slice(b"\"body\":\"\xe6\x80\x01\x01\x01\x96\x870\"}\n");
        for i in 1..8 {
            b.extend_from_slice(
                format!("{{\"id\":\"r{i}\",\"title\":\"题{i}\",\"body\":\"文{i}\"}}\n").as_bytes(),
            );
        }
        let (s, det, _) = decode_all(&b).unwrap();
        assert_eq!(det.label, "UTF-8");
        assert!(s.contains("题7"), "{s}");
    }

    #[test]
    fn reads_of_a_few_bytes_decode_like_one_read() {
        // Found by bench/fuzz.sh: with encoding_rs_io, GB18030 input given
        // in reads of up to 8 bytes ended in half a U+FFFD.
        struct Chunks<'a>(&'a [u8], usize);
        impl Read for Chunks<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let bytes = b"\x810\x898\x840\xb23{{\xb1\xb1\xbe\xa9\xc8@\x01\x1b \xcb\xb9\xa4\xd6\xc7\xc4\xdc\xb1\xb1\xbe\xa9\x810\x898";
        let mut whole = String::new();
        decoder(encoding_rs::GB18030, &bytes[..])
            .read_to_string(&mut whole)
            .unwrap();
        for chunk in 1..20 {
            let mut s = String::new();
            decoder(encoding_rs::GB18030, Chunks(bytes, chunk))
                .read_to_string(&mut s)
                .unwrap();
            assert_eq!(s, whole, "reads of {chunk}");
        }
        let mut s = String::new();
        decoder(encoding_rs::UTF_8, &b"\xef\xbb\xbfab\xe9"[..])
            .read_to_string(&mut s)
            .unwrap();
        assert_eq!(s, "ab\u{fffd}");
    }
}
