//! The on-disk index: opening, creating and describing it.
//!
//! An index directory holds tantivy's files, `newsidx.json` (schema version
//! and dictionary in use) and, when the user gave them, `user_dict.txt` and
//! `synonyms.txt` (query-time synonym groups). The
//! manifest of indexed files travels in tantivy's commit payload, so it is
//! always exactly as durable as the articles it describes.

pub mod commit;
pub mod document;
pub mod fault;
pub mod gate;
pub mod manifest;
pub mod readdir;
pub mod schema;
pub mod stats;
pub mod vocab;
pub mod writer;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};
use tantivy::schema::Field;
use tantivy::termdict::TermMerger;
use tantivy::{Index, IndexReader, ReloadPolicy};

use crate::analysis::lexicon::Lexicon;
use crate::analysis::synonyms::Synonyms;
use crate::analysis::{self, Segmenter};
pub use schema::{Fields, SCHEMA_VERSION};

/// Name of the settings file inside an index directory.
pub const SETTINGS_FILE: &str = "newsidx.json";
/// Name of the stored user dictionary inside an index directory.
pub const USER_DICT_FILE: &str = "user_dict.txt";
/// Name of the stored synonym groups inside an index directory.
pub const SYNONYMS_FILE: &str = "synonyms.txt";

/// Decompressed doc-store blocks a reader keeps per segment (tantivy's
/// default is 100). A search reads the stored text of its re-ranked
/// candidates, its copies and its hits; a server answering many queries
/// over the same articles decompressed the same blocks again and again.
/// At most this many blocks of about 16 KB each per segment, filled only
/// as searches read them.
pub const DOC_STORE_CACHE_BLOCKS: usize = 1000;

/// Settings stored beside the index.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
pub struct Settings {
    /// Schema version the index was built with.
    pub schema_version: u32,
    /// FNV-1a hash of the user dictionary in use, if any.
    #[serde(default)]
    pub user_dict_hash: Option<String>,
    /// Where the user dictionary came from (for `stats`).
    #[serde(default)]
    pub user_dict_origin: Option<String>,
    /// Built with `--entities`: people, places, organisations and the
    /// countable words of every article stored (what `terms` reads).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub entities: bool,
    /// Where the synonym groups came from (`newsidx synonyms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub synonyms_origin: Option<String>,
}

/// An opened index with its fields and analysers.
pub struct Store {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// Where it lives.
    pub dir: PathBuf,
    /// Settings read from `newsidx.json`.
    pub settings: Settings,
    /// The segmenter used by its analysers.
    pub seg: Arc<Segmenter>,
    /// The synonym groups searches expand (empty when none were given).
    pub synonyms: Arc<Synonyms>,
}

/// True when `dir` holds an index (tantivy's `meta.json`).
pub fn is_index_dir(dir: &Path) -> bool {
    dir.join("meta.json").is_file()
}

/// The segmenter of the index at `dir`: jieba with the index's user
/// dictionary, cutting queries with its query lexicon; jieba's default
/// one where `dir` holds neither (no index there). `analyze` uses it
/// without opening the index.
pub fn segmenter_at(dir: &Path) -> Result<Arc<Segmenter>> {
    let p = dir.join(USER_DICT_FILE);
    let user_dict = if p.is_file() {
        Some(
            std::fs::read_to_string(&p)
                .with_context(|| format!("{}: cannot read user dictionary", dir.display()))?,
        )
    } else {
        None
    };
    Ok(Segmenter::with_lexicon(user_dict, Lexicon::load(dir)))
}

/// The synonym groups stored in the index at `dir` (none when it has no
/// `synonyms.txt`); a damaged file is an error naming it.
pub fn synonyms_at(dir: &Path) -> Result<Synonyms> {
    let p = dir.join(SYNONYMS_FILE);
    if !p.is_file() {
        return Ok(Synonyms::default());
    }
    let text = std::fs::read_to_string(&p)
        .with_context(|| format!("{}: cannot read synonyms", p.display()))?;
    Synonyms::parse(&text).map_err(|e| anyhow::anyhow!("{}: {e}", p.display()))
}

impl Store {
    /// Opens an existing index; a clear error when there is none.
    pub fn open(dir: &Path) -> Result<Store> {
        Self::open_with(dir, false)
    }

