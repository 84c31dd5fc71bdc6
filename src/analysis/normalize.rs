//! Character normalisation shared by every analyser and by passage highlighting.
//!
//! Normalisation works one character at a time, so each normalised character
//! knows the original byte range it came from. Analysers tokenise the
//! normalised text and map token offsets back through [`Normalized::orig`],
//! which keeps the tantivy promise that filters never change offsets: every
//! token's range slices the *original* text.
//!
//! Lossless folding (full-width letters and digits → half-width) is kept apart
//! from lossy folding (lower case, Traditional → Simplified) in [`fold_char`].

use std::borrow::Cow;
use std::sync::LazyLock;

use super::variants;
use crate::chars::{fold_width, is_basic_ideograph};

/// Folds one character: full-width letters and digits to half-width
/// ([`fold_width`]; full-width punctuation is left alone: it is never part
/// of a token, and leaving it keeps most Chinese texts unchanged, so they
/// are analysed without copying, see [`Normalized::new`]), lower case, and
/// Traditional Chinese to Simplified.
#[inline]
pub fn fold_char(c: char) -> char {
    if is_basic_ideograph(c) {
        // The common case: an ideograph has no width or case to fold.
        return variants::to_simplified(c);
    }
    let c = fold_width(c);
    let c = if c.is_ascii() {
        c.to_ascii_lowercase()
    } else {
        lower_single(c)
    };
    variants::to_simplified(c)
}

/// True when [`fold_char`] changes `c`: a bit table over the Basic
/// Multilingual Plane (8 KB, filled on first use), so that scanning a
/// text for its first change does not look up every character's folding.
#[inline]
pub fn folds(c: char) -> bool {
    let u = c as u32;
    if u < 0x80 {
        return c.is_ascii_uppercase();
    }
    if u < 0x1_0000 {
        let bits = &*FOLDS;
        return bits[(u >> 6) as usize] >> (u & 63) & 1 == 1;
    }
    fold_char(c) != c
}

/// One bit per BMP character: set when [`fold_char`] changes it.
static FOLDS: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; 0x1_0000 / 64];
    for u in 0..0x1_0000u32 {
        if let Some(c) = char::from_u32(u) {
            if fold_char(c) != c {
                bits[(u >> 6) as usize] |= 1 << (u & 63);
            }
        }
    }
    bits
});

/// Lower case where it maps to exactly one character (keeps the 1:1 offset map).
#[inline]
fn lower_single(c: char) -> char {
    if !c.is_uppercase() {
        return c;
    }
    let mut it = c.to_lowercase();
    match (it.next(), it.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Text after [`fold_char`] with a way back to the original byte offsets.
#[derive(Debug, Clone)]
pub struct Normalized<'a> {
    /// The normalised text.
    pub text: Cow<'a, str>,
    /// For each byte offset of `text` (plus one past the end), the original
    /// byte offset; `None` when the text did not change.
    map: Option<Vec<u32>>,
}

impl<'a> Normalized<'a> {
    /// Normalises `original`, borrowing it when nothing changes.
    pub fn new(original: &'a str) -> Normalized<'a> {
        let first_change = original
            .char_indices()
            .find(|&(_, c)| folds(c))
            .map(|(i, _)| i);
        let Some(first) = first_change else {
            return Normalized {
                text: Cow::Borrowed(original),
                map: None,
            };
        };
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        text.push_str(&original[..first]);
        map.extend(0..first as u32);
        for (i, c) in original[first..].char_indices() {
            let i = i + first;
            let f = fold_char(c);
            let n = f.len_utf8();
            text.push(f);
            map.extend(std::iter::repeat_n(i as u32, n));
        }
        map.push(original.len() as u32);
        Normalized {
            text: Cow::Owned(text),
            map: Some(map),
        }
    }

    /// The original byte offset of normalised byte offset `i`.
    #[inline]
    pub fn orig(&self, i: usize) -> usize {
        match &self.map {
            None => i,
            Some(m) => m[i] as usize,
        }
    }

    /// The original byte offset of the *end* of a range ending at normalised
    /// byte `end`: the start of the next original character.
    #[inline]
    pub fn orig_end(&self, end: usize) -> usize {
        self.orig(end)
    }
}

/// Normalises a whole string (for queries and terms).
pub fn normalize(s: &str) -> String {
    s.chars().map(fold_char).collect()
}

/// Appends `s` normalised to `out` (what [`normalize`] gives, without an
/// offset map): copied as it is up to its first character that folds.
pub fn normalize_into(s: &str, out: &mut String) {
    match s.char_indices().find(|&(_, c)| folds(c)) {
        None => out.push_str(s),
        Some((first, _)) => {
            out.push_str(&s[..first]);
            out.extend(s[first..].chars().map(fold_char));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_and_case_fold() {
        assert_eq!(normalize("ＡＢＣ１２３ｘｙｚ"), "abc123xyz");
        assert_eq!(normalize("iPhone　15"), "iphone\u{3000}15");
        assert_eq!(normalize("你好，世界！"), "你好，世界！");
        assert_eq!(normalize("ΣΑΣ"), "σασ");
    }

    #[test]
    fn offsets_map_back_to_original() {
        let original = "新ＡＩ模型";
        let n = Normalized::new(original);
        assert_eq!(n.text, "新ai模型");
        // "ai" is at normalised bytes 3..5 and original bytes 3..9
        assert_eq!(n.orig(3), 3);
        assert_eq!(n.orig(4), 6);
        assert_eq!(n.orig_end(5), 9);
        assert_eq!(&original[n.orig(3)..n.orig_end(5)], "ＡＩ");
    }

    #[test]
    fn traditional_folds_to_simplified_with_original_offsets() {
        assert_eq!(normalize("馬斯克在臺灣"), "马斯克在台湾");
        let original = "ＡＩ：臺灣發展";
        let n = Normalized::new(original);
        assert_eq!(n.text, "ai：台湾发展");
        let at = n.text.find("台湾").unwrap_or(0);
        let (from, to) = (n.orig(at), n.orig_end(at + "台湾".len()));
        assert_eq!(&original[from..to], "臺灣");
    }

    #[test]
    fn folds_says_whether_fold_char_changes() {
        for u in (0..0x3_0000u32)
            .step_by(7)
            .chain([0x41, 0x5a, 0x61, 0xff21, 0x99ac])
        {
            if let Some(c) = char::from_u32(u) {
                assert_eq!(folds(c), fold_char(c) != c, "{u:x}");
            }
        }
    }

    #[test]
    fn normalize_into_appends_what_normalize_gives() {
        for s in ["长江经济带", "ＡＩ：臺灣發展", "", "iPhone　15 馬"] {
            let mut out = String::from("前");
            normalize_into(s, &mut out);
            assert_eq!(out, format!("前{}", normalize(s)));
        }
    }

    #[test]
    fn unchanged_text_is_borrowed() {
        let n = Normalized::new("长江经济带");
        assert!(matches!(n.text, Cow::Borrowed(_)));
        assert_eq!(n.orig(6), 6);
    }
}
