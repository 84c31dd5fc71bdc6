//! Traditional → Simplified Chinese folding, one character at a time.
//!
//! Kept to a single-character mapping so that normalisation stays 1:1 in
//! characters and highlights land on the original (Traditional) text:
//! 馬斯克 and 马斯克, 臺灣 and 台湾 index and search as the same text.
//!
//! The data is OpenCC's `TSCharacters` table, as embedded by the
//! `ferrous-opencc` crate, read out at *build* time by `build.rs` (every CJK
//! code point converted on its own, so no phrase rule can span two
//! characters; where OpenCC lists several Simplified candidates (乾 → 干 乾)
//! its first choice is kept) into a static list of pairs. At run time the
//! pairs fill a dense lookup table on first use, in microseconds, so no
//! search pays for OpenCC.
//! Phrase-level rules (TSPhrases) are deliberately not applied: they would
//! make the mapping depend on context and break the 1:1 offset map.

use std::collections::HashMap;
use std::sync::LazyLock;

mod generated {
    include!(concat!(env!("OUT_DIR"), "/t2s_table.rs"));
}

/// First code point of the dense part of the table (CJK extension A).
const DENSE_FROM: u32 = 0x3400;
/// One past the last code point of the dense part (end of the CJK
/// compatibility ideographs).
const DENSE_TO: u32 = 0xFB00;
/// Astral ranges looked up in the sparse part (extensions B–F).
const ASTRAL: std::ops::Range<u32> = 0x20000..0x2EC00;

/// The folding table: dense over the BMP ideograph blocks, sparse beyond.
struct Table {
    /// `dense[c - DENSE_FROM]` is the Simplified form of `c`.
    dense: Vec<char>,
    /// Astral characters that change.
    astral: HashMap<char, char>,
}

static TABLE: LazyLock<Table> = LazyLock::new(build);

/// Fills the table from the pairs generated at build time.
fn build() -> Table {
    let mut table = Table {
        dense: (DENSE_FROM..DENSE_TO)
            .map(|u| char::from_u32(u).unwrap_or('\u{FFFD}'))
            .collect(),
        astral: HashMap::new(),
    };
    for &(from, to) in generated::T2S.iter() {
        let (Some(f), Some(t)) = (char::from_u32(from), char::from_u32(to)) else {
            continue;
        };
        if (DENSE_FROM..DENSE_TO).contains(&from) {
            table.dense[(from - DENSE_FROM) as usize] = t;
        } else {
            table.astral.insert(f, t);
        }
    }
    table
}

/// Maps a Traditional Chinese character to its Simplified form (any other
/// character to itself).
#[inline]
pub fn to_simplified(c: char) -> char {
    let u = c as u32;
    if u < DENSE_FROM {
        return c;
    }
    if u < DENSE_TO {
        return TABLE.dense[(u - DENSE_FROM) as usize];
    }
    if ASTRAL.contains(&u) {
        return TABLE.astral.get(&c).copied().unwrap_or(c);
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(s: &str) -> String {
        s.chars().map(to_simplified).collect()
    }

    #[test]
    fn common_traditional_characters_fold() {
        assert_eq!(fold("馬斯克"), "马斯克");
        assert_eq!(fold("臺灣"), "台湾");
        assert_eq!(fold("發展"), "发展");
        assert_eq!(fold("頭髮"), "头发");
        assert_eq!(fold("經濟體制改革"), "经济体制改革");
    }

    #[test]
    fn simplified_and_other_text_is_unchanged() {
        for s in ["马斯克台湾发展", "abc 123，。", "東京"] {
            let simplified = fold(s);
            assert_eq!(fold(&simplified), simplified, "{s}");
        }
        assert_eq!(fold("中国人民"), "中国人民");
        assert_eq!(fold("hello，世界！"), "hello，世界！");
    }

    #[test]
    fn folding_is_idempotent() {
        assert_eq!(fold("薴麻"), "苎麻");
        for u in 0x3400u32..0xA000 {
            if let Some(c) = char::from_u32(u) {
                let once = to_simplified(c);
                assert_eq!(to_simplified(once), once, "{c}");
            }
        }
    }

    #[test]
    fn one_to_many_takes_opencc_first_choice() {
        assert_eq!(to_simplified('於'), '于');
        assert_eq!(to_simplified('後'), '后');
    }
}
