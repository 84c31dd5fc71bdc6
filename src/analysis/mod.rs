//! Text analysis: normalisation, jieba words and CJK bigrams.
//!
//! Two analysed views of every text field are indexed:
//! - [`WORDS`]: jieba words (search mode) — ranks articles where the query is
//!   a real word above those where it only straddles a word boundary;
//! - [`BIGRAMS`]: overlapping CJK bigrams with positions — exact substring
//!   matching, so no segmentation mismatch ever hides an article.
//!
//! [`register`] installs both under fixed names every time an index is opened.

pub mod bigram;
pub mod fingerprint;
pub mod handoff;
pub mod lexicon;
pub mod normalize;
pub mod query;
pub mod segmenter;
pub mod stopwords;
pub mod synonyms;
pub mod tagged;
pub mod tokens;
pub mod variants;
pub mod words;

use std::sync::Arc;

use tantivy::tokenizer::TextAnalyzer;
use tantivy::Index;

pub use segmenter::Segmenter;

/// Tokenizer name of the jieba word view (index side).
pub const WORDS: &str = "newsidx_words";
/// Tokenizer name of the bigram view.
pub const BIGRAMS: &str = "newsidx_bigrams";

/// Registers the analysers on `index`, sharing `seg`.
pub fn register(index: &Index, seg: Arc<Segmenter>) {
    let mgr = index.tokenizers();
    mgr.register(
        WORDS,
        TextAnalyzer::from(words::WordTokenizer::new(seg, segmenter::Mode::Index)),
    );
    mgr.register(
        BIGRAMS,
        TextAnalyzer::from(bigram::BigramTokenizer::default()),
    );
}
