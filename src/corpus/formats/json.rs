//! JSON and JSON Lines articles, with fields recognised by common names.

use std::io::BufRead;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use crate::corpus::article::Article;
use crate::corpus::fields::{self, DateValue, Field, FieldUse, Record};
use crate::corpus::sink::{At, Sink};
use crate::corpus::stream::{read_line, Line, MAX_RECORD};

/// The text of a JSON value: strings trimmed, numbers as written, lists
/// joined with `sep`.
fn as_text(v: &Value, sep: &str) -> Option<String> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(|v| as_text(v, sep)).collect();
            (!parts.is_empty()).then(|| parts.join(sep))
        }
        _ => None,
    }
}

/// Gathers the fields of one JSON object through the alias table.
pub fn record_of(obj: &Map<String, Value>) -> Record {
    let mut rec = Record::new();
    for (k, v) in obj {
        let Some((field, rank)) = fields::lookup(k) else {
            continue;
        };
        match (field, v) {
            (_, Value::Null) => {}
            (Field::Date, Value::Number(n)) => match n.as_f64() {
                Some(f) => rec.offer_date(rank, k, DateValue::Number(f)),
                None => rec.offer_date(rank, k, DateValue::Text(n.to_string())),
            },
            (Field::Date, Value::String(s)) if s.trim().is_empty() => {}
            (Field::Date, Value::String(s)) => rec.offer_date(rank, k, DateValue::Text(s.clone())),
            (Field::Date, other) => rec.offer_date(rank, k, DateValue::Text(other.to_string())),
            (Field::Author, v) => {
                if let Some(t) = as_text(v, ", ") {
                    rec.offer_as(field, rank, k, &t);
                }
            }
            (_, v) => {
                if let Some(t) = as_text(v, "\n") {
                    rec.offer_as(field, rank, k, &t);
                }
            }
        }
    }
    rec
}

/// Builds an article from one JSON object. `fallback_id` is used when the
/// record has no id of its own; `at` is where the record is, for its
/// warnings.
pub fn article_from_object(
    obj: &Map<String, Value>,
    fallback_id: String,
    at: At,
    warnings: &mut Vec<(At, String)>,
    uses: Option<&mut Vec<FieldUse>>,
) -> Option<Article> {
    let rec = record_of(obj);
    if let Some(u) = uses {
        fields::merge_uses(u, rec.uses(), MAX_USES);
    }
    let Some(mut a) = rec.into_article(&mut |w| warnings.push((at, w))) else {
        warnings.push((at, "record has no title or text field, skipped".into()));
        return None;
    };
    if a.id.is_empty() {
        a.id = fallback_id;
    }
    Some(a)
}

/// How many (key, field) pairs `inspect` is shown per file.
const MAX_USES: usize = 24;

/// One object or an array of objects.
pub fn parse_json(text: &str, out: &mut Sink) -> Result<()> {
    let value: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            // A .json file that is really JSON Lines.
            if text.lines().filter(|l| !l.trim().is_empty()).count() > 1
                && text.trim_start().starts_with('{')
                && serde_json::from_str::<Value>(text.lines().next().unwrap_or("")).is_ok()
            {
                return parse_lines(&mut text.as_bytes(), out);
            }
            bail!(
                "invalid JSON at line {}, column {}: {e}",
                e.line(),
                e.column()
            );
        }
    };
    let mut warnings = Vec::new();
    match value {
        Value::Object(obj) => {
            let records = ["articles", "data", "items", "docs", "results"]
                .iter()
                .find_map(|k| obj.get(*k).and_then(Value::as_array));
            match records {
                Some(items) if !has_body(&obj) => emit_array(items, out, &mut warnings),
                _ => {
                    let id = out.file_id();
                    let uses = Some(&mut out.fields);
                    match article_from_object(&obj, id, At::File, &mut warnings, uses) {
                        Some(a) => out.emit(a),
                        None => bail!("no title or text field"),
                    }
                }
            }
        }
        Value::Array(items) => emit_array(&items, out, &mut warnings),
        _ => bail!("JSON is neither an object nor an array of objects"),
    }
    for (at, w) in warnings {
        out.warn_at(at, w);
    }
    Ok(())
}

/// Whether an object has a body field of its own (and so is an article,
/// not a wrapper around an `articles` list).
fn has_body(obj: &Map<String, Value>) -> bool {
    obj.iter()
        .any(|(k, v)| !v.is_null() && fields::lookup(k).is_some_and(|(f, _)| f == Field::Body))
}

