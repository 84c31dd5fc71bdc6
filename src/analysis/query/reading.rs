//! How unquoted query text reads: keywords, a question or a description.
//!
//! Keywords (names, places, organisations, terms) are searched exactly:
//! every word or run as written, runs the segmenter cannot vouch for
//! matched as typed ([`super::runs`]), verbatim matches first, relaxed only
//! when nothing matches. Natural-language text — a question, or a
//! description such as a headline or a sentence pasted whole — is ranked
//! by relevance over its words apart and relaxed when few articles have
//! them all, since no article need contain such text as typed. Either way
//! `total_hits` counts only articles that match as written.

use crate::analysis::stopwords::{is_question, is_stop_word};

/// Fewest content words in one stretch of unquoted text typed without a
/// space that make it a description: a headline or a sentence, not a name
/// or a term. A content word is not a stop word and has at least two
/// characters: a single character left by the segmenter is most often a
/// piece of a name it does not know (巴布什金 → 巴 布什 金), evidence of
/// keywords, not of a sentence. Names, places, organisations and terms,
/// even long ones (马斯克收购推特, 中华人民共和国国务院, 巴布什金访华),
/// have fewer.
pub const DESCRIPTION_WORDS: usize = 4;

/// How a stretch of unquoted text reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reading {
    /// Names, places, organisations, terms: searched as written.
    Keywords,
    /// A question mark or an interrogative ([`is_question`]).
    Question,
    /// At least [`DESCRIPTION_WORDS`] content words typed without a space.
    Description,
}

impl Reading {
    /// How unquoted `text` (normalised, typed without a space) reads,
    /// given its segmentation `words` (stop words included).
    pub fn of(text: &str, words: &[impl AsRef<str>]) -> Reading {
        if is_question(text, words.iter().map(AsRef::as_ref)) {
            Reading::Question
        } else if content_words(words) >= DESCRIPTION_WORDS {
            Reading::Description
        } else {
            Reading::Keywords
        }
    }

    /// How a query with stretches read as `self` and `other` reads as a
    /// whole: a question if either is one, else a description if either
    /// is one, else keywords.
    pub fn and(self, other: Reading) -> Reading {
        match (self, other) {
            (Reading::Question, _) | (_, Reading::Question) => Reading::Question,
            (Reading::Description, _) | (_, Reading::Description) => Reading::Description,
            _ => Reading::Keywords,
        }
    }

    /// True for natural-language text (a question or a description).
    pub fn is_natural(self) -> bool {
        self != Reading::Keywords
    }

    /// The name `analyze --json` reports.
    pub fn label(self) -> &'static str {
        match self {
            Reading::Keywords => "keywords",
            Reading::Question => "question",
            Reading::Description => "description",
        }
    }
}

/// The words of `words` that are neither stop words nor punctuation, and
/// have at least two characters.
fn content_words(words: &[impl AsRef<str>]) -> usize {
    words
        .iter()
        .map(AsRef::as_ref)
        .filter(|w| {
            !is_stop_word(w) && w.chars().any(char::is_alphanumeric) && w.chars().nth(1).is_some()
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, words: &[&str]) -> Reading {
        Reading::of(text, words)
    }

    #[test]
    fn names_and_terms_are_keywords() {
        assert_eq!(read("巴布什金", &["巴", "布什", "金"]), Reading::Keywords);
        assert_eq!(
            read("马斯克收购推特", &["马斯克", "收购", "推特"]),
            Reading::Keywords
        );
        assert_eq!(
            read("中华人民共和国国务院", &["中华人民共和国", "国务院"]),
            Reading::Keywords
        );
        // A name the segmenter splits, plus a word: two content words.
        assert_eq!(
            read("巴布什金访华", &["巴", "布什", "金", "访华"]),
            Reading::Keywords
        );
        assert_eq!(
            read("北京朝阳区交通事故", &["北京", "朝阳区", "交通事故"]),
            Reading::Keywords
        );
    }

    #[test]
    fn four_words_of_two_characters_are_a_description() {
        assert_eq!(
            read(
                "北京冬奥会开幕式门票",
                &["北京", "冬奥会", "开幕式", "门票"]
            ),
            Reading::Description
        );
        // A single character does not count: 金 is left out, four remain.
        assert_eq!(
            read(
                "金正恩视察平壤工厂",
                &["金", "正恩", "视察", "平壤", "工厂"]
            ),
            Reading::Description
        );
        assert_eq!(
            read("习近平会见普京", &["习近平", "会见", "普京"]),
            Reading::Keywords
        );
    }

    #[test]
    fn headlines_are_descriptions() {
        assert_eq!(
            read(
                "雅虎宣布剥离阿里巴巴股份",
                &["雅虎", "宣布", "剥离", "阿里巴巴", "股份"]
            ),
            Reading::Description
        );
        assert!(read(
            "雅虎宣布剥离阿里巴巴股份",
            &["雅虎", "宣布", "剥离", "阿里巴巴", "股份"]
        )
        .is_natural());
    }

    #[test]
    fn stop_words_and_punctuation_do_not_count() {
        // 的, 了, 在 and a comma are not content: three words remain.
        assert_eq!(
            read(
                "在北京的会议，开了",
                &["在", "北京", "的", "会议", "，", "开", "了"]
            ),
            Reading::Keywords
        );
    }

    #[test]
    fn questions_stay_questions() {
        assert_eq!(
            read(
                "这个计划由谁来主持",
                &["这个", "计划", "由", "谁", "来", "主持"]
            ),
            Reading::Question
        );
        assert_eq!(
            read("长江多长？", &["长江", "多长", "？"]),
            Reading::Question
        );
    }

    #[test]
    fn a_query_reads_as_its_strongest_stretch() {
        use Reading::*;
        assert_eq!(Keywords.and(Keywords), Keywords);
        assert_eq!(Keywords.and(Description), Description);
        assert_eq!(Description.and(Keywords), Description);
        assert_eq!(Description.and(Question), Question);
        assert_eq!(Question.and(Keywords), Question);
    }
}
