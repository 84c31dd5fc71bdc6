//! What query planning needs from the index, travelling with the export
//! in `DIR/newsidx/`: the query lexicon (`query_lexicon.fst`), the user
//! dictionary and the synonym groups, as an index folder holds them, so
//! `index::segmenter_at(DIR/newsidx)` and `index::synonyms_at` read them
//! as they read an index's. Exported from an index, its own files are
//! copied; from dump files, the lexicon is built from the exported
//! tokens' dictionary words as `newsidx index` builds it from the terms.

use std::collections::HashSet;
use std::path::Path;

use anyhow::{Context, Result};

use super::source::Source;
use crate::analysis::lexicon::{Lexicon, LEXICON_FILE};
use crate::analysis::segmenter::parse_user_dict;
use crate::analysis::Segmenter;
use crate::index::{SYNONYMS_FILE, USER_DICT_FILE};

/// The folder inside an export.
pub const FOLDER: &str = "newsidx";

/// Writes `DIR/newsidx/`.
pub fn write(out: &Path, src: &Source, seg: &Segmenter, words: HashSet<String>) -> Result<()> {
    let dir = out.join(FOLDER);
    std::fs::create_dir_all(&dir).with_context(|| format!("{}: cannot create", dir.display()))?;
    let copy = |from: &Path, name: &str| -> Result<()> {
        let p = from.join(name);
        if p.is_file() {
            std::fs::copy(&p, dir.join(name))
                .with_context(|| format!("{}: cannot copy", p.display()))?;
        }
        Ok(())
    };
    match src {
        Source::Index(idx) if idx.join(LEXICON_FILE).is_file() => {
            for name in [LEXICON_FILE, USER_DICT_FILE, SYNONYMS_FILE] {
                copy(idx, name)?;
            }
            return Ok(());
        }
        Source::Index(idx) => {
            for name in [USER_DICT_FILE, SYNONYMS_FILE] {
                copy(idx, name)?;
            }
        }
        Source::Paths(_, Some(dict)) => {
            std::fs::copy(dict, dir.join(USER_DICT_FILE))
                .with_context(|| format!("{}: cannot copy", dict.display()))?;
        }
        Source::Paths(_, None) => {}
    }
    let extra: u64 = seg
        .user_dict()
        .map(|d| {
            parse_user_dict(d)
                .iter()
                .fold(0u64, |sum, e| sum.saturating_add(e.1 as u64))
        })
        .unwrap_or(0);
    let bytes = Lexicon::build(seg.jieba(), words, extra)?;
    Lexicon::write(&dir, &bytes)
}
