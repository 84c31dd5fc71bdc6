//! CSV, and TSV with a header row: one article per row, columns mapped to
//! fields by the header through the alias table ([`crate::corpus::fields`]:
//! `title`/`标题`, `content`/`正文`/`内容`, `date`/`发布时间`, `source`/`来源`,
//! `url`/`链接`, `author`/`作者`, …).
//!
//! Parsing is the `csv` crate's (RFC 4180: quoted fields may hold the
//! delimiter, doubled quotes and line breaks). TSV is read without quoting,
//! as tab-separated dumps write quotes as plain characters. The stream is
//! already decoded to UTF-8 (a GBK CSV from a spreadsheet is decoded
//! upstream), and read row by row: a row larger than [`MAX_RECORD`] (an
//! unclosed quote that would swallow the rest of the file) stops the file
//! with a warning instead of filling memory.
//!
//! A ragged row is read, with one warning naming its line: a row with more
//! fields than the header had unquoted delimiters inside its text, so the
//! extra fields are joined back into the body column; a row with fewer has
//! its missing fields empty. A CSV whose first row names no title or text
//! column is read like headerless TSV (label, title, text…).

use std::io::BufRead;

use anyhow::{bail, Result};

use super::headerless;
use crate::corpus::fields::{self, Field, FieldUse, Record};
use crate::corpus::guard::{self, Guard, Mark};
use crate::corpus::sink::{At, Sink};
use crate::corpus::stream::MAX_RECORD;

/// How each column is read.
struct Columns {
    names: Vec<String>,
    roles: Vec<Option<(Field, usize)>>,
    body: Option<usize>,
}

impl Columns {
    fn new(names: Vec<String>) -> Self {
        let roles: Vec<_> = names.iter().map(|n| fields::lookup(n)).collect();
        let first = |f: Field| {
            roles
                .iter()
                .enumerate()
                .filter_map(|(i, r)| r.filter(|r| r.0 == f).map(|r| (r.1, i)))
                .min()
                .map(|(_, i)| i)
        };
        let body = first(Field::Body).or(first(Field::Summary));
        Columns { names, roles, body }
    }

    fn has_text(&self) -> bool {
        self.roles
            .iter()
            .flatten()
            .any(|(f, _)| matches!(f, Field::Title | Field::Body | Field::Summary))
    }

    /// What `inspect` shows: each column and the field it fills.
    fn uses(&self) -> Vec<FieldUse> {
        let has = |f: Field| self.roles.iter().flatten().any(|r| r.0 == f);
        let mut best: Vec<Option<(usize, usize)>> = vec![None; 8];
        for (i, r) in self.roles.iter().enumerate() {
            if let Some((f, rank)) = r {
                let b = &mut best[*f as usize];
                if b.is_none_or(|(br, _)| *rank < br) {
                    *b = Some((*rank, i));
                }
            }
        }
        self.names
            .iter()
            .zip(&self.roles)
            .enumerate()
            .map(|(i, (n, r))| {
                let to = match r {
                    Some((f, _)) if best[*f as usize].map(|b| b.1) != Some(i) => "-",
                    Some((Field::Summary, _)) if !has(Field::Title) => "title",
                    Some((Field::Summary, _)) if !has(Field::Body) => "body",
                    Some((Field::Summary, _)) => "-",
                    Some((f, _)) => f.name(),
                    None => "-",
                };
                FieldUse {
                    from: n.trim().trim_start_matches('\u{feff}').to_string(),
                    to,
                }
            })
            .collect()
    }
}

/// Reads a CSV (`delim` `,`) or TSV (`\t`) whose first row is its header.
pub fn parse(r: &mut dyn BufRead, delim: u8, out: &mut Sink) -> Result<()> {
    parse_with(r, delim, None, out)
}

/// Like [`parse`], where the header (on line 1) has already been read.
pub fn parse_after_header(
    r: &mut dyn BufRead,
    delim: u8,
    header: Vec<String>,
    out: &mut Sink,
) -> Result<()> {
    parse_with(r, delim, Some(header), out)
}

