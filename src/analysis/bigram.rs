//! Overlapping CJK character bigrams, for exact substring matching.
//!
//! Every run of CJK characters becomes its overlapping bigrams (自由贸易区 →
//! 自由 由贸 贸易 易区), a run of one character becomes that character, and
//! runs of other letters, and of digits, become one token each (iphone15 →
//! iphone 15). Positions are
//! consecutive, so a phrase query over a query's bigrams matches exactly the
//! documents that contain the query as a substring (after normalisation):
//! jieba's segmentation can never hide an article from this field.

use tantivy::tokenizer::Tokenizer;

use super::chinese::MAX_TOKEN_BYTES;
use super::normalize::Normalized;
use super::tokens::{BufTokenStream, TokenBuf};

/// True for characters that are written without spaces between words.
#[inline]
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF     // kana
        | 0x3400..=0x4DBF   // CJK extension A
        | 0x4E00..=0x9FFF   // CJK unified ideographs
        | 0xAC00..=0xD7AF   // Hangul syllables
        | 0xF900..=0xFAFF   // compatibility ideographs
        | 0x20000..=0x3FFFF // extensions B..
    )
}

/// The bigram tokenizer (stateless apart from its token buffer).
#[derive(Clone, Default)]
pub struct BigramTokenizer {
    tokens: TokenBuf,
}

/// Tokenises `text` into bigrams and words, offsets into `text`.
pub fn bigrams(text: &str, out: &mut TokenBuf) {
    let norm = Normalized::new(text);
    let t: &str = &norm.text;
    // (byte offset, char) of the current CJK run
    let mut run: Vec<(usize, char)> = Vec::new();
    let mut word_start: Option<usize> = None;
    let mut push = |out: &mut TokenBuf, from: usize, to: usize| {
        out.push(norm.orig(from), norm.orig_end(to), &t[from..to]);
    };
    let flush_run = |run: &mut Vec<(usize, char)>,
                     out: &mut TokenBuf,
                     push: &mut dyn FnMut(&mut TokenBuf, usize, usize)| {
        match run.len() {
            0 => {}
            1 => push(out, run[0].0, run[0].0 + run[0].1.len_utf8()),
            _ => {
                for w in run.windows(2) {
                    push(out, w[0].0, w[1].0 + w[1].1.len_utf8());
                }
            }
        }
        run.clear();
    };
    for (i, c) in t.char_indices() {
        if is_cjk(c) {
            if let Some(s) = word_start.take() {
                if i - s <= MAX_TOKEN_BYTES {
                    push(out, s, i);
                }
            }
            run.push((i, c));
        } else if c.is_alphanumeric() {
            flush_run(&mut run, out, &mut push);
            match word_start {
                None => word_start = Some(i),
                // Letters and digits part: iphone15 → iphone 15.
                Some(s)
                    if i > s
                        && t[..i]
                            .chars()
                            .next_back()
                            .is_some_and(|p| p.is_numeric() != c.is_numeric()) =>
                {
                    if i - s <= MAX_TOKEN_BYTES {
                        push(out, s, i);
                    }
                    word_start = Some(i);
                }
                Some(_) => {}
            }
        } else {
            flush_run(&mut run, out, &mut push);
            if let Some(s) = word_start.take() {
                if i - s <= MAX_TOKEN_BYTES {
                    push(out, s, i);
                }
            }
        }
    }
    flush_run(&mut run, out, &mut push);
    if let Some(s) = word_start.take() {
        if t.len() - s <= MAX_TOKEN_BYTES {
            push(out, s, t.len());
        }
    }
}

/// The bigram terms of an already normalised query string, in order.
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
        for t in out.as_slice() {
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
            ["中", "ai", "大模", "模型", "gpt", "4", "发布", "iphone", "15"]
        );
    }

    #[test]
    fn positions_are_consecutive() {
        let mut out = TokenBuf::default();
        bigrams("长江。黄河", &mut out);
        let pos: Vec<_> = out.as_slice().iter().map(|t| t.position).collect();
        assert_eq!(pos, [0, 1]);
    }
}
