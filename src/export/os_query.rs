//! The OpenSearch `_search` body of a newsidx query (`export --to
//! opensearch --query`): the query syntax (`search/syntax.rs`) translated
//! over the exported fields. Every quoted phrase and every space-separated
//! piece of unquoted text must occur verbatim (a phrase of its bigram
//! terms, `terms::substring_terms`) in the clause's fields; OR groups are
//! `should` with one required; exclusions `must_not`; `source:` a filter on
//! `source_bg`; dates a range on `date`. Unquoted text also scores its
//! jieba query words on the word-view fields (BM25), and highlights come
//! from the original `title` and `body`.

use anyhow::{bail, Result};
use serde_json::{json, Value};

use super::terms::{engine_term, lone_char, substring_terms, View, END, SEP, START};
use crate::analysis::tokens::TokenBuf;
use crate::analysis::Segmenter;
use crate::search::syntax::{self, Atom, Clause, Scope};

/// What the body is for.
#[derive(Debug, Clone, Default)]
pub struct Request {
    /// The query, as for `search`.
    pub query: String,
    /// `--since`, Unix seconds.
    pub since: Option<i64>,
    /// `--until`, Unix seconds.
    pub until: Option<i64>,
    /// `--sort date`.
    pub by_date: bool,
    /// Hits.
    pub limit: usize,
    /// Hits skipped.
    pub offset: usize,
}

fn fields(scope: Scope) -> Result<&'static [&'static str]> {
    Ok(match scope {
        Scope::Any => &["title_bg", "body_bg"],
        Scope::Title => &["title_bg"],
        Scope::Body => &["body_bg"],
        Scope::Source => &["source_bg"],
        Scope::Person | Scope::Place | Scope::Org => {
            bail!("person:, place: and org: are not part of the OpenSearch export")
        }
    })
}

/// The query matching `text` verbatim in `field`, or `None` when it has no term.
pub fn substring(field: &str, text: &str) -> Option<Value> {
    if let Some(ch) = lone_char(text) {
        let (s, e) = (START, END);
        return Some(json!({"bool": {"should": [
            {"wildcard": {field: {"value": format!("{s}{ch}*")}}},
            {"wildcard": {field: {"value": format!("*{ch}{e}")}}}
        ], "minimum_should_match": 1}}));
    }
    let terms = substring_terms(text)?;
    let wild = |t: &str| t.starts_with('*') || t.ends_with('*');
    if let [t] = terms.as_slice() {
        return Some(json!({"term": {field: t}}));
    }
    if !terms.iter().any(|t| wild(t)) {
        let phrase: String = terms.join(&SEP.to_string());
        return Some(json!({"match_phrase": {field: {"query": phrase}}}));
    }
    let clauses: Vec<Value> = terms
        .iter()
        .map(|t| {
            if wild(t) {
                json!({"span_multi": {"match": {"wildcard": {field: {"value": t}}}}})
            } else {
                json!({"span_term": {field: t}})
            }
        })
        .collect();
    Some(json!({"span_near": {"clauses": clauses, "slop": 0, "in_order": true}}))
}

fn any_of(qs: Vec<Value>) -> Value {
    match <[Value; 1]>::try_from(qs) {
        Ok([q]) => q,
        Err(qs) => json!({"bool": {"should": qs, "minimum_should_match": 1}}),
    }
}

/// The query of one clause (its text verbatim in any of its fields).
fn clause(c: &Clause) -> Result<Value> {
    let fs = fields(c.scope)?;
    let texts: Vec<&str> = match &c.atom {
        Atom::Phrase(t) => vec![t.as_str()],
        Atom::Words(t) => t.split_whitespace().collect(),
    };
    let mut all = Vec::new();
    for text in texts {
        let alts: Vec<Value> = fs.iter().filter_map(|f| substring(f, text)).collect();
        if !alts.is_empty() {
            all.push(any_of(alts));
        }
    }
    Ok(match all.len() {
        1 => all.remove(0),
        _ => json!({"bool": {"must": all}}),
    })
}

/// The scoring part: the query words of the unquoted text on the word view.
fn scoring(seg: &Segmenter, parsed: &syntax::Parsed) -> Vec<Value> {
    let mut buf = TokenBuf::default();
    let mut out = Vec::new();
    for c in parsed.groups.iter().flatten() {
        if let (Atom::Words(t), false) = (&c.atom, c.scope.is_filter()) {
            buf.clear();
            seg.query_words(t, &mut buf);
            let words: Vec<String> = buf
                .as_slice()
                .iter()
                .map(|w| engine_term(&w.text, View::Words).into_owned())
                .collect();
            if !words.is_empty() {
                out.push(json!({"multi_match": {"query": words.join(" "),
                    "fields": ["title_words^2", "body_words"], "operator": "or"}}));
            }
        }
    }
    out
}

/// The `_search` body of `req`.
pub fn search_body(seg: &Segmenter, req: &Request) -> Result<Value> {
    let parsed = syntax::parse(&req.query).map_err(|e| anyhow::anyhow!("{}: {e}", req.query))?;
    let mut must = Vec::new();
    let mut filter = Vec::new();
    let mut highlight = Vec::new();
    for group in &parsed.groups {
        let qs = group.iter().map(clause).collect::<Result<Vec<_>>>()?;
        let q = any_of(qs);
        if group.iter().all(|c| c.scope.is_filter()) {
            filter.push(q);
        } else {
            must.push(q);
        }
        for c in group.iter().filter(|c| !c.scope.is_filter()) {
            let (Atom::Words(t) | Atom::Phrase(t)) = &c.atom;
            highlight.push(json!({"multi_match": {"query": t, "type": "phrase",
                "fields": ["title", "body"]}}));
        }
    }
    let must_not = parsed
        .excluded
        .iter()
        .map(clause)
        .collect::<Result<Vec<_>>>()?;
    if req.since.is_some() || req.until.is_some() {
        let mut range = serde_json::Map::new();
        for (k, v) in [("gte", req.since), ("lte", req.until)] {
            if let Some(v) = v {
                range.insert(k.into(), v.into());
            }
        }
        filter.push(json!({"range": {"date": range}}));
    }
    let sort = if req.by_date {
        json!([{"date": {"order": "desc", "missing": "_last"}}, "_score"])
    } else {
        json!(["_score", {"date": {"order": "desc", "missing": "_last"}}])
    };
    Ok(json!({
        "query": {"bool": {"must": must, "filter": filter, "must_not": must_not,
            "should": scoring(seg, &parsed)}},
        "sort": sort, "from": req.offset, "size": req.limit, "track_total_hits": true,
        "_source": {"excludes": ["*_words", "*_bg"]},
        "highlight": {"fields": {"title": {"number_of_fragments": 0}, "body": {}},
            "highlight_query": {"bool": {"should": highlight}}}
    }))
}
