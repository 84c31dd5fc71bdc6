//! The words of unquoted query text, as a search uses them.
//!
//! The query cut of jieba (see [`Segmenter::query_words`]) is mended
//! against what the index knows ([`mend_words`]: a name jieba glued to a
//! neighbouring character is split off again) and short terms cut around
//! a stop word are joined back ([`join_short_runs`]); [`search_words`] then
//! drops the stop words. Both `search` (through the query plan) and
//! `analyze --mode query` use these, so they always agree.

pub mod reading;
pub mod runs;

use tantivy::tokenizer::Token;

use super::normalize::normalize;
use super::segmenter::Segmenter;
use super::stopwords::{is_question, is_stop_word};
use super::tokens::TokenBuf;
use crate::chars::is_cjk;
use reading::Reading;
use runs::{join_as_typed, runs, Run};

/// The words a query made of unquoted `text` alone stands for: the query
/// segmentation of the normalised text without stop words (all of them
/// when only stop words are left), with offsets into `text`. `newsidx
/// analyze --mode query` shows these.
pub fn search_words(seg: &Segmenter, text: &str, vocab: Option<&dyn Vocabulary>) -> Vec<Token> {
    let toks = &query_tokens(seg, text, vocab)[..];
    if toks.iter().all(|t| is_stop_word(&t.text)) {
        return toks.to_vec();
    }
    toks.iter()
        .filter(|t| !is_stop_word(&t.text))
        .cloned()
        .collect()
}

/// What a search does with unquoted `text` typed alone: the words it
/// requires (as [`search_words`], with the runs matched as typed joined
/// into one word each), the runs of keywords with their verdicts (none
/// for natural-language text, see [`runs`]), and how the text
/// reads ([`Reading`]). `newsidx analyze --mode query` shows these.
pub fn query_analysis(
    seg: &Segmenter,
    text: &str,
    vocab: Option<&dyn Vocabulary>,
) -> (Vec<Token>, Vec<Run>, Reading) {
    let toks = query_tokens(seg, text, vocab);
    let texts: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    let reading = Reading::of(&normalize(text), &texts);
    if reading.is_natural() {
        return (search_words(seg, text, vocab), Vec::new(), reading);
    }
    let runs = runs(&toks, &RunLexicon { seg, vocab });
    let joined = join_as_typed(toks, &runs);
    let words = if joined.iter().all(|t| is_stop_word(&t.text)) {
        joined
    } else {
        joined
            .into_iter()
            .filter(|t| !is_stop_word(&t.text))
            .collect()
    };
    (words, runs, Reading::Keywords)
}

/// The words of unquoted keyword text under the run rule: the query
/// words, with each run the segmenter cannot vouch for joined into one
/// word matched as typed, and the runs with their verdicts.
pub fn keyword_words(
    seg: &Segmenter,
    text: &str,
    vocab: Option<&dyn Vocabulary>,
) -> (Vec<String>, Vec<Run>) {
    let toks = query_tokens(seg, text, vocab);
    let runs = runs(&toks, &RunLexicon { seg, vocab });
    let words = join_as_typed(toks, &runs)
        .into_iter()
        .map(|t| t.text)
        .collect();
    (words, runs)
}

/// The segmenter's dictionary and the index's words, for the run rule.
pub struct RunLexicon<'a> {
    /// The segmenter (its dictionary or query lexicon).
    pub seg: &'a Segmenter,
    /// The index's vocabulary, when there is an index.
    pub vocab: Option<&'a dyn Vocabulary>,
}

impl runs::Lexicon for RunLexicon<'_> {
    fn in_dictionary(&self, w: &str) -> bool {
        self.seg.in_dictionary(w)
    }
    fn in_index(&self, w: &str) -> Option<bool> {
        self.vocab.map(|v| v.is_word(w))
    }
}

