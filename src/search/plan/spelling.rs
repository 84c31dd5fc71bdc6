//! Other ways an article may write a query text: a model name typed
//! without its space or hyphen (iphone15 for "iPhone 15"), a space typed
//! between CJK words the article writes together (长江 生态 for 长江生态).

use crate::chars::is_cjk;

/// A word of ASCII letters and digits parted where its first run ends,
/// by a space and by a hyphen (iphone15 → "iphone 15", "iphone-15";
/// gpt4o → "gpt 4o", "gpt-4o"); nothing for any other word.
pub fn parted_model_name(text: &str) -> Vec<String> {
    if !text.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Vec::new();
    }
    let Some(first) = text.chars().next() else {
        return Vec::new();
    };
    let Some(at) = text.find(|c: char| c.is_ascii_alphabetic() != first.is_ascii_alphabetic())
    else {
        return Vec::new();
    };
    [" ", "-"]
        .iter()
        .map(|sep| format!("{}{sep}{}", &text[..at], &text[at..]))
        .collect()
}

/// `text` without the white space that stands between two CJK characters.
pub fn join_cjk_spaces(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        if c.is_whitespace() {
            let prev = chars[..i].iter().rev().find(|c| !c.is_whitespace());
            let next = chars[i + 1..].iter().find(|c| !c.is_whitespace());
            if prev.is_some_and(|&p| is_cjk(p)) && next.is_some_and(|&n| is_cjk(n)) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_names_part_where_letters_meet_digits() {
        assert_eq!(parted_model_name("iphone15"), ["iphone 15", "iphone-15"]);
        assert_eq!(parted_model_name("gpt4o"), ["gpt 4o", "gpt-4o"]);
        assert!(parted_model_name("2017").is_empty());
        assert!(parted_model_name("长江2号").is_empty());
        assert!(parted_model_name("").is_empty());
    }

    #[test]
    fn spaces_between_cjk_characters_join() {
        assert_eq!(join_cjk_spaces("长江 生态"), "长江生态");
        assert_eq!(join_cjk_spaces("长江  生态 ai 模型"), "长江生态 ai 模型");
        assert_eq!(join_cjk_spaces("gpt 4"), "gpt 4");
    }
}
