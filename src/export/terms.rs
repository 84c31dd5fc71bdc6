//! The terms an engine indexes: newsidx's own tokens of both views, each
//! written as one engine word, joined by U+200B.
//!
//! The tokens come from the analysis code `index` uses, never a copy: the
//! word view's are [`segment`] in index mode (what the `WORDS` tokenizer
//! gives tantivy), the bigram view's are [`bigrams`] (the `BIGRAMS`
//! tokenizer), both over the same width/case/Traditional-folded text.
//!
//! The engine splits a field at every character its `charset_table`
//! ([`CHARSET_TABLE`]) leaves out, and nowhere else. A token is written as
//! itself when every character of it is one the table keeps ([`is_plain`]:
//! a–z, 0–9, CJK ideographs, kana, Hangul); any other token (punctuation,
//! a white-space run, a word with `-` or `.`, Cyrillic, a U+200B already in
//! the source) is escaped to `_` + the hex code points each followed by `_`
//! (`-` → `_2d_`), and a term longer than [`MAX_TERM_BYTES`] (the engine
//! truncates longer words) becomes `__` + its 64-bit FNV-1a hash + `_`.
//! Raw tokens never hold `_`, so the three forms cannot collide, and no
//! U+200B ever reaches a field except as the separator.
//!
//! In the bigram field a plain token is also wrapped in two private-use
//! markers ([`START`] token [`END`]), so that a single character at an end
//! of a substring query (`.?c` and `c.?` in newsidx's regex phrase) is a
//! two-character infix (`*c` + END, START + `c*`) the engine expands with
//! `min_infix_len = 2`.

use std::borrow::Cow;

use crate::analysis::bigram::{bigrams, query_terms};
use crate::analysis::normalize::normalize;
use crate::analysis::segmenter::{segment, Mode, Segmenter};
use crate::analysis::tokens::TokenBuf;
use crate::chars::is_word_char;

/// What separates the terms of an exported field.
pub const SEP: char = '\u{200B}';
/// Before a plain token of the bigram field.
pub const START: char = '\u{E001}';
/// After a plain token of the bigram field.
pub const END: char = '\u{E000}';
/// Longest term written as such (Sphinx 2.2 cuts words at 42 bytes).
pub const MAX_TERM_BYTES: usize = 42;

/// The engine's `charset_table`: exactly the characters of [`is_plain`],
/// `_` and the two markers, each mapped to itself.
pub const CHARSET_TABLE: &str = "0..9, a..z, _, U+3040..U+30FF, U+3400..U+4DBF, \
U+4E00..U+9FFF, U+AC00..U+D7AF, U+F900..U+FAFF, U+20000..U+2FFFF, U+E000..U+E001";

/// Which view a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// jieba words (index mode).
    Words,
    /// Positioned bigrams and separators.
    Bigrams,
}

/// True for a character a token may hold and still be written as itself.
pub fn is_plain(c: char) -> bool {
    matches!(c as u32,
        0x30..=0x39 | 0x61..=0x7A
        | 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF
        | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// The engine term of one newsidx `token` of `view`.
pub fn engine_term(token: &str, view: View) -> Cow<'_, str> {
    let plain = !token.is_empty() && token.chars().all(is_plain);
    let t: Cow<'_, str> = match (plain, view) {
        (true, View::Words) => Cow::Borrowed(token),
        (true, View::Bigrams) => Cow::Owned(format!("{START}{token}{END}")),
        (false, _) => Cow::Owned(escape(token)),
    };
    if t.len() <= MAX_TERM_BYTES {
        t
    } else {
        Cow::Owned(format!("__{:016x}_", crate::fnv::hash(token.as_bytes())))
    }
}

fn escape(token: &str) -> String {
    let mut out = String::from("_");
    for c in token.chars() {
        out.push_str(&format!("{:x}_", c as u32));
    }
    out
}

