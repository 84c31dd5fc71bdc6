//! The re-ranking features of one candidate article ([`Features`]), each
//! named for what it measures: where the query's words stand (the best
//! narrow and wide window, consecutive words in order), how much of the
//! query's weight the article and its title hold, how much of the title
//! the query covers, the body's length, and an answer of the kind the
//! question asks for next to a query word.
//!
//! Proximity matters because BM25 sees only how often each word occurs: a
//! long news article that mentions every word of a question somewhere
//! outranks the short passage that answers it; the best window fixes that.

use aho_corasick::AhoCorasick;

use super::answer::AnswerKind;
use super::best_passage;
use crate::analysis::normalize::{normalize_into, Normalized};
use crate::chars::is_word_char;

/// Width in characters of the wide window (a sentence or two).
const WIDE: usize = 64;

/// Width in characters of a passage (a paragraph or two).
const PASSAGE: usize = 256;

/// Characters at the start of the body that make its lead (the first
/// paragraph of a news article: who, what, where).
const LEAD: usize = 200;

/// How many characters may stand between the two words of an ordered pair.
const PAIR_GAP: usize = 2;

/// The longest part, in characters, of a name written with a dot
/// (克罗莫维焦约 in 拉诺米·克罗莫维焦约).
const NAME_PART: u32 = 6;

/// How far (in characters) a candidate answer may be from a query word.
const ANSWER_NEAR: usize = 24;

/// What the re-ranking knows of one candidate article besides its score,
/// each from 0 to 1 except `length` (see [`Terms::features`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, serde::Serialize)]
pub struct Features {
    /// Share of the query's weight in the best narrow window.
    pub window: f32,
    /// Share of the query's weight in the best 64-character window.
    pub wide: f32,
    /// Share of the query's weight anywhere in the article.
    pub coverage: f32,
    /// Cube of the share of the title the query's words cover.
    pub title_cover: f32,
    /// Share of the query's weight in the title.
    pub title_words: f32,
    /// ln(1 + body characters / 100): 1.1 for 200 characters, 2.4 for
    /// 1,000, 4.6 for 10,000.
    pub length: f32,
    /// Share of the weight of the query's consecutive word pairs that
    /// stand in the same order, at most `PAIR_GAP` (2) characters apart.
    pub pairs: f32,
    /// 1 when an answer of the kind the question asks for (an amount of
    /// money, a date …) stands within `ANSWER_NEAR` (24) characters of a query
    /// word, and is not one itself.
    pub answer: f32,
    /// Share of the query's weight in the best `PASSAGE` (256) character
    /// window: one section of a long report that is about the query.
    pub passage: f32,
    /// Share of the query's weight in the body's first `LEAD` (200)
    /// characters: what a news article is about stands in its lead.
    pub lead: f32,
    /// Share of the query's Chinese characters the article holds, each
    /// weighted by its rarity among the candidates (see
    /// [`super::characters`]); set by the re-ranking over all candidates
    /// at once, 0 for a query of one word.
    pub characters: f32,
    /// BM25 of the body's best passage beyond that of the whole body (see
    /// [`super::best_passage`]): 0 for a body no longer than a passage.
    pub best_passage: f32,
}

/// True when one of `answers` (character ranges) stands within
/// [`ANSWER_NEAR`] characters of a query word occurrence of `occ` (sorted
/// by start) and is not inside one: 原因 in 火灾原因 is the question's own
/// word, not its answer (6000米 next to the query word 米 is one).
fn answer_near(occ: &[(usize, usize, usize)], answers: &[(usize, usize)]) -> bool {
    // reach[k]: the furthest end among the first k occurrences.
    let mut reach = Vec::with_capacity(occ.len() + 1);
    reach.push(0usize);
    for o in occ {
        let last = reach[reach.len() - 1];
        reach.push(last.max(o.1));
    }
    answers.iter().any(|&(a, b)| {
        let starting_by = |c: usize| occ.partition_point(|o| o.0 <= c);
        let k = starting_by(a);
        if k > 0 && reach[k] >= b {
            return false; // inside a query word
        }
        // Some occurrence starts before the answer ends (plus the margin)
        // and ends after its start (minus the margin).
        let k = starting_by(b + ANSWER_NEAR);
        k > 0 && reach[k] + ANSWER_NEAR >= a
    })
}

