//! Corpus-level boilerplate evidence: lines that recur across many files of
//! one site.
//!
//! Pages scraped from one site share their chrome (navigation, sidebars,
//! footers, promotional lines) while their articles differ, so a line that
//! occurs in many files of one folder is boilerplate. The pipeline reads
//! files independently in parallel workers, so this evidence is gathered
//! *before* them: the walk ([`super::walk`]) runs [`learn`] once per folder
//! holding at least [`MIN_FILES`] text pages — a cheap pre-pass over at most
//! [`SAMPLE`] of them, reading at most [`MAX_BYTES`] of each — and hands the
//! resulting [`SiteLines`] to every file of that folder behind an `Arc`,
//! read-only. [`super::formats::scraped::clean`] then drops those lines (never the
//! title). Folders with fewer files get per-file rules only.

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Read;
use std::path::Path;

use super::decode;

/// Folders with fewer text pages than this learn nothing.
pub const MIN_FILES: usize = 4;
/// Pages sampled per folder.
pub const SAMPLE: usize = 100;
/// Bytes read per sampled page.
pub const MAX_BYTES: u64 = 1 << 20;

/// Lines known to be boilerplate for one folder (hashes of normalised lines).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SiteLines {
    lines: HashSet<u64>,
    /// Files the evidence came from.
    pub files: usize,
}

fn key(line: &str) -> Option<u64> {
    let norm: String = line.split_whitespace().collect::<Vec<_>>().join(" ");
    if norm.chars().count() < 2 {
        return None;
    }
    let mut h = std::collections::hash_map::DefaultHasher::new();
    norm.hash(&mut h);
    Some(h.finish())
}

impl SiteLines {
    /// Whether `line` is boilerplate of this site.
    pub fn contains(&self, line: &str) -> bool {
        key(line).is_some_and(|k| self.lines.contains(&k))
    }

    /// A set made of the given lines (for tests and callers with their own evidence).
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        SiteLines {
            lines: lines.into_iter().filter_map(key).collect(),
            files: 0,
        }
    }

    /// Number of boilerplate lines.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is known to be boilerplate.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }
}

/// Learns the boilerplate of the pages `texts` (one string per file): lines
/// found in at least a fifth of them, and in at least three.
pub fn learn_from_texts<'a>(texts: impl IntoIterator<Item = &'a str>) -> SiteLines {
    let mut counts: HashMap<u64, usize> = HashMap::new();
    let mut files = 0usize;
    for text in texts {
        files += 1;
        let mut seen = HashSet::new();
        // The first line is the page's title: never evidence.
        for line in text.lines().skip(1) {
            if let Some(k) = key(line) {
                if seen.insert(k) {
                    *counts.entry(k).or_default() += 1;
                }
            }
        }
    }
    let need = 3.max(files.div_ceil(5));
    SiteLines {
        lines: counts
            .into_iter()
            .filter(|&(_, n)| n >= need)
            .map(|(k, _)| k)
            .collect(),
        files,
    }
}

/// Learns the boilerplate of a folder from (a sample of) its text `files`;
/// `None` when there are too few of them or nothing recurs.
pub fn learn(files: &[&Path]) -> Option<SiteLines> {
    if files.len() < MIN_FILES {
        return None;
    }
    let step = files.len().div_ceil(SAMPLE).max(1);
    let texts: Vec<String> = files
        .iter()
        .step_by(step)
        .filter_map(|p| {
            let mut bytes = Vec::new();
            std::fs::File::open(p)
                .ok()?
                .take(MAX_BYTES)
                .read_to_end(&mut bytes)
                .ok()?;
            let det = decode::detect(&bytes, true).ok()?;
            Some(det.encoding.decode_with_bom_removal(&bytes).0.into_owned())
        })
        .collect();
    if texts.len() < MIN_FILES {
        return None;
    }
    let site = learn_from_texts(texts.iter().map(String::as_str));
    (!site.is_empty()).then_some(site)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recurring_lines_are_learned() {
        let pages: Vec<String> = (0..6)
            .map(|i| format!("标题{i}\n网站导航 首页\n正文第{i}段不同。\n版权所有 某某网\n"))
            .collect();
        let site = learn_from_texts(pages.iter().map(String::as_str));
        assert!(site.contains("网站导航  首页"));
        assert!(site.contains("版权所有 某某网"));
        assert!(!site.contains("正文第1段不同。"));
        assert_eq!(site.files, 6);
    }

    #[test]
    fn too_few_pages_learn_nothing() {
        let site = learn_from_texts(["a\n共同\n", "b\n共同\n"]);
        assert!(site.is_empty());
    }
}
