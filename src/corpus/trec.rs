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

use super::date;
use super::stream::{read_line, Line, MAX_RECORD};
use super::{Article, Out};

const TITLE: &[&str] = &["contenttitle", "title", "headline", "summary", "head"];
const BODY: &[&str] = &["content", "text", "short_text", "body", "maintext"];
const DATE: &[&str] = &["date", "pubdate", "time", "dateline"];

/// Reads every `<doc>` record of `r`.
pub fn parse(r: &mut dyn BufRead, out: &mut Out) -> Result<()> {
    let mut line = Vec::new();
    let mut rec = String::new();
    let mut inside = false;
    let mut overflow = false;
    let mut n = 0usize;
    let mut lineno = 0usize;
    let mut start_line = 0usize;
    loop {
        lineno += 1;
        match read_line(r, &mut line, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                out.warn(format!(
                    "{}:{lineno}: line of {len} bytes is too long, skipped",
                    out.display
                ));
                if inside {
                    overflow = true;
                }
                continue;
            }
            Line::Ok => {}
        }
        let text = String::from_utf8_lossy(&line);
        let mut rest: &str = &text;
        loop {
            if !inside {
                match find_open(rest) {
                    Some(i) => {
                        inside = true;
                        overflow = false;
                        start_line = lineno;
                        rec.clear();
                        rest = &rest[i..];
                    }
                    None => break,
                }
            }
            match find_ci(rest, "</doc>") {
                Some(end) => {
                    if !overflow {
                        rec.push_str(&rest[..end]);
                    }
                    n += 1;
                    if overflow {
                        out.warn(format!(
                            "{}:{start_line}: record {n} is larger than {} MB, skipped",
                            out.display,
                            MAX_RECORD >> 20
                        ));
                    } else {
                        emit(&rec, n, start_line, out);
                    }
                    inside = false;
                    rec.clear();
                    rest = &rest[end + 6..];
                }
                None => {
                    if !overflow {
                        rec.push_str(rest);
                        rec.push('\n');
                        if rec.len() > MAX_RECORD {
                            overflow = true;
                            rec = String::new();
                        }
                    }
                    break;
                }
            }
        }
    }
    if inside {
        n += 1;
        out.warn(format!(
            "{}:{start_line}: record {n} has no closing </doc> (file cut short?), kept what there is",
            out.display
        ));
        if !overflow {
            emit(&rec, n, start_line, out);
        }
    }
    if n == 0 {
        anyhow::bail!("{}: no <doc> records found", out.display);
    }
    Ok(())
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

/// The text of the first `<tag>…</tag>` (or `<tag attr>…</tag>`) among `names`.
fn tag(rec: &str, names: &[&str]) -> Option<String> {
    for name in names {
        let open = format!("<{name}");
        let mut from = 0;
        while let Some(i) = find_ci(&rec[from..], &open) {
            let at = from + i + open.len();
            let Some(c) = rec[at..].chars().next() else {
                break;
            };
            if c != '>' && c != ' ' {
                from = at;
                continue;
            }
            let Some(gt) = rec[at..].find('>') else { break };
            let body_start = at + gt + 1;
            let close = format!("</{name}>");
            let end = find_ci(&rec[body_start..], &close)
                .map(|e| body_start + e)
                .unwrap_or(rec.len());
            let v = unescape(rec[body_start..end].trim());
            if v.is_empty() {
                break;
            }
            return Some(v);
        }
    }
    None
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

fn emit(rec: &str, n: usize, line: usize, out: &mut Out) {
    let title = tag(rec, TITLE).unwrap_or_default();
    let body = tag(rec, BODY).unwrap_or_default();
    let url = tag(rec, &["url", "link"]);
    if title.is_empty() && body.is_empty() {
        out.warn(format!(
            "{}:{line}: record {n} has no title or text, skipped",
            out.display
        ));
        return;
    }
    let mut d = None;
    if let Some(s) = tag(rec, DATE) {
        d = date::parse_date(&s);
        if d.is_none() {
            out.warn(format!("{}:{line}: unparseable date {s:?}", out.display));
        }
    }
    if d.is_none() {
        d = url.as_deref().and_then(date::from_url);
    }
    out.emit(Article {
        id: format!("{}#{n}", out.display),
        title,
        body,
        date: d,
        source: tag(rec, &["source", "site"]),
        author: tag(rec, &["author", "byline"]),
        url,
        path: out.display.to_string(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> (Vec<Article>, Vec<String>) {
        crate::corpus::read_with("d.dat", text, |r, out| parse(r, out))
    }

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
        assert_eq!(
            a[0].date.map(date::format_ymd).as_deref(),
            Some("2012-06-12")
        );
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
