//! The query lexicon: jieba's query-time segmentation without loading jieba.
//!
//! Loading jieba's whole dictionary costs far more than answering a query
//! (BENCHMARKS.md, "Performance"). A query only ever needs the dictionary
//! words that occur inside it, so each index run stores, beside the index, a
//! compact FST (`query_lexicon.fst`) mapping every dictionary word found in
//! the index's vocabulary to its jieba frequency. At query time the words
//! inside the query are looked up, put into an empty jieba instance together
//! with a filler entry that restores the dictionary's total frequency, and
//! the query is cut by jieba's own route calculation and HMM. The result is
//! the segmentation the full dictionary gives, at a small fraction of the
//! cost.
//! Dictionary words that never occur in the index are left out; they cannot
//! match the word view anyway.

use std::path::Path;

use anyhow::{Context, Result};
use fst::{Map, MapBuilder};
use jieba_rs::Jieba;

use crate::chars::{is_cjk, is_word_char};

/// File name of the lexicon inside an index directory.
pub const LEXICON_FILE: &str = "query_lexicon.fst";

/// Sum of the frequencies of jieba-rs's default dictionary (the route
/// calculation divides by it). Pinned by a test against jieba itself.
pub const DEFAULT_TOTAL: u64 = 60_101_964;

/// Longest dictionary word looked up, in characters.
const MAX_WORD_CHARS: usize = 16;

/// A private-use word that carries the rest of the dictionary's frequency.
const FILLER: &str = "\u{F8FF}\u{F8FE}";

/// A loaded lexicon.
pub struct Lexicon {
    map: Map<Vec<u8>>,
    total: u64,
}

/// The jieba frequency of `word` when jieba's own cut keeps it whole.
fn dict_freq(jieba: &Jieba, word: &str) -> Option<u64> {
    if !jieba.has_word(word) {
        return None;
    }
    let cut = jieba.cut(word, false);
    if cut.len() != 1 {
        return None;
    }
    Some(jieba.suggest_freq(word).saturating_sub(1).max(1) as u64)
}

