//! Where exported articles come from: the stored articles of an index, or
//! dump files read straight through the same readers `index` uses (so a
//! corpus too big for one machine never needs a local index).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use tantivy::schema::{Field, Value};
use tantivy::TantivyDocument;

use crate::analysis::Segmenter;
use crate::corpus::{self, Article};
use crate::index::Store;

/// The articles to export.
#[derive(Debug, Clone)]
pub enum Source {
    /// The index at this folder.
    Index(PathBuf),
    /// Files and folders, walked as `index` walks them; the user
    /// dictionary to segment with, if any.
    Paths(Vec<PathBuf>, Option<PathBuf>),
}

/// What reading the source found besides articles.
#[derive(Debug, Default)]
pub struct Read {
    /// Files that could not be read (each already warned about).
    pub files_skipped: usize,
    /// Files read.
    pub files: usize,
}

/// The segmenter the export tokenises with: the index's (its user
/// dictionary), or jieba with the user dictionary given.
pub fn segmenter(src: &Source) -> Result<Arc<Segmenter>> {
    match src {
        Source::Index(dir) => Ok(Store::open(dir)?.seg),
        Source::Paths(_, None) => Ok(Segmenter::new()),
        Source::Paths(_, Some(p)) => {
            let text = std::fs::read_to_string(p)
                .with_context(|| format!("{}: cannot read user dictionary", p.display()))?;
            Ok(Segmenter::with_user_dict(Some(text)))
        }
    }
}

/// Hands every article of `src` to `each`, in a stable order.
pub fn for_each(
    src: &Source,
    warn: &mut dyn FnMut(&str),
    each: &mut dyn FnMut(Article) -> Result<()>,
) -> Result<Read> {
    match src {
        Source::Index(dir) => from_index(dir, each),
        Source::Paths(paths, _) => from_paths(paths, warn, each),
    }
}

fn text(d: &TantivyDocument, f: Field) -> Option<String> {
    d.get_first(f).and_then(|v| v.as_str()).map(str::to_string)
}

fn from_index(dir: &Path, each: &mut dyn FnMut(Article) -> Result<()>) -> Result<Read> {
    let store = Store::open(dir)?;
    let f = store.fields;
    let searcher = store.reader()?.searcher();
    for segment in searcher.segment_readers() {
        let reader = segment.get_store_reader(1)?;
        for doc in reader.iter::<TantivyDocument>(segment.alive_bitset()) {
            let d = doc?;
            each(Article {
                id: text(&d, f.id).unwrap_or_default(),
                title: text(&d, f.title).unwrap_or_default(),
                body: text(&d, f.body).unwrap_or_default(),
                date: d
                    .get_first(f.date)
                    .and_then(|v| v.as_datetime())
                    .map(|t| t.into_timestamp_secs()),
                source: text(&d, f.source),
                author: text(&d, f.author),
                url: text(&d, f.url),
                path: text(&d, f.path).unwrap_or_default(),
            })?;
        }
    }
    Ok(Read::default())
}

fn from_paths(
    paths: &[PathBuf],
    warn: &mut dyn FnMut(&str),
    each: &mut dyn FnMut(Article) -> Result<()>,
) -> Result<Read> {
    let walked = corpus::walk::walk(paths, None);
    let mut read = Read {
        files_skipped: walked.errors.len(),
        files: 0,
    };
    for e in &walked.errors {
        warn(e);
    }
    for entry in &walked.files {
        let mut failed: Option<anyhow::Error> = None;
        let res = corpus::read_file_with(
            &entry.path,
            &entry.display,
            entry.site.as_deref(),
            &mut |a| {
                if failed.is_none() {
                    failed = each(a).err();
                }
            },
        );
        if let Some(e) = failed {
            return Err(e);
        }
        match res {
            Ok(info) => {
                read.files += 1;
                for w in &info.warnings {
                    warn(w);
                }
            }
            Err(e) => {
                read.files_skipped += 1;
                warn(&format!("{e:#}"));
            }
        }
    }
    Ok(read)
}