    /// Opens an existing index to search it (`for_writing` false: segment
    /// files mapped) or to write it (true: read through
    /// [`readdir::ReadDirectory`], so merges do not hold what they read).
    fn open_with(dir: &Path, for_writing: bool) -> Result<Store> {
        if !is_index_dir(dir) {
            bail!(
                "{}: no index here (build one with `newsidx index PATH -i {}`)",
                dir.display(),
                dir.display()
            );
        }
        let settings = read_settings(dir)?;
        if settings.schema_version != SCHEMA_VERSION {
            bail!(
                "{}: index has schema version {}, this newsidx needs {}; rebuild it with `newsidx index --rebuild`",
                dir.display(),
                settings.schema_version,
                SCHEMA_VERSION
            );
        }
        let seg = segmenter_at(dir)?;
        let index = if for_writing {
            readdir::ReadDirectory::open(dir)
                .map_err(tantivy::TantivyError::from)
                .and_then(Index::open)
        } else {
            // Read-only file systems allowed (see fault.rs).
            fault::ReadTolerantDirectory::open(dir)
                .map_err(tantivy::TantivyError::from)
                .and_then(Index::open)
        }
        .with_context(|| format!("{}: cannot open index", dir.display()))?;
        Self::finish(index, dir, settings, seg)
    }

