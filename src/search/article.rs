//! One article by id, whole, with the matches of a query highlighted:
//! what the server's `/api/articles/{id}` and the Python package's
//! `Index.article` answer, read through the library's front door.

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::TantivyDocument;

use super::docs::text_of;
use super::{passage, Searcher};
use crate::dates::format_ymd;

/// One article, whole; highlights are UTF-8 byte ranges, as everywhere in
/// newsidx's output.
#[derive(Debug, Clone, Serialize)]
pub struct Article {
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Matches in the title.
    pub title_highlights: Vec<[usize; 2]>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Original address.
    pub url: Option<String>,
    /// File it was read from.
    pub path: String,
    /// The whole body text.
    pub body: String,
    /// Matches in the body.
    pub body_highlights: Vec<[usize; 2]>,
}

impl Searcher {
    /// The article with this id (the first, if two records share one),
    /// `highlights` (a plan's, see [`super::Plan::highlights`]) marked in
    /// its title and body; `None` when no article has the id.
    pub fn article(&self, id: &str, highlights: &[String]) -> Result<Option<Article>> {
        let f = self.store().fields;
        let s = self.reader().searcher();
        let term = tantivy::Term::from_field_text(f.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = s.search(&query, &TopDocs::with_limit(1).order_by_score())?;
        let Some((_, addr)) = top.first() else {
            return Ok(None);
        };
        let doc: TantivyDocument = s.doc(*addr)?;
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        Ok(Some(Article {
            id: text_of(&doc, f.id).unwrap_or_default(),
            title_highlights: passage::highlight(&title, highlights),
            body_highlights: passage::highlight(&body, highlights),
            title,
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| format_ymd(d.into_timestamp_secs())),
            source: text_of(&doc, f.source),
            author: text_of(&doc, f.author),
            url: text_of(&doc, f.url),
            path: text_of(&doc, f.path).unwrap_or_default(),
            body,
        }))
    }
}
