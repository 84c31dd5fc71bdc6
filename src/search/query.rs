//! From a parsed query to tantivy queries over both analysed views.
//!
//! Every required piece of the query becomes a *unit*. A unit matches an
//! article when its text occurs in it verbatim (a phrase over the bigram
//! view: grep parity) and scores through both views, so an article where
//! the text is a real jieba word ranks above one where it only straddles a
//! word boundary. Units are combined with a coordination bonus per matched
//! unit, which turns "all words must match" into buckets when the match is
//! relaxed (see [`Plan::query`]).

use std::ops::Bound;

use tantivy::query::{
    BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query, RangeQuery,
    RegexPhraseQuery, RegexQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::tokenizer::Token;
use tantivy::{DateTime, Term};

use super::stopwords::{is_question, is_stop_word};
use super::syntax::{Atom, Clause, Parsed, Scope};
use crate::analysis::bigram::{is_cjk, is_word_char, is_word_token, query_terms};
use crate::analysis::normalize::normalize;
use crate::analysis::Segmenter;
use crate::index::Fields;

/// Ranking weights (tuned on the tuning sets; see BENCHMARKS.md).
#[derive(Debug, Clone, Copy)]
pub struct Weights {
    /// Title, jieba words.
    pub title_words: f32,
    /// Body, jieba words.
    pub body_words: f32,
    /// Title, bigram substring.
    pub title_bigrams: f32,
    /// Body, bigram substring.
    pub body_bigrams: f32,
    /// Bonus per matched unit: articles with more of the query's words
    /// rank first, BM25 orders those with as many.
    pub coord: f32,
    /// Weight of the whole unquoted text occurring verbatim (a proximity
    /// signal: 巴布什金 cut as 巴/布什/金 still ranks the name first).
    pub chunk: f32,
    /// Weight of each bigram of the query words on its own (scored, never
    /// required): partial credit when a word as a whole is missing, e.g. a
    /// name jieba glued to its neighbour (魏舒史 for 魏舒 + 史称).
    pub bigram_bag: f32,
    /// Proximity re-ranking: the top candidates gain this share of the
    /// best candidate's score times the share of the query's weight their
    /// best window holds (see [`super::proximity`]); 0 drops this feature
    /// (`rerank_depth = 0` turns the whole re-ranking off).
    pub proximity: f32,
    /// Width of that window, in characters.
    pub window: usize,
    /// Re-ranking bonus (times the best candidate's score) for a title
    /// the query's words cover (see [`super::proximity::Terms::title_cover`]).
    pub title_cover: f32,
    /// How many top candidates are re-ranked.
    pub rerank_depth: usize,
    /// Re-ranking bonus for the share of the query's weight within 64
    /// characters (see [`super::proximity::Features`]).
    pub wide: f32,
    /// Re-ranking bonus for the share of the query's weight anywhere.
    pub coverage: f32,
    /// Re-ranking bonus for the share of the query's weight in the title.
    pub title_words_share: f32,
    /// Re-ranking bonus per unit of ln(1 + body characters / 100)
    /// (negative: a penalty for length).
    pub length: f32,
    /// Re-ranking bonus for consecutive query words found in order.
    pub pairs: f32,
    /// Re-ranking bonus for an answer of the kind the question asks for
    /// next to a query word (see [`super::answer`]).
    pub answer: f32,
}

impl Weights {
    /// The re-ranking bonus of an article with features `x`, in units of
    /// the best candidate's score.
    pub fn rerank_bonus(&self, x: &super::proximity::Features) -> f32 {
        self.proximity * x.window
            + self.wide * x.wide
            + self.coverage * x.coverage
            + self.title_cover * x.title_cover
            + self.title_words_share * x.title_words
            + self.length * x.length
            + self.pairs * x.pairs
            + self.answer * x.answer
    }
}

impl Default for Weights {
    /// Tuned on the pooled tuning sets (BENCHMARKS.md, "Search quality"):
    /// a small title weight (news titles otherwise outrank answer passages),
    /// a coverage bonus large enough to put articles with every word first,
    /// a half-weight bag of bigrams; the re-ranking weights of the top 30
    /// were fitted by `bench/fit_rerank.py` on the same sets.
    fn default() -> Self {
        Weights {
            title_words: 0.2,
            body_words: 1.0,
            title_bigrams: 0.2,
            body_bigrams: 1.0,
            coord: 4.0,
            chunk: 1.0,
            bigram_bag: 0.5,
            proximity: 0.4,
            window: 16,
            title_cover: 0.5,
            rerank_depth: 30,
            wide: 0.5,
            coverage: 0.2,
            title_words_share: 0.0,
            length: -0.1,
            pairs: 0.2,
            answer: 0.2,
        }
    }
}

/// A query ready to run, plus what to highlight.
pub struct Plan {
    /// Units that may be relaxed (words of unquoted text).
    units: Vec<Box<dyn Query>>,
    /// Conditions that always hold (phrases, field clauses, OR groups).
    required: Vec<Box<dyn Query>>,
    /// Scored but optional (the whole unquoted text verbatim, the bag of
    /// bigrams).
    bonus: Vec<Box<dyn Query>>,
    filters: Vec<Box<dyn Query>>,
    excluded: Vec<Box<dyn Query>>,
    /// Normalised texts to highlight in passages.
    pub highlights: Vec<String>,
    /// Normalised words and phrases of the query, for proximity.
    pub words: Vec<String>,
    /// The query's unquoted text, normalised (stop words included): what
    /// the question asks for (see [`super::answer::AnswerKind`]).
    pub question: String,
    /// True when the unquoted text is a natural-language question rather
    /// than keywords (see [`super::stopwords::is_question`]).
    pub is_question: bool,
    weights: Weights,
    /// Segmentation of each unquoted text, done once per plan.
    segmented: std::collections::HashMap<String, Vec<String>>,
}

/// A date range filter (inclusive Unix seconds).
#[derive(Debug, Clone, Copy, Default)]
pub struct DateRange {
    /// Earliest.
    pub since: Option<i64>,
    /// Latest.
    pub until: Option<i64>,
}

fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if "\\.+*?()|[]{}^$#&-~\"<>@".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// True for one character of the runs the bigram view indexes (where it
/// is a unigram only when its run is one character long).
fn single_char(t: &str) -> bool {
    let mut it = t.chars();
    matches!((it.next(), it.next()), (Some(c), None) if is_word_char(c))
}

/// Longest phrase of bigram terms matched as one regex phrase when an end
/// is a single character; longer ones tie their ends to their neighbours
/// only (see [`substring_query`]).
const LONG_PHRASE: usize = 16;

/// Matches articles whose `field` (bigram view) contains `text` verbatim.
/// Beyond [`LONG_PHRASE`] terms with a single character at an end, the
/// middle must occur verbatim and each end beside its neighbour.
pub fn substring_query(field: Field, text: &str) -> Option<Box<dyn Query>> {
    substring_query_terms(field, &query_terms(text))
}

fn substring_query_terms(field: Field, terms: &[String]) -> Option<Box<dyn Query>> {
    match terms.len() {
        0 => None,
        1 if single_char(&terms[0]) => {
            let c = regex_escape(&terms[0]);
            RegexQuery::from_pattern(&format!("{c}.?|.{c}"), field)
                .ok()
                .map(|q| Box::new(q) as Box<dyn Query>)
        }
        1 => Some(Box::new(TermQuery::new(
            term(field, &terms[0]),
            IndexRecordOption::WithFreqs,
        ))),
        n => {
            let edge = single_char(&terms[0]) || single_char(&terms[n - 1]);
            if edge && n > LONG_PHRASE {
                // Each pattern of a regex phrase costs an automaton and a
                // table (thousands of them took seconds and gigabytes):
                // the middle as an exact phrase, each end with its
                // neighbour as a regex phrase.
                let ends = [&terms[..2], &terms[n - 2..]].map(|t| t.to_vec());
                let mut parts: Vec<Box<dyn Query>> = vec![Box::new(PhraseQuery::new(
                    terms[1..n - 1].iter().map(|t| term(field, t)).collect(),
                ))];
                parts.extend(ends.iter().filter_map(|t| substring_query_terms(field, t)));
                return Some(all_of(parts));
            }
            if edge {
                // A single character at an end of the query may sit inside a
                // longer run of the text: there it is the end of a bigram.
                let pats: Vec<String> = terms
                    .iter()
                    .enumerate()
                    .map(|(i, t)| {
                        let e = regex_escape(t);
                        if !single_char(t) {
                            e
                        } else if i == 0 {
                            format!(".?{e}")
                        } else if i == n - 1 {
                            format!("{e}.?")
                        } else {
                            e
                        }
                    })
                    .collect();
                let mut q = RegexPhraseQuery::new(field, pats);
                // One expansion per distinct neighbour of the character: a
                // few thousand in real text, but never a reason to fail.
                q.set_max_expansions(1 << 22);
                Some(Box::new(q))
            } else {
                Some(Box::new(PhraseQuery::new(
                    terms.iter().map(|t| term(field, t)).collect(),
                )))
            }
        }
    }
}

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

fn boosted(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(BoostQuery::new(q, w))
    }
}