/// The query words with their weights (inverse document frequencies).
#[derive(Debug, Clone, Default)]
pub struct Terms {
    words: Vec<String>,
    idf: Vec<f32>,
    total: f32,
    /// All the words at once: one pass over an article finds every
    /// occurrence of each (`None` for fewer than two words, whose
    /// occurrences the features never look for, or when the automaton
    /// cannot be built; then each word is looked for on its own).
    matcher: Option<AhoCorasick>,
}

/// An article's title and body normalised as one text (the title, a line
/// break, the body), as the features read it.
pub struct Folded {
    text: String,
    /// Byte length of the normalised title.
    title_end: usize,
    /// Characters of the title.
    title_chars: usize,
}

impl Folded {
    /// `title` and `body` normalised.
    pub fn new(title: &str, body: &str) -> Folded {
        let mut text = String::with_capacity(title.len() + body.len() + 1);
        normalize_into(title, &mut text);
        let title_end = text.len();
        text.push('\n');
        normalize_into(body, &mut text);
        Folded {
            text,
            title_end,
            title_chars: title.chars().count(),
        }
    }

    /// The normalised text.
    pub fn text(&self) -> &str {
        &self.text
    }
}

/// Bytes between two counts of [`CharIndex`].
const BLOCK: usize = 64;

/// The character index of byte offsets of a text: the characters that
/// start before every [`BLOCK`]th byte, the rest counted when asked.
struct CharIndex<'t> {
    bytes: &'t [u8],
    before: Vec<u32>,
}

/// Characters that start in `b` (bytes that are not UTF-8 continuations).
fn starts_in(b: &[u8]) -> u32 {
    b.iter().filter(|&&x| (x as i8) >= -0x40).count() as u32
}

impl<'t> CharIndex<'t> {
    fn new(t: &'t str) -> CharIndex<'t> {
        let bytes = t.as_bytes();
        let mut before = Vec::with_capacity(bytes.len() / BLOCK + 2);
        let mut n = 0;
        for block in bytes.chunks(BLOCK) {
            before.push(n);
            n += starts_in(block);
        }
        before.push(n);
        CharIndex { bytes, before }
    }

    /// Characters in the text.
    fn chars(&self) -> usize {
        self.before.last().copied().unwrap_or(0) as usize
    }

    /// The characters that start before byte `byte` (the index of the
    /// character starting there).
    fn at(&self, byte: usize) -> usize {
        let k = byte / BLOCK;
        (self.before[k] + starts_in(&self.bytes[k * BLOCK..byte])) as usize
    }
}

impl Terms {
    /// Terms from normalised `words` and their document frequencies among
    /// `docs` articles; duplicates and empty words are dropped.
    pub fn new(words: &[String], doc_freq: impl Fn(&str) -> u64, docs: u64) -> Terms {
        let mut t = Terms::default();
        for w in words {
            if w.is_empty() || t.words.contains(w) {
                continue;
            }
            let df = doc_freq(w).min(docs) as f32;
            let n = docs as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            t.total += idf;
            t.words.push(w.clone());
            t.idf.push(idf);
        }
        if t.words.len() > 1 {
            t.matcher = AhoCorasick::new(&t.words).ok();
        }
        t
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there is no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The share (0 to 1) of the query's weight that the best window of
    /// `window` characters of `text` holds, each word counted once.
    #[cfg(test)]
    pub fn best_window(&self, text: &str, window: usize) -> f32 {
        let norm = Normalized::new(text);
        let occ = self.occurrences(&norm.text, &CharIndex::new(&norm.text));
        self.window_share(&occ, window)
    }

    /// Every occurrence of a query word in normalised `t`, as (start char,
    /// end char, word), in text order; `index` is `t`'s.
    ///
    /// Each word's occurrences are the ones `str::match_indices` finds:
    /// from the left, none overlapping another of the same word (one
    /// word's may overlap another's).
    fn occurrences(&self, t: &str, index: &CharIndex) -> Vec<(usize, usize, usize)> {
        let mut occ: Vec<(usize, usize, usize)> = Vec::new();
        match &self.matcher {
            Some(ac) => {
                // Every occurrence of every word, overlapping ones too;
                // one word's come in text order (they all have its
                // length), so keeping those that start at or after the
                // end of the last one kept is `match_indices`'s choice.
                let mut free = vec![0usize; self.words.len()];
                for m in ac.find_overlapping_iter(t) {
                    let wi = m.pattern().as_usize();
                    if m.start() >= free[wi] {
                        free[wi] = m.end();
                        occ.push((index.at(m.start()), index.at(m.end()), wi));
                    }
                }
            }
            None => {
                for (wi, w) in self.words.iter().enumerate() {
                    for (i, m) in t.match_indices(w.as_str()) {
                        occ.push((index.at(i), index.at(i + m.len()), wi));
                    }
                }
            }
        }
        occ.sort_unstable();
        occ
    }

    /// The share of the query's weight in the best window of `window`
    /// characters over the sorted occurrences `occ`.
    fn window_share(&self, occ: &[(usize, usize, usize)], window: usize) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let mut count = vec![0u32; self.words.len()];
        let (mut sum, mut best) = (0.0f32, 0.0f32);
        let mut lo = 0;
        for hi in 0..occ.len() {
            let (_, end, w) = occ[hi];
            if count[w] == 0 {
                sum += self.idf[w];
            }
            count[w] += 1;
            while lo < hi && end - occ[lo].0 > window {
                let lw = occ[lo].2;
                count[lw] -= 1;
                if count[lw] == 0 {
                    sum -= self.idf[lw];
                }
                lo += 1;
            }
            best = best.max(sum);
        }
        (best / self.total).min(1.0)
    }