/// The query segmentation of `text`, mended against `vocab` when there is
/// one (see [`mend_words`]), with short runs joined back
/// ([`join_short_runs`]); offsets into `text`.
fn query_tokens(seg: &Segmenter, text: &str, vocab: Option<&dyn Vocabulary>) -> Vec<Token> {
    let mut toks = TokenBuf::default();
    seg.query_words(text, &mut toks);
    join_short_runs(
        match vocab {
            Some(v) => mend_words(toks.as_slice(), text, v),
            None => toks.as_slice().to_vec(),
        },
        text,
    )
}

/// Longest run of CJK text, in characters, that is searched as typed when
/// its cut holds a stop word: a term, not a sentence.
const SHORT_RUN: usize = 3;

/// Joins back the words of a short run of CJK text (at most [`SHORT_RUN`]
/// characters, standing apart from letters and digits in `text`) that
/// jieba cut into pieces one of which is a single-character stop word:
/// 碳中和 → 碳中 和, 中和 → 中 和, 的士 → 的 士. Dropping the stop word would
/// search for 碳中 or 中 alone; in keywords, a run that short is a term the
/// user typed, so it is searched verbatim. Questions (是谁) are never
/// joined.
fn join_short_runs(toks: Vec<Token>, text: &str) -> Vec<Token> {
    if is_question(text, toks.iter().map(|t| t.text.as_str())) {
        return toks;
    }
    let apart = |from: usize, to: usize| {
        let before = text.get(..from).and_then(|s| s.chars().next_back());
        let after = text.get(to..).and_then(|s| s.chars().next());
        [before, after]
            .into_iter()
            .flatten()
            .all(|c| !c.is_alphanumeric() || is_cjk(c))
    };
    let mut out: Vec<Token> = Vec::with_capacity(toks.len());
    let mut start = 0;
    while start < toks.len() {
        let mut end = start + 1;
        while end < toks.len()
            && toks[end - 1].offset_to == toks[end].offset_from
            && toks[end].text.chars().all(is_cjk)
            && toks[end - 1].text.chars().all(is_cjk)
        {
            end += 1;
        }
        let run = &toks[start..end];
        let chars: usize = run.iter().map(|t| t.text.chars().count()).sum();
        let stop_piece = run
            .iter()
            .any(|t| t.text.chars().count() == 1 && is_stop_word(&t.text));
        let whole = apart(run[0].offset_from, run[run.len() - 1].offset_to);
        if run.len() > 1 && chars <= SHORT_RUN && stop_piece && whole {
            let mut joined = run[0].clone();
            joined.text = run.iter().map(|t| t.text.as_str()).collect();
            joined.offset_to = run[run.len() - 1].offset_to;
            out.push(joined);
        } else {
            out.extend(run.iter().cloned());
        }
        start = end;
    }
    out
}

/// The words of unquoted query text, as the search uses them.
pub fn query_words(seg: &Segmenter, text: &str, vocab: Option<&dyn Vocabulary>) -> Vec<String> {
    query_tokens(seg, text, vocab)
        .into_iter()
        .map(|t| t.text)
        .collect()
}

/// What the index knows of a word, for [`mend_words`].
pub trait Vocabulary {
    /// True when some article has `w` (normalised) as a jieba word.
    fn is_word(&self, w: &str) -> bool;
    /// True when some article contains `w` verbatim.
    fn occurs(&self, w: &str) -> bool;
}