/// The unit of a single-character word beside longer words (一, 省, 蓍 in
/// a question; a lone letter or digit likewise): the character as a jieba
/// word, or as the first character of a bigram. The exact substring query of one character is a regex
/// over the whole bigram dictionary (`.c`), by far the slowest query there
/// is (20× the cost of a whole question); the prefix scan `c.?` is cheap
/// and only misses a character that ends its run of CJK text and is not a
/// jieba word there. Scoring: BM25 of the word plus a constant 1 per field
/// (automaton queries carry no IDF).
fn single_char_unit(f: &Fields, c: &str, title: bool, body: bool, w: Weights) -> Box<dyn Query> {
    let mut alts: Vec<Box<dyn Query>> = Vec::new();
    for (on, words, bigrams, weight) in [
        (title, f.title, f.title_bg, w.title_words),
        (body, f.body, f.body_bg, w.body_words),
    ] {
        if !on {
            continue;
        }
        let q = TermQuery::new(term(words, c), IndexRecordOption::WithFreqs);
        alts.push(boosted(Box::new(q), weight));
        if let Ok(q) = RegexQuery::from_pattern(&format!("{}.?", regex_escape(c)), bigrams) {
            alts.push(boosted(Box::new(q), weight));
        }
    }
    any_of(alts)
}

