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
//! writer hands the word tokenizer the tokens already made, as ranges
//! ([`Spans`], `handoff.rs`). The words and names found are borrowed from
//! the normalised texts and sorted once per article ([`Found::finish`]):
//! no string is allocated per token or per word.

use super::handoff::{Span, Spans};
use super::normalize::Normalized;
use super::segmenter::{is_wordlike, Segmenter, MAX_TOKEN_BYTES};
use super::stopwords::is_stop_word;

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
/// two characters, holding a letter, digit or ideograph, not a number, not
/// a stop word (`terms` never lists one, so none is stored).
pub fn is_countable(word: &str) -> bool {
    word.len() <= MAX_TOKEN_BYTES
        && word.chars().nth(1).is_some()
        && is_wordlike(word)
        && !word
            .chars()
            .all(|c| c.is_ascii_digit() || c.is_ascii_punctuation())
        && !is_stop_word(word)
}

/// The hash a countable word is sorted and looked up by (computed once per
/// word: [`Found::words`], the index's vocabulary): a multiply-rotate
/// hash over eight bytes at a time (FxHash's step, with its final
/// rotation so that the low bits mix too).
pub fn word_hash(word: &str) -> u64 {
    const K: u64 = 0xf135_7aea_2e62_a9c5;
    let mut h: u64 = word.len() as u64;
    let mut chunks = word.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(23);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut w = [0u8; 8];
        w[..rest.len()].copy_from_slice(rest);
        h = (h ^ u64::from_le_bytes(w)).wrapping_mul(K).rotate_left(23);
    }
    h.wrapping_mul(K).rotate_left(26)
}

/// What an article's tagging found: its countable words and names
/// (normalised text, borrowed from the texts tagged), distinct and in
/// order once [`Found::finish`] has run.
#[derive(Debug, Default, Clone)]
pub struct Found<'a> {
    /// Words of the default cut ([`is_countable`]) with their
    /// [`word_hash`], in the order of the hashes once finished.
    pub words: Vec<(u64, &'a str)>,
    /// People.
    pub people: Vec<&'a str>,
    /// Places.
    pub places: Vec<&'a str>,
    /// Organisations.
    pub orgs: Vec<&'a str>,
}

impl<'a> Found<'a> {
    /// The names of `kind`.
    pub fn names(&self, kind: Kind) -> &[&'a str] {
        match kind {
            Kind::Person => &self.people,
            Kind::Place => &self.places,
            Kind::Org => &self.orgs,
        }
    }

    /// Sorts every list and leaves each word once (the words by hash
    /// first: no string compared unless two hashes are equal).
    pub fn finish(&mut self) {
        self.words.sort_unstable();
        self.words.dedup();
        for list in [&mut self.people, &mut self.places, &mut self.orgs] {
            list.sort_unstable();
            list.dedup();
        }
    }

    fn add_name(&mut self, kind: Kind, word: &'a str) {
        match kind {
            Kind::Person => self.people.push(word),
            Kind::Place => self.places.push(word),
            Kind::Org => self.orgs.push(word),
        }
    }
}

/// Tags the normalised text `norm`: returns its word-view tokens (exactly
/// those of the index-mode [`WordTokenizer`](super::words::WordTokenizer),
/// offsets into the original text) and adds its words and names to
/// `found` (call [`Found::finish`] once every text is tagged).
pub fn tag<'a>(seg: &Segmenter, norm: &'a Normalized<'_>, found: &mut Found<'a>) -> Spans {
    let text: &'a str = &norm.text;
    let jieba = seg.jieba();
    // About one token for every six bytes of Chinese text, sized once
    // instead of grown by doubling.
    let mut out = Spans::with_capacity(text.len() / 4);
    let mut at: Vec<usize> = Vec::new();
    // Piece by piece ([`pieces`]): the tags are those of the whole text,
    // and `Jieba::tag`'s buffer (64 bytes a tag, sized by the text) stays
    // small enough to be reused instead of faulting in fresh pages for
    // every article.
    let mut piece_start = 0;
    let tags = pieces(text).flat_map(|piece| {
        let base = piece_start;
        piece_start += piece.len();
        jieba.tag(piece, true).into_iter().map(move |t| (base, t))
    });
    for (base, t) in tags {
        let (byte_start, byte_end) = (base + t.byte_start, base + t.byte_end);
        // The word as a slice of `text` (jieba's ties it to the segmenter
        // too); the same bytes.
        let word: &'a str = text.get(byte_start..byte_end).unwrap_or_default();
        if is_countable(word) {
            found.words.push((word_hash(word), word));
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
                    push(norm, part, byte_start + offset, &mut out);
                }
                offset += part.len() + 1;
            }
        }
        let chars = t.end - t.start;
        if chars > 2 {
            at.clear();
            at.extend(word.char_indices().map(|(i, _)| i));
            at.push(word.len());
            for len in [2, 3] {
                if chars <= len {
                    continue;
                }
                for i in 0..=chars - len {
                    let gram = &word[at[i]..at[i + len]];
                    if jieba.has_word(gram) {
                        push(norm, gram, byte_start + at[i], &mut out);
                    }
                }
            }
        }
        push(norm, word, byte_start, &mut out);
    }
    out
}

