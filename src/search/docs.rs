//! What the stages of a search share: a ranked candidate, the stored text
//! of a document, the document frequency of a term.

use tantivy::schema::{Field, Value};
use tantivy::{DocAddress, TantivyDocument};

/// A ranked candidate: its score (absent when sorted by date) and address.
#[derive(Debug, Clone, Copy)]
pub struct Scored {
    /// Relevance score (absent when sorted by date).
    pub score: Option<f32>,
    /// Where the document is.
    pub addr: DocAddress,
}

/// Number of articles whose `field` has the term `text` (0 on a read error).
pub fn doc_freq(searcher: &tantivy::Searcher, field: Field, text: &str) -> u64 {
    searcher
        .doc_freq(&tantivy::Term::from_field_text(field, text))
        .unwrap_or(0)
}

/// The text of the first value of `f` in `doc`, if any.
pub fn text_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}