impl Plan {
    fn empty(weights: Weights) -> Plan {
        Plan {
            units: Vec::new(),
            required: Vec::new(),
            bonus: Vec::new(),
            filters: Vec::new(),
            excluded: Vec::new(),
            highlights: Vec::new(),
            words: Vec::new(),
            question: String::new(),
            is_question: false,
            weights,
            segmented: std::collections::HashMap::new(),
        }
    }

    /// The words of unquoted `text`, segmented once per plan.
    fn words_of(&mut self, seg: &Segmenter, text: &str) -> Vec<String> {
        self.segmented
            .entry(text.to_string())
            .or_insert_with(|| query_words(seg, text, None))
            .clone()
    }

    /// Builds the plan of `parsed`, segmenting unquoted text with `seg`.
    ///
    /// The words of unquoted text in no field are the *relaxable* units;
    /// phrases, field-scoped clauses and OR groups are always required.
    /// Stop words are dropped across the whole query (not per clause), and
    /// kept only when the query has nothing else. With `vocab` (the
    /// index's), the words of unquoted text are mended (see [`mend_words`]).
    pub fn new(
        parsed: &Parsed,
        f: &Fields,
        seg: &Segmenter,
        weights: Weights,
        dates: DateRange,
        vocab: Option<&dyn Vocabulary>,
    ) -> Plan {
        let mut plan = Plan::empty(weights);
        // Unquoted text is segmented (and mended against `vocab`) once;
        // exclusions are left as typed.
        for c in parsed.groups.iter().flatten() {
            if let Atom::Words(t) = &c.atom {
                let words = plan
                    .segmented
                    .entry(t.clone())
                    .or_insert_with(|| query_words(seg, t, vocab));
                if c.scope != Scope::Source {
                    let text = normalize(t);
                    plan.is_question |= is_question(&text, words.iter());
                    if !plan.question.is_empty() {
                        plan.question.push(' ');
                    }
                    plan.question.push_str(&text);
                }
            }
        }
        let has_content = parsed
            .groups
            .iter()
            .flatten()
            .any(|c| match (&c.atom, c.scope) {
                (_, Scope::Source) => false,
                (Atom::Phrase(_), _) => true,
                (Atom::Words(t), _) => plan.words_of(seg, t).iter().any(|w| !is_stop_word(w)),
            });
        let mut typed = std::collections::HashSet::new();
        for group in &parsed.groups {
            // Source clauses are filters.
            let (sources, others): (Vec<&Clause>, Vec<&Clause>) =
                group.iter().partition(|c| c.scope == Scope::Source);
            if !sources.is_empty() && others.is_empty() {
                let alts: Vec<Box<dyn Query>> =
                    sources.iter().map(|c| plan.source_query(f, c)).collect();
                plan.filters.push(any_of(alts));
                continue;
            }
            if let [c] = group.as_slice() {
                // Keywords typed twice are one: requiring a word twice
                // changes nothing, and thousands of copies took seconds.
                if let (Atom::Words(t), Scope::Any) = (&c.atom, c.scope) {
                    if !typed.insert(t.as_str()) {
                        continue;
                    }
                }
                let units = plan.clause_units(f, seg, c, true, has_content);
                if matches!(c.atom, Atom::Words(_)) && c.scope == Scope::Any {
                    // Each word is its own unit.
                    plan.units.extend(units);
                } else {
                    plan.required.push(all_of(units));
                }
                continue;
            }
            let alts: Vec<Box<dyn Query>> = group
                .iter()
                .map(|c| {
                    if c.scope == Scope::Source {
                        plan.source_query(f, c)
                    } else {
                        all_of(plan.clause_units(f, seg, c, true, false))
                    }
                })
                .collect();
            plan.required.push(any_of(alts));
        }
        for c in &parsed.excluded {
            let q = if c.scope == Scope::Source {
                plan.source_query(f, c)
            } else {
                let mut scratch = Plan::empty(weights);
                all_of(scratch.clause_units(f, seg, c, false, false))
            };
            plan.excluded.push(q);
        }
        if dates.since.is_some() || dates.until.is_some() {
            let b = |v: Option<i64>| match v {
                None => Bound::Unbounded,
                Some(s) => Bound::Included(Term::from_field_date(
                    f.date,
                    DateTime::from_timestamp_secs(s),
                )),
            };
            plan.filters
                .push(Box::new(RangeQuery::new(b(dates.since), b(dates.until))));
        }
        plan.highlights.sort();
        plan.highlights.dedup();
        plan
    }