    /// The share of the query's weight that occurs anywhere in `occ`.
    fn coverage(&self, occ: &[(usize, usize, usize)]) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let mut seen = vec![false; self.words.len()];
        occ.iter().for_each(|o| seen[o.2] = true);
        let sum = seen
            .iter()
            .zip(&self.idf)
            .filter(|(s, _)| **s)
            .fold(0.0f32, |acc, (_, i)| acc + i);
        (sum / self.total).min(1.0)
    }

    /// The share of the weight of consecutive query word pairs found in
    /// order and close together in `occ`.
    fn ordered_pairs(&self, occ: &[(usize, usize, usize)]) -> f32 {
        let n = self.words.len();
        if n < 2 {
            return 0.0;
        }
        // Start characters of each word's occurrences, ascending.
        let mut starts: Vec<Vec<usize>> = vec![Vec::new(); n];
        occ.iter().for_each(|&(s, _, w)| starts[w].push(s));
        let (mut all, mut hit) = (0.0f32, 0.0f32);
        for i in 0..n - 1 {
            let w = self.idf[i] + self.idf[i + 1];
            all += w;
            let next = &starts[i + 1];
            let found = occ.iter().filter(|o| o.2 == i).any(|&(_, end, _)| {
                let k = next.partition_point(|&s| s < end);
                next.get(k).is_some_and(|&s| s - end <= PAIR_GAP)
            });
            if found {
                hit += w;
            }
        }
        if all > 0.0 {
            hit / all
        } else {
            0.0
        }
    }

    /// The re-ranking features of one article (see [`Features`]); `kind`
    /// is what the question asks for, if it says; `window` and `passage`
    /// are the widths of the narrow window and of the best passage
    /// ([`Features::best_passage`]).
    pub fn features(
        &self,
        title: &str,
        body: &str,
        kind: Option<AnswerKind>,
        window: usize,
        passage: usize,
    ) -> Features {
        if self.len() < 2 {
            // One word: where it stands says nothing more than BM25 does,
            // and keyword searches (the common case) skip the body.
            return Features {
                title_cover: self.title_cover(title).powi(3),
                ..Features::default()
            };
        }
        self.features_folded(&Folded::new(title, body), kind, window, passage)
    }

