//! Synonym groups: words that a search treats as one (新冠, 新型冠状病毒,
//! COVID-19). Applied at query time only: the index is unchanged, and each
//! member is still matched exactly as typed (see
//! `search/plan/synonyms.rs`).
//!
//! The file has one group per line. Members are separated by white space,
//! or by commas (`,` or `，`) when a member itself holds a space
//! (`新冠, COVID 19`). `#` starts a comment line; blank lines are skipped.
//! A member is looked up by its normalised form (width, case and
//! Traditional characters folded, as the index folds them), so `ＣＯＶＩＤ-19`
//! and `covid-19` are the same member.

use std::collections::HashMap;

use thiserror::Error;

use super::normalize::normalize;

/// The synonym groups of an index (empty when it has none).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    /// Each group's members as written in the file.
    groups: Vec<Vec<String>>,
    /// A member's normalised form → its group.
    by_key: HashMap<String, usize>,
}

/// Why a synonyms file was refused, with the line it happened on.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum SynonymError {
    /// A group of one member says nothing.
    #[error("line {0}: a group needs at least two members")]
    Alone(usize),
    /// A member with no letter, digit or Chinese character matches nothing.
    #[error("line {0}: {1:?} has no letter, digit or Chinese character to search for")]
    Empty(usize, String),
    /// A member may belong to one group only.
    #[error("line {0}: {1:?} is already a member of the group on line {2}")]
    Twice(usize, String, usize),
}

impl Synonyms {
    /// Reads the groups of a synonyms file's text.
    pub fn parse(text: &str) -> Result<Synonyms, SynonymError> {
        let mut syn = Synonyms::default();
        let mut lines_of = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let n = i + 1;
            let line = line.trim().trim_start_matches('\u{feff}');
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let members: Vec<String> = if line.contains([',', '，']) {
                line.split([',', '，'])
                    .map(str::trim)
                    .filter(|m| !m.is_empty())
                    .map(str::to_string)
                    .collect()
            } else {
                line.split_whitespace().map(str::to_string).collect()
            };
            let mut group: Vec<String> = Vec::new();
            let mut keys: Vec<String> = Vec::new();
            for m in members {
                let key = key_of(&m);
                if !key.chars().any(char::is_alphanumeric) {
                    return Err(SynonymError::Empty(n, m));
                }
                if keys.contains(&key) {
                    continue;
                }
                if let Some(&g) = syn.by_key.get(&key) {
                    return Err(SynonymError::Twice(n, m, lines_of[g]));
                }
                keys.push(key);
                group.push(m);
            }
            if group.len() < 2 {
                return Err(SynonymError::Alone(n));
            }
            let g = syn.groups.len();
            for k in keys {
                syn.by_key.insert(k, g);
            }
            syn.groups.push(group);
            lines_of.push(n);
        }
        Ok(syn)
    }

    /// True when there is no group.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// Every group, members as written.
    pub fn groups(&self) -> &[Vec<String>] {
        &self.groups
    }

    /// The group `text` is a member of (the members as written, `text`'s
    /// own among them), compared in normalised form.
    pub fn group_of(&self, text: &str) -> Option<&[String]> {
        self.by_key
            .get(&key_of(text))
            .map(|&g| self.groups[g].as_slice())
    }
}

/// The form a member is compared in: normalised, white space trimmed.
fn key_of(text: &str) -> String {
    normalize(text.trim())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_white_space_or_commas() {
        let s = Synonyms::parse(
            "# 疫情\n新冠 新型冠状病毒 新冠肺炎 COVID-19\n\n美联储, 美国联邦储备委员会，the Fed\n",
        )
        .expect("parses");
        assert_eq!(s.groups().len(), 2);
        assert_eq!(
            s.group_of("新冠肺炎").expect("member"),
            ["新冠", "新型冠状病毒", "新冠肺炎", "COVID-19"]
        );
        assert_eq!(
            s.group_of("THE FED").expect("member"),
            ["美联储", "美国联邦储备委员会", "the Fed"]
        );
        assert!(s.group_of("新冠疫苗").is_none());
    }

    #[test]
    fn members_compare_folded() {
        let s = Synonyms::parse("ＣＯＶＩＤ-19 新冠\n").expect("parses");
        assert!(s.group_of("covid-19").is_some());
        let t = Synonyms::parse("臺灣 台湾省\n").expect("parses");
        assert!(t.group_of("台湾").is_some(), "Traditional folded");
    }

    #[test]
    fn bad_lines_are_named() {
        assert_eq!(Synonyms::parse("a b\nc\n"), Err(SynonymError::Alone(2)));
        assert_eq!(
            Synonyms::parse("新冠 ！！\n"),
            Err(SynonymError::Empty(1, "！！".into()))
        );
        assert_eq!(
            Synonyms::parse("甲 乙\n\n丙 甲\n"),
            Err(SynonymError::Twice(3, "甲".into(), 1))
        );
        assert_eq!(Synonyms::parse("甲 甲\n"), Err(SynonymError::Alone(1)));
        assert!(Synonyms::parse("").expect("empty").is_empty());
    }
}
