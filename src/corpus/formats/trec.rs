//! Pseudo-XML `<doc>` dumps: Sogou (SogouCA/SogouCS), TREC and LCSTS.
//!
//! A file holds many `<doc>…</doc>` records, possibly inside a `<docs>` or
//! `<doclist>` wrapper; the record's children are tags such as `<url>`,
//! `<docno>`, `<contenttitle>`/`<title>`/`<summary>` (title) and
//! `<content>`/`<text>`/`<short_text>` (body). Records are read one at a
//! time from the stream; a record larger than [`MAX_RECORD`] is skipped
//! with a warning. Each article's id is the path and its position (`#n`);
//! the date comes from a date tag, else from the URL (`/20120612/`), else
//! from the file name.

use std::io::BufRead;

use anyhow::Result;

use crate::corpus::fields::{self, Record};
use crate::corpus::sink::{At, Sink};
use crate::corpus::stream::{read_line, Line, MAX_RECORD};
use crate::dates;

/// Reads every `<doc>` record of `r`.
pub fn parse(r: &mut dyn BufRead, out: &mut Sink) -> Result<()> {
    let mut line = Vec::new();
    let mut records = Records::default();
    let mut lineno = 0usize;
    loop {
        lineno += 1;
        match read_line(r, &mut line, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                let what = format!("line of {len} bytes is too long, skipped");
                out.warn_at(At::Line(lineno), what);
                if records.inside {
                    records.overflow = true;
                }
                continue;
            }
            Line::Ok => {}
        }
        let text = String::from_utf8_lossy(&line);
        records.line(&text, lineno, out);
    }
    records.finish(out)
}

/// The record being gathered, line by line.
#[derive(Default)]
struct Records {
    /// Its text so far.
    rec: String,
    /// Inside a `<doc>`.
    inside: bool,
    /// The record outgrew [`MAX_RECORD`]: it is skipped.
    overflow: bool,
    /// Records seen.
    n: usize,
    /// The line its `<doc>` is on.
    start_line: usize,
}

impl Records {
    /// One line of the file: the records it opens, continues and closes
    /// (each closed one emitted).
    fn line(&mut self, text: &str, lineno: usize, out: &mut Sink) {
        let mut rest: &str = text;
        loop {
            if !self.inside {
                match find_open(rest) {
                    Some(i) => {
                        self.inside = true;
                        self.overflow = false;
                        self.start_line = lineno;
                        self.rec.clear();
                        rest = &rest[i..];
                    }
                    None => break,
                }
            }
            match find_ci(rest, "</doc>") {
                Some(end) => {
                    if !self.overflow {
                        self.rec.push_str(&rest[..end]);
                    }
                    self.n += 1;
                    if self.overflow {
                        let what = format!(
                            "record {} is larger than {} MB, skipped",
                            self.n,
                            MAX_RECORD >> 20
                        );
                        out.warn_at(At::Line(self.start_line), what);
                    } else {
                        emit(&self.rec, self.n, self.start_line, out);
                    }
                    self.inside = false;
                    self.rec.clear();
                    rest = &rest[end + 6..];
                }
                None => {
                    if !self.overflow {
                        self.rec.push_str(rest);
                        self.rec.push('\n');
                        if self.rec.len() > MAX_RECORD {
                            self.overflow = true;
                            self.rec = String::new();
                        }
                    }
                    break;
                }
            }
        }
    }

    /// The end of the file: a record left open is kept with what it
    /// holds; a file without a record is an error.
    fn finish(mut self, out: &mut Sink) -> Result<()> {
        if self.inside {
            self.n += 1;
            let what = format!(
                "record {} has no closing </doc> (file cut short?), kept what there is",
                self.n
            );
            out.warn_at(At::Line(self.start_line), what);
            if !self.overflow {
                emit(&self.rec, self.n, self.start_line, out);
            }
        }
        if self.n == 0 {
            anyhow::bail!("no <doc> records found");
        }
        Ok(())
    }
}

/// Index of the next `<doc>` or `<doc …>` opening tag (not `<docno>`, `<docs>`).
fn find_open(s: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = find_ci(&s[from..], "<doc") {
        let at = from + i;
        match s[at + 4..].chars().next() {
            Some('>') | Some(' ') | Some('\t') => return Some(at),
            _ => from = at + 4,
        }
    }
    None
}

