//! Concordance (keyword in context): every occurrence of a query's texts
//! in every article the query matches as written, each with its context.
//!
//! The articles are those [`super::facets::count_plan`] counts (and
//! `search` counts in `total_hits`): the plan's query requiring every
//! unit, never relaxed. They are enumerated segment by segment in document
//! order, each stored document loaded (through a store reader that keeps
//! one block), its lines handed on and the document dropped, so a caller
//! that writes lines as they come holds one article at a time, however
//! many occurrences there are.
//!
//! The occurrences are the highlights of the search page
//! ([`passage::find_matches`] over the plan's highlight texts): found on
//! the normalised text (width, case, Traditional folded), reported as the
//! text stands in the article. A line's context is taken from the same
//! field as its match (the title's never runs into the body), `width`
//! characters each side at most, with line breaks and tabs as spaces.

use std::cmp::Ordering;

use anyhow::Result;
use serde::Serialize;
use tantivy::query::EnableScoring;
use tantivy::schema::Value;
use tantivy::{DocSet, TantivyDocument, TERMINATED};

use crate::dates::format_ymd;

use super::docs::text_of;
use super::{passage, Plan, Searcher};

/// One occurrence: the article it is in, and its context.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    /// Article id.
    pub id: String,
    /// `YYYY-MM-DD`, or null.
    pub date: Option<String>,
    /// Source, or null.
    pub source: Option<String>,
    /// Up to `width` characters before the match, in the same field.
    pub left: String,
    /// The match as it stands in the article.
    #[serde(rename = "match")]
    pub matched: String,
    /// Up to `width` characters after the match, in the same field.
    pub right: String,
}

/// How lines are ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// As found: article by article (index order), in each the title's
    /// occurrences and then the body's, left to right. Streams.
    #[default]
    Found,
    /// By the left context read backwards from the match (the character
    /// nearest the match first), as concordancers sort "1L".
    Left,
    /// By the right context, from the match on.
    Right,
    /// Newest article first, undated last.
    Date,
}

/// What one enumeration went through.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Lines handed on.
    pub occurrences: u64,
    /// Articles with at least one of those lines.
    pub articles: u64,
    /// True when the callback asked to stop before the end.
    pub stopped: bool,
}

