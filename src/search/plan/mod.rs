//! From a parsed query to tantivy queries over both analysed views.
//!
//! Every required piece of the query becomes a *unit*. A unit matches an
//! article when its text occurs in it verbatim (a phrase over the bigram
//! view: grep parity) and scores through both views, so an article where
//! the text is a real jieba word ranks above one where it only straddles a
//! word boundary. Units are combined with a coordination bonus per matched
//! unit, which turns "all words must match" into buckets when the match is
//! relaxed (see [`Plan::query`]). How one clause becomes units is
//! [`units`].

pub mod boosted;
mod compose;
pub mod cond;
pub mod memo;
pub mod offset;
pub mod prefix;
pub mod spelling;
pub mod substring;
pub mod synonyms;
mod units;

use std::collections::{HashMap, HashSet};
use std::ops::Bound;

use tantivy::query::{EmptyQuery, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{DateTime, Term};

use super::syntax::{Atom, Clause, Parsed, Scope};
use super::weights::Weights;
use crate::analysis::normalize::normalize;
use crate::analysis::query::reading::Reading;
use crate::analysis::query::runs::{Run, Verdict};
use crate::analysis::query::{keyword_words, query_words, Vocabulary};
use crate::analysis::stopwords::is_stop_word;
use crate::analysis::Segmenter;
use crate::dates::parse_bound;
use crate::index::Fields;
pub use compose::Disjunction;
use cond::{Cond, Conds, NameKind, Unit};
use substring::{any_of, substring_query};

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
    /// the question asks for (see [`super::rerank::answer::AnswerKind`]).
    pub question: String,
    /// How the unquoted text reads as a whole: keywords, a question or a
    /// description (see [`Reading`]; a question if any stretch is one).
    pub reading: Reading,
    weights: Weights,
    /// Segmentation of each unquoted text, done once per plan.
    segmented: HashMap<String, Vec<String>>,
    /// The runs of the unquoted text of keywords and how each is searched
    /// (see [`crate::analysis::query::runs`]); none for questions.
    pub runs: Vec<Run>,
    /// One query per run searched as words, matching where the run occurs
    /// as typed: articles with more of them rank first (verbatim first).
    verbatim: Vec<Box<dyn Query>>,
    /// The plan that relaxes this one when its runs matched as typed find
    /// nothing: every run as words.
    relaxed: Option<Box<Plan>>,
    /// What `units`, `required`, `filters` and `excluded` match, without
    /// tantivy (for an engine).
    conds: Conds,
}

/// What a plan is made of: the parsed query, the index's fields and
/// segmenter, the weights, the date range and the index's vocabulary
/// (to mend the words of unquoted text; `None` without an index).
#[derive(Clone, Copy)]
pub struct PlanInputs<'a> {
    /// The parsed query.
    pub parsed: &'a Parsed,
    /// The index's fields.
    pub fields: &'a Fields,
    /// The segmenter of unquoted text.
    pub seg: &'a Segmenter,
    /// The ranking weights.
    pub weights: Weights,
    /// The date filter.
    pub dates: DateRange,
    /// The index's words, if any.
    pub vocab: Option<&'a dyn Vocabulary>,
}

/// A date range filter (inclusive Unix seconds).
#[derive(Debug, Clone, Copy, Default)]
pub struct DateRange {
    /// Earliest.
    pub since: Option<i64>,
    /// Latest.
    pub until: Option<i64>,
}

impl DateRange {
    /// The range from a `since` and an `until` bound as typed (either may
    /// be absent; `until` runs to the end of its day), errors naming the
    /// option by `names` (e.g. `["--since", "--until"]`).
    pub fn parse(
        since: Option<&str>,
        until: Option<&str>,
        names: [&str; 2],
    ) -> anyhow::Result<DateRange> {
        Ok(DateRange {
            since: since.map(|s| parse_bound(names[0], s, false)).transpose()?,
            until: until.map(|s| parse_bound(names[1], s, true)).transpose()?,
        })
    }
}