fn emit_array(items: &[Value], out: &mut Sink, warnings: &mut Vec<(At, String)>) {
    for (i, item) in items.iter().enumerate() {
        let at = At::Element(i);
        match item {
            Value::Object(obj) => {
                let id = out.record_id(i + 1);
                if let Some(a) = article_from_object(obj, id, at, warnings, Some(&mut out.fields)) {
                    out.emit(a);
                }
            }
            _ => warnings.push((at, "not an object, skipped".into())),
        }
    }
}

/// JSON Lines, streamed: one object per line; bad lines are warnings (with
/// their line number), not errors, and a line longer than [`MAX_RECORD`] is
/// skipped without being held in memory.
pub fn parse_lines(r: &mut dyn BufRead, out: &mut Sink) -> Result<()> {
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut buf = Vec::new();
    let mut lineno = 0usize;
    let mut warnings = Vec::new();
    // The first problem, which says why when no line is good.
    let mut first: Option<(At, String)> = None;
    loop {
        lineno += 1;
        let at = At::Line(lineno);
        match read_line(r, &mut buf, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                bad += 1;
                warnings.push((at, format!("line of {len} bytes is too long, skipped")));
                flush(&mut warnings, &mut first, out);
                continue;
            }
            Line::Ok => {}
        }
        let line = String::from_utf8_lossy(&buf);
        let line = line.trim().trim_start_matches('\u{feff}');
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Value>(line) {
            Ok(Value::Object(obj)) => {
                let id = out.record_id(lineno);
                let uses = Some(&mut out.fields);
                if let Some(a) = article_from_object(&obj, id, at, &mut warnings, uses) {
                    good += 1;
                    out.line = Some(lineno);
                    out.emit(a);
                }
            }
            Ok(_) => {
                bad += 1;
                warnings.push((at, "not a JSON object, skipped".into()));
            }
            Err(e) => {
                bad += 1;
                warnings.push((at, format!("invalid JSON ({e}), skipped")));
            }
        }
        flush(&mut warnings, &mut first, out);
    }
    if good == 0 && bad > 0 {
        // The first problem says why (a line too long, invalid JSON).
        let why = match first {
            Some((At::Line(l), w)) => format!(" (line {l}: {w})"),
            _ => String::new(),
        };
        bail!("no valid JSON line{why}");
    }
    Ok(())
}

/// Hands a line's warnings to the sink, keeping the first of the file.
fn flush(warnings: &mut Vec<(At, String)>, first: &mut Option<(At, String)>, out: &mut Sink) {
    for (at, w) in warnings.drain(..) {
        if first.is_none() && out.warnings.is_empty() {
            *first = Some((at, w.clone()));
        }
        out.warn_at(at, w);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dates;

    fn collect(text: &str, lines: bool) -> (Vec<Article>, Vec<String>) {
        let mut arts = Vec::new();
        let mut sink = |a: Article| arts.push(a);
        let name = if lines { "f.jsonl" } else { "f.json" };
        let mut out = Sink::new(name, &mut sink, None);
        let r = if lines {
            parse_lines(&mut text.as_bytes(), &mut out)
        } else {
            parse_json(text, &mut out)
        };
        r.unwrap();
        let w = out.warnings.clone();
        drop(out);
        (arts, w)
    }

    #[test]
    fn beir_and_news_field_names() {
        let (a, _) = collect(
            r#"[{"_id":"p1","title":"标题","text":"正文"},{"headline":"头条","content":"内容","pub_date":"2023年7月13日","site":"新华社","link":"http://x"}]"#,
            false,
        );
        assert_eq!(a[0].id, "p1");
        assert_eq!(a[0].body, "正文");
        assert_eq!(a[1].id, "f.json#2");
        assert_eq!(a[1].title, "头条");
        assert_eq!(a[1].source.as_deref(), Some("新华社"));
        assert_eq!(a[1].url.as_deref(), Some("http://x"));
        assert_eq!(
            a[1].date.map(dates::format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }

    #[test]
    fn bad_lines_are_warnings_with_line_numbers() {
        let (a, w) = collect(
            "{\"id\":1,\"title\":\"一\"}\n{broken\n\n{\"title\":\"三\",\"date\":\"昨天\"}\n",
            true,
        );
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].id, "1");
        assert_eq!(a[1].id, "f.jsonl#4");
        assert_eq!(a[1].date, None);
        assert!(w[0].starts_with("f.jsonl:2: invalid JSON"), "{w:?}");
        assert!(w[1].contains("unparseable date"), "{w:?}");
    }

    #[test]
    fn numeric_timestamps() {
        let (a, _) = collect(r#"{"title":"t","body":"b","timestamp":1689206400}"#, false);
        assert_eq!(
            a[0].date.map(dates::format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }
}
