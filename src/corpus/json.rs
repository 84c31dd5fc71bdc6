//! JSON and JSON Lines articles, with fields recognised by common names.

use std::io::BufRead;

use anyhow::{bail, Result};
use serde_json::{Map, Value};

use super::date;
use super::stream::{read_line, Line, MAX_RECORD};
use super::{Article, Out};

const TITLE: &[&str] = &["title", "headline", "contenttitle", "name"];
const BODY: &[&str] = &["body", "content", "text", "article", "maintext", "summary"];
const DATE: &[&str] = &[
    "date",
    "time",
    "published",
    "pub_date",
    "pubdate",
    "publish_time",
    "published_at",
    "datetime",
    "timestamp",
];
const SOURCE: &[&str] = &["source", "site", "media", "publisher", "outlet"];
const URL: &[&str] = &["url", "link", "href"];
const AUTHOR: &[&str] = &["author", "authors", "byline", "writer"];
const ID: &[&str] = &["id", "_id", "docno", "doc_id", "uuid"];

fn field<'a>(obj: &'a Map<String, Value>, names: &[&str]) -> Option<&'a Value> {
    for n in names {
        if let Some(v) = obj.get(*n) {
            if !v.is_null() {
                return Some(v);
            }
        }
    }
    // Case-insensitive fallback (Title, PubDate, …).
    obj.iter()
        .find(|(k, v)| !v.is_null() && names.iter().any(|n| k.eq_ignore_ascii_case(n)))
        .map(|(_, v)| v)
}

fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => {
            let s = s.trim();
            (!s.is_empty()).then(|| s.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Array(items) => {
            let parts: Vec<String> = items.iter().filter_map(as_text).collect();
            (!parts.is_empty()).then(|| parts.join("\n"))
        }
        _ => None,
    }
}

/// Builds an article from one JSON object. `fallback_id` is used when the
/// record has no id of its own; `where_` names the record in warnings.
pub fn article_from_object(
    obj: &Map<String, Value>,
    fallback_id: String,
    path: &str,
    where_: &str,
    warnings: &mut Vec<String>,
) -> Option<Article> {
    let title = field(obj, TITLE).and_then(as_text).unwrap_or_default();
    let body = field(obj, BODY).and_then(as_text).unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        warnings.push(format!(
            "{where_}: record has no title or text field, skipped"
        ));
        return None;
    }
    let date = match field(obj, DATE) {
        None => None,
        Some(Value::Number(n)) => {
            let d = n.as_f64().and_then(date::from_timestamp);
            if d.is_none() {
                warnings.push(format!("{where_}: unparseable date {n}"));
            }
            d
        }
        Some(Value::String(s)) => {
            let d = date::parse_date(s);
            if d.is_none() && !s.trim().is_empty() {
                warnings.push(format!("{where_}: unparseable date {s:?}"));
            }
            d
        }
        Some(other) => {
            warnings.push(format!("{where_}: unparseable date {other}"));
            None
        }
    };
    Some(Article {
        id: field(obj, ID).and_then(as_text).unwrap_or(fallback_id),
        title,
        body,
        date,
        source: field(obj, SOURCE).and_then(as_text),
        author: field(obj, AUTHOR).and_then(as_text),
        url: field(obj, URL).and_then(as_text),
        path: path.to_string(),
    })
}

/// One object or an array of objects.
pub fn parse_json(text: &str, out: &mut Out) -> Result<()> {
    let display = out.display;
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
                "{display}: invalid JSON at line {}, column {}: {e}",
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
                Some(items) if field(&obj, BODY).is_none() => emit_array(items, out, &mut warnings),
                _ => {
                    let a = article_from_object(
                        &obj,
                        display.to_string(),
                        display,
                        display,
                        &mut warnings,
                    );
                    match a {
                        Some(a) => out.emit(a),
                        None => bail!("{display}: no title or text field"),
                    }
                }
            }
        }
        Value::Array(items) => emit_array(&items, out, &mut warnings),
        _ => bail!("{display}: JSON is neither an object nor an array of objects"),
    }
    for w in warnings {
        out.warn(w);
    }
    Ok(())
}

fn emit_array(items: &[Value], out: &mut Out, warnings: &mut Vec<String>) {
    let display = out.display;
    for (i, item) in items.iter().enumerate() {
        let where_ = format!("{display}[{i}]");
        match item {
            Value::Object(obj) => {
                if let Some(a) = article_from_object(
                    obj,
                    format!("{display}#{}", i + 1),
                    display,
                    &where_,
                    warnings,
                ) {
                    out.emit(a);
                }
            }
            _ => warnings.push(format!("{where_}: not an object, skipped")),
        }
    }
}

/// JSON Lines, streamed: one object per line; bad lines are warnings (with
/// their line number), not errors, and a line longer than [`MAX_RECORD`] is
/// skipped without being held in memory.
pub fn parse_lines(r: &mut dyn BufRead, out: &mut Out) -> Result<()> {
    let display = out.display;
    let mut good = 0usize;
    let mut bad = 0usize;
    let mut buf = Vec::new();
    let mut lineno = 0usize;
    let mut warnings = Vec::new();
    loop {
        lineno += 1;
        let where_ = format!("{display}:{lineno}");
        match read_line(r, &mut buf, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                bad += 1;
                out.warn(format!(
                    "{where_}: line of {len} bytes is too long, skipped"
                ));
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
                if let Some(a) = article_from_object(
                    &obj,
                    format!("{display}#{lineno}"),
                    display,
                    &where_,
                    &mut warnings,
                ) {
                    good += 1;
                    out.emit(a);
                }
            }
            Ok(_) => {
                bad += 1;
                warnings.push(format!("{where_}: not a JSON object, skipped"));
            }
            Err(e) => {
                bad += 1;
                warnings.push(format!("{where_}: invalid JSON ({e}), skipped"));
            }
        }
        for w in warnings.drain(..) {
            out.warn(w);
        }
    }
    if good == 0 && bad > 0 {
        bail!("{display}: no valid JSON line");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, lines: bool) -> (Vec<Article>, Vec<String>) {
        let mut arts = Vec::new();
        let mut sink = |a: Article| arts.push(a);
        let name = if lines { "f.jsonl" } else { "f.json" };
        let mut out = Out::new(name, &mut sink, None);
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
            a[1].date.map(date::format_ymd).as_deref(),
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
            a[0].date.map(date::format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }
}