    /// A filter on the source; matches nothing when the text gives no term.
    fn source_query(&self, f: &Fields, c: &Clause) -> Box<dyn Query> {
        let text = match &c.atom {
            Atom::Words(t) | Atom::Phrase(t) => normalize(t),
        };
        substring_query(f.source, &text).unwrap_or_else(|| Box::new(EmptyQuery))
    }

    /// The units of one clause. Unquoted text is segmented; its stop words
    /// are dropped, and when nothing else is left the clause gives no unit if
    /// `drop_stop_only` (the query has other content) or keeps them all. A
    /// piece of text that gives no searchable term becomes a unit that
    /// matches nothing, never a dropped condition.
    fn clause_units(
        &mut self,
        f: &Fields,
        seg: &Segmenter,
        c: &Clause,
        highlight: bool,
        drop_stop_only: bool,
    ) -> Vec<Box<dyn Query>> {
        let (title, body) = match c.scope {
            Scope::Title => (true, false),
            Scope::Body => (false, true),
            _ => (true, true),
        };
        let w = self.weights;
        // (normalised text, is a jieba word, highlight it)
        let texts: Vec<(String, bool, bool)> = match &c.atom {
            Atom::Phrase(t) => vec![(normalize(t), false, true)],
            Atom::Words(t) => {
                let all = self.words_of(seg, t);
                let kept: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
                let words = match (kept.is_empty(), drop_stop_only) {
                    (true, true) => return Vec::new(),
                    (true, false) => all,
                    (false, _) => kept,
                };
                if words.len() > 1 {
                    // The whole text verbatim ranks first, and is what gets
                    // highlighted rather than its single characters.
                    let chunk = normalize(t);
                    if highlight {
                        self.highlights.push(chunk.clone());
                    }
                    if w.chunk > 0.0 {
                        let alts = self.views(f, &chunk, false, title, body, w.chunk);
                        if !alts.is_empty() {
                            self.bonus.push(any_of(alts));
                        }
                    }
                }
                let multi = words.iter().any(|w| w.chars().count() > 1);
                words
                    .into_iter()
                    .map(|w| {
                        let show = !multi || w.chars().count() > 1;
                        (w, true, show)
                    })
                    .collect()
            }
        };
        let mut units = Vec::new();
        let w = self.weights;
        // Single characters beside longer words are matched loosely (see
        // `single_char_unit`); alone they stay exact substrings.
        let loose_singles = texts
            .iter()
            .any(|(t, is_word, _)| *is_word && !single_char(t));
        let mut bag = std::collections::HashSet::new();
        // A word repeated in the clause is one unit (中中中…).
        let mut seen = std::collections::HashSet::new();
        for (text, is_word, show) in texts {
            if !seen.insert((text.clone(), is_word)) {
                continue;
            }
            if highlight {
                self.words.push(text.clone());
            }
            if highlight && is_word && w.bigram_bag > 0.0 && !single_char(&text) {
                for t in query_terms(&text).into_iter().filter(|t| is_word_token(t)) {
                    if !bag.insert(t.clone()) {
                        continue;
                    }
                    for (on, field, fw) in [
                        (title, f.title_bg, w.title_bigrams),
                        (body, f.body_bg, w.body_bigrams),
                    ] {
                        if on && fw > 0.0 {
                            let q = TermQuery::new(term(field, &t), IndexRecordOption::WithFreqs);
                            self.bonus.push(boosted(Box::new(q), w.bigram_bag * fw));
                        }
                    }
                }
            }
            if loose_singles && is_word && single_char(&text) {
                units.push(single_char_unit(f, &text, title, body, w));
                if highlight && show {
                    self.highlights.push(text);
                }
                continue;
            }
            let mut alts = self.views(f, &text, is_word, title, body, 1.0);
            // iphone15 also finds "iPhone 15", gpt4o "GPT-4o": a model name
            // typed without the space or hyphen the articles write.
            if is_word {
                for parted in parted_model_name(&text) {
                    alts.extend(self.views(f, &parted, false, title, body, 1.0));
                    if highlight {
                        self.highlights.push(parted);
                    }
                }
            }
            // "长江 生态": the space may stand for white space in the text or
            // for nothing (长江生态); either matches.
            let joined = join_cjk_spaces(&text);
            if !is_word && joined != text {
                alts.extend(self.views(f, &joined, false, title, body, 1.0));
                if highlight {
                    self.highlights.push(joined);
                }
            }
            if alts.is_empty() {
                units.push(Box::new(EmptyQuery) as Box<dyn Query>);
                continue;
            }
            if highlight && show {
                self.highlights.push(text);
            }
            units.push(any_of(alts));
        }
        units
    }

