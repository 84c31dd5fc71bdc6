//! The jieba word segmenter, loaded lazily and shared by every analyser,
//! and the cuts made with it: the index cut ([`Mode::Index`], jieba's
//! search mode), the query cut ([`Mode::Query`]) and the plain cut
//! ([`cut_all`]).
//!
//! Loading jieba's dictionary is the largest fixed cost of a process, so it
//! happens on first use only, once per process, with the index's own user
//! dictionary (if any) added on top.

use std::sync::{Arc, OnceLock};

use jieba_rs::Jieba;

use super::lexicon::Lexicon;
use super::normalize::Normalized;
use super::tokens::TokenBuf;
use crate::chars::is_word_char;

/// Frequency given to user-dictionary words that state none. jieba-rs gives
/// such words frequency 0, which means they are never chosen.
pub const DEFAULT_USER_FREQ: usize = 2000;

/// Largest frequency a user-dictionary word is given (more than jieba's
/// whole dictionary, 60 million, so any preference can be stated); larger
/// values are cut to it so that sums of frequencies cannot overflow.
pub const MAX_USER_FREQ: usize = 1_000_000_000;

/// A lazily loaded jieba instance plus an optional user dictionary, and
/// the index's query lexicon when it has one.
pub struct Segmenter {
    /// Tells this segmenter from any other of the process (what is
    /// remembered of its words is kept under it).
    id: u64,
    jieba: OnceLock<Jieba>,
    user_dict: Option<String>,
    lexicon: Option<Lexicon>,
}

/// The id of the next segmenter made.
static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::made(None, None)
    }
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("loaded", &self.jieba.get().is_some())
            .field("user_dict", &self.user_dict.is_some())
            .field("lexicon", &self.lexicon.as_ref().map(Lexicon::len))
            .finish()
    }
}

impl Segmenter {
    /// This segmenter's id, unique in the process.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// A segmenter of its own id, jieba not loaded yet.
    fn made(user_dict: Option<String>, lexicon: Option<Lexicon>) -> Segmenter {
        Segmenter {
            id: next_id(),
            jieba: OnceLock::new(),
            user_dict,
            lexicon,
        }
    }

    /// A segmenter with jieba's default dictionary.
    pub fn new() -> Arc<Segmenter> {
        Arc::new(Segmenter::default())
    }

    /// A segmenter with jieba's dictionary plus `user_dict` (jieba format:
    /// `word [freq] [tag]` per line).
    pub fn with_user_dict(user_dict: Option<String>) -> Arc<Segmenter> {
        Arc::new(Segmenter::made(user_dict, None))
    }

    /// Like [`Segmenter::with_user_dict`], segmenting queries with `lexicon`
    /// (see `lexicon.rs`) so that jieba's dictionary is never loaded to
    /// answer a query.
    pub fn with_lexicon(user_dict: Option<String>, lexicon: Option<Lexicon>) -> Arc<Segmenter> {
        Arc::new(Segmenter::made(user_dict, lexicon))
    }

    /// True when queries are cut with a query lexicon (the index had a
    /// sound one when this segmenter was made).
    pub fn has_lexicon(&self) -> bool {
        self.lexicon.is_some()
    }

    /// The user dictionary text, if any.
    pub fn user_dict(&self) -> Option<&str> {
        self.user_dict.as_deref()
    }

    /// The words of a query text (normalised, offsets into `text`), as
    /// jieba's default cut gives them.
    pub fn query_words(&self, text: &str, out: &mut TokenBuf) {
        let norm = Normalized::new(text);
        match &self.lexicon {
            Some(lex) => push_words(&norm, lex.cut(&norm.text), out),
            None => push_words(&norm, self.jieba().cut(&norm.text, true), out),
        }
    }

    /// True when `word` (normalised) is a word of the dictionary that
    /// queries are cut with: the query lexicon when there is one (the
    /// dictionary words the index holds), else jieba's dictionary and the
    /// user dictionary.
    pub fn in_dictionary(&self, word: &str) -> bool {
        match &self.lexicon {
            Some(lex) => lex.contains(word),
            None => self.jieba().has_word(word),
        }
    }

    /// The jieba instance, loading it on first use.
    pub fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| {
            let mut j = Jieba::new();
            if let Some(dict) = &self.user_dict {
                for (word, freq, tag) in parse_user_dict(dict) {
                    j.add_word(word, Some(freq), tag);
                }
            }
            j
        })
    }
}

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

/// True when a token is worth indexing: it holds a letter, digit or ideograph.
#[inline]
pub fn is_wordlike(s: &str) -> bool {
    s.chars().any(is_word_char)
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

/// Parses a jieba-format user dictionary: `word [freq] [tag]` per line.
/// Words without a frequency get [`DEFAULT_USER_FREQ`].
pub fn parse_user_dict(text: &str) -> Vec<(&str, usize, Option<&str>)> {
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut parts = line.split_whitespace();
        let Some(word) = parts.next() else { continue };
        let mut freq = DEFAULT_USER_FREQ;
        let mut tag = None;
        if let Some(p) = parts.next() {
            match p.parse::<usize>() {
                Ok(f) => {
                    freq = f.clamp(1, MAX_USER_FREQ);
                    tag = parts.next();
                }
                // Digits too many for a number: as large as allowed.
                Err(_) if p.bytes().all(|b| b.is_ascii_digit()) => {
                    freq = MAX_USER_FREQ;
                    tag = parts.next();
                }
                Err(_) => tag = Some(p),
            }
        }
        out.push((word, freq, tag));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_user_frequencies_are_capped() {
        let parsed = parse_user_dict(
            "赤霄蓝鲸 18446744073649449653\n江豚 0\n白鱀豚 99999999999999999999999 nz\n",
        );
        assert_eq!(parsed[0].1, MAX_USER_FREQ);
        assert_eq!(parsed[1].1, 1);
        assert_eq!((parsed[2].1, parsed[2].2), (MAX_USER_FREQ, Some("nz")));
    }

    #[test]
    fn user_dict_words_without_frequency_are_chosen() {
        let seg = Segmenter::with_user_dict(Some("巴布什金\n蓝字计划 nz\n".into()));
        let words: Vec<_> = seg
            .jieba()
            .cut("伊戈尔·巴布什金加入蓝字计划", false)
            .into_iter()
            .map(|t| t.word)
            .collect();
        assert!(words.contains(&"巴布什金"), "{words:?}");
        assert!(words.contains(&"蓝字计划"), "{words:?}");
    }

    #[test]
    fn parse_user_dict_forms() {
        let d = parse_user_dict("甲乙 5 n\n丙丁 nz\n戊己\n# c\n");
        assert_eq!(
            d,
            vec![
                ("甲乙", 5, Some("n")),
                ("丙丁", DEFAULT_USER_FREQ, Some("nz")),
                ("戊己", DEFAULT_USER_FREQ, None)
            ]
        );
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
}
