//! The tantivy document of an article: its fields, and the tokens of its
//! word view made while tagging it once (`analysis/tagged.rs`), handed to
//! the tokenizer (`analysis/handoff.rs`).

use tantivy::tokenizer::Token;
use tantivy::{DateTime, TantivyDocument};

use super::Fields;
use crate::analysis::fingerprint::simhash;
use crate::analysis::handoff::Handoff;
use crate::analysis::tagged::{self, Found, Kind};
use crate::analysis::Segmenter;
use crate::corpus::Article;

/// The tantivy document of an article, the word-view tokens made for
/// its title and body, and the bytes those tokens hold.
pub struct Made {
    /// The document.
    pub doc: TantivyDocument,
    /// Its title's and body's tokens.
    pub handoff: Handoff,
    /// Bytes the tokens and the words hold.
    pub token_bytes: usize,
}

/// Builds the tantivy document of an article. Title and body are tagged
/// once ([`tagged::tag`]): the word view gets the tokens made (so tantivy
/// does not segment them again, see `analysis/handoff.rs`), and the
/// people, places, organisations and countable words found are added.
///
/// Without `entities` (the index was not built with `--entities`) nothing
/// is tagged: the word view is segmented by tantivy's tokenizer as it
/// always was, and no names or countable words are stored, which keeps
/// indexing at its old cost.
pub fn to_doc(f: &Fields, seg: &Segmenter, a: &Article, key: &str, entities: bool) -> Made {
    let mut d = TantivyDocument::default();
    let mut found = Found::default();
    let (title, body) = if entities {
        (
            tagged::tag(seg, &a.title, &mut found),
            tagged::tag(seg, &a.body, &mut found),
        )
    } else {
        (Vec::new(), Vec::new())
    };
    let mut token_bytes = (title.len() + body.len()) * (std::mem::size_of::<Token>() + 16);
    d.add_text(f.id, &a.id);
    d.add_text(f.title, &a.title);
    d.add_text(f.body, &a.body);
    d.add_text(f.title_bg, &a.title);
    d.add_text(f.body_bg, &a.body);
    if let Some(t) = a.date {
        d.add_date(f.date, DateTime::from_timestamp_secs(t));
    }
    if let Some(s) = &a.source {
        d.add_text(f.source, s);
        d.add_text(f.source_key, s);
    }
    if let Some(s) = &a.author {
        d.add_text(f.author, s);
    }
    if let Some(s) = &a.url {
        d.add_text(f.url, s);
    }
    d.add_text(f.path, &a.path);
    d.add_text(f.file, key);
    d.add_u64(f.simhash, simhash(&a.body));
    for (field, kind) in [
        (f.person, Kind::Person),
        (f.place, Kind::Place),
        (f.org, Kind::Org),
    ] {
        for name in found.names(kind) {
            d.add_text(field, name);
        }
    }
    for w in &found.words {
        d.add_text(f.terms, w);
    }
    token_bytes += found.words.iter().map(|w| w.len() + 32).sum::<usize>();
    // Offered under the texts as the finished document holds them (adding
    // a value may move the ones before it).
    use tantivy::schema::Value;
    let mut handoff = Handoff::default();
    for (field, tokens) in [(f.title, title), (f.body, body)] {
        if !entities {
            break;
        }
        if let Some(text) = d.get_first(field).and_then(|v| v.as_str()) {
            handoff.offer(text, tokens);
        }
    }
    Made {
        doc: d,
        handoff,
        token_bytes,
    }
}
