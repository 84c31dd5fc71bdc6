//! The run rule: when unquoted Chinese of a keyword query is matched as
//! typed, and when as words anywhere in the article.
//!
//! A *run* is text typed without a space or punctuation mark in it that
//! holds at least one CJK character (巴布什金, 马斯克收购推特, 2016年). The
//! segmenter cuts it into pieces. The run is searched as its pieces, each
//! anywhere in the article, only when the segmenter can vouch for every
//! piece; otherwise it is searched as typed, exactly as its quoted form
//! (and `grep -F`) would find it. A piece is vouched for when
//!
//! - it is at least two characters long, and
//! - it is letters or digits (the segmenter always cuts those whole), or a
//!   word the index has seen as a word in some article (the segmenter cut
//!   it so in the articles' text), or, with no index to ask, a word of the
//!   segmenter's dictionary.
//!
//! So 北京小吃 (北京 小吃) and 马斯克收购推特 (马斯克 收购 推特) keep "every
//! word, anywhere"; 巴布什金 (巴 布什 金: single characters), 萨克斯坦 (萨克斯
//! 坦), 去年同 (去年 同), 在希望的 (在 希望 的), 2016年 (2016 年) and 增长6
//! (增长 6) are matched as typed. A run that is one piece is one word either way.
//! Natural-language questions (see [`crate::analysis::stopwords::is_question`]) are
//! not subject to this rule: their words are searched apart, relaxed, and
//! re-ranked as before.

use tantivy::tokenizer::Token;

use crate::chars::is_cjk;

/// Why a piece of a run is not vouched for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Doubt {
    /// One character (an ideograph, or a lone letter or digit glued to
    /// Chinese, as the 6 of 增长6): a fragment of something longer.
    SingleCharacter,
    /// Not a word of the segmenter's dictionary (an HMM guess).
    NotInDictionary,
    /// A dictionary word that no article of the index has as a word.
    NotInIndex,
}

impl Doubt {
    /// A short English label.
    pub fn label(self) -> &'static str {
        match self {
            Doubt::SingleCharacter => "single character",
            Doubt::NotInDictionary => "not a dictionary word",
            Doubt::NotInIndex => "not a word of the index",
        }
    }
}

/// How a run is searched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// One piece: one word, found wherever its text occurs.
    Whole,
    /// Every piece is vouched for: each is searched anywhere.
    Words,
    /// Some piece is not: the run is searched as typed. The doubtful
    /// pieces (normalised) and why.
    AsTyped(Vec<(String, Doubt)>),
}

/// One run of a query text and the decision taken for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// The run, normalised (its pieces joined).
    pub text: String,
    /// Byte offsets of the run in the query text.
    pub offset_from: usize,
    /// End of the run in the query text.
    pub offset_to: usize,
    /// The segmenter's pieces (normalised).
    pub pieces: Vec<String>,
    /// How the run is searched.
    pub verdict: Verdict,
}

/// What the run rule asks of the segmenter and the index about a piece.
pub trait Lexicon {
    /// True when `w` (normalised) is a word of the segmenter's dictionary.
    fn in_dictionary(&self, w: &str) -> bool;
    /// True when some article has `w` as a word; `None` when there is no
    /// index to ask.
    fn in_index(&self, w: &str) -> Option<bool>;
}

/// Why `piece` is not vouched for, or `None` when it is.
pub fn doubt(piece: &str, lex: &dyn Lexicon) -> Option<Doubt> {
    if piece.chars().count() < 2 {
        return Some(Doubt::SingleCharacter);
    }
    if !piece.chars().any(is_cjk) {
        return None;
    }
    match lex.in_index(piece) {
        Some(true) => None,
        Some(false) => Some(Doubt::NotInIndex),
        None if lex.in_dictionary(piece) => None,
        None => Some(Doubt::NotInDictionary),
    }
}

/// The runs of `toks` (query words with offsets into `text`): maximal
/// sequences of tokens that touch in the text, holding a CJK character.
pub fn runs(toks: &[Token], lex: &dyn Lexicon) -> Vec<Run> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < toks.len() {
        let mut end = start + 1;
        while end < toks.len() && toks[end - 1].offset_to == toks[end].offset_from {
            end += 1;
        }
        let group = &toks[start..end];
        start = end;
        if !group.iter().any(|t| t.text.chars().any(is_cjk)) {
            continue;
        }
        let pieces: Vec<String> = group.iter().map(|t| t.text.clone()).collect();
        let verdict = if pieces.len() == 1 {
            Verdict::Whole
        } else {
            let doubts: Vec<(String, Doubt)> = pieces
                .iter()
                .filter_map(|p| doubt(p, lex).map(|d| (p.clone(), d)))
                .collect();
            if doubts.is_empty() {
                Verdict::Words
            } else {
                Verdict::AsTyped(doubts)
            }
        };
        out.push(Run {
            text: pieces.concat(),
            offset_from: group[0].offset_from,
            offset_to: group[group.len() - 1].offset_to,
            pieces,
            verdict,
        });
    }
    out
}