/// Which fields a clause looks at.
#[derive(Debug, Clone, Copy)]
struct Sides {
    title: bool,
    body: bool,
}

impl Sides {
    /// The fields of a clause of `scope` (a source clause is a filter and
    /// never asks).
    fn of(scope: Scope) -> Sides {
        let (title, body) = match scope {
            Scope::Title => (true, false),
            Scope::Body => (false, true),
            _ => (true, true),
        };
        Sides { title, body }
    }
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
            reading: Reading::Keywords,
            weights,
            segmented: HashMap::new(),
            runs: Vec::new(),
            verbatim: Vec::new(),
            relaxed: None,
            conds: Conds::default(),
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
    /// index's), the words of unquoted text are mended (see
    /// [`mend_words`](crate::analysis::query::mend_words)). Keywords
    /// follow the run rule ([`crate::analysis::query::runs`]): a run the segmenter
    /// cannot vouch for is one word, matched as typed; the plan then keeps
    /// a relaxed twin that searches it as words ([`Plan::relaxed_plan`]).
    pub fn new(inputs: PlanInputs) -> Plan {
        let mut plan = Plan::build(&inputs, true);
        if plan
            .runs
            .iter()
            .any(|r| matches!(r.verdict, Verdict::AsTyped(_)))
        {
            let words = Plan::build(&inputs, false);
            plan.relaxed = Some(Box::new(words));
        }
        plan
    }

    /// The plan of `parsed`, with the run rule for keywords when `run_rule`.
    fn build(inputs: &PlanInputs, run_rule: bool) -> Plan {
        let PlanInputs {
            parsed,
            fields: f,
            seg,
            weights,
            dates,
            vocab,
        } = *inputs;
        let mut plan = Plan::empty(weights);
        plan.read_unquoted(parsed, seg, vocab);
        if run_rule && !plan.is_question() {
            plan.apply_run_rule(parsed, f, seg, vocab);
        }
        let has_content = plan.has_content(parsed, seg);
        let mut typed = HashSet::new();
        for group in &parsed.groups {
            plan.add_group(f, seg, group, has_content, &mut typed);
        }
        for c in &parsed.excluded {
            plan.add_exclusion(f, seg, c);
        }
        plan.add_date_filter(f, dates);
        plan.highlights.sort();
        plan.highlights.dedup();
        plan
    }

    /// Segments the unquoted text of `parsed` once (mended against
    /// `vocab`; exclusions are left as typed), and reads off it whether
    /// the query is a question and what it asks.
    fn read_unquoted(&mut self, parsed: &Parsed, seg: &Segmenter, vocab: Option<&dyn Vocabulary>) {
        for c in parsed.groups.iter().flatten() {
            if let Atom::Words(t) = &c.atom {
                let words = self
                    .segmented
                    .entry(t.clone())
                    .or_insert_with(|| query_words(seg, t, vocab));
                if !c.scope.is_filter() {
                    let text = normalize(t);
                    self.reading = self.reading.and(Reading::of(&text, words));
                    if !self.question.is_empty() {
                        self.question.push(' ');
                    }
                    self.question.push_str(&text);
                }
            }
        }
    }

    /// True when the query has something to search for besides stop words
    /// and source filters.
    fn has_content(&mut self, parsed: &Parsed, seg: &Segmenter) -> bool {
        parsed
            .groups
            .iter()
            .flatten()
            .any(|c| match (&c.atom, c.scope) {
                (_, s) if s.is_filter() => false,
                (Atom::Phrase(_), _) => true,
                (Atom::Words(t), _) => self.words_of(seg, t).iter().any(|w| !is_stop_word(w)),
            })
    }

