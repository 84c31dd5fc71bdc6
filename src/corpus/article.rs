//! The article: what every reader produces and the index stores.

use serde::Serialize;

/// One news article, as read from a dump.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Article {
    /// The record's own id, or one derived from the path and position.
    pub id: String,
    /// Headline.
    pub title: String,
    /// Main text.
    pub body: String,
    /// Publication time, Unix seconds (UTC).
    pub date: Option<i64>,
    /// Publishing site or outlet.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Original address.
    pub url: Option<String>,
    /// The file it came from, as walked.
    pub path: String,
}
