//! A plan in SphinxQL: the plan's conditions ([`Conds`], built beside
//! its tantivy queries) as a `MATCH()` in Sphinx's extended syntax over
//! the exported fields, plus a `WHERE` on the date attributes. The terms
//! are written by `export::terms`, the code that wrote the fields, so the
//! engine sees the tokens newsidx's analysers give.
//!
//! A text is matched as the local index matches it: verbatim in a bigram
//! field (`@title_bg "…"`, a single character at an end as a wildcard of
//! the bigrams it starts or ends), or, for a jieba word, its term in a
//! word field; a single character beside longer words as the word or the
//! start of a bigram. Units join with AND (every unit) or OR (one unit,
//! the relaxed floor); exclusions are `-( … )`.

use anyhow::{bail, Result};

use crate::export::terms::{engine_term, is_plain, sphinx_substring, View, START};
use crate::search::plan::cond::{Cond, Conds};
use crate::search::Plan;

/// A plan as SphinxQL conditions.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// The `MATCH()` query (none: every article, within `wheres`).
    pub matching: Option<String>,
    /// Conditions on attributes, joined by AND.
    pub wheres: Vec<String>,
}

impl Filter {
    /// The `WHERE` clause (empty when there is no condition).
    pub fn clause(&self) -> String {
        let mut parts = Vec::new();
        if let Some(m) = &self.matching {
            parts.push(format!("MATCH({})", super::client::quote(m)));
        }
        parts.extend(self.wheres.iter().cloned());
        match parts.is_empty() {
            true => String::new(),
            false => format!(" WHERE {}", parts.join(" AND ")),
        }
    }
}

fn field_text(side: &str, text: &str, word: bool) -> Vec<String> {
    let mut alts = Vec::new();
    if let Some(s) = sphinx_substring(text) {
        alts.push(format!("(@{side}_bg {s})"));
    }
    if word {
        alts.push(format!(
            "(@{side}_words {})",
            engine_term(text, View::Words)
        ));
    }
    alts
}

fn single(side: &str, c: &str) -> Vec<String> {
    let mut alts = vec![format!("(@{side}_words {})", engine_term(c, View::Words))];
    // A bigram starting with the character: written plain, or escaped
    // (`_hex_` per character) when it holds another character.
    let mut prefixes = Vec::new();
    if c.chars().all(is_plain) {
        prefixes.push(format!("{START}{c}*"));
    }
    let hex: String = c.chars().map(|ch| format!("_{:x}", ch as u32)).collect();
    prefixes.push(format!("{hex}_*"));
    alts.push(format!("(@{side}_bg {})", prefixes.join(" | ")));
    alts
}

fn sides(title: bool, body: bool) -> impl Iterator<Item = &'static str> {
    [(title, "title"), (body, "body")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, s)| s)
}

fn or(alts: Vec<String>) -> Option<String> {
    match alts.len() {
        0 => None,
        1 => alts.into_iter().next(),
        _ => Some(format!("({})", alts.join(" | "))),
    }
}

/// The extended query of one condition; `None` when it matches nothing.
pub fn expr(c: &Cond) -> Result<Option<String>> {
    Ok(match c {
        Cond::Nothing => None,
        Cond::Text {
            text,
            word,
            title,
            body,
        } => or(sides(*title, *body)
            .flat_map(|s| field_text(s, text, *word))
            .collect()),
        Cond::Single { c, title, body } => {
            or(sides(*title, *body).flat_map(|s| single(s, c)).collect())
        }
        Cond::Source(text) => sphinx_substring(text).map(|s| format!("(@source_bg {s})")),
        Cond::Name(..) => bail!("person:, place: and org: are not supported with --engine"),
        Cond::Dates(_) => bail!("a date range inside a group is not supported with --engine"),
        Cond::Any(cs) => {
            let mut alts = Vec::new();
            for c in cs {
                alts.extend(expr(c)?);
            }
            or(alts)
        }
        Cond::All(cs) => {
            let mut all = Vec::new();
            for c in cs {
                match expr(c)? {
                    Some(e) => all.push(e),
                    None => return Ok(None),
                }
            }
            Some(format!("({})", all.join(" ")))
        }
    })
}

/// The units of `conds` with at least `required` of them: all of them,
/// or any one (the relaxed floor); `None` when that matches nothing.
fn units(conds: &Conds, required: usize) -> Result<Option<Cond>> {
    let n = conds.units.len();
    if n == 0 {
        return Ok(Some(Cond::All(Vec::new())));
    }
    if required >= n {
        return Ok(Some(Cond::All(conds.units.clone())));
    }
    if required <= 1 {
        return Ok(Some(Cond::Any(conds.units.clone())));
    }
    bail!("requiring {required} of {n} words is not supported with --engine")
}

