//! One article by id, whole, with the matches of a query highlighted:
//! what the server's `/api/articles/{id}` and the Python package's
//! `Index.article` answer, read through the library's front door.

use anyhow::Result;
use serde::Serialize;

use super::first_stage::Stored;
use super::{passage, Searcher};

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
        let first = self.first_stage();
        let Some(doc) = first.find(id)? else {
            return Ok(None);
        };
        let Stored {
            id,
            title,
            body,
            date,
            source,
            author,
            url,
            path,
        } = first.stored(doc)?;
        Ok(Some(Article {
            id,
            title_highlights: passage::highlight(&title, highlights),
            body_highlights: passage::highlight(&body, highlights),
            title,
            date,
            source,
            author,
            url,
            path,
            body,
        }))
    }
}
