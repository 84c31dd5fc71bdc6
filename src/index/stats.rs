//! What an index holds: articles, files, sources, dates, size (the
//! figures of `newsidx stats`), read from the segment readers.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use super::manifest::Manifest;
use super::schema::names;
use super::{Store, SCHEMA_VERSION};
use crate::dates::format_ymd;

/// What `stats` reports.
#[derive(Debug, Serialize)]
pub struct Stats {
    /// Articles in the index.
    pub articles: u64,
    /// Files indexed.
    pub files: usize,
    /// Distinct sources.
    pub sources: usize,
    /// Earliest date.
    pub date_min: Option<String>,
    /// Latest date.
    pub date_max: Option<String>,
    /// Articles with a date.
    pub dated_articles: u64,
    /// Bytes on disk.
    pub index_bytes: u64,
    /// Schema version.
    pub schema_version: u32,
    /// Dictionary in use.
    pub dictionary: String,
    /// Segments.
    pub segments: usize,
}

fn dir_size(dir: &Path) -> u64 {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_file())
        .filter_map(|e| e.metadata().ok())
        .map(|m| m.len())
        .sum()
}

impl Store {
    /// What `newsidx stats` reports of this index, as last committed.
    pub fn stats(&self) -> Result<Stats> {
        let s = self.reader()?.searcher();
        let f = self.fields;
        let mut sources = BTreeSet::new();
        let (mut lo, mut hi, mut dated) = (i64::MAX, i64::MIN, 0u64);
        for seg in s.segment_readers() {
            let inv = seg.inverted_index(f.source_key)?;
            let mut terms = inv.terms().stream()?;
            while terms.advance() {
                sources.insert(terms.key().to_vec());
            }
            if let Ok(col) = seg.fast_fields().date(names::DATE) {
                for doc in seg.doc_ids_alive() {
                    if let Some(d) = col.first(doc) {
                        let t = d.into_timestamp_secs();
                        lo = lo.min(t);
                        hi = hi.max(t);
                        dated += 1;
                    }
                }
            }
        }
        let dict = match (
            &self.settings.user_dict_origin,
            &self.settings.user_dict_hash,
        ) {
            (Some(o), Some(h)) => format!("jieba default + user dictionary {o} ({h})"),
            _ => "jieba default".to_string(),
        };
        Ok(Stats {
            articles: s.num_docs(),
            files: Manifest::load(&self.index).files.len(),
            sources: sources.len(),
            date_min: (dated > 0).then(|| format_ymd(lo)),
            date_max: (dated > 0).then(|| format_ymd(hi)),
            dated_articles: dated,
            index_bytes: dir_size(&self.dir),
            schema_version: SCHEMA_VERSION,
            dictionary: dict,
            segments: s.segment_readers().len(),
        })
    }
}
