//! The tantivy document of an article: its fields, and the tokens of its
//! word view made while tagging it once (`analysis/tagged.rs`), handed to
//! the tokenizer (`analysis/handoff.rs`).

use std::borrow::Cow;

use tantivy::schema::Value;
use tantivy::{DateTime, TantivyDocument};

use super::vocab::{Known, Vocab};
use super::Fields;
use crate::analysis::fingerprint::simhash;
use crate::analysis::handoff::Handoff;
use crate::analysis::normalize::Normalized;
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
/// Without a `vocab` (the index was not built with `--entities`) nothing
/// is tagged: the word view is segmented by tantivy's tokenizer as it
/// always was, and no names or countable words are stored, which keeps
/// indexing at its old cost.
pub fn to_doc(f: &Fields, seg: &Segmenter, a: &Article, key: &str, vocab: Option<&Vocab>) -> Made {
    let mut d = TantivyDocument::default();
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
    let Some(vocab) = vocab else {
        return Made {
            doc: d,
            handoff: Handoff::default(),
            token_bytes: 0,
        };
    };
    let (title, body) = (Normalized::new(&a.title), Normalized::new(&a.body));
    let (mut title_spans, mut body_spans, words_bytes) = {
        let mut found = Found::default();
        let t = tagged::tag(seg, &title, &mut found);
        let b = tagged::tag(seg, &body, &mut found);
        found.finish();
        add_found(f, seg, [&title, &body], &mut found, vocab, &mut d);
        let bytes: usize = found.words.iter().map(|w| w.1.len() + 32).sum();
        (t, b, bytes)
    };
    // The ranges point into the normalised texts: kept beside them when
    // normalising changed a text.
    if let Cow::Owned(n) = title.text {
        title_spans.set_normalized(n);
    }
    if let Cow::Owned(n) = body.text {
        body_spans.set_normalized(n);
    }
    let token_bytes = title_spans.bytes() + body_spans.bytes() + words_bytes;
    // Offered under the texts as the finished document holds them (adding
    // a value may move the ones before it).
    let mut handoff = Handoff::default();
    for (field, spans) in [(f.title, title_spans), (f.body, body_spans)] {
        if let Some(text) = d.get_first(field).and_then(|v| v.as_str()) {
            handoff.offer(text, spans);
        }
    }
    Made {
        doc: d,
        handoff,
        token_bytes,
    }
}

/// Adds the numbers of the countable words found (`vocab`) and the
/// names (those among the countable words by what the vocabulary knows
/// of their tags, asking [`tagged::kind_of`] for a word it does not know
/// yet) to the document.
fn add_found<'a>(
    f: &Fields,
    seg: &Segmenter,
    texts: [&Normalized<'_>; 2],
    found: &mut Found<'a>,
    vocab: &Vocab,
    d: &mut TantivyDocument,
) {
    let mut ids = Vec::with_capacity(found.words.len());
    let mut known = Vec::with_capacity(found.words.len());
    vocab.number(&found.words, &mut ids, &mut known);
    let mut learnt = Vec::new();
    for (i, k) in known.into_iter().enumerate() {
        let (h, word): (u64, &'a str) = found.words[i];
        let kind = match k {
            Known::Kind(kind) => kind,
            Known::Unknown => {
                let kind = tagged::kind_of(seg, &texts, word);
                learnt.push((h, word, kind));
                kind
            }
        };
        if let Some(kind) = kind {
            found.add_name(kind, word);
        }
    }
    if !learnt.is_empty() {
        vocab.set_kinds(learnt);
    }
    found.finish_names();
    for (field, kind) in [
        (f.person, Kind::Person),
        (f.place, Kind::Place),
        (f.org, Kind::Org),
    ] {
        for name in found.names(kind) {
            d.add_text(field, name);
        }
    }
    for id in ids {
        d.add_u64(f.terms, id);
    }
}