/// Bytes of text at least in a piece [`tag`] hands jieba at once.
const PIECE_BYTES: usize = 256;

/// `text` cut after sentence punctuation or a line break, pieces of
/// [`PIECE_BYTES`] or more. jieba cuts its text into blocks of ideographs,
/// letters and digits (its `RE_HAN` class) and tags each block alone; none
/// of these characters is in that class nor a `\r` (a `\r\n` is one
/// token), so each ends a block and the pieces' tags are the whole text's.
fn pieces(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut from = PIECE_BYTES.min(rest.len());
        while !rest.is_char_boundary(from) {
            from += 1;
        }
        let end = rest[from..]
            .char_indices()
            .find(|&(_, c)| {
                matches!(
                    c,
                    '。' | '，' | ',' | '！' | '!' | '？' | '?' | '；' | ';' | '\n'
                )
            })
            .map_or(rest.len(), |(i, c)| from + i + c.len_utf8());
        let (piece, tail) = rest.split_at(end);
        rest = tail;
        Some(piece)
    })
}

/// Appends `word` (at `start` in the normalised text) as the next token,
/// as [`push_words`](super::segmenter::push_words) would.
fn push(norm: &Normalized<'_>, word: &str, start: usize, out: &mut Spans) {
    if word.len() > MAX_TOKEN_BYTES || !is_wordlike(word) {
        return;
    }
    let trimmed = word.trim();
    let lead = trimmed.as_ptr() as usize - word.as_ptr() as usize;
    out.push(Span {
        from: norm.orig(start),
        to: norm.orig_end(start + word.len()),
        start: start + lead,
        end: start + lead + trimmed.len(),
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
        let norm = Normalized::new(text);
        let mut found = Found::default();
        let mut spans = tag(seg, &norm, &mut found);
        if let std::borrow::Cow::Owned(n) = &norm.text {
            spans.set_normalized(n.clone());
        }
        let mut mine = TokenBuf::default();
        spans.write_to(text, &mut mine);
        assert_eq!(mine.as_slice(), buf.as_slice(), "{text}");
    }

    #[test]
    fn tokens_are_the_word_views() {
        let seg = Segmenter::new();
        for text in [
            "中华人民共和国国务院总理李强今天在北京会见了来访的外宾。",
            "马斯克宣布成立ＡＩ公司xAI，巴布什金加入WES-5.4.5项目 v1.2_beta。",
            "長江，黃河 流域。\r\n  iPhone15 售价 5999元，同比增长3.5%。",
            "ＡＢＣ－ｄｅｆ_ＧＨ 全角连接 Ｘ.Ｙ.Ｚ 与 中华人民共和国",
            "",
            "。。。",
        ] {
            same_as_word_view(&seg, text);
        }
        // Long enough to be tagged in pieces.
        let long = "国务院总理李强今天在北京会见了来访的外宾，双方就经贸合作交换了意见。\r\n\
                    马斯克宣布成立AI公司xAI! 巴布什金加入WES-5.4.5项目; 售价5999元?"
            .repeat(12);
        same_as_word_view(&seg, &long);
        assert!(pieces(&long).count() > 5);
        assert_eq!(pieces(&long).collect::<String>(), long);
    }

    #[test]
    fn names_come_from_the_tags_and_the_user_dictionary() {
        let seg = Segmenter::with_user_dict(Some("王明 nr\n".into()));
        let title = Normalized::new("王明会见代表");
        let body = Normalized::new("王明在北京会见了国务院和联合国的代表，王明表示可以满意。");
        let mut found = Found::default();
        tag(&seg, &title, &mut found);
        tag(&seg, &body, &mut found);
        found.finish();
        assert_eq!(found.people, ["王明"], "{found:?}");
        assert!(found.places.contains(&"北京"), "{found:?}");
        assert!(found.orgs.contains(&"国务院"), "{found:?}");
        let has = |w: &str| found.words.contains(&(word_hash(w), w));
        assert!(has("会见"), "{found:?}");
        assert!(!found.words.iter().any(|w| w.1.chars().count() < 2));
        assert!(!has("可以"), "{found:?}");
        assert!(found.words.windows(2).all(|w| w[0] < w[1]), "{found:?}");
    }
}