/// Case-insensitive ASCII find.
fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let n = needle.as_bytes();
    hay.as_bytes()
        .windows(n.len())
        .position(|w| w.eq_ignore_ascii_case(n))
}

/// Every child element of a record whose tag the alias table knows, in one
/// pass: `<tag>` or `<tag attr…>` up to its `</tag>` (or the record's end).
fn record_of(rec: &str) -> Record {
    let mut r = Record::new();
    let mut from = 0;
    while let Some(i) = rec[from..].find('<') {
        let start = from + i + 1;
        let name_len = rec[start..]
            .find(|c: char| c == '>' || c.is_whitespace() || c == '/' || c == '<')
            .unwrap_or(rec.len() - start);
        let name = &rec[start..start + name_len];
        from = start;
        if name.is_empty() {
            continue;
        }
        let Some((field, rank)) = fields::lookup(name) else {
            continue;
        };
        let Some(gt) = rec[start..].find('>') else {
            break;
        };
        let body_start = start + gt + 1;
        let close = format!("</{name}>");
        let end = find_ci(&rec[body_start..], &close)
            .map(|e| body_start + e)
            .unwrap_or(rec.len());
        r.offer_as(field, rank, name, &unescape(rec[body_start..end].trim()));
        from = end;
    }
    r
}

/// Decodes the few entities such dumps use.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(semi) = rest.find(';').filter(|&i| i <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..semi];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[semi + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn emit(rec: &str, n: usize, line: usize, out: &mut Sink) {
    out.line = Some(line);
    let record = record_of(rec);
    if n <= 3 {
        fields::merge_uses(&mut out.fields, record.uses(), 24);
    }
    let at = At::Line(line);
    let mut warnings = Vec::new();
    let art = record.into_article(&mut |w| warnings.push(w));
    for w in warnings {
        out.warn_at(at, w);
    }
    let Some(mut a) = art else {
        out.warn_at(at, format!("record {n} has no title or text, skipped"));
        return;
    };
    if a.date.is_none() {
        a.date = a.url.as_deref().and_then(dates::from_url);
    }
    // Ids stay the record's position (as in earlier indexes), whatever
    // `<docno>` says.
    a.id = out.record_id(n);
    out.emit(a);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::formats::testing::{read_as, ymd};

    read_as!("d.dat", |r, out| parse(r, out));

    #[test]
    fn sogou_records() {
        let (a, w) = read(
            "<docs>\r\n<doc>\r\n<url>http://news.example.com/20120612/n1.shtml</url>\r\n<docno>x1</docno>\r\n<contenttitle>江城早樱开放</contenttitle>\r\n<content>今年樱花比往年早开一周。</content>\r\n</doc>\r\n<doc>\r\n<url>u</url>\r\n<contenttitle>无正文</contenttitle>\r\n<content></content>\r\n</doc>\r\n</docs>\r\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "江城早樱开放");
        assert_eq!(a[0].body, "今年樱花比往年早开一周。");
        assert_eq!(a[0].id, "d.dat#1");
        assert_eq!(ymd(&a[0]).as_deref(), Some("2012-06-12"));
        assert_eq!(a[1].title, "无正文");
    }

    #[test]
    fn lcsts_records_and_one_line_records() {
        let (a, _) = read(
            "<doc id=0>\n    <human_label>5</human_label>\n    <summary>\n        湖面结冰\n    </summary>\n    <short_text>\n        寒潮过后湖面结冰，游客&amp;市民前来观赏。\n    </short_text>\n</doc>\n<doc id=1><summary>二</summary><short_text>第二条</short_text></doc>",
        );
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "湖面结冰");
        assert_eq!(a[0].body, "寒潮过后湖面结冰，游客&市民前来观赏。");
        assert_eq!(a[1].id, "d.dat#2");
    }

    #[test]
    fn unclosed_last_record_is_kept_with_a_warning() {
        let (a, w) =
            read("<doc><title>甲</title><text>一</text></doc>\n<doc><title>乙</title>\n<text>二");
        assert_eq!(a.len(), 2);
        assert_eq!(w.len(), 1);
        assert!(w[0].contains("no closing"), "{w:?}");
    }
}