    /// The scoring alternatives for `text` in the title and/or body: the
    /// substring (bigram) view always, the word view for jieba words.
    fn views(
        &self,
        f: &Fields,
        text: &str,
        is_word: bool,
        title: bool,
        body: bool,
        boost: f32,
    ) -> Vec<Box<dyn Query>> {
        let w = self.weights;
        let mut alts: Vec<Box<dyn Query>> = Vec::new();
        let sides = [
            (title, f.title_bg, f.title, w.title_bigrams, w.title_words),
            (body, f.body_bg, f.body, w.body_bigrams, w.body_words),
        ];
        for (on, bg, words, wb, ww) in sides {
            if !on {
                continue;
            }
            if let Some(q) = substring_query(bg, text) {
                alts.push(boosted(q, wb * boost));
            }
            if is_word {
                let q = TermQuery::new(term(words, text), IndexRecordOption::WithFreqs);
                alts.push(boosted(Box::new(q), ww * boost));
            }
        }
        alts
    }

    /// The ranking weights of this plan.
    pub fn weights(&self) -> Weights {
        self.weights
    }

    /// Number of relaxable units (words of unquoted text).
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }

    /// The query requiring at least `min_units` of the units (all of them
    /// when `min_units >= unit_count()`), with filters and exclusions.
    pub fn query(&self, min_units: usize) -> Box<dyn Query> {
        let n = self.units.len();
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        let coord = self.weights.coord;
        let unit_clause = |u: &dyn Query| -> Box<dyn Query> {
            if coord > 0.0 {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, u.box_clone()),
                    (
                        Occur::Should,
                        Box::new(ConstScoreQuery::new(u.box_clone(), coord)),
                    ),
                ]))
            } else {
                u.box_clone()
            }
        };
        if n == 0 && self.required.is_empty() && self.filters.is_empty() {
            return Box::new(EmptyQuery);
        }
        if min_units >= n {
            for u in &self.units {
                clauses.push((Occur::Must, unit_clause(u.as_ref())));
            }
        } else {
            let shoulds: Vec<(Occur, Box<dyn Query>)> = self
                .units
                .iter()
                .map(|u| (Occur::Should, unit_clause(u)))
                .collect();
            clauses.push((
                Occur::Must,
                Box::new(BooleanQuery::with_minimum_required_clauses(
                    shoulds,
                    min_units.max(1),
                )),
            ));
        }
        for q in &self.required {
            clauses.push((Occur::Must, q.box_clone()));
        }
        for q in &self.bonus {
            clauses.push((Occur::Should, q.box_clone()));
        }
        for q in &self.filters {
            clauses.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(q.box_clone(), 0.0)),
            ));
        }
        for q in &self.excluded {
            clauses.push((Occur::MustNot, q.box_clone()));
        }
        if clauses.len() == 1 && clauses[0].0 == Occur::Must {
            return clauses
                .pop()
                .map(|c| c.1)
                .unwrap_or_else(|| Box::new(EmptyQuery));
        }
        Box::new(BooleanQuery::new(clauses))
    }
}

