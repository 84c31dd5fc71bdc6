//! One jieba pass over an article's text at index time: the tokens of
//! the [`WORDS`](super::WORDS) view, the words `terms` counts, and the
//! people, places and organisations jieba's part-of-speech tags name.
//!
//! The cut is the word view's own ([`Jieba::cut_for_search`](jieba_rs::Jieba::cut_for_search): jieba's
//! default cut plus the dictionary words inside each word), made once:
//! the writer hands the word tokenizer the tokens already made, as ranges
//! ([`Spans`], `handoff.rs`). The tags are `Jieba::tag`'s: the same
//! default cut, each word given the dictionary's (or user dictionary's)
//! tag, or for a word the dictionary does not know the tag jieba's
//! part-of-speech model guesses from its characters. Either way a word's
//! tag does not depend on where it stands, so it is asked of jieba once
//! per word ([`kind_of`]; the index's vocabulary keeps the answer with
//! the word's number), not tagged again in every article. The words and
//! names found are borrowed from the normalised texts and sorted once per
//! article ([`Found::finish`]): no string is allocated per token or per
//! word.

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
        self.finish_names();
    }

    /// Sorts the names and leaves each once (again after adding names).
    pub fn finish_names(&mut self) {
        for list in [&mut self.people, &mut self.places, &mut self.orgs] {
            list.sort_unstable();
            list.dedup();
        }
    }

    /// Adds a name of `kind`.
    pub fn add_name(&mut self, kind: Kind, word: &'a str) {
        match kind {
            Kind::Person => self.people.push(word),
            Kind::Place => self.places.push(word),
            Kind::Org => self.orgs.push(word),
        }
    }
}

/// Tags the normalised text `norm`: returns its word-view tokens (exactly
/// those of the index-mode [`WordTokenizer`](super::words::WordTokenizer),
/// offsets into the original text) and adds its countable words to
/// `found`, and the names among its other words (call [`Found::finish`]
/// once every text is tagged). The names among the countable words are
/// not looked for here: a word's tag is a function of the word alone
/// (below), so the caller keeps it with the word's number ([`kind_of`]
/// the first time).
///
/// The cut is jieba's search mode, [`Jieba::cut_for_search`](jieba_rs::Jieba::cut_for_search), piece by
/// piece ([`pieces`]): the word view's own tokens. Its words of the
/// default cut are the tokens no later token contains (search mode puts
/// the parts and the dictionary words inside a word just before it).
/// `Jieba::tag` gives each of those words the dictionary's tag when the
/// dictionary (or user dictionary) has the word, else the tag its
/// part-of-speech model guesses from the word's characters: the same tag
/// wherever the word is, so it is asked once per word, not per
/// occurrence.
pub fn tag<'a>(seg: &Segmenter, norm: &'a Normalized<'_>, found: &mut Found<'a>) -> Spans {
    let text: &'a str = &norm.text;
    let jieba = seg.jieba();
    // About one token for every six bytes of Chinese text, sized once
    // instead of grown by doubling.
    let mut out = Spans::with_capacity(text.len() / 4);
    let mut base = 0;
    for piece in pieces(text) {
        let tokens = jieba.cut_for_search(piece, true);
        let mut word_start = usize::MAX;
        for t in tokens.iter().rev() {
            if t.byte_end > word_start {
                continue;
            }
            word_start = t.byte_start;
            let word: &'a str = t.word;
            if is_countable(word) {
                found.words.push((word_hash(word), word));
            } else if could_name(word) {
                if let Some(kind) = other_kind(seg, piece, t.byte_start, word) {
                    found.add_name(kind, word);
                }
            }
        }
        for t in &tokens {
            push(norm, t.word, base + t.byte_start, &mut out);
        }
        base += piece.len();
    }
    out
}

/// True when a word may be a name: two characters or more, word-like.
fn could_name(word: &str) -> bool {
    word.chars().nth(1).is_some() && is_wordlike(word)
}

