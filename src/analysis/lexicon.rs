//! The query lexicon: jieba's query-time segmentation without loading jieba.
//!
//! Loading jieba's whole dictionary costs far more than answering a query
//! (BENCHMARKS.md, "Performance"). A query only ever needs the dictionary
//! words that occur inside it, so each index run stores, beside the index, a
//! compact FST (`query_lexicon.fst`) mapping every dictionary word found in
//! the index's vocabulary to its jieba frequency. At query time the words
//! inside the query are looked up, put into a jieba instance (one per
//! lexicon, holding the words of the queries cut before, which cannot
//! enter this query's cut) together with a filler entry that restores the
//! dictionary's total frequency, and the query is cut by jieba's own
//! route calculation and HMM. The result is
//! the segmentation the full dictionary gives, at a small fraction of the
//! cost.
//! Dictionary words that never occur in the index are left out; they cannot
//! match the word view anyway.

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use anyhow::{Context, Result};
use fst::raw::Output;
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
    /// The jieba of the texts cut so far (see [`Lexicon::cut`]).
    grown: Mutex<Option<Grown>>,
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
        Some(Lexicon {
            map,
            total,
            grown: Mutex::new(None),
        })
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

    /// Jieba's default cut (with the HMM) of `text` (normalised), as the
    /// whole dictionary cuts it.
    ///
    /// The cut needs only the dictionary words inside `text` and the
    /// dictionary's total frequency. Building an empty jieba for each
    /// text cost more than the cut (its trie's table of every BMP
    /// character), so the words of every text cut so far stay in one
    /// jieba, the filler word keeping its total; a word that is not
    /// inside `text` never enters its cut, so the words of other texts
    /// change nothing.
    pub fn cut<'t>(&self, text: &'t str) -> Vec<jieba_rs::Token<'t>> {
        let found = self.words_in(text);
        if text.contains(FILLER) {
            // The filler itself would be a word of the text.
            return self.jieba_of(&found).cut(text, true);
        }
        let mut grown = self.grown.lock().unwrap_or_else(|e| e.into_inner());
        let g = grown.get_or_insert_with(Grown::default);
        let new: Vec<&(&str, u64)> = found.iter().filter(|(w, _)| !g.jieba.has_word(w)).collect();
        let more: u64 = new.iter().map(|(_, f)| f).sum();
        if g.sum.saturating_add(more) >= self.total || g.words + new.len() > MAX_GROWN_WORDS {
            // Start again with this text's words alone.
            let fresh = self.jieba_of(&found);
            let tokens = fresh.cut(text, true);
            *g = Grown {
                jieba: fresh,
                sum: found_sum(&found),
                words: found.len(),
            };
            return tokens;
        }
        for &&(w, f) in &new {
            if !g.jieba.has_word(w) {
                g.jieba.add_word(w, Some(f as usize), None);
                g.sum += f;
                g.words += 1;
            }
        }
        let rest = self.total.saturating_sub(g.sum).max(1);
        g.jieba.add_word(FILLER, Some(rest as usize), None);
        g.jieba.cut(text, true)
    }

    /// A jieba instance holding exactly the words `found` (from
    /// [`Lexicon::words_in`]), with the dictionary's total frequency.
    fn jieba_of(&self, found: &[(&str, u64)]) -> Jieba {
        let mut j = Jieba::empty();
        for &(w, f) in found {
            j.add_word(w, Some(f as usize), None);
        }
        let rest = self.total.saturating_sub(found_sum(found)).max(1);
        j.add_word(FILLER, Some(rest as usize), None);
        j
    }

    /// The dictionary words inside `text` (normalised) that start at a
    /// word character, at most [`MAX_WORD_CHARS`] long, each once, with
    /// their frequencies: one walk of the FST from each character.
    fn words_in<'t>(&self, text: &'t str) -> Vec<(&'t str, u64)> {
        let fst = self.map.as_fst();
        let bytes = text.as_bytes();
        let mut out: Vec<(&str, u64)> = Vec::new();
        let mut seen = HashSet::new();
        for (i, c) in text.char_indices() {
            if !is_word_char(c) {
                continue;
            }
            let mut node = fst.root();
            let mut sum = Output::zero();
            let mut chars = 0;
            for (k, &b) in bytes[i..].iter().enumerate() {
                let Some(t) = node.find_input(b) else { break };
                let tr = node.transition(t);
                sum = sum.cat(tr.out);
                node = fst.node(tr.addr);
                let end = i + k + 1;
                if !text.is_char_boundary(end) {
                    continue;
                }
                if node.is_final() {
                    let w = &text[i..end];
                    if seen.insert(w) {
                        out.push((w, sum.cat(node.final_output()).value()));
                    }
                }
                chars += 1;
                if chars == MAX_WORD_CHARS {
                    break;
                }
            }
        }
        out
    }
}

/// The sum of the frequencies of `found`.
fn found_sum(found: &[(&str, u64)]) -> u64 {
    found.iter().map(|(_, f)| f).sum()
}

/// Words kept in [`Lexicon`]'s grown jieba before it starts again.
const MAX_GROWN_WORDS: usize = 50_000;

/// The jieba that holds the dictionary words of every text cut so far
/// (see [`Lexicon::cut`]) and the sum of their frequencies.
struct Grown {
    jieba: Jieba,
    sum: u64,
    words: usize,
}

impl Default for Grown {
    fn default() -> Grown {
        Grown {
            jieba: Jieba::empty(),
            sum: 0,
            words: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(lex: &Lexicon, s: &str) -> Vec<String> {
        lex.cut(s).into_iter().map(|t| t.word.to_string()).collect()
    }

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
        let lex = Lexicon::from_bytes(Lexicon::build(&full, vocab.clone(), 0).unwrap()).unwrap();
        assert!(!lex.is_empty());
        for t in texts {
            assert_eq!(cut(&lex, t), words(&full, t), "{t}");
        }
        // The words of the texts cut before change no cut: each text in
        // reverse order, and again on a fresh lexicon.
        for t in texts.iter().rev() {
            assert_eq!(cut(&lex, t), words(&full, t), "{t}");
            let fresh = Lexicon::from_bytes(Lexicon::build(&full, vocab.clone(), 0).unwrap());
            assert_eq!(cut(&fresh.unwrap(), t), words(&full, t), "{t}");
        }
    }
}
