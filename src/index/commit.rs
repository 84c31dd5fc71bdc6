//! What identifies the commit an index folder holds, for a long-lived
//! reader (the server) to notice a new one: the files that define what a
//! search sees (the index's `meta.json`, which the index library replaces
//! by a rename when it publishes a commit, the settings, the query lexicon
//! and the user dictionary), each by size and modification time.

use std::path::Path;
use std::time::SystemTime;

use super::{SETTINGS_FILE, USER_DICT_FILE};
use crate::analysis::lexicon::LEXICON_FILE;

/// Size and modification time of each file that defines a commit.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signature(Vec<Option<(SystemTime, u64)>>);

impl Signature {
    /// The signature of the index at `dir` now (a missing file is `None`).
    pub fn of(dir: &Path) -> Signature {
        Signature(
            ["meta.json", SETTINGS_FILE, LEXICON_FILE, USER_DICT_FILE]
                .iter()
                .map(|f| {
                    let m = std::fs::metadata(dir.join(f)).ok()?;
                    Some((m.modified().ok()?, m.len()))
                })
                .collect(),
        )
    }
}
