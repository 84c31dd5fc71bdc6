//! Substring queries over the bigram view, the loose unit of a single
//! character, and the small combinators the query plan builds with.
//!
//! A text occurs verbatim in a field exactly when its bigram terms occur
//! as a phrase there (see `analysis/bigram.rs`); a single character at an
//! end of the text may sit inside a longer run, where it is the end of a
//! bigram, so those ends become regex terms.

use tantivy::query::{
    BooleanQuery, EmptyQuery, Occur, PhraseQuery, Query, RegexPhraseQuery, TermQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::Term;

use super::boosted::Boosted;
use super::memo::MemoPhrase;
use super::prefix::{regex, CachedRegex, CharPrefix};
use crate::analysis::bigram::query_terms;
use crate::chars::is_word_char;
use crate::index::Fields;
use crate::search::weights::Weights;

pub fn term(field: Field, text: &str) -> Term {
    Term::from_field_text(field, text)
}

/// `s` as a regex that matches it literally. Every character but ASCII
/// letters, digits and BMP characters beyond ASCII is written as `\x{…}`:
/// a backslash escape is not always literal (`\<` and `\>` are word
/// boundaries, which tantivy's regex refuses), and a literal character
/// outside the BMP made tantivy's regex fail the same way (both found by
/// `bench/fuzz.sh`).
pub fn regex_escape(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() || (!c.is_ascii() && c.len_utf8() < 4) {
            out.push(c);
        } else {
            out.push_str(&format!("\\x{{{:x}}}", c as u32));
        }
    }
    out
}

/// True for one character of the runs the bigram view indexes (where it
/// is a unigram only when its run is one character long).
pub fn single_char(t: &str) -> bool {
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
            CachedRegex::from_pattern(&format!("{c}.?|.{c}"), field)
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
                let mut q = regex_phrase(field, pats);
                // One expansion per distinct neighbour of the character: a
                // few thousand in real text, but never a reason to fail.
                q.set_max_expansions(1 << 22);
                Some(Box::new(MemoPhrase::new(q)))
            } else {
                Some(Box::new(PhraseQuery::new(
                    terms.iter().map(|t| term(field, t)).collect(),
                )))
            }
        }
    }
}

/// The regex phrase of `pats` over `field`, its regexes compiled once for
/// the process ([`regex`]); compiled when it runs (and failing there, as
/// tantivy's own) when one does not compile.
fn regex_phrase(field: Field, pats: Vec<String>) -> RegexPhraseQuery {
    let compiled: Option<Vec<_>> = pats
        .iter()
        .enumerate()
        .map(|(i, p)| regex(p).map(|r| (i, p.clone(), r)))
        .collect();
    match compiled {
        Some(terms) => RegexPhraseQuery::from_regexes(field, terms, 0),
        None => RegexPhraseQuery::new(field, pats),
    }
}

/// The unit of a single-character word beside longer words (一, 省, 蓍 in
/// a question; a lone letter or digit likewise): the character as a jieba
/// word, or as the first character of a bigram. The exact substring query
/// of one character is a regex over the whole bigram dictionary (`.c`), by
/// far the slowest query there is (BENCHMARKS.md, "Search quality", single
/// characters beside longer words); the prefix scan `c.?` (one range of
/// the dictionary, [`CharPrefix`]) is cheap and only misses a character
/// that ends its run of CJK text and is not a jieba word there. Scoring:
/// BM25 of the word plus a constant 1 per field (as the regex scored).
pub fn single_char_unit(
    f: &Fields,
    c: &str,
    title: bool,
    body: bool,
    w: Weights,
) -> Box<dyn Query> {
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
        alts.push(boosted(Box::new(CharPrefix::new(bigrams, c)), weight));
    }
    any_of(alts)
}

/// The scoring alternatives for `text` in the title and/or body: the
/// substring (bigram) view always, the word view for jieba words; each
/// weighted by `w` and `boost`.
pub fn views(
    f: &Fields,
    w: &Weights,
    text: &str,
    is_word: bool,
    title: bool,
    body: bool,
    boost: f32,
) -> Vec<Box<dyn Query>> {
    let mut alts: Vec<Box<dyn Query>> = Vec::new();
    let both = [
        (title, f.title_bg, f.title, w.title_bigrams, w.title_words),
        (body, f.body_bg, f.body, w.body_bigrams, w.body_words),
    ];
    for (on, bg, words, wb, ww) in both {
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

/// `q` boosted by `w` (itself when `w` is 1).
pub fn boosted(q: Box<dyn Query>, w: f32) -> Box<dyn Query> {
    if (w - 1.0).abs() < f32::EPSILON {
        q
    } else {
        Box::new(Boosted::new(q, w))
    }
}

/// Matches when any of `qs` does (nothing when there is none).
pub fn any_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    combine(qs, Occur::Should)
}

/// Matches when all of `qs` do (nothing when there is none).
pub fn all_of(qs: Vec<Box<dyn Query>>) -> Box<dyn Query> {
    combine(qs, Occur::Must)
}

/// `qs` joined with `occur`: nothing for none, the query itself for one.
fn combine(mut qs: Vec<Box<dyn Query>>, occur: Occur) -> Box<dyn Query> {
    match qs.len() {
        0 => Box::new(EmptyQuery),
        1 => qs.pop().unwrap_or_else(|| Box::new(EmptyQuery)),
        _ => Box::new(BooleanQuery::new(
            qs.into_iter().map(|q| (occur, q)).collect(),
        )),
    }
}