fn parse_with(
    r: &mut dyn BufRead,
    delim: u8,
    header: Option<Vec<String>>,
    out: &mut Sink,
) -> Result<()> {
    let mark = Mark::default();
    let guard = Guard::new(r, mark.clone());
    let mut rdr = csv::ReaderBuilder::new()
        .delimiter(delim)
        .has_headers(false)
        .flexible(true)
        .quoting(delim != b'\t')
        .from_reader(guard);
    let line_offset = u64::from(header.is_some());
    let mut cols = header.map(Columns::new);
    let mut headerless = false;
    let mut rec = csv::ByteRecord::new();
    let (mut rows, mut good) = (0usize, 0usize);
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = rdr.position().line() + line_offset;
                let why = read_error(&e);
                out.warn_at(
                    At::Line(line as usize),
                    format!("{why}; reading stopped, kept the {good} rows before it"),
                );
                break;
            }
        }
        mark.record_ended_at(rdr.position().byte());
        let line = rec.position().map_or(0, |p| p.line()) + line_offset;
        let values: Vec<String> = rec
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();
        let Some(c) = &cols else {
            let c = Columns::new(values);
            if !c.has_text() && c.names.len() >= 2 && delim != b'\t' {
                out.warn(
                    "the first row names no title or text column; columns read as label, title, text",
                );
                headerless = true;
                let values = c.names.clone();
                cols = Some(c);
                rows += 1;
                good += usize::from(emit_plain(&values, line, out));
            } else {
                fields::merge_uses(&mut out.fields, c.uses(), 64);
                cols = Some(c);
            }
            continue;
        };
        if values.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        rows += 1;
        if headerless {
            good += usize::from(emit_plain(&values, line, out));
            continue;
        }
        good += usize::from(emit_row(values, c, delim, line, out));
    }
    if good == 0 {
        if rows == 0 && cols.is_some() {
            bail!("a header and no rows");
        }
        bail!("no usable row");
    }
    Ok(())
}

/// Why a row could not be read.
fn read_error(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Io(io) if guard::is_too_large(io) => format!(
            "row larger than {} MB (an unclosed quote?)",
            MAX_RECORD >> 20
        ),
        _ => e.to_string(),
    }
}

/// The article of the row on `line`, its fields by the header's columns
/// (a ragged row made to fit first); false, with a warning, when it has no
/// text.
fn emit_row(values: Vec<String>, c: &Columns, delim: u8, line: u64, out: &mut Sink) -> bool {
    let values = fit(values, c, delim, line, out);
    let mut record = Record::new();
    for ((name, role), v) in c.names.iter().zip(&c.roles).zip(&values) {
        if let Some((field, rank)) = role {
            record.offer_as(*field, *rank, name, v);
        }
    }
    let mut warnings = Vec::new();
    let good = match record.into_article(&mut |w| warnings.push(w)) {
        Some(mut a) => {
            if a.title.is_empty() && !a.body.is_empty() {
                let (t, b) = headerless::split_title(&a.body);
                a.title = t;
                a.body = b;
            }
            if a.id.is_empty() {
                a.id = out.record_id(line as usize);
            }
            out.emit(a);
            true
        }
        None => {
            warnings.push("no text in this row, skipped".to_string());
            false
        }
    };
    for w in warnings {
        out.warn_at(At::Line(line as usize), w);
    }
    good
}

/// A ragged row made to fit the header (with one warning naming its line).
fn fit(mut values: Vec<String>, c: &Columns, delim: u8, line: u64, out: &mut Sink) -> Vec<String> {
    let (n, h) = (values.len(), c.names.len());
    let at = At::Line(line as usize);
    if n > h {
        if let Some(b) = c.body {
            let extra = n - h;
            let joined = values[b..=b + extra].join(&char::from(delim).to_string());
            values.splice(b..=b + extra, [joined]);
            out.warn_at(at, format!(
                "row has {n} fields and the header {h}; the extra ones were taken as part of the {} column",
                c.names[b].trim()
            ));
        } else {
            out.warn_at(
                at,
                format!(
                    "row has {n} fields and the header {h}; the last {} not read",
                    n - h
                ),
            );
        }
    } else if n < h {
        out.warn_at(
            at,
            format!("row has {n} fields and the header {h}; the missing ones are empty"),
        );
    }
    values
}

