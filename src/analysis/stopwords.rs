//! Question and function words dropped from the *ranking* of unquoted text.
//!
//! They carry no topic (什么, 哪, 是, 的, 吗 …), so requiring or scoring them
//! only adds noise to natural-language questions. A query made only of such
//! words keeps them all.

/// Interrogatives (normalised, Simplified): stop words, and a query with
/// one of them is a question ([`is_question`]).
pub const INTERROGATIVES: &[&str] = &[
    "什么",
    "甚么",
    "啥",
    "哪",
    "哪里",
    "哪儿",
    "哪个",
    "哪些",
    "哪一",
    "哪一个",
    "哪种",
    "哪位",
    "哪年",
    "哪家",
    "谁",
    "多少",
    "几",
    "几个",
    "怎么",
    "怎样",
    "怎么样",
    "如何",
    "为什么",
    "为何",
    "何时",
    "何地",
    "是否",
    "是不是",
    "能否",
    "多久",
    "多大",
    "多长",
    "多高",
    "多远",
    "吗",
    "呢",
    "是什么",
    "叫什么",
    "什么时候",
];

/// The other stop words: function words (normalised, Simplified).
pub const STOP_WORDS: &[&str] = &[
    "的",
    "了",
    "是",
    "吧",
    "啊",
    "呀",
    "么",
    "在",
    "有",
    "和",
    "与",
    "及",
    "或",
    "也",
    "都",
    "就",
    "而",
    "之",
    "其",
    "这",
    "那",
    "此",
    "该",
    "被",
    "把",
    "将",
    "对",
    "于",
    "以",
    "为",
    "从",
    "由",
    "向",
    "到",
    "给",
    "让",
    "用",
    "能",
    "要",
    "可以",
    "一般",
    "最",
    "好",
    "最好",
    "何",
    "会",
    "请问",
    "一个",
    "个",
    "指",
    "时候",
    "一下",
    "哪里的",
];

/// True when `word` (normalised) is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    // A set, not a scan of the lists: indexing with `--entities` asks
    // this of every word of every article.
    static SET: std::sync::OnceLock<std::collections::HashSet<&'static str>> =
        std::sync::OnceLock::new();
    SET.get_or_init(|| STOP_WORDS.iter().chain(INTERROGATIVES).copied().collect())
        .contains(word)
}

/// True when unquoted query text is a natural-language question rather
/// than keywords: it ends with a question mark, or one of its `words`
/// (the query segmentation, stop words included) is an interrogative.
pub fn is_question(text: &str, words: impl IntoIterator<Item = impl AsRef<str>>) -> bool {
    text.trim_end().ends_with(['?', '？'])
        || words
            .into_iter()
            .any(|w| INTERROGATIVES.contains(&w.as_ref()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(ws: &[&str]) -> Vec<String> {
        ws.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn questions_are_told_from_keywords() {
        assert!(is_question(
            "这个计划由谁来主持",
            words(&["计划", "由", "谁", "来", "主持"])
        ));
        assert!(is_question(
            "杭州亚运会开幕？",
            words(&["杭州", "亚运会", "开幕"])
        ));
        assert!(is_question(
            "宁德房价多少",
            words(&["宁德", "房价", "多少"])
        ));
        assert!(!is_question("调度 村民", words(&["调度", "村民"])));
        // An interrogative character inside a word is not one (几乎).
        assert!(!is_question("几乎 全部", words(&["几乎", "全部"])));
    }

    #[test]
    fn every_listed_word_is_in_normalised_form() {
        // Query words are normalised before the look-up, so an entry that
        // normalisation changes (吗？ → 吗?) could never match.
        for word in STOP_WORDS.iter().chain(INTERROGATIVES) {
            assert_eq!(crate::analysis::normalize::normalize(word), *word, "{word}");
        }
    }
}
