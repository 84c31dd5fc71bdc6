//! `newsidx export`: the articles of an index, or of dump files read
//! straight, written for an existing search engine with newsidx's own
//! tokens (`terms.rs`): Sphinx / Manticore shards with their cluster
//! (`xmlpipe.rs`, `sphinx.rs`, `scripts.rs`), or OpenSearch `_bulk` files
//! (`opensearch.rs`, and `os_query.rs` for the `_search` bodies); what
//! query planning needs travels along (`lexicon.rs`).

pub mod lexicon;
pub mod opensearch;
pub mod os_query;
pub mod prepare;
pub mod scripts;
pub mod shard;
pub mod source;
pub mod sphinx;
pub mod terms;
pub mod xmlpipe;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};

use crate::analysis::Segmenter;
use prepare::{prepare_batch, Prepared};
use shard::{shard_of, DocIds, Part};
use source::Source;
use sphinx::Layout;

/// The engine exported for.
#[derive(Debug, Clone)]
pub enum Target {
    /// Sphinx 2.2 / Manticore: shards, head, cluster.json, scripts.
    Sphinx(Layout),
    /// OpenSearch / Elasticsearch: index.json and `_bulk` files.
    OpenSearch,
}

/// What to export, and where.
#[derive(Debug, Clone)]
pub struct Options {
    /// The articles.
    pub source: Source,
    /// The folder written.
    pub out: PathBuf,
    /// Shards (OpenSearch: its `number_of_shards`).
    pub shards: usize,
    /// The part of the corpus this export takes (`--shard K/N`).
    pub part: Part,
    /// The engine.
    pub target: Target,
    /// Threads preparing articles.
    pub threads: usize,
}

/// What an export did.
#[derive(Debug, Default, Clone)]
pub struct Report {
    /// Articles written, per shard.
    pub per_shard: Vec<u64>,
    /// Articles read but left to other parts (`--shard`).
    pub other_parts: u64,
    /// Files read (dump paths only).
    pub files: usize,
    /// Files that could not be read.
    pub files_skipped: usize,
    /// Wall-clock seconds.
    pub seconds: f64,
}

impl Report {
    /// Articles written.
    pub fn articles(&self) -> u64 {
        self.per_shard.iter().sum()
    }
}

/// Articles prepared at a time.
const BATCH: usize = 512;

enum Writers {
    Sphinx(Vec<xmlpipe::XmlShard>),
    OpenSearch(opensearch::Bulk),
}

impl Writers {
    fn add(&mut self, p: &Prepared) -> Result<()> {
        match self {
            Writers::Sphinx(shards) => match shards.get_mut(p.shard) {
                Some(s) => s.add(p),
                None => bail!("shard {} out of range", p.shard),
            },
            Writers::OpenSearch(b) => b.add(p),
        }
    }
}

/// An export folder must be new, empty, or an earlier export.
fn prepare_out(out: &Path) -> Result<()> {
    if out.is_dir() {
        let mut entries =
            std::fs::read_dir(out).with_context(|| format!("{}: cannot read", out.display()))?;
        if entries.next().is_some() && !out.join(lexicon::FOLDER).is_dir() {
            bail!(
                "{}: not empty and not an earlier export; choose a new --out folder",
                out.display()
            );
        }
    }
    std::fs::create_dir_all(out).with_context(|| format!("{}: cannot create", out.display()))
}

fn open_writers(opts: &Options) -> Result<Writers> {
    Ok(match &opts.target {
        Target::Sphinx(_) => {
            let mut v = Vec::new();
            for k in 0..opts.shards {
                let dir = opts.out.join(format!("shard{k}"));
                std::fs::create_dir_all(&dir)
                    .with_context(|| format!("{}: cannot create", dir.display()))?;
                v.push(xmlpipe::XmlShard::create(&dir.join("data.xml"))?);
            }
            Writers::Sphinx(v)
        }
        Target::OpenSearch => Writers::OpenSearch(opensearch::Bulk::new(&opts.out)),
    })
}

/// Exports `opts.source`; warnings (unreadable files) go to `warn`.
pub fn run(opts: &Options, warn: &mut dyn FnMut(&str)) -> Result<Report> {
    let started = Instant::now();
    let shards = opts.shards.max(1);
    prepare_out(&opts.out)?;
    let seg = source::segmenter(&opts.source)?;
    let mut writers = open_writers(opts)?;
    let mut report = Report {
        per_shard: vec![0; shards],
        ..Report::default()
    };
    let mut ids = DocIds::default();
    let mut words = HashSet::new();
    let mut batch = Vec::new();
    let mut flush = |batch: &mut Vec<_>, words: &mut HashSet<String>, r: &mut Report| {
        let done = prepare_batch(&seg, std::mem::take(batch), opts.threads, words)?;
        for p in &done {
            writers.add(p)?;
            r.per_shard[p.shard] += 1;
        }
        anyhow::Ok(())
    };
    let read = source::for_each(&opts.source, warn, &mut |a| {
        let Some(shard) = shard_of(&a.id, opts.part, shards) else {
            report.other_parts += 1;
            return Ok(());
        };
        let id = ids.next(&a);
        batch.push((shard, id, a));
        if batch.len() >= BATCH {
            flush(&mut batch, &mut words, &mut report)?;
        }
        Ok(())
    })?;
    flush(&mut batch, &mut words, &mut report)?;
    finish(opts, writers, &seg, words)?;
    report.files = read.files;
    report.files_skipped = read.files_skipped;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

fn finish(opts: &Options, writers: Writers, seg: &Segmenter, words: HashSet<String>) -> Result<()> {
    match (writers, &opts.target) {
        (Writers::Sphinx(v), Target::Sphinx(layout)) => {
            for s in v {
                s.finish()?;
            }
            sphinx::write_cluster(&opts.out, layout)?;
        }
        (Writers::OpenSearch(b), _) => b.finish(opts.shards)?,
        (Writers::Sphinx(_), Target::OpenSearch) => bail!("export target mismatch"),
    }
    lexicon::write(&opts.out, &opts.source, seg, words)
}