fn any_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.pop().unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Should, q)).collect(),
        )),
    }
}

fn all_of(mut qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.pop().unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (Occur::Must, q)).collect(),
        )),
    }
}

/// The query segmentation of `text`, mended against `vocab` when there is
/// one (see [`mend_words`]), with short runs joined back
/// ([`join_short_runs`]); offsets into `text`.
fn query_tokens(seg: &Segmenter, text: &str, vocab: Option<&dyn Vocabulary>) -> Vec<Token> {
    let mut toks = crate::analysis::tokens::TokenBuf::default();
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
fn query_words(seg: &Segmenter, text: &str, vocab: Option<&dyn Vocabulary>) -> Vec<String> {
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

/// A word of ASCII letters and digits parted where its first run ends,
/// by a space and by a hyphen (iphone15 → "iphone 15", "iphone-15";
/// gpt4o → "gpt 4o", "gpt-4o"); nothing for any other word.
fn parted_model_name(text: &str) -> Vec<String> {
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
fn join_cjk_spaces(text: &str) -> String {
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
    use crate::search::syntax::parse;

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

    #[test]
    fn single_characters_are_units_and_bigrams_are_optional() {
        let f = Fields::new(&crate::index::schema::build()).expect("fields");
        let seg = Segmenter::new();
        let plan = |q: &str| {
            let parsed = parse(q).expect("query");
            Plan::new(
                &parsed,
                &f,
                &seg,
                Weights::default(),
                DateRange::default(),
                None,
            )
        };
        let p = plan("蓍 别名");
        assert_eq!(p.unit_count(), 2);
        assert_eq!(p.bonus.len(), 2, "别名 in title and body bigrams");
        assert_eq!(p.highlights, ["别名", "蓍"]);
        let none = Weights {
            bigram_bag: 0.0,
            ..Weights::default()
        };
        let parsed = parse("蓍 别名").expect("query");
        let p = Plan::new(&parsed, &f, &seg, none, DateRange::default(), None);
        assert!(p.bonus.is_empty());
    }
}
