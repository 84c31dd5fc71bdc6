//! A parsed query with the index's synonym groups applied (see
//! [`crate::analysis::synonyms`]), before it is planned.
//!
//! A clause whose whole text is a member of a group (an unquoted word
//! standing alone, or a quoted phrase) becomes the alternatives of the
//! group: the clause as typed, and every other member as an exact phrase,
//! in the same field. So each member matches exactly the articles it would
//! match alone (grep parity holds member by member), `total_hits` counts
//! the articles that match any of them, and passages highlight whichever
//! matched. An excluded member excludes every member. Text in which a
//! member is only a part (新冠疫苗) is not expanded, and `source:` filters
//! never are.

use crate::analysis::normalize::normalize;
use crate::analysis::synonyms::Synonyms;
use crate::search::syntax::{Atom, Clause, Parsed, Scope};

/// One clause that was expanded: the member as typed and the members
/// added beside it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expansion {
    /// The clause's text as typed.
    pub typed: String,
    /// The other members of its group, as written in the synonyms file.
    pub added: Vec<String>,
    /// True for an excluded clause (every member excluded).
    pub excluded: bool,
}

/// The members of `syn` to add beside clause `c`, if it is a member.
fn added_for(c: &Clause, syn: &Synonyms) -> Option<Expansion> {
    if c.scope == Scope::Source {
        return None;
    }
    let text = match &c.atom {
        Atom::Words(t) | Atom::Phrase(t) => t,
    };
    let group = syn.group_of(text)?;
    // Every member but the one typed (compared as the file compares).
    let typed = normalize(text.trim());
    let added: Vec<String> = group
        .iter()
        .filter(|m| normalize(m.trim()) != typed)
        .cloned()
        .collect();
    Some(Expansion {
        typed: text.clone(),
        added,
        excluded: false,
    })
}

/// The clause `c` followed by its synonyms' clauses.
fn alternatives(c: &Clause, e: &Expansion) -> Vec<Clause> {
    let mut out = vec![c.clone()];
    out.extend(e.added.iter().map(|m| Clause {
        scope: c.scope,
        atom: Atom::Phrase(m.clone()),
    }));
    out
}

/// `parsed` with every member clause expanded, and what was expanded;
/// `None` when no clause is a member (the query is planned as it is).
pub fn expand(parsed: &Parsed, syn: &Synonyms) -> Option<(Parsed, Vec<Expansion>)> {
    if syn.is_empty() {
        return None;
    }
    let mut done = Vec::new();
    let mut out = Parsed::default();
    for group in &parsed.groups {
        let mut alts = Vec::new();
        for c in group {
            match added_for(c, syn) {
                Some(e) => {
                    alts.extend(alternatives(c, &e));
                    done.push(e);
                }
                None => alts.push(c.clone()),
            }
        }
        out.groups.push(alts);
    }
    for c in &parsed.excluded {
        match added_for(c, syn) {
            Some(e) => {
                out.excluded.extend(alternatives(c, &e));
                done.push(Expansion {
                    excluded: true,
                    ..e
                });
            }
            None => out.excluded.push(c.clone()),
        }
    }
    if done.is_empty() {
        None
    } else {
        Some((out, done))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::syntax::parse;

    fn syn() -> Synonyms {
        Synonyms::parse("新冠 新型冠状病毒 COVID-19\n").expect("synonyms")
    }

    fn phrase(scope: Scope, t: &str) -> Clause {
        Clause {
            scope,
            atom: Atom::Phrase(t.into()),
        }
    }

    #[test]
    fn a_member_becomes_its_group() {
        let (p, e) = expand(&parse("新冠 疫苗").expect("query"), &syn()).expect("expanded");
        assert_eq!(p.groups.len(), 2);
        assert_eq!(
            p.groups[0],
            [
                Clause {
                    scope: Scope::Any,
                    atom: Atom::Words("新冠".into())
                },
                phrase(Scope::Any, "新型冠状病毒"),
                phrase(Scope::Any, "COVID-19"),
            ]
        );
        assert_eq!(p.groups[1].len(), 1);
        assert_eq!(e[0].typed, "新冠");
        assert_eq!(e[0].added, ["新型冠状病毒", "COVID-19"]);
    }

    #[test]
    fn scopes_phrases_exclusions_and_case() {
        let (p, e) =
            expand(&parse("title:\"covid-19\" -新冠 航天").expect("q"), &syn()).expect("expanded");
        assert_eq!(
            p.groups[0],
            [
                phrase(Scope::Title, "covid-19"),
                phrase(Scope::Title, "新冠"),
                phrase(Scope::Title, "新型冠状病毒"),
            ]
        );
        assert_eq!(p.excluded.len(), 3);
        assert!(e[1].excluded && !e[0].excluded);
    }

    #[test]
    fn parts_and_sources_are_left_alone() {
        assert!(expand(&parse("新冠疫苗 source:新冠").expect("q"), &syn()).is_none());
        assert!(expand(&parse("新冠").expect("q"), &Synonyms::default()).is_none());
    }
}
