//! Jieba word tokenizer for tantivy.
//!
//! Index mode uses jieba's *search* mode: a long word is indexed whole and as
//! the dictionary words inside it (中华人民共和国 → 中华, 人民, 共和国, …), so a
//! shorter query word still finds it. Query mode uses the default cut, so a
//! query word is looked up as one term. Tokens carry the ordinal position of
//! the token in the stream; the field is indexed without positions because
//! phrase and substring matching go to the bigram field (see `bigram.rs`).

use std::sync::Arc;

use tantivy::tokenizer::Tokenizer;

use super::bigram::is_cjk;
use super::normalize::Normalized;
use super::segmenter::Segmenter;
use super::tokens::{BufTokenStream, TokenBuf};

/// Longest token kept, in bytes (longer ones are noise such as base64 runs).
pub const MAX_TOKEN_BYTES: usize = 64;

/// Which jieba cut to use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Search mode: words plus the dictionary words inside them.
    Index,
    /// Default mode: one token per word.
    Query,
}

/// A tantivy tokenizer backed by jieba, over normalised text.
#[derive(Clone)]
pub struct ChineseTokenizer {
    seg: Arc<Segmenter>,
    mode: Mode,
    tokens: TokenBuf,
}

impl ChineseTokenizer {
    /// A tokenizer over `seg` in `mode`.
    pub fn new(seg: Arc<Segmenter>, mode: Mode) -> ChineseTokenizer {
        ChineseTokenizer {
            seg,
            mode,
            tokens: TokenBuf::default(),
        }
    }
}

/// True when a token is worth indexing: it holds a letter, digit or ideograph.
#[inline]
pub fn is_wordlike(s: &str) -> bool {
    s.chars().any(|c| is_cjk(c) || c.is_alphanumeric())
}

/// Segments `text` into words with offsets into `text` (normalised words).
pub fn segment(seg: &Segmenter, text: &str, mode: Mode, out: &mut TokenBuf) {
    match mode {
        Mode::Query => seg.query_words(text, out),
        Mode::Index => {
            let norm = Normalized::new(text);
            let words = seg.jieba().cut_for_search(&norm.text, true);
            push_words(&norm, words, out);
        }
    }
}

/// Appends the word-like jieba tokens `words` of `norm` to `out`, with
/// offsets mapped back to the original text.
pub fn push_words(norm: &Normalized<'_>, words: Vec<jieba_rs::Token<'_>>, out: &mut TokenBuf) {
    for w in words {
        if w.word.len() > MAX_TOKEN_BYTES || !is_wordlike(w.word) {
            continue;
        }
        out.push(
            norm.orig(w.byte_start),
            norm.orig_end(w.byte_end),
            w.word.trim(),
        );
    }
}

/// Jieba's default cut of the normalised `text`, keeping every token but
/// whitespace (punctuation included), offsets into `text`. This is the
/// plain segmentation, as compared with segmentation gold standards.
pub fn cut_all(seg: &Segmenter, text: &str) -> Vec<tantivy::tokenizer::Token> {
    let norm = Normalized::new(text);
    seg.jieba()
        .cut(&norm.text, true)
        .into_iter()
        .filter(|w| !w.word.trim().is_empty())
        .enumerate()
        .map(|(position, w)| tantivy::tokenizer::Token {
            offset_from: norm.orig(w.byte_start),
            offset_to: norm.orig_end(w.byte_end),
            position,
            text: w.word.to_string(),
            position_length: 1,
        })
        .collect()
}

impl Tokenizer for ChineseTokenizer {
    type TokenStream<'a> = BufTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufTokenStream<'a> {
        self.tokens.clear();
        segment(&self.seg, text, self.mode, &mut self.tokens);
        self.tokens.stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::tokenizer::{Token, TokenStream};

    fn tokens(mode: Mode, text: &str) -> Vec<Token> {
        let mut t = ChineseTokenizer::new(Segmenter::new(), mode);
        let mut s = t.token_stream(text);
        let mut out = Vec::new();
        while s.advance() {
            out.push(s.token().clone());
        }
        out
    }

    #[test]
    fn offsets_slice_to_token_text() {
        let text = "马斯克宣布成立ＡＩ公司xAI，巴布什金加入。";
        for mode in [Mode::Index, Mode::Query] {
            for t in tokens(mode, text) {
                let slice = &text[t.offset_from..t.offset_to];
                assert_eq!(
                    super::super::normalize::normalize(slice),
                    t.text,
                    "{mode:?} {t:?}"
                );
            }
        }
    }

    #[test]
    fn index_mode_adds_inner_words_query_mode_does_not() {
        let idx: Vec<_> = tokens(Mode::Index, "中华人民共和国")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert!(idx.contains(&"中华人民共和国".to_string()), "{idx:?}");
        assert!(idx.contains(&"人民".to_string()), "{idx:?}");
        let q: Vec<_> = tokens(Mode::Query, "中华人民共和国")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(q, vec!["中华人民共和国"]);
    }

    #[test]
    fn positions_are_ordinal_and_punctuation_is_dropped() {
        let t = tokens(Mode::Query, "长江，黄河。");
        let texts: Vec<_> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, vec!["长江", "黄河"]);
        assert_eq!(t[0].position, 0);
        assert_eq!(t[1].position, 1);
    }

    #[test]
    fn cut_all_keeps_punctuation_and_covers_the_text() {
        let text = "長江，黃河 流域。";
        let t = cut_all(&Segmenter::new(), text);
        let texts: Vec<_> = t.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["长江", "，", "黄河", "流域", "。"]);
        let joined: String = t
            .iter()
            .map(|t| &text[t.offset_from..t.offset_to])
            .collect();
        assert_eq!(joined, "長江，黃河流域。");
    }

    #[test]
    fn full_width_letters_are_folded() {
        let t = tokens(Mode::Query, "ＯｐｅｎＡＩ");
        assert_eq!(t[0].text, "openai");
        assert_eq!((t[0].offset_from, t[0].offset_to), (0, 18));
    }
}
