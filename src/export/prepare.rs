//! An article made ready for an engine: its shard, its engine id and the
//! terms of both views of its title, body and source (`terms.rs`),
//! prepared a batch at a time over the cores; the dictionary words among
//! the tokens are kept for the query lexicon (`lexicon.rs`).

use std::collections::HashSet;

use crate::analysis::tokens::TokenBuf;
use crate::analysis::Segmenter;
use crate::chars::is_cjk;
use crate::corpus::Article;

use super::terms::{bigram_field, words_field};

/// One article with its engine fields.
#[derive(Debug, Clone)]
pub struct Prepared {
    /// The local shard it goes to.
    pub shard: usize,
    /// The engine's document id.
    pub doc_id: u64,
    /// The article.
    pub article: Article,
    /// Title, word view.
    pub title_words: String,
    /// Body, word view.
    pub body_words: String,
    /// Title, bigram view.
    pub title_bg: String,
    /// Body, bigram view.
    pub body_bg: String,
    /// Source, bigram view (for `source:`).
    pub source_bg: String,
}

/// The candidate lexicon words of the tokens in `buf`: those of jieba's
/// dictionary, and the first character of a two-character term (as
/// `Store::write_lexicon` takes them from the index's terms).
fn keep_words(seg: &Segmenter, buf: &TokenBuf, words: &mut HashSet<String>) {
    let jieba = seg.jieba();
    let mut consider = |w: &str| {
        if !words.contains(w) && jieba.has_word(w) {
            words.insert(w.to_string());
        }
    };
    for t in buf.as_slice() {
        let w = t.text.as_str();
        if !w.chars().any(is_cjk) {
            continue;
        }
        consider(w);
        let mut chars = w.char_indices();
        if let (Some(_), Some((i, _)), None) = (chars.next(), chars.next(), chars.next()) {
            consider(&w[..i]);
        }
    }
}

/// Prepares one article (`shard`, `doc_id` already chosen).
fn prepare_one(
    seg: &Segmenter,
    (shard, doc_id, article): (usize, u64, Article),
    buf: &mut TokenBuf,
    words: &mut HashSet<String>,
) -> Prepared {
    let title_words = words_field(seg, &article.title, buf);
    keep_words(seg, buf, words);
    let body_words = words_field(seg, &article.body, buf);
    keep_words(seg, buf, words);
    let title_bg = bigram_field(&article.title, buf);
    keep_words(seg, buf, words);
    let body_bg = bigram_field(&article.body, buf);
    keep_words(seg, buf, words);
    let source_bg = bigram_field(article.source.as_deref().unwrap_or(""), buf);
    Prepared {
        shard,
        doc_id,
        article,
        title_words,
        body_words,
        title_bg,
        body_bg,
        source_bg,
    }
}

/// Prepares a batch over `threads` threads, in order; adds the lexicon
/// candidates to `words`.
pub fn prepare_batch(
    seg: &Segmenter,
    batch: Vec<(usize, u64, Article)>,
    threads: usize,
    words: &mut HashSet<String>,
) -> anyhow::Result<Vec<Prepared>> {
    let chunk = batch.len().div_ceil(threads.max(1)).max(1);
    let mut parts: Vec<Vec<(usize, u64, Article)>> = Vec::new();
    let mut it = batch.into_iter().peekable();
    while it.peek().is_some() {
        parts.push(it.by_ref().take(chunk).collect());
    }
    let done: Vec<std::thread::Result<(Vec<Prepared>, HashSet<String>)>> =
        std::thread::scope(|s| {
            let handles: Vec<_> = parts
                .into_iter()
                .map(|part| {
                    s.spawn(move || {
                        let mut buf = TokenBuf::default();
                        let mut found = HashSet::new();
                        let out: Vec<Prepared> = part
                            .into_iter()
                            .map(|a| prepare_one(seg, a, &mut buf, &mut found))
                            .collect();
                        (out, found)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join()).collect()
        });
    let mut out = Vec::new();
    for part in done {
        let (p, found) = part.map_err(|_| anyhow::anyhow!("preparing articles failed"))?;
        out.extend(p);
        words.extend(found);
    }
    Ok(out)
}
