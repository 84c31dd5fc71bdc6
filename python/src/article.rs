//! One article by id, whole: what the server's `/api/articles/{id}`
//! answers (src/serve/api.rs), read the same way.

use newsidx::corpus::date::format_ymd;
use newsidx::search::{passage, syntax, SearchOptions, Searcher};
use serde::Serialize;
use tantivy::schema::Value;

use crate::errors::{Failure, Kind, Outcome};

/// One article, whole, with the matches of a query highlighted (UTF-8
/// byte ranges, as everywhere in newsidx's output).
#[derive(Serialize)]
pub struct Article {
    id: String,
    title: String,
    title_highlights: Vec<[usize; 2]>,
    date: Option<String>,
    source: Option<String>,
    author: Option<String>,
    url: Option<String>,
    path: String,
    body: String,
    body_highlights: Vec<[usize; 2]>,
}

/// The article with this id (the first, if two records share one); with a
/// non-empty `q`, every match of the query highlighted.
pub fn find(searcher: &Searcher, id: &str, q: &str) -> Outcome<Article> {
    let f = searcher.store().fields;
    let s = searcher.reader().searcher();
    let term = tantivy::Term::from_field_text(f.id, id);
    let query = tantivy::query::TermQuery::new(term, tantivy::schema::IndexRecordOption::Basic);
    let top = s
        .search(
            &query,
            &tantivy::collector::TopDocs::with_limit(1).order_by_score(),
        )
        .map_err(anyhow::Error::from)?;
    let Some((_, addr)) = top.first() else {
        return Err(Failure::new(
            Kind::ArticleNotFound,
            format!("article {id:?}: no such id in the index"),
        ));
    };
    let doc: tantivy::TantivyDocument = s.doc(*addr).map_err(anyhow::Error::from)?;
    let text = |field| {
        doc.get_first(field)
            .and_then(|v| v.as_str())
            .map(str::to_string)
    };
    let title = text(f.title).unwrap_or_default();
    let body = text(f.body).unwrap_or_default();
    let highlights = if q.trim().is_empty() {
        Vec::new()
    } else {
        let parsed =
            syntax::parse(q).map_err(|e| Failure::new(Kind::Query, format!("query {q:?}: {e}")))?;
        searcher.plan(&parsed, &SearchOptions::default()).highlights
    };
    Ok(Article {
        id: text(f.id).unwrap_or_default(),
        title_highlights: passage::highlight(&title, &highlights),
        body_highlights: passage::highlight(&body, &highlights),
        title,
        date: doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .map(|d| format_ymd(d.into_timestamp_secs())),
        source: text(f.source),
        author: text(f.author),
        url: text(f.url),
        path: text(f.path).unwrap_or_default(),
        body,
    })
}