/// `toks` with every run that is searched as typed joined into one token
/// (its normalised text, its offsets in the query text).
pub fn join_as_typed(toks: Vec<Token>, runs: &[Run]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    for t in toks {
        let run = runs.iter().find(|r| {
            matches!(r.verdict, Verdict::AsTyped(_))
                && r.offset_from <= t.offset_from
                && t.offset_to <= r.offset_to
        });
        match (run, out.last_mut()) {
            (Some(r), Some(last)) if last.offset_from == r.offset_from => {
                last.text.push_str(&t.text);
                last.offset_to = t.offset_to;
            }
            _ => out.push(t),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dictionary and an index vocabulary given as lists.
    struct Lists<'a> {
        dictionary: &'a [&'a str],
        index: Option<&'a [&'a str]>,
    }

    impl Lexicon for Lists<'_> {
        fn in_dictionary(&self, w: &str) -> bool {
            self.dictionary.contains(&w)
        }
        fn in_index(&self, w: &str) -> Option<bool> {
            self.index.map(|i| i.contains(&w))
        }
    }

    /// Tokens of `text` cut at the given pieces (`|` between two pieces
    /// that touch, a space between two that do not).
    fn cut(spec: &str) -> Vec<Token> {
        let mut out = Vec::new();
        let mut pos = 0;
        for word in spec.split(' ') {
            for piece in word.split('|') {
                out.push(Token {
                    offset_from: pos,
                    offset_to: pos + piece.len(),
                    text: piece.to_string(),
                    ..Token::default()
                });
                pos += piece.len();
            }
            pos += 1;
        }
        out
    }

    const DICT: &[&str] = &[
        "北京",
        "小吃",
        "布什",
        "萨克斯",
        "去年",
        "希望",
        "收购",
        "增长",
    ];

    fn verdicts(spec: &str, index: Option<&[&str]>) -> Vec<(String, Verdict)> {
        let lex = Lists {
            dictionary: DICT,
            index,
        };
        runs(&cut(spec), &lex)
            .into_iter()
            .map(|r| (r.text, r.verdict))
            .collect()
    }

    #[test]
    fn runs_of_vouched_words_are_searched_as_words() {
        assert_eq!(
            verdicts("北京|小吃", Some(DICT)),
            [("北京小吃".to_string(), Verdict::Words)]
        );
        // Letters and digits are whole words.
        assert_eq!(
            verdicts("gdp|收购", None),
            [("gdp收购".to_string(), Verdict::Words)]
        );
        // One piece is one word; a run without CJK is no run.
        assert_eq!(
            verdicts("希望 iphone15", None),
            [("希望".to_string(), Verdict::Whole)]
        );
    }

    #[test]
    fn runs_with_a_doubtful_piece_are_searched_as_typed() {
        let typed = |pieces: &[(&str, Doubt)]| {
            Verdict::AsTyped(pieces.iter().map(|(p, d)| (p.to_string(), *d)).collect())
        };
        use Doubt::*;
        assert_eq!(
            verdicts("巴|布什|金", Some(DICT)),
            [(
                "巴布什金".to_string(),
                typed(&[("巴", SingleCharacter), ("金", SingleCharacter)])
            )]
        );
        assert_eq!(
            verdicts("萨克斯|坦", Some(DICT))[0].1,
            typed(&[("坦", SingleCharacter)])
        );
        assert_eq!(
            verdicts("在|希望|的", None)[0].1,
            typed(&[("在", SingleCharacter), ("的", SingleCharacter)])
        );
        assert_eq!(
            verdicts("2016|年", None)[0].1,
            typed(&[("年", SingleCharacter)])
        );
        assert_eq!(
            verdicts("增长|6", Some(DICT))[0].1,
            typed(&[("6", SingleCharacter)])
        );
        // An HMM guess, and a dictionary word no article has.
        assert_eq!(
            verdicts("黄华麒|校友", None)[0].1,
            typed(&[("黄华麒", NotInDictionary), ("校友", NotInDictionary)])
        );
        assert_eq!(
            verdicts("萨克斯|小吃", Some(&["小吃"]))[0].1,
            typed(&[("萨克斯", NotInIndex)])
        );
    }

    #[test]
    fn as_typed_runs_join_into_one_token() {
        let lex = Lists {
            dictionary: DICT,
            index: None,
        };
        let toks = cut("巴|布什|金 北京|小吃 去年|同");
        let rs = runs(&toks, &lex);
        let joined = join_as_typed(toks, &rs);
        let got: Vec<(&str, usize, usize)> = joined
            .iter()
            .map(|t| (t.text.as_str(), t.offset_from, t.offset_to))
            .collect();
        assert_eq!(
            got,
            [
                ("巴布什金", 0, 12),
                ("北京", 13, 19),
                ("小吃", 19, 25),
                ("去年同", 26, 35)
            ]
        );
    }
}