impl Lexicon {
    /// Builds the lexicon bytes from candidate `words` (any order, repeats
    /// allowed), keeping those in `jieba`'s dictionary. `extra_total` is the
    /// frequency the user dictionary adds to jieba's total.
    pub fn build<I: IntoIterator<Item = String>>(
        jieba: &Jieba,
        words: I,
        extra_total: u64,
    ) -> Result<Vec<u8>> {
        let candidates: Vec<String> = words
            .into_iter()
            .filter(|w| w.chars().any(is_cjk) && w.chars().count() <= MAX_WORD_CHARS)
            .collect();
        // Looking up frequencies costs two jieba cuts per word: spread it
        // over the cores.
        let threads = crate::threads::cores();
        let chunk = candidates.len().div_ceil(threads).max(1);
        let mut entries: Vec<(String, u64)> = std::thread::scope(|s| {
            let handles: Vec<_> = candidates
                .chunks(chunk)
                .map(|part| {
                    s.spawn(move || {
                        part.iter()
                            .filter_map(|w| dict_freq(jieba, w).map(|f| (w.clone(), f)))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .flat_map(|h| h.join().unwrap_or_default())
                .collect()
        });
        entries.sort();
        entries.dedup_by(|a, b| a.0 == b.0);
        let mut b = MapBuilder::memory();
        // The total goes under the empty key (no word is empty).
        b.insert("", DEFAULT_TOTAL.saturating_add(extra_total))?;
        for (w, f) in entries {
            b.insert(w.as_bytes(), f)?;
        }
        Ok(b.into_inner()?)
    }

    /// Writes the lexicon into the index directory `dir` (atomically).
    pub fn write(dir: &Path, bytes: &[u8]) -> Result<()> {
        let tmp = dir.join(format!("{LEXICON_FILE}.tmp"));
        std::fs::write(&tmp, bytes).with_context(|| format!("{}: cannot write", tmp.display()))?;
        std::fs::rename(&tmp, dir.join(LEXICON_FILE))
            .with_context(|| format!("{}: cannot write query lexicon", dir.display()))?;
        Ok(())
    }

    /// Loads the lexicon of the index at `dir`, if it has a sound one. A
    /// missing or damaged lexicon is none: queries are then cut with
    /// jieba's whole dictionary (slower to load, the same words), and the
    /// next `newsidx index` run writes it again.
    pub fn load(dir: &Path) -> Option<Lexicon> {
        let bytes = std::fs::read(dir.join(LEXICON_FILE)).ok()?;
        Lexicon::from_bytes(bytes)
    }

    /// A lexicon from bytes made by [`Lexicon::build`], if they are whole:
    /// the FST's checksum is verified, since a truncated FST passes
    /// `Map::new` and then panics on look-up.
    pub fn from_bytes(bytes: Vec<u8>) -> Option<Lexicon> {
        let map = Map::new(bytes).ok()?;
        map.as_fst().verify().ok()?;
        let total = map.get("")?;
        Some(Lexicon { map, total })
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.map.len().saturating_sub(1)
    }

    /// True when `word` is one of the lexicon's dictionary words.
    pub fn contains(&self, word: &str) -> bool {
        !word.is_empty() && self.map.contains_key(word)
    }

    /// True when the lexicon holds no word.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A jieba instance holding exactly the dictionary words inside `text`
    /// (normalised), with the dictionary's total frequency.
    pub fn jieba_for(&self, text: &str) -> Jieba {
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut j = Jieba::empty();
        let mut sum = 0u64;
        let mut seen = std::collections::HashSet::new();
        for i in 0..chars.len() {
            if !is_word_char(chars[i].1) {
                continue;
            }
            for len in 1..=MAX_WORD_CHARS.min(chars.len() - i) {
                let end = chars.get(i + len).map(|c| c.0).unwrap_or(text.len());
                let w = &text[chars[i].0..end];
                if let Some(f) = self.map.get(w) {
                    if seen.insert(w) {
                        j.add_word(w, Some(f as usize), None);
                        sum += f;
                    }
                }
            }
        }
        let rest = self.total.saturating_sub(sum).max(1);
        j.add_word(FILLER, Some(rest as usize), None);
        j
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(j: &Jieba, s: &str) -> Vec<String> {
        j.cut(s, true)
            .into_iter()
            .map(|t| t.word.to_string())
            .collect()
    }

    #[test]
    fn a_damaged_lexicon_is_none() {
        let full = Jieba::new();
        let words = ["长江", "江豚", "保护", "长江经济带"].map(String::from);
        let bytes = Lexicon::build(&full, words, 0).unwrap();
        assert!(Lexicon::from_bytes(bytes.clone()).is_some());
        // Cut anywhere from 36 bytes on, the FST used to panic on look-up.
        for len in [0, 10, 36, 40, bytes.len() / 2, bytes.len() - 1] {
            assert!(
                Lexicon::from_bytes(bytes[..len].to_vec()).is_none(),
                "{len}"
            );
        }
        let mut flipped = bytes.clone();
        flipped[bytes.len() / 2] ^= 0x55;
        assert!(Lexicon::from_bytes(flipped).is_none());
    }

    #[test]
    fn default_total_matches_jieba() {
        // suggest_freq("的是") = f(的) f(是) / total + 1 when 的是 is cut in two.
        let j = Jieba::new();
        let fa = dict_freq(&j, "的").unwrap() as f64;
        let fb = dict_freq(&j, "是").unwrap() as f64;
        assert!(!j.has_word("的是"));
        let s = (j.suggest_freq("的是") - 1) as f64;
        let total = fa * fb / s;
        let err = (total - DEFAULT_TOTAL as f64).abs() / DEFAULT_TOTAL as f64;
        assert!(err < 0.001, "total {total} vs {DEFAULT_TOTAL}");
    }

    #[test]
    fn lexicon_cut_equals_full_jieba_cut() {
        let full = Jieba::new();
        let texts = [
            "马斯克什么时候收购推特的",
            "中华人民共和国成立以来长江经济带发展取得历史性成就",
            "前三季度国内生产总值同比增长百分之五点二",
            "海南自由贸易港建设工作汇报",
            "伊戈尔巴布什金在深度思考公司供职",
        ];
        // Vocabulary: every token jieba's search mode gives for the texts.
        let vocab: Vec<String> = texts
            .iter()
            .flat_map(|t| {
                full.cut_for_search(t, true)
                    .into_iter()
                    .map(|t| t.word.to_string())
            })
            .collect();
        let lex = Lexicon::from_bytes(Lexicon::build(&full, vocab, 0).unwrap()).unwrap();
        assert!(!lex.is_empty());
        for t in texts {
            assert_eq!(words(&lex.jieba_for(t), t), words(&full, t), "{t}");
        }
    }
}