/// Replaces line breaks and tabs with spaces.
fn flat(s: &str) -> String {
    s.chars()
        .map(|c| {
            if matches!(c, '\n' | '\r' | '\t') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// The `width` characters of `text` before byte `at`.
fn before(text: &str, at: usize, width: usize) -> &str {
    let head = &text[..at];
    let start = head
        .char_indices()
        .rev()
        .take(width)
        .last()
        .map_or(at, |(i, _)| i);
    &head[start..]
}

/// The `width` characters of `text` from byte `at` on.
fn after(text: &str, at: usize, width: usize) -> &str {
    let tail = &text[at..];
    let end = tail
        .char_indices()
        .nth(width)
        .map_or(tail.len(), |(i, _)| i);
    &tail[..end]
}

/// The occurrences of `terms` in one field's `text`, as `(left, match,
/// right)` with `width` characters of context each side.
pub fn contexts(text: &str, terms: &[String], width: usize) -> Vec<(String, String, String)> {
    passage::find_matches(text, terms)
        .into_iter()
        .filter(|&(s, e, _)| s < e && text.is_char_boundary(s) && text.is_char_boundary(e))
        .map(|(s, e, _)| {
            (
                flat(before(text, s, width)),
                flat(&text[s..e]),
                flat(after(text, e, width)),
            )
        })
        .collect()
}

/// Calls `emit` with every line of every article `plan` matches as
/// written, in the order found, `width` characters of context each side;
/// stops when `emit` answers false.
pub fn for_each_line(
    searcher: &Searcher,
    plan: &Plan,
    width: usize,
    mut emit: impl FnMut(Line) -> Result<bool>,
) -> Result<Tally> {
    let s = searcher.reader().searcher();
    let f = searcher.store().fields;
    let query = plan.query(plan.unit_count());
    let weight = query.weight(EnableScoring::disabled_from_searcher(&s))?;
    let mut tally = Tally::default();
    for segment in s.segment_readers() {
        let alive = segment.alive_bitset();
        // A store reader of its own, keeping the one block being read: the
        // searcher's shared cache (which a long enumeration would fill to
        // its bound, and whose blocks the server's searches reuse) is left
        // alone. Matching documents come in order, so blocks are read once.
        let store = segment.get_store_reader(1)?;
        let mut scorer = weight.scorer(segment, 1.0)?;
        let mut doc = scorer.doc();
        while doc != TERMINATED {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                let d: TantivyDocument = store.get(doc)?;
                let date = d
                    .get_first(f.date)
                    .and_then(|v| v.as_datetime())
                    .map(|t| format_ymd(t.into_timestamp_secs()));
                let (id, source) = (text_of(&d, f.id).unwrap_or_default(), text_of(&d, f.source));
                let mut found = false;
                for field in [f.title, f.body] {
                    let text = text_of(&d, field).unwrap_or_default();
                    for (left, matched, right) in contexts(&text, &plan.highlights, width) {
                        if !found {
                            found = true;
                            tally.articles += 1;
                        }
                        tally.occurrences += 1;
                        let line = Line {
                            id: id.clone(),
                            date: date.clone(),
                            source: source.clone(),
                            left,
                            matched,
                            right,
                        };
                        if !emit(line)? {
                            tally.stopped = true;
                            return Ok(tally);
                        }
                    }
                }
            }
            doc = scorer.advance();
        }
    }
    Ok(tally)
}

/// Every line, in `order`: collected, then sorted (stably, so lines that
/// compare equal stay in the order found). Memory grows with the number
/// of lines. Fails when there are more than `max` lines.
pub fn sorted_lines(
    searcher: &Searcher,
    plan: &Plan,
    width: usize,
    order: Order,
    max: usize,
) -> Result<(Vec<Line>, Tally)> {
    let mut lines = Vec::new();
    let tally = for_each_line(searcher, plan, width, |l| {
        if lines.len() >= max {
            anyhow::bail!("more than {max} occurrences to sort: narrow the query or do not sort");
        }
        lines.push(l);
        Ok(true)
    })?;
    sort(&mut lines, order);
    Ok((lines, tally))
}

/// Sorts `lines` in `order` (stable; [`Order::Found`] leaves them).
pub fn sort(lines: &mut [Line], order: Order) {
    match order {
        Order::Found => {}
        Order::Left => lines.sort_by(by_left),
        Order::Right => lines.sort_by(|a, b| {
            a.right
                .cmp(&b.right)
                .then_with(|| a.matched.cmp(&b.matched))
        }),
        // `Some` after `None`, reversed: newest first, undated last.
        Order::Date => lines.sort_by(|a, b| b.date.cmp(&a.date)),
    }
}

fn by_left(a: &Line, b: &Line) -> Ordering {
    a.left
        .chars()
        .rev()
        .cmp(b.left.chars().rev())
        .then_with(|| a.matched.cmp(&b.matched))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn contexts_stop_at_the_field_and_flatten_breaks() {
        let text = "马斯克宣布\n成立\t新公司，马斯克";
        let got = contexts(text, &terms(&["马斯克"]), 4);
        assert_eq!(
            got,
            vec![
                ("".into(), "马斯克".into(), "宣布 成".into()),
                ("新公司，".into(), "马斯克".into(), "".into()),
            ]
        );
    }

    #[test]
    fn folded_matches_keep_the_original_text() {
        let got = contexts("特斯拉執行長馬斯克訪問臺灣。", &terms(&["马斯克"]), 3);
        assert_eq!(
            got,
            vec![("執行長".into(), "馬斯克".into(), "訪問臺".into())]
        );
    }

    fn line(left: &str, right: &str, date: Option<&str>) -> Line {
        Line {
            id: "a".into(),
            date: date.map(str::to_string),
            source: None,
            left: left.into(),
            matched: "x".into(),
            right: right.into(),
        }
    }

    #[test]
    fn sorts_by_reversed_left_by_right_and_by_date() {
        let mut v = vec![
            line("ba", "z", Some("2023-01-01")),
            line("ab", "y", None),
            line("ca", "x", Some("2024-01-01")),
        ];
        sort(&mut v, Order::Left);
        let lefts: Vec<&str> = v.iter().map(|l| l.left.as_str()).collect();
        assert_eq!(lefts, ["ba", "ca", "ab"]);
        sort(&mut v, Order::Right);
        let rights: Vec<&str> = v.iter().map(|l| l.right.as_str()).collect();
        assert_eq!(rights, ["x", "y", "z"]);
        sort(&mut v, Order::Date);
        let dates: Vec<Option<&str>> = v.iter().map(|l| l.date.as_deref()).collect();
        assert_eq!(dates, [Some("2024-01-01"), Some("2023-01-01"), None]);
    }
}