    /// [`Terms::features`] of a title and body already normalised.
    pub fn features_folded(
        &self,
        folded: &Folded,
        kind: Option<AnswerKind>,
        window: usize,
        passage: usize,
    ) -> Features {
        let t: &str = &folded.text;
        let title_end = folded.title_end;
        if self.len() < 2 {
            return Features {
                title_cover: self.normalised_title_cover(&t[..title_end]).powi(3),
                ..Features::default()
            };
        }
        let index = CharIndex::new(t);
        let occ = self.occurrences(t, &index);
        // Normalisation maps one character to one character.
        let title_chars = folded.title_chars;
        let title_occ: Vec<_> = occ.iter().copied().filter(|o| o.1 <= title_chars).collect();
        let title_cover = self.normalised_title_cover(&t[..title_end]).powi(3);
        let answer = kind.map_or(0.0, |k| {
            f32::from(u8::from(answer_near(&occ, &k.find(t, |b| index.at(b)))))
        });
        let chars = index.chars().saturating_sub(title_chars + 1);
        let lead_occ: Vec<_> = occ
            .iter()
            .copied()
            .filter(|o| o.0 > title_chars && o.1 <= title_chars + 1 + LEAD)
            .collect();
        let body_occ: Vec<_> = occ.iter().copied().filter(|o| o.0 > title_chars).collect();
        Features {
            window: self.window_share(&occ, window),
            wide: self.window_share(&occ, WIDE),
            coverage: self.coverage(&occ),
            title_cover,
            title_words: self.coverage(&title_occ),
            length: (1.0 + chars as f32 / 100.0).ln(),
            pairs: self.ordered_pairs(&occ),
            answer,
            passage: self.window_share(&occ, PASSAGE),
            lead: self.coverage(&lead_occ),
            characters: 0.0,
            best_passage: best_passage::gain(&body_occ, &self.idf, chars, passage),
        }
    }

    /// The share (0 to 1) of the title's letters, digits and ideographs
    /// that query words cover, leaving out bracketed qualifiers such as
    /// "杨昊 (足球运动员)" or "【要闻】": 1 when the query names exactly
    /// what the article is about.
    pub fn title_cover(&self, title: &str) -> f32 {
        self.normalised_title_cover(&Normalized::new(title).text)
    }

    /// [`Terms::title_cover`] of a title already normalised.
    fn normalised_title_cover(&self, t: &str) -> f32 {
        let mut covered = vec![false; t.len()];
        for w in &self.words {
            for (i, m) in t.match_indices(w.as_str()) {
                covered[i..i + m.len()].iter_mut().for_each(|c| *c = true);
            }
        }
        let (mut depth, mut all, mut hit) = (0u32, 0u32, 0u32);
        // The best part of a transliterated name (拉诺米·克罗莫维焦约): a
        // question names a person by one part of the name.
        // A title of parts longer than a name (财经·A股市场今日大幅震荡) is
        // a column and a headline: there only the whole title counts.
        let (mut part_all, mut part_hit, mut best_part) = (0u32, 0u32, 0.0f32);
        let mut longest_part = 0u32;
        let mut close_part = |part_all: &mut u32, part_hit: &mut u32| {
            if *part_all >= 2 {
                best_part = best_part.max(*part_hit as f32 / *part_all as f32);
            }
            longest_part = longest_part.max(*part_all);
            (*part_all, *part_hit) = (0, 0);
        };
        let mut parts = 0;
        for (i, c) in t.char_indices() {
            match c {
                '(' | '（' | '[' | '【' | '〔' => depth += 1,
                ')' | '）' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
                '·' | '•' | '・' | '‧' if depth == 0 => {
                    parts += 1;
                    close_part(&mut part_all, &mut part_hit);
                }
                c if depth == 0 && is_word_char(c) => {
                    all += 1;
                    hit += u32::from(covered[i]);
                    part_all += 1;
                    part_hit += u32::from(covered[i]);
                }
                _ => {}
            }
        }
        close_part(&mut part_all, &mut part_hit);
        if all == 0 {
            0.0
        } else if parts > 0 && longest_part <= NAME_PART {
            (hit as f32 / all as f32).max(best_part)
        } else {
            hit as f32 / all as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str], dfs: &[u64]) -> Terms {
        let words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        Terms::new(
            &words,
            |w| dfs[words.iter().position(|x| x == w).unwrap_or(0)],
            1000,
        )
    }

    /// The one-pass matcher finds what `match_indices` finds word by word,
    /// where words overlap themselves (啊啊 in 啊啊啊) and each other.
    #[test]
    fn one_pass_occurrences_are_each_words_own() {
        let t = terms(&["啊啊", "啊", "中国", "国人", "人民", "a"], &[1; 6]);
        let mut plain = t.clone();
        plain.matcher = None;
        assert!(t.matcher.is_some());
        let mut x: u64 = 7;
        let alphabet = ['啊', '中', '国', '人', '民', 'a', 'b', '，'];
        for _ in 0..500 {
            let text: String = (0..40)
                .map(|_| {
                    x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    alphabet[((x >> 33) % alphabet.len() as u64) as usize]
                })
                .collect();
            let index = CharIndex::new(&text);
            assert_eq!(
                t.occurrences(&text, &index),
                plain.occurrences(&text, &index),
                "{text}"
            );
        }
        let text = "啊啊啊中国人民";
        let occ = t.occurrences(text, &CharIndex::new(text));
        // 啊啊 once (not twice, overlapping), 啊 three times.
        assert_eq!(occ.iter().filter(|o| o.2 == 0).count(), 1);
        assert_eq!(occ.iter().filter(|o| o.2 == 1).count(), 3);
    }