/// A row of a headerless CSV, read as label, title, text… (as headerless TSV).
fn emit_plain(values: &[String], line: u64, out: &mut Sink) -> bool {
    let cols: Vec<&str> = values.iter().map(String::as_str).collect();
    match headerless::from_plain(&cols) {
        Some(mut a) => {
            a.id = out.record_id(line as usize);
            out.emit(a);
            true
        }
        None => {
            out.warn_at(At::Line(line as usize), "no text in this row, skipped");
            false
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::formats::testing::{read_as, ymd};
    use crate::corpus::Article;

    read_as!("t.csv", |r, out| parse(r, b',', out));

    #[test]
    fn quoted_commas_quotes_and_line_breaks() {
        let (a, w) = read(
            "标题,正文,发布时间,来源\n\"港口,扩建\",\"第一段，有\"\"引号\"\"。\n第二段\",2024-05-01 08:30:00,新华社\n",
        );
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "港口,扩建");
        assert_eq!(a[0].body, "第一段，有\"引号\"。\n第二段");
        assert_eq!(a[0].source.as_deref(), Some("新华社"));
        assert_eq!(ymd(&a[0]).as_deref(), Some("2024-05-01"));
        assert_eq!(a[0].id, "t.csv#2");
    }

    #[test]
    fn ragged_rows_are_read_with_a_warning() {
        let (a, w) = read(
            "title,content,date\n甲,一段,未加引号的逗号,2024-01-02\n乙,二段\n丙,三段,2024-01-03\n",
        );
        assert_eq!(a.len(), 3, "{w:?}");
        assert_eq!(a[0].body, "一段,未加引号的逗号");
        assert_eq!(ymd(&a[0]).as_deref(), Some("2024-01-02"));
        assert_eq!(a[1].date, None);
        assert_eq!(w.len(), 2, "{w:?}");
        assert!(w[0].starts_with("t.csv:2: row has 4 fields"), "{w:?}");
        assert!(w[1].starts_with("t.csv:3: row has 2 fields"), "{w:?}");
    }

    #[test]
    fn an_unclosed_quote_costs_the_rest_with_one_warning() {
        let (a, w) = read("title,content\n甲,一\n乙,\"二\n丙,三\n");
        assert_eq!(a.len(), 2);
        assert!(a[1].body.contains("丙,三"), "{:?}", a[1]);
        assert!(w.is_empty(), "{w:?}");
    }

    #[test]
    fn header_names_the_fields() {
        let mut arts = Vec::new();
        let mut sink = |a: Article| arts.push(a);
        let mut out = Sink::new("t.csv", &mut sink, None);
        parse(
            &mut "ID,Title,摘要,阅读量,正文\n7,t,s,5,b\n".as_bytes(),
            b',',
            &mut out,
        )
        .unwrap();
        let got: Vec<(String, &str)> = out.fields.iter().map(|u| (u.from.clone(), u.to)).collect();
        assert_eq!(
            got,
            [
                ("ID".to_string(), "id"),
                ("Title".to_string(), "title"),
                ("摘要".to_string(), "-"),
                ("阅读量".to_string(), "-"),
                ("正文".to_string(), "body"),
            ]
        );
        drop(out);
        assert_eq!(arts[0].id, "7");
    }

    #[test]
    fn headerless_csv_reads_like_headerless_tsv() {
        let (a, w) =
            read("体育,湖人夺冠,本报讯 昨晚比赛结束。\n财经,股市回暖,新华社电 今日股市上涨。\n");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "湖人夺冠");
        assert_eq!(w.len(), 1, "{w:?}");
    }
}
