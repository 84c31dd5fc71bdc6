//! Which files the index holds, kept in tantivy's commit payload.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tantivy::Index;

use super::SCHEMA_VERSION;

/// What the index knows of one file.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileState {
    /// Size in bytes when read.
    pub size: u64,
    /// Modification time (nanoseconds since the epoch) when read.
    pub mtime: i128,
    /// FNV-1a hash of the content.
    pub hash: String,
    /// Articles it produced.
    pub articles: u64,
}

/// The files of the last commit, keyed by canonical path.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Manifest {
    /// Schema version of the commit.
    pub schema_version: u32,
    /// Indexed files.
    pub files: BTreeMap<String, FileState>,
}

impl Manifest {
    /// Reads the manifest of the last commit (empty for a new index).
    pub fn load(index: &Index) -> Manifest {
        let payload = index.load_metas().ok().and_then(|m| m.payload);
        payload
            .and_then(|p| serde_json::from_str(&p).ok())
            .unwrap_or(Manifest {
                schema_version: SCHEMA_VERSION,
                files: BTreeMap::new(),
            })
    }

    /// The payload to commit.
    pub fn to_payload(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