    /// A reader of the index as last committed (reloaded by hand). A
    /// segment file cut short or overwritten fails here: one line naming
    /// the index and the way out, for tantivy's page of debug output.
    pub fn reader(&self) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(DOC_STORE_CACHE_BLOCKS)
            .try_into()
            .map_err(|_| {
                anyhow::anyhow!(
                    "{}: index is damaged (a segment file cannot be read); rebuild it with `newsidx index --rebuild`",
                    self.dir.display()
                )
            })
    }

    /// Opens the index at `dir` to write it, creating it when absent.
    pub fn open_or_create(dir: &Path) -> Result<Store> {
        if is_index_dir(dir) {
            return Store::open_with(dir, true);
        }
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create index folder", dir.display()))?;
        let directory = readdir::ReadDirectory::open(dir)
            .with_context(|| format!("{}: cannot open index folder", dir.display()))?;
        let index = Index::open_or_create(directory, schema::build())
            .with_context(|| format!("{}: cannot create index", dir.display()))?;
        let settings = Settings {
            schema_version: SCHEMA_VERSION,
            ..Settings::default()
        };
        write_settings(dir, &settings)?;
        let seg = Segmenter::with_lexicon(None, Lexicon::load(dir));
        Self::finish(index, dir, settings, seg)
    }

    /// What query planning needs without an index on disk (a first stage
    /// elsewhere, an engine): the schema's fields over an empty index in
    /// memory, the segmenter and synonym groups read from `dir` (an
    /// export's `newsidx/` folder; jieba's defaults and none when absent).
    pub fn for_planning(dir: &Path) -> Result<Store> {
        let seg = segmenter_at(dir)?;
        let settings = Settings {
            schema_version: SCHEMA_VERSION,
            ..Settings::default()
        };
        Self::finish(Index::create_in_ram(schema::build()), dir, settings, seg)
    }

    /// The store of `index` at `dir`, its analysers registered over `seg`.
    fn finish(index: Index, dir: &Path, settings: Settings, seg: Arc<Segmenter>) -> Result<Store> {
        analysis::register(&index, seg.clone());
        let fields = Fields::new(&index.schema())
            .with_context(|| format!("{}: index was built by another program", dir.display()))?;
        let synonyms = Arc::new(synonyms_at(dir)?);
        Ok(Store {
            index,
            fields,
            dir: dir.to_path_buf(),
            settings,
            seg,
            synonyms,
        })
    }

    /// True when some segment of the index holds an article.
    pub fn has_articles(&self) -> Result<bool> {
        let metas = self.index.load_metas()?;
        Ok(metas.segments.iter().any(|s| s.num_docs() > 0))
    }

    /// Stores names and countable words from now on (`index --entities`);
    /// only an index without articles may start (an error says to
    /// rebuild), so that every article has them or none does.
    pub fn enable_entities(&mut self, has_articles: bool) -> Result<()> {
        if self.settings.entities {
            return self.require_entities();
        }
        if has_articles {
            bail!(
                "{}: index was built without --entities; run `newsidx index --rebuild --entities` to tag every article",
                self.dir.display()
            );
        }
        self.settings.entities = true;
        write_settings(&self.dir, &self.settings)
    }

    /// An error unless the index was built with `--entities` (what
    /// `terms` needs).
    pub fn require_entities(&self) -> Result<()> {
        if self.settings.entities && self.old_terms_column() {
            bail!(
                "{}: index was built with --entities by an older newsidx (its words stored another way); rebuild with `newsidx index --rebuild --entities`",
                self.dir.display()
            );
        }
        if self.settings.entities {
            return Ok(());
        }
        bail!(
            "{}: `terms` needs the words and names stored at index time; rebuild with `newsidx index --rebuild --entities`",
            self.dir.display()
        )
    }

    /// True when the `terms` column is the text column of an index built
    /// before the words were numbered (`vocab.rs`).
    fn old_terms_column(&self) -> bool {
        let schema = self.index.schema();
        let entry = schema.get_field_entry(self.fields.terms);
        !matches!(entry.field_type(), tantivy::schema::FieldType::U64(_))
    }

    /// Installs the synonym groups of the file at `path` (already read and
    /// checked into `text`) as this index's: searches expand them from
    /// the next one on; the articles are not touched. An empty file
    /// removes them.
    pub fn set_synonyms(&mut self, path: &Path, text: &str) -> Result<()> {
        let syn = Synonyms::parse(text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let stored = self.dir.join(SYNONYMS_FILE);
        if syn.is_empty() {
            if stored.exists() {
                std::fs::remove_file(&stored)
                    .with_context(|| format!("{}: cannot remove", stored.display()))?;
            }
            self.settings.synonyms_origin = None;
        } else {
            let tmp = self.dir.join(format!("{SYNONYMS_FILE}.tmp"));
            std::fs::write(&tmp, text)
                .and_then(|()| std::fs::rename(&tmp, &stored))
                .with_context(|| format!("{}: cannot store synonyms", self.dir.display()))?;
            self.settings.synonyms_origin = Some(path.display().to_string());
        }
        write_settings(&self.dir, &self.settings)?;
        self.synonyms = Arc::new(syn);
        Ok(())
    }

    /// Rebuilds the query lexicon from the index's word vocabulary (see
    /// `analysis/lexicon.rs`). Loads jieba.
    pub fn write_lexicon(&self) -> Result<()> {
        let searcher = self.reader()?.searcher();
        let jieba = self.seg.jieba();
        // Word-view terms are the words jieba chose (and the dictionary
        // words inside them); bigram-view terms add every two-character
        // dictionary word and every single character that occurs, which
        // jieba's route and HMM need to cut a query exactly as in full.
        // A field's terms are streamed merged over the segments, so each
        // distinct term is looked up once however many segments hold it,
        // and the fields are spread over the cores. Only dictionary words
        // are kept, so memory is bounded by jieba's dictionary, not by the
        // (much larger) vocabulary of a big index.
        let fields = [
            self.fields.body_bg,
            self.fields.body,
            self.fields.title_bg,
            self.fields.title,
        ];
        let threads = crate::threads::cores().clamp(1, fields.len());
        let segments = searcher.segment_readers();
        let found: Vec<Result<HashSet<String>>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let mine: Vec<Field> =
                        fields.iter().copied().skip(t).step_by(threads).collect();
                    s.spawn(move || -> Result<HashSet<String>> {
                        let mut words = HashSet::new();
                        for field in mine {
                            dictionary_words(segments, field, jieba, &mut words)?;
                        }
                        Ok(words)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(anyhow::anyhow!("reading the vocabulary failed")))
                })
                .collect()
        });
        let mut words: HashSet<String> = HashSet::new();
        for part in found {
            words.extend(part?);
        }
        let extra: u64 = self
            .seg
            .user_dict()
            .map(|d| {
                analysis::segmenter::parse_user_dict(d)
                    .iter()
                    .fold(0u64, |sum, e| sum.saturating_add(e.1 as u64))
            })
            .unwrap_or(0);
        let bytes = Lexicon::build(jieba, words, extra)?;
        Lexicon::write(&self.dir, &bytes)
    }

    /// Installs `dict` (jieba format) as this index's user dictionary.
    /// Returns true when it differs from the one the index was built with.
    pub fn set_user_dict(&mut self, dict_path: &Path) -> Result<bool> {
        let text = std::fs::read_to_string(dict_path)
            .with_context(|| format!("{}: cannot read user dictionary", dict_path.display()))?;
        let hash = crate::fnv::hex(text.as_bytes());
        let changed = self.settings.user_dict_hash.as_deref() != Some(hash.as_str());
        std::fs::write(self.dir.join(USER_DICT_FILE), &text)
            .with_context(|| format!("{}: cannot store user dictionary", self.dir.display()))?;
        self.settings.user_dict_hash = Some(hash);
        self.settings.user_dict_origin = Some(dict_path.display().to_string());
        write_settings(&self.dir, &self.settings)?;
        self.seg = Segmenter::with_lexicon(Some(text), Lexicon::load(&self.dir));
        analysis::register(&self.index, self.seg.clone());
        Ok(changed)
    }
}

