//! Character classes and width folding: the one place that says which
//! characters are CJK, which make up words, and how full-width letters and
//! digits fold to half-width. The analysers, the readers (format sniffing,
//! dates) and the search all ask here.

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

/// True for the characters words are made of: letters, digits and CJK.
#[inline]
pub fn is_word_char(c: char) -> bool {
    is_cjk(c) || c.is_alphanumeric()
}

/// True for a CJK unified ideograph of the basic block (U+4E00–U+9FFF):
/// nearly every character of Chinese text, none with a width or a case.
#[inline]
pub fn is_basic_ideograph(c: char) -> bool {
    ('\u{4E00}'..='\u{9FFF}').contains(&c)
}

/// True for a Chinese ideograph of the basic block or extension A (what
/// tells Chinese prose from other text).
#[inline]
pub fn is_ideograph(c: char) -> bool {
    is_basic_ideograph(c) || ('\u{3400}'..='\u{4DBF}').contains(&c)
}

/// Lossless width folding of letters and digits: ＡＩ → AI, ２０２４ → 2024.
/// Full-width punctuation (，：！) is left alone.
#[inline]
pub fn fold_width(c: char) -> char {
    match c {
        '\u{FF21}'..='\u{FF3A}' | '\u{FF41}'..='\u{FF5A}' => half_width(c),
        _ => fold_digit_width(c),
    }
}

/// Width folding of digits only: ２０２４ → 2024.
#[inline]
pub fn fold_digit_width(c: char) -> char {
    match c {
        '\u{FF10}'..='\u{FF19}' => half_width(c),
        _ => c,
    }
}

/// The half-width form of a full-width ASCII character.
#[inline]
fn half_width(c: char) -> char {
    char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        assert!(is_cjk('中') && is_cjk('の') && is_cjk('한') && !is_cjk('a'));
        assert!(is_word_char('a') && is_word_char('7') && is_word_char('中'));
        assert!(!is_word_char('，') && !is_word_char(' '));
        assert!(is_ideograph('中') && is_ideograph('\u{3400}') && !is_ideograph('の'));
    }

    #[test]
    fn width_folds_letters_and_digits_only() {
        let fold = |s: &str| s.chars().map(fold_width).collect::<String>();
        assert_eq!(fold("ＡＩｚ２０２４，"), "AIz2024，");
        let digits = |s: &str| s.chars().map(fold_digit_width).collect::<String>();
        assert_eq!(digits("Ｚ２０２４"), "Ｚ2024");
    }
}