/// Mends query words against the index vocabulary. A query word of three
/// or more CJK characters that the index has never seen as a word, but
/// that leaves one it has when its first or last character is taken off,
/// is split there: jieba's HMM glues an unknown name to the character
/// after or before it in a question (黄华麒是哪个大学毕业的 → 黄华麒是), while
/// in the articles the name stands before punctuation or a known word.
/// Failing that, a word of four or more characters is split where the
/// rest (three or more, rare enough to mean something) occurs verbatim in
/// some article: the name may be cut there too (史继偕著 → 史继偕 著, the
/// articles' jieba words being 史继 偕). The split-off character is its
/// own word (a stop word such as 是 then drops out of the ranking).
/// Conversely a single character that HMM left beside a word rejoins it
/// where together they are a word of the index
/// (拉诺 米 → 拉诺米). Only text of two or more words is mended, and a word
/// that some article contains verbatim is never split: a single word is
/// searched as typed. Offsets stay on `text`, which the tokens were cut
/// from.
pub fn mend_words(toks: &[Token], text: &str, vocab: &dyn Vocabulary) -> Vec<Token> {
    if toks.len() < 2 {
        return toks.to_vec();
    }
    let known = |w: &str| vocab.is_word(w);
    let mut out = Vec::with_capacity(toks.len());
    for t in toks {
        let w = t.text.as_str();
        let chars: Vec<usize> = w.char_indices().map(|(i, _)| i).collect();
        // Where to split: where the rest is an index word, else (4+
        // characters) where it is verbatim text — a name jieba cuts in the
        // articles too (史继 偕), glued to the next character of the
        // question (史继偕著). The last character off first, then the first.
        let verbatim = |r: &str| chars.len() >= 4 && vocab.occurs(r);
        let tests: [&dyn Fn(&str) -> bool; 2] = [&known, &verbatim];
        let at = if chars.len() < 3 || !w.chars().all(is_cjk) || known(w) || vocab.occurs(w) {
            None
        } else {
            let last = chars.len() - 1;
            tests.into_iter().find_map(|test| {
                if test(&w[..chars[last]]) {
                    Some(last)
                } else if test(&w[chars[1]..]) {
                    Some(1)
                } else {
                    None
                }
            })
        };
        // The original text has as many characters (normalisation is 1:1).
        let orig_at = at.and_then(|k| {
            text.get(t.offset_from..t.offset_to)?
                .char_indices()
                .nth(k)
                .map(|(i, _)| t.offset_from + i)
        });
        match (at, orig_at) {
            (Some(k), Some(o)) => {
                let mut head = t.clone();
                head.text = w[..chars[k]].to_string();
                head.offset_to = o;
                let mut tail = t.clone();
                tail.text = w[chars[k]..].to_string();
                tail.offset_from = o;
                out.push(head);
                out.push(tail);
            }
            _ => out.push(t.clone()),
        }
    }
    // Merge a single character back onto its neighbour where together they
    // are a word of the index (拉诺 米 → 拉诺米).
    let mut merged: Vec<Token> = Vec::with_capacity(out.len());
    for t in out {
        if let Some(p) = merged.last_mut() {
            let single = |s: &str| s.chars().count() == 1;
            let joined = format!("{}{}", p.text, t.text);
            if p.offset_to == t.offset_from
                && (single(&p.text) || single(&t.text))
                && joined.chars().all(is_cjk)
                && !is_stop_word(&p.text)
                && !is_stop_word(&t.text)
                && known(&joined)
            {
                p.text = joined;
                p.offset_to = t.offset_to;
                continue;
            }
        }
        merged.push(t);
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vocabulary of the given words, none of which occurs otherwise.
    struct Known<'a>(&'a [&'a str]);

    impl Vocabulary for Known<'_> {
        fn is_word(&self, w: &str) -> bool {
            self.0.contains(&w)
        }
        fn occurs(&self, w: &str) -> bool {
            self.is_word(w)
        }
    }

    #[test]
    fn short_runs_cut_around_a_stop_word_are_joined() {
        let texts = |text: &str, toks: &[(usize, usize, &str)]| {
            let mut buf = crate::analysis::tokens::TokenBuf::default();
            for &(from, to, w) in toks {
                buf.push(from, to, w);
            }
            join_short_runs(buf.as_slice().to_vec(), text)
                .into_iter()
                .map(|t| {
                    assert_eq!(t.text, text[t.offset_from..t.offset_to]);
                    t.text
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(texts("碳中和", &[(0, 6, "碳中"), (6, 9, "和")]), ["碳中和"]);
        // Each run on its own: 目标 has no stop word.
        assert_eq!(
            texts(
                "碳中和 目标",
                &[(0, 6, "碳中"), (6, 9, "和"), (10, 16, "目标")]
            ),
            ["碳中和", "目标"]
        );
        // Longer runs, runs against digits and runs with an interrogative
        // stay cut; so do runs without a stop word.
        assert_eq!(
            texts(
                "中国和美国",
                &[(0, 6, "中国"), (6, 9, "和"), (9, 15, "美国")]
            ),
            ["中国", "和", "美国"]
        );
        assert_eq!(
            texts(
                "韩国于1997",
                &[(0, 6, "韩国"), (6, 9, "于"), (9, 13, "1997")]
            ),
            ["韩国", "于", "1997"]
        );
        assert_eq!(texts("是谁", &[(0, 3, "是"), (3, 6, "谁")]), ["是", "谁"]);
        assert_eq!(
            texts("小吃街", &[(0, 6, "小吃"), (6, 9, "街")]),
            ["小吃", "街"]
        );
    }

    #[test]
    fn glued_names_are_split_where_the_index_knows_the_rest() {
        let mut buf = crate::analysis::tokens::TokenBuf::default();
        let text = "黄华麒是校友，听说杨昊现在";
        buf.push(0, 12, "黄华麒是");
        buf.push(12, 18, "校友");
        buf.push(27, 36, "杨昊现");
        let known = Known(&["黄华麒", "昊现", "校友"]);
        let out = mend_words(buf.as_slice(), text, &known);
        let got: Vec<(&str, &str)> = out
            .iter()
            .map(|t| (t.text.as_str(), &text[t.offset_from..t.offset_to]))
            .collect();
        assert_eq!(
            got,
            [
                ("黄华麒", "黄华麒"),
                ("是", "是"),
                ("校友", "校友"),
                ("杨", "杨"),
                ("昊现", "昊现")
            ]
        );
        // Known words, short words and words the index has no part of stay.
        let out = mend_words(buf.as_slice(), text, &Known(&[]));
        assert_eq!(out.len(), 3);
        // A single word is searched as typed.
        assert_eq!(mend_words(&buf.as_slice()[..1], text, &known).len(), 1);
        // A single character joins its neighbour where together they are
        // a word of the index; stop words never join.
        let mut buf = crate::analysis::tokens::TokenBuf::default();
        let text = "拉诺米是";
        buf.push(0, 6, "拉诺");
        buf.push(6, 9, "米");
        buf.push(9, 12, "是");
        let known = Known(&["拉诺米", "拉诺米是"]);
        let out = mend_words(buf.as_slice(), text, &known);
        let got: Vec<&str> = out.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(got, ["拉诺米", "是"]);
        assert_eq!((out[0].offset_from, out[0].offset_to), (0, 9));
    }

    /// No word of the index, but text the articles contain verbatim.
    struct Seen<'a>(&'a [&'a str]);

    impl Vocabulary for Seen<'_> {
        fn is_word(&self, _: &str) -> bool {
            false
        }
        fn occurs(&self, w: &str) -> bool {
            self.0.iter().any(|s| s.contains(w))
        }
    }

    #[test]
    fn glued_names_are_split_where_the_articles_have_the_rest_verbatim() {
        // jieba cuts the name in the articles too (史继 偕): not a word of
        // the index, but there verbatim.
        let mut buf = crate::analysis::tokens::TokenBuf::default();
        let text = "史继偕著书册";
        buf.push(0, 12, "史继偕著");
        buf.push(12, 18, "书册");
        let seen = Seen(&["史继偕（），字世程"]);
        let out = mend_words(buf.as_slice(), text, &seen);
        let got: Vec<&str> = out.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(got, ["史继偕", "著", "书册"]);
        // Nothing found either way: searched as typed.
        let out = mend_words(buf.as_slice(), text, &Seen(&["别的文章"]));
        assert_eq!(out.len(), 2);
    }

    fn words(q: &str) -> Vec<String> {
        search_words(&Segmenter::new(), q, None)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn search_words_drop_question_words_unless_nothing_is_left() {
        assert_eq!(words("馬斯克在哪裡？"), ["马斯克"]);
        assert_eq!(words("是什么"), ["是", "什么"]);
    }
}
