//! The units of one clause of a query: the texts a clause asks for (a
//! phrase, or the words of unquoted text), and for each the views it is
//! matched in, the ways an article may write it, and the optional scored
//! clauses (the whole text verbatim, the bag of bigrams) that go with it.

use std::collections::HashSet;

use tantivy::query::{EmptyQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::cond::{Cond, Unit};
use super::spelling::{join_cjk_spaces, parted_model_name};
use super::substring::{any_of, boosted, single_char, single_char_unit, term, views};
use super::{Plan, Sides};
use crate::analysis::bigram::{is_word_token, query_terms};
use crate::analysis::normalize::normalize;
use crate::analysis::stopwords::is_stop_word;
use crate::analysis::Segmenter;
use crate::index::Fields;
use crate::search::syntax::{Atom, Clause};

/// One text of a clause to match: a word of unquoted text or a phrase.
struct Text {
    /// Normalised text.
    text: String,
    /// A jieba word (also matched in the word view), not a phrase.
    is_word: bool,
    /// Highlighted in passages.
    show: bool,
}

impl Plan {
    /// The units of one clause. Unquoted text is segmented; its stop words
    /// are dropped, and when nothing else is left the clause gives no unit if
    /// `drop_stop_only` (the query has other content) or keeps them all. A
    /// piece of text that gives no searchable term becomes a unit that
    /// matches nothing, never a dropped condition.
    pub(super) fn clause_units(
        &mut self,
        f: &Fields,
        seg: &Segmenter,
        c: &Clause,
        highlight: bool,
        drop_stop_only: bool,
    ) -> Vec<Unit> {
        let sides = Sides::of(c.scope);
        let Some(texts) = self.clause_texts(f, seg, c, sides, highlight, drop_stop_only) else {
            return Vec::new();
        };
        // Single characters beside longer words are matched loosely (see
        // `single_char_unit`); alone they stay exact substrings.
        let loose_singles = texts.iter().any(|t| t.is_word && !single_char(&t.text));
        let mut bag = HashSet::new();
        // A word repeated in the clause is one unit (中中中…).
        let mut seen = HashSet::new();
        let mut units = Vec::new();
        for t in texts {
            if !seen.insert((t.text.clone(), t.is_word)) {
                continue;
            }
            if highlight {
                self.words.push(t.text.clone());
                if t.is_word {
                    self.add_bigram_bag(f, &t.text, sides, &mut bag);
                }
            }
            units.push(self.text_unit(f, t, sides, highlight, loose_singles));
        }
        units
    }

    /// The texts of one clause: a phrase as typed (normalised), or the
    /// words of unquoted text (see [`Plan::clause_units`]; `None` when the
    /// clause gives no unit). Unquoted text of several words also scores
    /// as a whole ([`Plan::add_chunk`]).
    fn clause_texts(
        &mut self,
        f: &Fields,
        seg: &Segmenter,
        c: &Clause,
        sides: Sides,
        highlight: bool,
        drop_stop_only: bool,
    ) -> Option<Vec<Text>> {
        let t = match &c.atom {
            Atom::Phrase(t) => {
                return Some(vec![Text {
                    text: normalize(t),
                    is_word: false,
                    show: true,
                }])
            }
            Atom::Words(t) => t,
        };
        let all = self.words_of(seg, t);
        let kept: Vec<String> = all.iter().filter(|w| !is_stop_word(w)).cloned().collect();
        let words = match (kept.is_empty(), drop_stop_only) {
            (true, true) => return None,
            (true, false) => all,
            (false, _) => kept,
        };
        if words.len() > 1 {
            self.add_chunk(f, t, sides, highlight);
        }
        // Single characters are highlighted only when no word is longer.
        let multi = words.iter().any(|w| w.chars().count() > 1);
        Some(
            words
                .into_iter()
                .map(|w| {
                    let show = !multi || w.chars().count() > 1;
                    Text {
                        text: w,
                        is_word: true,
                        show,
                    }
                })
                .collect(),
        )
    }

    /// The whole unquoted text `t` verbatim ranks first (an optional,
    /// scored clause), and is what gets highlighted rather than its single
    /// characters.
    fn add_chunk(&mut self, f: &Fields, t: &str, sides: Sides, highlight: bool) {
        let chunk = normalize(t);
        if highlight {
            self.highlights.push(chunk.clone());
        }
        let w = self.weights;
        if w.chunk > 0.0 {
            let alts = self.views(f, &chunk, false, sides, w.chunk);
            if !alts.is_empty() {
                self.bonus.push(any_of(alts));
            }
        }
    }

    /// Each bigram of the word `text` on its own (not yet in `bag`) as an
    /// optional, scored clause: partial credit when the word as a whole
    /// is missing (see [`Weights::bigram_bag`]).
    fn add_bigram_bag(&mut self, f: &Fields, text: &str, sides: Sides, bag: &mut HashSet<String>) {
        let w = self.weights;
        let on = w.bigram_bag > 0.0 && !single_char(text);
        if !on {
            return;
        }
        for t in query_terms(text).into_iter().filter(|t| is_word_token(t)) {
            if !bag.insert(t.clone()) {
                continue;
            }
            for (on, field, fw) in [
                (sides.title, f.title_bg, w.title_bigrams),
                (sides.body, f.body_bg, w.body_bigrams),
            ] {
                if on && fw > 0.0 {
                    let q = TermQuery::new(term(field, &t), IndexRecordOption::WithFreqs);
                    self.bonus.push(boosted(Box::new(q), w.bigram_bag * fw));
                }
            }
        }
    }

    /// The unit of one text of a clause: the text in either view, or the
    /// way an article may write it ([`Plan::variant_views`]); a unit that
    /// matches nothing when it gives no term.
    fn text_unit(
        &mut self,
        f: &Fields,
        t: Text,
        sides: Sides,
        highlight: bool,
        loose_singles: bool,
    ) -> Unit {
        let (title, body) = (sides.title, sides.body);
        if loose_singles && t.is_word && single_char(&t.text) {
            let query = single_char_unit(f, &t.text, title, body, self.weights);
            let cond = Cond::Single {
                c: t.text.clone(),
                title,
                body,
            };
            if highlight && t.show {
                self.highlights.push(t.text);
            }
            return Unit { query, cond };
        }
        let mut alts = self.views(f, &t.text, t.is_word, sides, 1.0);
        let (variants, mut conds) = self.variant_views(f, &t, sides, highlight);
        alts.extend(variants);
        if alts.is_empty() {
            return Unit {
                query: Box::new(EmptyQuery),
                cond: Cond::Nothing,
            };
        }
        let (text, word) = (t.text.clone(), t.is_word);
        conds.insert(
            0,
            Cond::Text {
                text,
                word,
                title,
                body,
            },
        );
        if highlight && t.show {
            self.highlights.push(t.text);
        }
        Unit {
            query: any_of(alts),
            cond: Cond::any(conds),
        }
    }

    /// The views of the ways an article may write `t` that the text itself
    /// does not match, each highlighted: a model name typed without its
    /// space or hyphen, a space between CJK characters left out.
    fn variant_views(
        &mut self,
        f: &Fields,
        t: &Text,
        sides: Sides,
        highlight: bool,
    ) -> (Vec<Box<dyn Query>>, Vec<Cond>) {
        let (mut alts, mut conds) = (Vec::new(), Vec::new());
        let (title, body) = (sides.title, sides.body);
        let text_of = |text: &str| Cond::Text {
            text: text.to_string(),
            word: false,
            title,
            body,
        };
        // iphone15 also finds "iPhone 15", gpt4o "GPT-4o": a model name
        // typed without the space or hyphen the articles write.
        if t.is_word {
            for parted in parted_model_name(&t.text) {
                alts.extend(self.views(f, &parted, false, sides, 1.0));
                conds.push(text_of(&parted));
                if highlight {
                    self.highlights.push(parted);
                }
            }
        }
        // "长江 生态": the space may stand for white space in the text or
        // for nothing (长江生态); either matches.
        let joined = join_cjk_spaces(&t.text);
        if !t.is_word && joined != t.text {
            alts.extend(self.views(f, &joined, false, sides, 1.0));
            conds.push(text_of(&joined));
            if highlight {
                self.highlights.push(joined);
            }
        }
        (alts, conds)
    }

    /// [`views`] of `text` on the sides of a clause.
    fn views(
        &self,
        f: &Fields,
        t: &str,
        word: bool,
        sides: Sides,
        boost: f32,
    ) -> Vec<Box<dyn Query>> {
        views(f, &self.weights, t, word, sides.title, sides.body, boost)
    }
}
