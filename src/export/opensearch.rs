//! The OpenSearch / Elasticsearch export: `index.json` (settings and
//! mappings) and `_bulk` NDJSON files of at most [`MAX_BULK_BYTES`] each.
//!
//! The engine fields hold the same terms as Sphinx's (`terms.rs`), split
//! by a `pattern` tokenizer on U+200B and white space, with no filter, so
//! OpenSearch indexes exactly newsidx's tokens. `title` and `body` hold
//! the original text (standard analyzer, offsets indexed) for
//! highlighting. A document's `_id` is the article id (stable across
//! exports); a second article with the same id (another file) gets
//! `ID~HASH` of its path.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde_json::{json, Value};

use super::prepare::Prepared;
use crate::dates::format_ymd;

/// Largest `_bulk` file.
pub const MAX_BULK_BYTES: u64 = 16 * 1024 * 1024;
/// The index name the bulk actions and the docs use.
pub const INDEX: &str = "news";

/// `index.json`: settings and mappings of every field.
pub fn index_json(shards: usize) -> Value {
    let terms = json!({"type": "text", "analyzer": "newsidx_terms", "norms": true});
    let original = json!({"type": "text", "analyzer": "standard", "index_options": "offsets"});
    let keyword = json!({"type": "keyword"});
    json!({
        "settings": {
            "number_of_shards": shards.max(1),
            "number_of_replicas": 1,
            "analysis": {
                "tokenizer": {"newsidx_terms": {"type": "pattern", "pattern": "[\\u200B\\s]+"}},
                "analyzer": {"newsidx_terms": {"type": "custom", "tokenizer": "newsidx_terms"}}
            }
        },
        "mappings": {
            "dynamic": "strict",
            "properties": {
                "aid": keyword, "title": original, "body": original,
                "title_words": terms, "body_words": terms,
                "title_bg": terms, "body_bg": terms, "source_bg": terms,
                "source": keyword, "author": keyword, "url": keyword, "path": keyword,
                "date": {"type": "date", "format": "epoch_second"},
                "day": {"type": "date", "format": "yyyy-MM-dd"},
                "year": {"type": "integer"}, "month": {"type": "integer"},
                "simhash": keyword
            }
        }
    })
}

/// The document of one prepared article.
pub fn document(p: &Prepared) -> Value {
    let a = &p.article;
    let ymd = a.date.map(format_ymd);
    let part = |r: std::ops::Range<usize>| {
        ymd.as_deref()
            .and_then(|d| d.get(r))
            .and_then(|s| s.replace('-', "").parse::<i64>().ok())
    };
    json!({
        "aid": a.id, "title": a.title, "body": a.body,
        "title_words": p.title_words, "body_words": p.body_words,
        "title_bg": p.title_bg, "body_bg": p.body_bg, "source_bg": p.source_bg,
        "source": a.source, "author": a.author, "url": a.url, "path": a.path,
        "date": a.date, "day": ymd, "year": part(0..4), "month": part(0..7),
        "simhash": format!("{:016x}", crate::analysis::fingerprint::simhash(&a.body)),
    })
}

/// The `_bulk` files being written.
pub struct Bulk {
    dir: PathBuf,
    file: Option<(BufWriter<File>, u64)>,
    files: usize,
    ids: HashSet<String>,
    /// Documents written.
    pub docs: u64,
}

impl Bulk {
    /// Bulk files into `dir`.
    pub fn new(dir: &Path) -> Bulk {
        Bulk {
            dir: dir.to_path_buf(),
            file: None,
            files: 0,
            ids: HashSet::new(),
            docs: 0,
        }
    }

    fn id_of(&mut self, p: &Prepared) -> String {
        let a = &p.article;
        if self.ids.insert(a.id.clone()) {
            return a.id.clone();
        }
        format!("{}~{}", a.id, crate::fnv::hex(a.path.as_bytes()))
    }

    /// Writes one article (a new file when it would pass the bound).
    pub fn add(&mut self, p: &Prepared) -> Result<()> {
        let id = self.id_of(p);
        let action = json!({"index": {"_index": INDEX, "_id": id}});
        let lines = format!("{action}\n{}\n", document(p));
        let len = lines.len() as u64;
        if self
            .file
            .as_ref()
            .is_none_or(|(_, n)| n + len > MAX_BULK_BYTES)
        {
            self.next_file()?;
        }
        let path = self.path(self.files - 1);
        if let Some((f, n)) = self.file.as_mut() {
            f.write_all(lines.as_bytes())
                .with_context(|| format!("{}: cannot write", path.display()))?;
            *n += len;
        }
        self.docs += 1;
        Ok(())
    }

    fn path(&self, i: usize) -> PathBuf {
        self.dir.join(format!("bulk-{i:05}.ndjson"))
    }

    fn next_file(&mut self) -> Result<()> {
        self.flush()?;
        let p = self.path(self.files);
        let f = File::create(&p).with_context(|| format!("{}: cannot write", p.display()))?;
        self.file = Some((BufWriter::new(f), 0));
        self.files += 1;
        Ok(())
    }

    fn flush(&mut self) -> Result<()> {
        if let Some((mut f, _)) = self.file.take() {
            f.flush()
                .with_context(|| format!("{}: cannot write", self.dir.display()))?;
        }
        Ok(())
    }

    /// Finishes the last file and writes `index.json`.
    pub fn finish(mut self, shards: usize) -> Result<()> {
        self.flush()?;
        let p = self.dir.join("index.json");
        let text = serde_json::to_string_pretty(&index_json(shards))? + "\n";
        std::fs::write(&p, text).with_context(|| format!("{}: cannot write", p.display()))
    }
}