/// The SphinxQL conditions of `plan` requiring `required` of its units;
/// `None` when it matches nothing (as its local query is empty).
pub fn filter(plan: &Plan, required: usize) -> Result<Option<Filter>> {
    let conds = plan.conds();
    if conds.is_empty() {
        return Ok(None);
    }
    let mut positive = Vec::new();
    let mut wheres = Vec::new();
    let mut required_conds = conds.required.clone();
    if let Some(u) = units(conds, required)? {
        required_conds.push(u);
    }
    for f in &conds.filters {
        match f {
            Cond::Dates(d) => {
                wheres.push("has_date=1".to_string());
                if let Some(s) = d.since {
                    wheres.push(format!("date>={s}"));
                }
                if let Some(u) = d.until {
                    wheres.push(format!("date<={u}"));
                }
            }
            other => required_conds.push(other.clone()),
        }
    }
    for c in &required_conds {
        if matches!(c, Cond::All(v) if v.is_empty()) {
            continue;
        }
        match expr(c)? {
            Some(e) => positive.push(e),
            None => return Ok(None),
        }
    }
    let mut negative = Vec::new();
    for c in &conds.excluded {
        if let Some(e) = expr(c)? {
            negative.push(format!("-{e}"));
        }
    }
    if positive.is_empty() && !negative.is_empty() {
        bail!("a query of exclusions only is not supported with --engine");
    }
    let matching = match positive.is_empty() {
        true => None,
        false => Some(
            positive
                .into_iter()
                .chain(negative)
                .collect::<Vec<_>>()
                .join(" "),
        ),
    };
    Ok(Some(Filter { matching, wheres }))
}

/// `filter` with every verbatim run of `plan` ([`Conds::verbatim`]) too:
/// the top tier of a search by relevance; `None` when the plan has no
/// such run (or one that matches nothing).
pub fn with_verbatim(filter: &Filter, plan: &Plan) -> Result<Option<Filter>> {
    let runs = &plan.conds().verbatim;
    let Some(m) = &filter.matching else {
        return Ok(None);
    };
    if runs.is_empty() {
        return Ok(None);
    }
    let mut all = vec![m.clone()];
    for r in runs {
        match expr(r)? {
            Some(e) => all.push(e),
            None => return Ok(None),
        }
    }
    Ok(Some(Filter {
        matching: Some(all.join(" ")),
        wheres: filter.wheres.clone(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Segmenter;
    use crate::index::Fields;
    use crate::search::plan::PlanInputs;
    use crate::search::syntax::parse;
    use crate::search::{DateRange, Weights};

    fn translated(q: &str, dates: DateRange) -> Result<Option<Filter>> {
        let f = Fields::new(&crate::index::schema::build())?;
        let seg = Segmenter::new();
        let parsed = parse(q).map_err(|e| anyhow::anyhow!("{e}"))?;
        let plan = Plan::new(PlanInputs {
            parsed: &parsed,
            fields: &f,
            seg: &seg,
            weights: Weights::default(),
            dates,
            vocab: None,
        });
        filter(&plan, plan.unit_count())
    }

    fn matching(q: &str) -> String {
        match translated(q, DateRange::default()) {
            Ok(Some(f)) => f.matching.unwrap_or_default(),
            other => panic!("{q}: {other:?}"),
        }
    }

    #[test]
    fn texts_fields_exclusions_and_sources() {
        let m = matching("长江");
        assert!(m.contains("(@title_bg \"\u{E001}长江\u{E000}\")"), "{m}");
        assert!(m.contains("(@body_words 长江)"), "{m}");
        let m = matching("title:长江");
        assert!(m.contains("@title_bg") && !m.contains("@body"), "{m}");
        let m = matching("长江 -江豚");
        assert!(m.contains(" -(") && m.contains("江豚"), "{m}");
        let m = matching("江豚 source:新华");
        assert!(m.contains("(@source_bg \"\u{E001}新华\u{E000}\")"), "{m}");
        let m = matching("长江 OR 黄河");
        assert!(m.contains(" | ") && m.contains("黄河"), "{m}");
    }

    #[test]
    fn dates_nothing_and_unsupported() {
        let dates = DateRange {
            since: Some(10),
            until: None,
        };
        let f = translated("长江", dates).ok().flatten();
        let wheres = f.map(|f| f.wheres).unwrap_or_default();
        assert_eq!(wheres, ["has_date=1", "date>=10"]);
        assert!(matches!(expr(&Cond::Nothing), Ok(None)));
        let text = Cond::Text {
            text: "长江".into(),
            word: false,
            title: true,
            body: false,
        };
        let all = Cond::All(vec![text.clone(), Cond::Nothing]);
        assert!(matches!(expr(&all), Ok(None)), "all with nothing");
        let any = Cond::Any(vec![text, Cond::Nothing]);
        assert!(matches!(expr(&any), Ok(Some(_))), "any without nothing");
        assert!(translated("person:王毅", DateRange::default()).is_err());
        let clause = Filter {
            matching: Some("it's".into()),
            wheres: vec!["date>=1".into()],
        }
        .clause();
        assert_eq!(clause, " WHERE MATCH('it\\'s') AND date>=1");
    }
}
