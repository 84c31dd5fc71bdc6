//! Overlapping character bigrams, for exact substring matching.
//!
//! Every run of letters, digits and CJK characters becomes its overlapping
//! bigrams (自由贸易区 → 自由 由贸 贸易 易区; 2016年 → 20 01 16 6年), and a run
//! of one character becomes that character. Every other character (a
//! punctuation mark, a symbol, an emoji) is a token of its own, and a run
//! of white space is one token `" "`. Positions are consecutive, so a
//! phrase query over a query's tokens matches exactly the documents that
//! contain the query as a substring (after normalisation, with any run of
//! white space standing for any other): neither jieba's segmentation nor a
//! word boundary inside a number or a Latin word can hide an article from
//! this field, and no separator is skipped or invented (22.20 does not
//! contain 220, 2220 does not contain 22.20). Whole-word matching of Latin
//! words and numbers is the word view's job, and ranks first.

use tantivy::tokenizer::Tokenizer;

use super::normalize::Normalized;
use super::tokens::{BufTokenStream, TokenBuf};
use crate::chars::is_word_char;

/// The bigram tokenizer (stateless apart from its token buffer).
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    tokens: TokenBuf,
}

/// The token that stands for a run of white space.
pub const SPACE: &str = " ";

/// True for a token of letters, digits or CJK characters (not a separator).
pub fn is_word_token(t: &str) -> bool {
    t.chars().next().is_some_and(is_word_char)
}

/// Tokenises `text` into overlapping bigrams (single characters for runs
/// of one) and separators, offsets into `text`.
pub fn bigrams(text: &str, out: &mut TokenBuf) {
    let norm = Normalized::new(text);
    let t: &str = &norm.text;
    // Byte offset of the previous character of the current word run.
    let mut prev: Option<usize> = None;
    // Whether the current word run has emitted a bigram yet.
    let mut paired = false;
    // Start of the current run of white space.
    let mut space: Option<usize> = None;
    for (i, c) in t.char_indices() {
        let end = i + c.len_utf8();
        if is_word_char(c) {
            if let Some(s) = space.take() {
                out.push(norm.orig(s), norm.orig_end(i), SPACE);
            }
            if let Some(p) = prev {
                out.push(norm.orig(p), norm.orig_end(end), &t[p..end]);
                paired = true;
            }
            prev = Some(i);
            continue;
        }
        if let (Some(p), false) = (prev, paired) {
            out.push(norm.orig(p), norm.orig_end(i), &t[p..i]);
        }
        prev = None;
        paired = false;
        if c.is_whitespace() {
            space.get_or_insert(i);
        } else {
            if let Some(s) = space.take() {
                out.push(norm.orig(s), norm.orig_end(i), SPACE);
            }
            out.push(norm.orig(i), norm.orig_end(end), &t[i..end]);
        }
    }
    if let (Some(p), false) = (prev, paired) {
        out.push(norm.orig(p), norm.orig_end(t.len()), &t[p..]);
    }
    if let Some(s) = space {
        out.push(norm.orig(s), norm.orig_end(t.len()), SPACE);
    }
}

/// The terms of an already normalised query string, in order.
pub fn query_terms(normalized: &str) -> Vec<String> {
    let mut out = TokenBuf::default();
    bigrams(normalized, &mut out);
    out.texts()
}

impl Tokenizer for BigramTokenizer {
    type TokenStream<'a> = BufTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> BufTokenStream<'a> {
        self.tokens.clear();
        bigrams(text, &mut self.tokens);
        self.tokens.stream()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<String> {
        let mut out = TokenBuf::default();
        bigrams(s, &mut out);
        for t in out.as_slice().iter().filter(|t| t.text != SPACE) {
            assert_eq!(
                super::super::normalize::normalize(&s[t.offset_from..t.offset_to]),
                t.text
            );
        }
        out.texts()
    }

    #[test]
    fn cjk_runs_become_overlapping_bigrams() {
        assert_eq!(texts("自由贸易区"), ["自由", "由贸", "贸易", "易区"]);
    }

    #[test]
    fn single_characters_and_words() {
        assert_eq!(
            texts("中，ＡＩ大模型GPT-4发布iPhone15"),
            [
                "中", "，", "ai", "i大", "大模", "模型", "型g", "gp", "pt", "-", "4发", "发布",
                "布i", "ip", "ph", "ho", "on", "ne", "e1", "15"
            ]
        );
        assert_eq!(texts("2016年"), ["20", "01", "16", "6年"]);
    }

    #[test]
    fn separators_are_tokens_and_white_space_runs_one() {
        assert_eq!(texts("长江。黄河"), ["长江", "。", "黄河"]);
        assert_eq!(texts("22.20"), ["22", ".", "20"]);
        assert_eq!(
            texts(" 长江 \n\t黄河😀 "),
            [" ", "长江", " ", "黄河", "😀", " "]
        );
        let mut out = TokenBuf::default();
        bigrams("长江。黄河", &mut out);
        let pos: Vec<_> = out.as_slice().iter().map(|t| t.position).collect();
        assert_eq!(pos, [0, 1, 2]);
    }
}