    /// Adds one group of clauses (one clause, or alternatives joined by
    /// OR): source clauses alone are a filter; the words of one unquoted
    /// clause in no field are units each; anything else is required.
    /// `typed` holds the unquoted keywords already planned.
    fn add_group<'q>(
        &mut self,
        f: &Fields,
        seg: &Segmenter,
        group: &'q [Clause],
        has_content: bool,
        typed: &mut HashSet<&'q str>,
    ) {
        // Source clauses are filters.
        let (sources, others): (Vec<&Clause>, Vec<&Clause>) =
            group.iter().partition(|c| c.scope.is_filter());
        if !sources.is_empty() && others.is_empty() {
            let alts: Vec<Unit> = sources.iter().map(|c| self.source_query(f, c)).collect();
            let u = Unit::any(alts);
            self.filters.push(u.query);
            self.conds.filters.push(u.cond);
            return;
        }
        if let [c] = group {
            // Keywords typed twice are one: requiring a word twice
            // changes nothing, and thousands of copies took seconds.
            if let (Atom::Words(t), Scope::Any) = (&c.atom, c.scope) {
                if !typed.insert(t.as_str()) {
                    return;
                }
            }
            let units = self.clause_units(f, seg, c, true, has_content);
            if matches!(c.atom, Atom::Words(_)) && c.scope == Scope::Any {
                // Each word is its own unit.
                for u in units {
                    self.units.push(u.query);
                    self.conds.units.push(u.cond);
                }
            } else {
                self.add_required(Unit::all(units));
            }
            return;
        }
        let alts: Vec<Unit> = group
            .iter()
            .map(|c| {
                if c.scope.is_filter() {
                    self.source_query(f, c)
                } else {
                    Unit::all(self.clause_units(f, seg, c, true, false))
                }
            })
            .collect();
        self.add_required(Unit::any(alts));
    }

    fn add_required(&mut self, u: Unit) {
        self.required.push(u.query);
        self.conds.required.push(u.cond);
    }

    /// Adds an excluded clause; it highlights nothing and scores nothing.
    fn add_exclusion(&mut self, f: &Fields, seg: &Segmenter, c: &Clause) {
        let q = if c.scope.is_filter() {
            self.source_query(f, c)
        } else {
            let mut scratch = Plan::empty(self.weights);
            // Exclusions of keywords follow the run rule too.
            if let Atom::Words(t) = &c.atom {
                if let Some(words) = self.segmented.get(&format!("-{t}")) {
                    scratch.segmented.insert(t.clone(), words.clone());
                }
            }
            Unit::all(scratch.clause_units(f, seg, c, false, false))
        };
        self.excluded.push(q.query);
        self.conds.excluded.push(q.cond);
    }

    /// Applies the run rule ([`crate::analysis::query::runs`]) to the unquoted
    /// text of a keyword query: a run the segmenter cannot vouch for
    /// becomes one word, matched as typed; a run searched as words gets a
    /// verbatim test. The words of an exclusion are kept under its text
    /// prefixed by `-` (exclusions are not mended, as before).
    fn apply_run_rule(
        &mut self,
        parsed: &Parsed,
        f: &Fields,
        seg: &Segmenter,
        vocab: Option<&dyn Vocabulary>,
    ) {
        let included = parsed.groups.iter().flatten().map(|c| (c, true));
        let excluded = parsed.excluded.iter().map(|c| (c, false));
        let mut done = HashSet::new();
        for (c, wanted) in included.chain(excluded) {
            let Atom::Words(t) = &c.atom else { continue };
            if c.scope.is_filter() || !done.insert((t.clone(), wanted)) {
                continue;
            }
            let (words, runs) = keyword_words(seg, t, if wanted { vocab } else { None });
            if !wanted {
                self.segmented.insert(format!("-{t}"), words);
                continue;
            }
            self.segmented.insert(t.clone(), words);
            let sides = Sides::of(c.scope);
            for r in runs.iter().filter(|r| r.verdict == Verdict::Words) {
                let fields = [(sides.title, f.title_bg), (sides.body, f.body_bg)];
                let alts: Vec<Box<dyn Query>> = fields
                    .into_iter()
                    .filter(|(on, _)| *on)
                    .filter_map(|(_, field)| substring_query(field, &r.text))
                    .collect();
                if !alts.is_empty() {
                    self.verbatim.push(any_of(alts));
                    self.conds.verbatim.push(Cond::Text {
                        text: r.text.clone(),
                        word: false,
                        title: sides.title,
                        body: sides.body,
                    });
                }
            }
            self.runs.extend(runs);
        }
    }

    /// Queries matching the runs searched as words where they occur as
    /// typed, one per run (see [`Plan::runs`]).
    pub fn verbatim(&self) -> &[Box<dyn Query>] {
        &self.verbatim
    }

    /// The plan that relaxes this one: itself, or, when runs were matched
    /// as typed, the plan that searches them as words.
    pub fn relaxed_plan(&self) -> &Plan {
        self.relaxed.as_deref().unwrap_or(self)
    }

    /// The relaxable units (words of unquoted text), one query each.
    pub fn units(&self) -> &[Box<dyn Query>] {
        &self.units
    }

    /// Adds the date range as a filter, when it has a bound.
    fn add_date_filter(&mut self, f: &Fields, dates: DateRange) {
        if dates.since.is_none() && dates.until.is_none() {
            return;
        }
        let b = |v: Option<i64>| match v {
            None => Bound::Unbounded,
            Some(s) => Bound::Included(Term::from_field_date(
                f.date,
                DateTime::from_timestamp_secs(s),
            )),
        };
        self.filters
            .push(Box::new(RangeQuery::new(b(dates.since), b(dates.until))));
        self.conds.filters.push(Cond::Dates(dates));
    }

    /// What the plan's queries match, without tantivy: for a first stage
    /// other than the local index.
    pub fn conds(&self) -> &Conds {
        &self.conds
    }

    /// A filter on the source (a substring of it; matches nothing when
    /// the text gives no term), or on a name jieba tagged (exactly, as
    /// normalised).
    fn source_query(&self, f: &Fields, c: &Clause) -> Unit {
        let text = match &c.atom {
            Atom::Words(t) | Atom::Phrase(t) => normalize(t),
        };
        let (names, kind) = match c.scope {
            Scope::Person => (f.person, NameKind::Person),
            Scope::Place => (f.place, NameKind::Place),
            Scope::Org => (f.org, NameKind::Org),
            _ => {
                return match substring_query(f.source, &text) {
                    Some(query) => Unit {
                        query,
                        cond: Cond::Source(text),
                    },
                    None => Unit {
                        query: Box::new(EmptyQuery),
                        cond: Cond::Nothing,
                    },
                }
            }
        };
        Unit {
            query: Box::new(TermQuery::new(
                Term::from_field_text(names, text.trim()),
                IndexRecordOption::Basic,
            )),
            cond: Cond::Name(kind, text.trim().to_string()),
        }
    }

    /// True when the unquoted text is natural language, a question or a
    /// description, rather than keywords: ranked by relevance over its
    /// words apart and relaxed when few articles have them all.
    pub fn is_question(&self) -> bool {
        self.reading.is_natural()
    }

    /// The ranking weights of this plan.
    pub fn weights(&self) -> Weights {
        self.weights
    }

    /// Number of relaxable units (words of unquoted text).
    pub fn unit_count(&self) -> usize {
        self.units.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::syntax::parse;

    #[test]
    fn single_characters_are_units_and_bigrams_are_optional() {
        let f = Fields::new(&crate::index::schema::build()).expect("fields");
        let seg = Segmenter::new();
        let plan = |q: &str| {
            let parsed = parse(q).expect("query");
            Plan::new(PlanInputs {
                parsed: &parsed,
                fields: &f,
                seg: &seg,
                weights: Weights::default(),
                dates: DateRange::default(),
                vocab: None,
            })
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
        let p = Plan::new(PlanInputs {
            parsed: &parsed,
            fields: &f,
            seg: &seg,
            weights: none,
            dates: DateRange::default(),
            vocab: None,
        });
        assert!(p.bonus.is_empty());
    }
}