/// The kind of name `word` is, a word of jieba's default cut of one of
/// `texts` (a slice of it). Asked of jieba for the word alone when jieba
/// cuts it as one word (its tag is the same there), else read from the
/// tags of the piece of text it was cut from.
pub fn kind_of(seg: &Segmenter, texts: &[&Normalized<'_>], word: &str) -> Option<Kind> {
    if !could_name(word) {
        return None;
    }
    if let Some(kind) = kind_alone(seg, word) {
        return kind;
    }
    for norm in texts {
        let text: &str = &norm.text;
        let at = (word.as_ptr() as usize).wrapping_sub(text.as_ptr() as usize);
        if at > text.len() {
            continue;
        }
        let mut base = 0;
        for piece in pieces(text) {
            if at < base + piece.len() {
                return kind_at(seg, piece, at - base, word);
            }
            base += piece.len();
        }
    }
    None
}

/// The kind `jieba.tag(word)` gives `word` when it cuts it as one word.
fn kind_alone(seg: &Segmenter, word: &str) -> Option<Option<Kind>> {
    match seg.jieba().tag(word, true).as_slice() {
        [t] if t.byte_start == 0 && t.byte_end == word.len() => Some(Kind::of_tag(t.tag)),
        _ => None,
    }
}

/// The kind of the word at byte `at` of `piece`, from the piece's tags.
fn kind_at(seg: &Segmenter, piece: &str, at: usize, word: &str) -> Option<Kind> {
    seg.jieba()
        .tag(piece, true)
        .iter()
        .find(|t| t.byte_start == at && t.byte_end == at + word.len())
        .and_then(|t| Kind::of_tag(t.tag))
}

/// Words [`other_kind`] remembers per thread before it starts again: a
/// corpus has numbers without end, and each is such a word.
const OTHER_KINDS: usize = 1 << 16;

/// The kind of a word that is not countable (a stop word, a number, a
/// long word) but may be a name, remembered per thread and segmenter (its
/// user dictionary may tag the word).
fn other_kind(seg: &Segmenter, piece: &str, at: usize, word: &str) -> Option<Kind> {
    type Kinds = (u64, std::collections::HashMap<String, Option<Kind>>);
    thread_local! {
        static KINDS: std::cell::RefCell<Kinds> = Default::default();
    }
    KINDS.with(|k| {
        {
            let (id, kinds) = &*k.borrow();
            if let Some(&kind) = kinds.get(word).filter(|_| *id == seg.id()) {
                return kind;
            }
        }
        let kind = kind_alone(seg, word).unwrap_or_else(|| kind_at(seg, piece, at, word));
        let mut k = k.borrow_mut();
        if k.0 != seg.id() || k.1.len() >= OTHER_KINDS {
            k.1.clear();
            k.0 = seg.id();
        }
        k.1.insert(word.to_string(), kind);
        kind
    })
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
    // Offsets fit in `u32`: the normalised text's map holds them so.
    let at = |i: usize| i as u32;
    out.push(Span {
        from: at(norm.orig(start)),
        to: at(norm.orig_end(start + word.len())),
        start: at(start + lead),
        end: at(start + lead + trimmed.len()),
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

    /// The names [`tag`] and [`kind_of`] find are those of `Jieba::tag`
    /// over the whole text.
    fn same_names_as_jiebas_tags(seg: &Segmenter, text: &str) {
        let norm = Normalized::new(text);
        let mut expected: Vec<(&str, Kind)> = seg
            .jieba()
            .tag(&norm.text, true)
            .iter()
            .filter(|t| could_name(t.word))
            .filter_map(|t| Some((t.word, Kind::of_tag(t.tag)?)))
            .collect();
        let mut found = Found::default();
        tag(seg, &norm, &mut found);
        let mut mine: Vec<(&str, Kind)> = Vec::new();
        for kind in [Kind::Person, Kind::Place, Kind::Org] {
            mine.extend(found.names(kind).iter().map(|&w| (w, kind)));
        }
        for &(_, w) in &found.words {
            mine.extend(kind_of(seg, &[&norm], w).map(|kind| (w, kind)));
        }
        for list in [&mut expected, &mut mine] {
            list.sort_unstable_by_key(|&(w, k)| (w, k.name()));
            list.dedup();
        }
        assert_eq!(mine, expected, "{text}");
    }

    #[test]
    fn names_are_those_of_jiebas_tags() {
        let seg = Segmenter::with_user_dict(Some("王明 nr\n".into()));
        let text = "国务院总理李强今天在北京会见了来访的外宾，双方就经贸合作交换了意见。\
                    王明说，张伟华和欧阳娜娜到了乌鲁木齐县、柯坪县和中科院上海分院；\
                    司马懿与诸葛孔明在五丈原，我们以及他们1949年到了2024年的北京市。\
                    新华社记者郭晓婷、马斯克和巴布什金加入WES-5.4.5项目!"
            .repeat(4);
        same_names_as_jiebas_tags(&seg, &text);
        same_names_as_jiebas_tags(&seg, "王明");
        same_names_as_jiebas_tags(&seg, "");
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
        for (_, w) in found.words.clone() {
            if let Some(kind) = kind_of(&seg, &[&title, &body], w) {
                found.add_name(kind, w);
            }
        }
        found.finish_names();
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