/// The token an engine term stands for; `None` for a hashed term or a
/// piece that no token gives.
pub fn decode(term: &str) -> Option<String> {
    if let Some(inner) = term.strip_prefix(START).and_then(|t| t.strip_suffix(END)) {
        return Some(inner.to_string());
    }
    if term.starts_with("__") {
        return None;
    }
    match term.strip_prefix('_') {
        Some(hex) => hex
            .strip_suffix('_')?
            .split('_')
            .map(|h| u32::from_str_radix(h, 16).ok().and_then(char::from_u32))
            .collect(),
        None => Some(term.to_string()),
    }
}

/// Appends the terms of `tokens` to `out`, separated by [`SEP`].
fn join(tokens: &TokenBuf, view: View, out: &mut String) {
    for (i, t) in tokens.as_slice().iter().enumerate() {
        if i > 0 {
            out.push(SEP);
        }
        out.push_str(&engine_term(&t.text, view));
    }
}

/// The word-view tokens of `text` (as the index gets them) and their field.
pub fn words_field(seg: &Segmenter, text: &str, buf: &mut TokenBuf) -> String {
    buf.clear();
    segment(seg, text, Mode::Index, buf);
    let mut out = String::with_capacity(text.len() * 2);
    join(buf, View::Words, &mut out);
    out
}

/// The bigram-view tokens of `text` and their field.
pub fn bigram_field(text: &str, buf: &mut TokenBuf) -> String {
    buf.clear();
    bigrams(text, buf);
    let mut out = String::with_capacity(text.len() * 4);
    join(buf, View::Bigrams, &mut out);
    out
}

/// True for one word character (a unigram of the bigram view).
fn single_char(t: &str) -> bool {
    let mut it = t.chars();
    matches!((it.next(), it.next()), (Some(c), None) if is_word_char(c))
}

/// The engine query (Sphinx extended syntax, also the terms of an
/// OpenSearch span query) that matches a field of the bigram view holding
/// `text` verbatim, as newsidx's substring query does: its bigram terms as
/// a phrase, a single character at an end as the wildcard of every bigram
/// it ends or starts. `None` when `text` has no term.
pub fn substring_terms(text: &str) -> Option<Vec<String>> {
    let terms = query_terms(&normalize(text));
    let n = terms.len();
    if n == 0 {
        return None;
    }
    let out = terms
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let plain = t.chars().all(is_plain);
            match (single_char(t) && plain, i) {
                (true, 0) if n > 1 => format!("*{t}{END}"),
                (true, i) if i == n - 1 && n > 1 => format!("{START}{t}*"),
                _ => engine_term(t, View::Bigrams).into_owned(),
            }
        })
        .collect();
    Some(out)
}

/// The character when `text` is one word character alone (matched as the
/// bigrams it starts or ends, or itself).
pub fn lone_char(text: &str) -> Option<char> {
    match query_terms(&normalize(text)).as_slice() {
        [t] if single_char(t) && t.chars().all(is_plain) => t.chars().next(),
        _ => None,
    }
}

/// The Sphinx query of [`substring_terms`]: a quoted phrase, or for one
/// single character the bigrams it starts or ends.
pub fn sphinx_substring(text: &str) -> Option<String> {
    if let Some(c) = lone_char(text) {
        return Some(format!("({START}{c}* | *{c}{END})"));
    }
    substring_terms(text).map(|t| format!("\"{}\"", t.join(" ")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_round_trip() {
        for t in ["长江", "ai", "-", " ", "v1.2_beta", "\u{200B}", "а"] {
            for v in [View::Words, View::Bigrams] {
                assert_eq!(decode(&engine_term(t, v)).as_deref(), Some(t), "{t}");
            }
        }
        assert_eq!(engine_term("-", View::Words), "_2d_");
        let long = "中".repeat(15);
        assert!(engine_term(&long, View::Words).starts_with("__"));
    }

    #[test]
    fn substring_edges_are_wildcards() {
        assert_eq!(
            sphinx_substring("长江").as_deref(),
            Some("\"\u{E001}长江\u{E000}\"")
        );
        assert_eq!(
            sphinx_substring("江，黄").as_deref(),
            Some("\"*江\u{E000} _ff0c_ \u{E001}黄*\"")
        );
    }
}
