//! `newsidx stats`.

use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::cli::StatsArgs;
use crate::corpus::date::format_ymd;
use crate::exit::Exit;
use crate::index::manifest::Manifest;
use crate::index::SCHEMA_VERSION;
use crate::search::Searcher;

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

/// Computes the stats of an index.
pub fn compute(searcher: &Searcher) -> Result<Stats> {
    let store = searcher.store();
    let s = searcher.reader().searcher();
    let f = store.fields;
    let mut sources = BTreeSet::new();
    let (mut lo, mut hi, mut dated) = (i64::MAX, i64::MIN, 0u64);
    for seg in s.segment_readers() {
        let inv = seg.inverted_index(f.source_key)?;
        let mut terms = inv.terms().stream()?;
        while terms.advance() {
            sources.insert(terms.key().to_vec());
        }
        if let Ok(col) = seg.fast_fields().date("date") {
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
        &store.settings.user_dict_origin,
        &store.settings.user_dict_hash,
    ) {
        (Some(o), Some(h)) => format!("jieba default + user dictionary {o} ({h})"),
        _ => "jieba default".to_string(),
    };
    Ok(Stats {
        articles: s.num_docs(),
        files: Manifest::load(&store.index).files.len(),
        sources: sources.len(),
        date_min: (dated > 0).then(|| format_ymd(lo)),
        date_max: (dated > 0).then(|| format_ymd(hi)),
        dated_articles: dated,
        index_bytes: dir_size(&store.dir),
        schema_version: SCHEMA_VERSION,
        dictionary: dict,
        segments: s.segment_readers().len(),
    })
}

/// Prints the stats of the index at `dir`.
pub fn run(dir: &Path, args: StatsArgs) -> Result<Exit> {
    let searcher = Searcher::open(dir)?;
    let st = compute(&searcher)?;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    if args.json {
        writeln!(w, "{}", serde_json::to_string(&st)?)?;
    } else {
        writeln!(w, "index        {}", dir.display())?;
        writeln!(w, "articles     {}", st.articles)?;
        writeln!(w, "files        {}", st.files)?;
        writeln!(w, "sources      {}", st.sources)?;
        match (&st.date_min, &st.date_max) {
            (Some(a), Some(b)) => {
                writeln!(w, "dates        {a} … {b} ({} dated)", st.dated_articles)
            }
            _ => writeln!(w, "dates        none"),
        }?;
        writeln!(w, "size         {:.1} MB", st.index_bytes as f64 / 1e6)?;
        writeln!(w, "segments     {}", st.segments)?;
        writeln!(w, "schema       v{}", st.schema_version)?;
        writeln!(w, "dictionary   {}", st.dictionary)?;
    }
    Ok(Exit::Success)
}