    #[test]
    fn close_words_fill_the_window() {
        let t = terms(&["长江", "江豚"], &[10, 10]);
        assert!((t.best_window("长江江豚数量回升", 20) - 1.0).abs() < 1e-6);
        let far = format!("长江{}江豚", "的".repeat(50));
        assert!((t.best_window(&far, 20) - 0.5).abs() < 1e-6);
        assert_eq!(t.best_window("无关的内容", 20), 0.0);
        // A word longer than the window still counts.
        assert!((t.best_window("长江江豚", 1) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn title_cover_ignores_qualifiers() {
        let t = terms(&["杨昊", "效力"], &[5, 50]);
        assert_eq!(t.title_cover("杨昊 (足球运动员)"), 1.0);
        assert_eq!(t.title_cover("杨昊（足球运动员）"), 1.0);
        assert_eq!(t.title_cover("杨昊加盟"), 0.5);
        assert_eq!(t.title_cover(""), 0.0);
        let t = terms(&["拉诺米", "纪录"], &[5, 50]);
        assert_eq!(t.title_cover("拉诺米·克罗莫维焦约"), 1.0);
        assert_eq!(t.title_cover("马伦·费尔德海斯"), 0.0);
        // A column and a headline are not a name.
        let t = terms(&["财经", "下跌"], &[5, 50]);
        assert!(t.title_cover("财经·A股市场今日大幅震荡") < 0.2);
    }

    #[test]
    fn rare_words_weigh_more_and_text_is_normalised() {
        let t = terms(&["马斯克", "公司"], &[5, 500]);
        let rare = t.best_window("馬斯克", 20);
        let common = t.best_window("公司", 20);
        assert!(rare > common && (rare + common - 1.0).abs() < 1e-5);
    }

    #[test]
    fn features_see_order_answers_and_length() {
        let t = terms(&["雅思", "报名费"], &[10, 10]);
        let near = t.features(
            "",
            "雅思报名费为1960元。",
            AnswerKind::of("雅思报名费多少钱"),
            16,
            0,
        );
        assert_eq!(near.pairs, 1.0);
        assert_eq!(near.answer, 1.0);
        assert_eq!(near.coverage, 1.0);
        let far = format!("报名费雅思{}1960元", "的".repeat(60));
        let far = t.features("", &far, AnswerKind::of("雅思报名费多少钱"), 16, 0);
        assert_eq!(far.pairs, 0.0, "the pair stands in the wrong order");
        assert_eq!(far.answer, 0.0, "the amount is far from every query word");
        assert!(far.length > near.length);
        let none = t.features("", "雅思报名费为1960元。", None, 16, 0);
        assert_eq!(none.answer, 0.0, "the question asks for no kind of answer");
    }

    #[test]
    fn a_query_word_is_not_its_own_answer() {
        let t = terms(&["火灾", "原因"], &[10, 10]);
        let kind = AnswerKind::of("火灾原因");
        assert_eq!(
            t.features("", "火灾原因尚在调查之中。", kind, 16, 0).answer,
            0.0
        );
        let f = t.features("", "这次火灾的原因是因为电线老化。", kind, 16, 0);
        assert_eq!(f.answer, 1.0);
        // Before and after, near and far; inside a query word or around one.
        let occ = [(10, 12, 0)];
        assert!(answer_near(&occ, &[(0, 2)]));
        assert!(answer_near(&occ, &[(14, 16)]));
        assert!(!answer_near(&occ, &[(40, 42)]));
        assert!(!answer_near(&occ, &[(10, 12)]));
        assert!(answer_near(&occ, &[(6, 11)]));
        assert!(!answer_near(&[], &[(0, 2)]));
    }

    #[test]
    fn a_line_break_in_the_title_changes_nothing() {
        let t = terms(&["长江", "江豚"], &[10, 10]);
        let a = t.features("长江\n江豚", "正文", None, 16, 0);
        let b = t.features("长江 江豚", "正文", None, 16, 0);
        assert_eq!((a.title_words, a.length), (b.title_words, b.length));
    }
}
