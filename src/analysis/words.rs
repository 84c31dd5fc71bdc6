//! The word tokenizer of the [`WORDS`](super::WORDS) view: jieba words
//! over normalised text, for tantivy.
//!
//! Index mode uses jieba's *search* mode: a long word is indexed whole and as
//! the dictionary words inside it (中华人民共和国 → 中华, 人民, 共和国, …), so a
//! shorter query word still finds it. Query mode uses the default cut, so a
//! query word is looked up as one term. Tokens carry the ordinal position of
//! the token in the stream; the field is indexed without positions because
//! phrase and substring matching go to the bigram field (see `bigram.rs`).
//! The index writer makes an article's tokens itself, tagging it once
//! (`tagged.rs`), and hands them over (`handoff.rs`).

use std::sync::Arc;

use tantivy::tokenizer::Tokenizer;

use super::handoff;
use super::segmenter::{segment, Mode, Segmenter};
use super::tokens::{BufTokenStream, TokenBuf};

/// A tantivy tokenizer backed by jieba, over normalised text.
#[derive(Clone)]
pub struct WordTokenizer {
    seg: Arc<Segmenter>,
    mode: Mode,
    tokens: TokenBuf,
}

impl WordTokenizer {
    /// A tokenizer over `seg` in `mode`.
    pub fn new(seg: Arc<Segmenter>, mode: Mode) -> WordTokenizer {
        WordTokenizer {
            seg,
            mode,
            tokens: TokenBuf::default(),
        }
    }
}

impl Tokenizer for WordTokenizer {
    type TokenStream<'a> = BufTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufTokenStream<'a> {
        self.tokens.clear();
        match (self.mode == Mode::Index)
            .then(|| handoff::take(text))
            .flatten()
        {
            Some(made) => made.write_to(text, &mut self.tokens),
            None => segment(&self.seg, text, self.mode, &mut self.tokens),
        }
        self.tokens.stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::tokenizer::{Token, TokenStream};

    fn tokens(mode: Mode, text: &str) -> Vec<Token> {
        let mut t = WordTokenizer::new(Segmenter::new(), mode);
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
    fn full_width_letters_are_folded() {
        let t = tokens(Mode::Query, "ＯｐｅｎＡＩ");
        assert_eq!(t[0].text, "openai");
        assert_eq!((t[0].offset_from, t[0].offset_to), (0, 18));
    }
}
