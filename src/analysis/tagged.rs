//! One jieba pass over an article's text at index time, tagged: the
//! tokens of the [`WORDS`](super::WORDS) view, the words `terms` counts,
//! and the people, places and organisations jieba's part-of-speech tags
//! name.
//!
//! Tagging (`Jieba::tag`) is jieba's default cut plus a tag per word (the
//! dictionary's, the user dictionary's, or for a word the dictionary does
//! not know the tag jieba's part-of-speech model guesses). The search-mode
//! tokens the word view indexes are that same cut plus the dictionary
//! words inside each word ([`Jieba::cut_for_search`]'s rule, redone here
//! from the tagged words), so the text is segmented once, not twice: the
//! writer hands tantivy the tokens already made
//! ([`tantivy::tokenizer::PreTokenizedString`]).

use std::collections::BTreeSet;

use tantivy::tokenizer::Token;

use super::normalize::Normalized;
use super::segmenter::{is_wordlike, Segmenter, MAX_TOKEN_BYTES};

/// The kinds of names tagged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// A person (jieba's `nr`, `nrt` transliterated, `nrfg`).
    Person,
    /// A place (`ns`).
    Place,
    /// An organisation (`nt`).
    Org,
}

impl Kind {
    /// The kind a jieba tag names, if any.
    pub fn of_tag(tag: &str) -> Option<Kind> {
        match tag {
            "nr" | "nrt" | "nrfg" => Some(Kind::Person),
            "ns" => Some(Kind::Place),
            "nt" => Some(Kind::Org),
            _ => None,
        }
    }

    /// Its name in JSON and in queries (`person`, `place`, `org`).
    pub fn name(self) -> &'static str {
        match self {
            Kind::Person => "person",
            Kind::Place => "place",
            Kind::Org => "org",
        }
    }
}

/// True when a word of the default cut is one `terms` may count: at least
/// two characters, holding a letter, digit or ideograph, not a number.
pub fn is_countable(word: &str) -> bool {
    word.chars().nth(1).is_some()
        && is_wordlike(word)
        && !word
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        && word.len() <= MAX_TOKEN_BYTES
}

/// What an article's tagging found: its distinct countable words and
/// names (normalised text), in order.
#[derive(Debug, Default, Clone)]
pub struct Found {
    /// Distinct words of the default cut ([`is_countable`]).
    pub words: BTreeSet<String>,
    /// People.
    pub people: BTreeSet<String>,
    /// Places.
    pub places: BTreeSet<String>,
    /// Organisations.
    pub orgs: BTreeSet<String>,
}

impl Found {
    /// The names of `kind`.
    pub fn names(&self, kind: Kind) -> &BTreeSet<String> {
        match kind {
            Kind::Person => &self.people,
            Kind::Place => &self.places,
            Kind::Org => &self.orgs,
        }
    }

    fn add_name(&mut self, kind: Kind, word: &str) {
        let set = match kind {
            Kind::Person => &mut self.people,
            Kind::Place => &mut self.places,
            Kind::Org => &mut self.orgs,
        };
        if !set.contains(word) {
            set.insert(word.to_string());
        }
    }
}

/// Tags `text`: returns its word-view tokens (exactly those of the
/// index-mode [`WordTokenizer`](super::words::WordTokenizer), offsets into
/// `text`) and adds its words and names to `found`.
pub fn tag(seg: &Segmenter, text: &str, found: &mut Found) -> Vec<Token> {
    let norm = Normalized::new(text);
    let jieba = seg.jieba();
    let mut out: Vec<Token> = Vec::new();
    for t in jieba.tag(&norm.text, true) {
        let word = t.word;
        if is_countable(word) && !found.words.contains(word) {
            found.words.insert(word.to_string());
        }
        if let Some(kind) = Kind::of_tag(t.tag) {
            if word.chars().nth(1).is_some() && is_wordlike(word) {
                found.add_name(kind, word);
            }
        }
        // Search mode: parts of a word joined by connectors, then the
        // dictionary words of two and three characters inside it, then
        // the word itself (jieba's `cut_for_search`).
        if word.bytes().any(|b| matches!(b, b'.' | b'_' | b'-')) {
            let mut offset = 0;
            for part in word.split(['.', '_', '-']) {
                if part.len() >= 2 && part.bytes().any(|b| b.is_ascii_alphabetic()) {
                    push(&norm, part, t.byte_start + offset, &mut out);
                }
                offset += part.len() + 1;
            }
        }
        let chars = t.end - t.start;
        if chars > 2 {
            let at: Vec<usize> = word
                .char_indices()
                .map(|(i, _)| i)
                .chain([word.len()])
                .collect();
            for len in [2, 3] {
                if chars <= len {
                    continue;
                }
                for i in 0..=chars - len {
                    let gram = &word[at[i]..at[i + len]];
                    if jieba.has_word(gram) {
                        push(&norm, gram, t.byte_start + at[i], &mut out);
                    }
                }
            }
        }
        push(&norm, word, t.byte_start, &mut out);
    }
    out
}

/// Appends `word` (at `start` in the normalised text) as the next token,
/// as [`push_words`](super::segmenter::push_words) would.
fn push(norm: &Normalized<'_>, word: &str, start: usize, out: &mut Vec<Token>) {
    if word.len() > MAX_TOKEN_BYTES || !is_wordlike(word) {
        return;
    }
    out.push(Token {
        offset_from: norm.orig(start),
        offset_to: norm.orig_end(start + word.len()),
        position: out.len(),
        text: word.trim().to_string(),
        position_length: 1,
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::segmenter::{segment, Mode};
    use crate::analysis::tokens::TokenBuf;

    fn same_as_word_view(seg: &Segmenter, text: &str) {
        let mut buf = TokenBuf::default();
        segment(seg, text, Mode::Index, &mut buf);
        let mut found = Found::default();
        let mine = tag(seg, text, &mut found);
        assert_eq!(mine.as_slice(), buf.as_slice(), "{text}");
    }

    #[test]
    fn tokens_are_the_word_views() {
        let seg = Segmenter::new();
        for text in [
            "中华人民共和国国务院总理李强今天在北京会见了来访的外宾。",
            "马斯克宣布成立ＡＩ公司xAI，巴布什金加入WES-5.4.5项目 v1.2_beta。",
            "長江，黃河 流域。\r\n  iPhone15 售价 5999元，同比增长3.5%。",
            "",
            "。。。",
        ] {
            same_as_word_view(&seg, text);
        }
    }

    #[test]
    fn names_come_from_the_tags_and_the_user_dictionary() {
        let seg = Segmenter::with_user_dict(Some("王明 nr\n".into()));
        let mut found = Found::default();
        tag(
            &seg,
            "王明在北京会见了国务院和联合国的代表，王明表示满意。",
            &mut found,
        );
        assert!(found.people.contains("王明"), "{found:?}");
        assert!(found.places.contains("北京"), "{found:?}");
        assert!(found.orgs.contains("国务院"), "{found:?}");
        assert!(found.words.contains("会见"), "{found:?}");
        assert!(!found.words.iter().any(|w| w.chars().count() < 2));
    }
}