/// Adds to `words` the dictionary words among the terms of `field` (and,
/// for a two-character term, its first character), each distinct term of
/// the segments looked at once.
fn dictionary_words(
    segments: &[tantivy::SegmentReader],
    field: Field,
    jieba: &jieba_rs::Jieba,
    words: &mut HashSet<String>,
) -> Result<()> {
    let mut consider = |w: &str| {
        if !words.contains(w) && jieba.has_word(w) {
            words.insert(w.to_string());
        }
    };
    let inverted: Vec<_> = segments
        .iter()
        .map(|seg| seg.inverted_index(field))
        .collect::<tantivy::Result<_>>()?;
    let streams = inverted
        .iter()
        .map(|inv| inv.terms().stream())
        .collect::<std::io::Result<Vec<_>>>()?;
    let mut merged = TermMerger::new(streams);
    while merged.advance() {
        let Ok(w) = std::str::from_utf8(merged.key()) else {
            continue;
        };
        if !w.chars().any(crate::chars::is_cjk) {
            continue;
        }
        consider(w);
        let mut chars = w.char_indices();
        if let (Some(_), Some((i, _)), None) = (chars.next(), chars.next(), chars.next()) {
            consider(&w[..i]);
        }
    }
    Ok(())
}

fn read_settings(dir: &Path) -> Result<Settings> {
    let p = dir.join(SETTINGS_FILE);
    let text =
        std::fs::read_to_string(&p).with_context(|| format!("{}: cannot read", p.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{}: damaged settings file", p.display()))
}

fn write_settings(dir: &Path, s: &Settings) -> Result<()> {
    let p = dir.join(SETTINGS_FILE);
    let tmp = dir.join(format!("{SETTINGS_FILE}.tmp"));
    let text = serde_json::to_string_pretty(s)?;
    std::fs::write(&tmp, text).with_context(|| format!("{}: cannot write", tmp.display()))?;
    std::fs::rename(&tmp, &p).with_context(|| format!("{}: cannot write", p.display()))?;
    Ok(())
}

/// True for the files an index directory holds: tantivy's meta files and
/// segment files (32 hex digits and an extension) and newsidx's own.
fn is_index_file(name: &str) -> bool {
    if matches!(
        name,
        "meta.json"
            | ".managed.json"
            | SETTINGS_FILE
            | USER_DICT_FILE
            | SYNONYMS_FILE
            | analysis::lexicon::LEXICON_FILE
            | vocab::VOCAB_FILE
    ) {
        return true;
    }
    match name.split_once('.') {
        Some((stem, ext)) => {
            stem.len() == 32
                && stem.bytes().all(|b| b.is_ascii_hexdigit())
                && ext.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.')
        }
        None => false,
    }
}

/// Empties the index at `dir` for a rebuild: takes the writer lock first
/// (so a running `index` is never pulled from under), then removes only the
/// index's own files. A folder that holds no index is left alone.
pub fn clear(dir: &Path) -> Result<()> {
    if !is_index_dir(dir) {
        return Ok(());
    }
    let index = Index::open_in_dir(dir).with_context(|| {
        format!(
            "{}: not a newsidx index; refusing to rebuild it",
            dir.display()
        )
    })?;
    let lock: tantivy::IndexWriter = index
        .writer_with_num_threads(1, 15_000_000)
        .map_err(|e| writer_error(dir, e))?;
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("{}: cannot list", dir.display()))?;
    for entry in entries.flatten() {
        let name = entry.file_name();
        if name.to_str().is_some_and(is_index_file) {
            std::fs::remove_file(entry.path())
                .with_context(|| format!("{}: cannot remove", entry.path().display()))?;
        }
    }
    drop(lock);
    Ok(())
}

/// The error of opening a writer on `dir`: a held lock says so plainly.
pub fn writer_error(dir: &Path, e: tantivy::TantivyError) -> anyhow::Error {
    match e {
        tantivy::TantivyError::LockFailure(tantivy::directory::error::LockError::LockBusy, _) => {
            anyhow::anyhow!(
                "{}: index is locked by another process (another `newsidx index` is running on it)",
                dir.display()
            )
        }
        // Kept as the cause, so that a disk fault is found (fault.rs).
        e => anyhow::Error::new(e)
            .context(format!("{}: cannot open index for writing", dir.display())),
    }
}
