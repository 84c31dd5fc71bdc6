//! Building and updating an index from files.
//!
//! Parse workers read and parse files in parallel and send ready documents
//! over a bounded channel to the one thread that owns tantivy's
//! `IndexWriter`, whose own threads do the (jieba) tokenisation. The commit
//! payload carries the manifest of files whose every article was added
//! before that commit, so after a crash at any moment the next run knows
//! exactly which files to read again; a file not in the manifest has its
//! articles deleted by path before it is added again, so none is duplicated.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, UNIX_EPOCH};

use anyhow::{anyhow, Context, Result};
use serde::Serialize;
use tantivy::indexer::{LogMergePolicy, UserOperation};
use tantivy::{IndexWriter, Term};

use super::document::to_doc;
use super::gate::{self, Gate, GatedDoc};
use super::manifest::{FileState, Manifest};
use super::vocab::Vocab;
use super::{fault, Fields, Store};
use crate::corpus::{self, walk::Entry, Article, FileInfo};
use crate::progress::{self, Progress};

/// How to run an index build.
#[derive(Debug, Clone)]
pub struct IndexOptions {
    /// Files and folders to index.
    pub paths: Vec<PathBuf>,
    /// Writer memory budget in bytes.
    pub heap_bytes: usize,
    /// Tokenising threads of the writer.
    pub threads: usize,
    /// Remove articles of files that disappeared from the named folders.
    pub prune: bool,
    /// Commit at least this often during long runs.
    pub commit_every: Duration,
    /// Show a progress bar (stderr is a terminal and not `--quiet`).
    pub progress: bool,
}

/// What an index run did.
#[derive(Debug, Default, Clone, Serialize)]
pub struct IndexReport {
    /// Files parsed and (re)indexed.
    pub files_indexed: usize,
    /// Files found unchanged since the last run.
    pub files_unchanged: usize,
    /// Files that could not be read at all.
    pub files_skipped: usize,
    /// Files whose articles were removed because the file is gone.
    pub files_removed: usize,
    /// Articles added.
    pub articles_added: u64,
    /// Warnings (problems that cost part of a file).
    pub warnings: usize,
    /// Bytes read.
    pub bytes_read: u64,
    /// Articles in the index afterwards.
    pub articles_total: u64,
    /// Wall time in seconds.
    pub seconds: f64,
    /// Files in the named folders of types newsidx does not read.
    pub passed_over: Vec<String>,
}

enum Msg {
    Doc(usize, GatedDoc),
    Done(usize, Result<(FileInfo, FileState)>),
    Unchanged(usize, FileState),
}

struct Todo {
    entry: Entry,
    key: String,
    size: u64,
    mtime: i128,
    /// The content hash the manifest has for the file when its size is
    /// the same (it may be unchanged, only touched: [`read_one`] hashes it
    /// before reading); `None` for a new file or a new size, read and
    /// hashed in one pass.
    old_hash: Option<String>,
    old_articles: u64,
}

fn mtime_nanos(meta: &std::fs::Metadata) -> i128 {
    meta.modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map(|d| d.as_nanos() as i128)
        .unwrap_or(0)
}

/// The key of a file in the manifest: its canonical path, escaped
/// losslessly ([`corpus::paths::escape`]) so that names which are not UTF-8
/// stay apart.
pub fn file_key(path: &Path) -> String {
    corpus::paths::escape(&path.canonicalize().unwrap_or_else(|_| path.to_path_buf()))
}

/// Opens the writer, turning a held lock into a clear message.
pub fn open_writer(
    store: &Store,
    threads: usize,
    heap_bytes: usize,
) -> Result<IndexWriter<GatedDoc>> {
    let threads = threads.max(1);
    let heap = heap_bytes.max(threads * 16_000_000);
    let writer: IndexWriter<GatedDoc> = store
        .index
        .writer_with_num_threads(threads, heap)
        .map_err(|e| super::writer_error(&store.dir, e))?;
    // Merge small segments, but never into segments past MERGE_MAX_DOCS:
    // merging huge segments maps them whole, which is what dominated peak
    // memory on a large corpus (BENCHMARKS.md, "Scale (1 GB)"), and buys
    // little for search.
    let mut policy = LogMergePolicy::default();
    policy.set_max_docs_before_merge(MERGE_MAX_DOCS);
    writer.set_merge_policy(Box::new(policy));
    Ok(writer)
}

/// Segments with more documents than this are not merged further.
pub const MERGE_MAX_DOCS: usize = 100_000;

/// Indexes `opts.paths` into `store`, printing one line per problem to `warn`.
pub fn run(store: &Store, opts: &IndexOptions, warn: &mut dyn FnMut(&str)) -> Result<IndexReport> {
    run_with(store, opts, warn, None)
}

/// [`run`], telling `hook` how far it is (before the first file, then
/// after each).
pub fn run_with(
    store: &Store,
    opts: &IndexOptions,
    warn: &mut dyn FnMut(&str),
    hook: Option<progress::Hook>,
) -> Result<IndexReport> {
    let start = Instant::now();
    let mut report = IndexReport::default();
    let mut writer = open_writer(store, opts.threads, opts.heap_bytes)?;
    let fields = store.fields;
    let mut manifest = Manifest::load(&store.index);
    let had_docs = store.reader()?.searcher().num_docs() > 0;
    let vocab = match store.settings.entities {
        true => {
            store.require_entities()?;
            Some(Vocab::open(&store.dir)?)
        }
        false => None,
    };

    let walked = corpus::walk::walk(&opts.paths, Some(&store.dir));
    for e in &walked.errors {
        warn(e);
    }
    report.files_skipped += walked.errors.len();
    report.passed_over = walked.passed_over.clone();
    let (todo, seen) = files_to_read(walked.files, &manifest, &mut report, warn);
    if opts.prune {
        prune(
            opts,
            &seen,
            &fields,
            &mut writer,
            &mut manifest,
            &mut report,
        );
    }

    let total_bytes: u64 = todo.iter().map(|t| t.size).sum();
    let progress = Progress::new(opts.progress, todo.len() as u64, total_bytes).with_hook(hook);
    let queue = Queue {
        todo: &todo,
        next: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        gate: Gate::new(gate::IN_FLIGHT),
        fields,
        seg: &store.seg,
        vocab: vocab.as_ref(),
    };
    let workers = crate::threads::parse_workers();
    let (tx, rx) = mpsc::sync_channel::<Msg>(2048);

    let result: Result<()> = std::thread::scope(|s| {
        spawn_workers(s, workers, &queue, tx);

        let mut sink = Consumer {
            writer: &mut writer,
            manifest: &mut manifest,
            report: &mut report,
            progress: &progress,
            todo: &todo,
            fields,
            vocab: vocab.as_ref(),
            had_docs,
            commit_every: opts.commit_every,
            started: vec![false; todo.len()],
            pending: false,
            last_commit: Instant::now(),
        };
        let mut outcome = sink.receive(&rx, warn);
        // Drain so that workers blocked on a full channel can finish.
        queue.stop.store(true, Ordering::Relaxed);
        for _ in rx.iter() {}
        if outcome.is_ok() {
            outcome = sink.finish();
        }
        outcome
    });
    progress.finish();
    if let Err(e) = result {
        return Err(fault::abandon(&mut writer, &store.dir, e));
    }
    conclude(store, writer, &mut report)?;
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}

/// The end of a run that committed: merges finished, the query lexicon
/// written again when anything changed, the articles counted.
fn conclude(store: &Store, writer: IndexWriter<GatedDoc>, report: &mut IndexReport) -> Result<()> {
    writer
        .wait_merging_threads()
        .map_err(|e| anyhow!("{}: merging segments failed: {e}", store.dir.display()))?;
    let changed = report.articles_added > 0 || report.files_removed > 0 || report.files_indexed > 0;
    // A missing or damaged lexicon (the store found none sound when it
    // opened) is written again on any run.
    if changed || !store.seg.has_lexicon() {
        store.write_lexicon()?;
    }
    report.articles_total = store.reader()?.searcher().num_docs();
    Ok(())
}

/// What the parse workers share: the files to read, the next one to
/// take, the stop flag and the byte gate.
struct Queue<'a> {
    todo: &'a [Todo],
    next: AtomicUsize,
    stop: AtomicBool,
    gate: Arc<Gate>,
    fields: Fields,
    seg: &'a crate::analysis::Segmenter,
    /// Tag names and number countable words (`index --entities`).
    vocab: Option<&'a Vocab>,
}

/// Starts `workers` parse workers in `s`, each reading the next file of
/// the queue and sending its articles over `tx`, until no file is left or
/// the queue's `stop` is set.
fn spawn_workers<'scope, 'env>(
    s: &'scope std::thread::Scope<'scope, 'env>,
    workers: usize,
    queue: &'env Queue<'env>,
    tx: mpsc::SyncSender<Msg>,
) {
    for _ in 0..workers {
        let tx = tx.clone();
        s.spawn(move || {
            while !queue.stop.load(Ordering::Relaxed) {
                let i = queue.next.fetch_add(1, Ordering::Relaxed);
                let Some(t) = queue.todo.get(i) else { break };
                let msg = read_one(t, queue, i, &tx);
                if tx.send(msg).is_err() {
                    break;
                }
            }
        });
    }
}

/// The walked files to read (new or changed since the manifest says, each
/// file once), and the keys of every file walked.
fn files_to_read(
    files: Vec<Entry>,
    manifest: &Manifest,
    report: &mut IndexReport,
    warn: &mut dyn FnMut(&str),
) -> (Vec<Todo>, HashSet<String>) {
    let mut seen: HashSet<String> = HashSet::new();
    let mut todo: Vec<Todo> = Vec::new();
    for entry in files {
        let key = file_key(&entry.path);
        if !seen.insert(key.clone()) {
            continue;
        }
        let meta = match std::fs::metadata(&entry.path) {
            Ok(m) => m,
            Err(e) => {
                warn(&format!("{}: {e}", entry.display));
                report.files_skipped += 1;
                continue;
            }
        };
        let (size, mtime) = (meta.len(), mtime_nanos(&meta));
        let old = manifest.files.get(&key);
        if old.is_some_and(|o| o.size == size && o.mtime == mtime) {
            report.files_unchanged += 1;
            continue;
        }
        let old_hash = old.filter(|o| o.size == size).map(|o| o.hash.clone());
        let old_articles = old.map(|o| o.articles).unwrap_or(0);
        todo.push(Todo {
            entry,
            key,
            size,
            mtime,
            old_hash,
            old_articles,
        });
    }
    (todo, seen)
}

/// Removes the articles of files gone from the named folders (not walked
/// this time, no longer on disk).
fn prune(
    opts: &IndexOptions,
    seen: &HashSet<String>,
    fields: &Fields,
    writer: &mut IndexWriter<GatedDoc>,
    manifest: &mut Manifest,
    report: &mut IndexReport,
) {
    let roots: Vec<String> = opts
        .paths
        .iter()
        .filter(|p| p.exists())
        .map(|p| file_key(p))
        .collect();
    let gone: Vec<String> = manifest
        .files
        .keys()
        .filter(|k| !seen.contains(*k))
        .filter(|k| {
            roots
                .iter()
                .any(|r| k.as_str() == r.as_str() || Path::new(k.as_str()).starts_with(r.as_str()))
                && !corpus::paths::unescape(k).exists()
        })
        .cloned()
        .collect();
    for k in gone {
        writer.delete_term(Term::from_field_text(fields.file, &k));
        manifest.files.remove(&k);
        report.files_removed += 1;
    }
}

/// The writer's side of a run: adds what the parse workers send, keeps the
/// manifest in step, commits at least every `commit_every`.
struct Consumer<'r> {
    writer: &'r mut IndexWriter<GatedDoc>,
    manifest: &'r mut Manifest,
    report: &'r mut IndexReport,
    progress: &'r Progress,
    todo: &'r [Todo],
    fields: Fields,
    /// The words' numbers (`index --entities`), written before each commit.
    vocab: Option<&'r Vocab>,
    /// The index had articles before the run (old ones may need deleting).
    had_docs: bool,
    commit_every: Duration,
    /// Files whose first article has been added.
    started: Vec<bool>,
    /// Changes since the last commit.
    pending: bool,
    last_commit: Instant,
}

impl Consumer<'_> {
    /// Applies the workers' messages until every worker is done, probing
    /// the writer's threads while none comes; the first error stops it.
    fn receive(&mut self, rx: &mpsc::Receiver<Msg>, warn: &mut dyn FnMut(&str)) -> Result<()> {
        loop {
            match rx.recv_timeout(PROBE_EVERY) {
                Ok(msg) => self.apply(msg, warn)?,
                Err(mpsc::RecvTimeoutError::Timeout) => self.probe()?,
                Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(()),
            }
        }
    }

    /// Applies one message; an error ends the run.
    fn apply(&mut self, msg: Msg, warn: &mut dyn FnMut(&str)) -> Result<()> {
        match msg {
            Msg::Doc(i, doc) => self.add(i, doc),
            Msg::Unchanged(i, state) => {
                self.manifest.files.insert(self.todo[i].key.clone(), state);
                self.report.files_unchanged += 1;
                self.progress.file_done(self.todo[i].size);
                self.pending = true;
                Ok(())
            }
            Msg::Done(i, res) => {
                self.done(i, res, warn);
                self.pending = true;
                if self.last_commit.elapsed() >= self.commit_every {
                    commit(self.writer, self.manifest, self.vocab)?;
                    self.last_commit = Instant::now();
                    self.pending = false;
                }
                Ok(())
            }
        }
    }

    /// Adds an article of file `i`; the file's first one deletes what an
    /// earlier run indexed of it.
    fn add(&mut self, i: usize, doc: GatedDoc) -> Result<()> {
        if !self.started[i] {
            self.started[i] = true;
            if self.had_docs {
                let key = &self.todo[i].key;
                self.writer
                    .delete_term(Term::from_field_text(self.fields.file, key));
                // Until its last article is added, the file is not
                // in the index as the manifest would say: a commit
                // in between must make the next run read it again.
                self.manifest.files.remove(key);
            }
        }
        self.writer
            .add_document(doc)
            .map_err(|e| anyhow::Error::new(e).context("indexing failed"))?;
        self.report.articles_added += 1;
        self.pending = true;
        Ok(())
    }

    /// Records that file `i` has been read, well or not.
    fn done(&mut self, i: usize, res: Result<(FileInfo, FileState)>, warn: &mut dyn FnMut(&str)) {
        let t = &self.todo[i];
        self.progress.file_done(t.size);
        match res {
            Ok((info, state)) => {
                self.report.files_indexed += 1;
                self.report.bytes_read += t.size;
                self.report.warnings += info.warnings.len();
                for w in &info.warnings {
                    self.progress.suspend(|| warn(w));
                }
                if !self.started[i] && self.had_docs {
                    // A file that now yields nothing still replaces its old articles.
                    self.writer
                        .delete_term(Term::from_field_text(self.fields.file, &t.key));
                }
                self.manifest.files.insert(t.key.clone(), state);
            }
            Err(e) => {
                self.report.files_skipped += 1;
                self.progress.suspend(|| warn(&format!("{e:#}")));
                // A file that failed before giving any article
                // keeps what an earlier run indexed of it; one that
                // failed part way keeps the articles it gave (they
                // are good) and stays out of the manifest, so the
                // next run reads it again.
                if self.started[i] {
                    self.manifest.files.remove(&t.key);
                }
            }
        }
    }

    /// Fails when tantivy's indexing threads have died (a full disk, say)
    /// while no article was coming: the documents in tantivy's queue then
    /// keep the byte gate shut and the parse workers would wait on it for
    /// ever. An operation that changes nothing (a delete of a file key no
    /// file has) finds out.
    fn probe(&mut self) -> Result<()> {
        let nothing = Term::from_field_text(self.fields.file, "");
        self.writer
            .run([UserOperation::Delete(nothing)])
            .map(|_| ())
            .map_err(|e| anyhow::Error::new(e).context("indexing failed"))
    }

    /// The last commit, when there is anything to commit (or the index
    /// must be created).
    fn finish(&mut self) -> Result<()> {
        let r = &self.report;
        if self.pending || r.files_removed > 0 || self.had_docs || r.articles_added == 0 {
            commit(self.writer, self.manifest, self.vocab)?;
        }
        Ok(())
    }
}

/// How long the writer's side waits for the parse workers before it
/// checks that tantivy's indexing threads are alive ([`Consumer::probe`]).
const PROBE_EVERY: Duration = Duration::from_millis(200);

/// Commits with the manifest as payload, the words numbered so far made
/// durable first (a committed article's numbers are all in the file).
fn commit(
    writer: &mut IndexWriter<GatedDoc>,
    manifest: &Manifest,
    vocab: Option<&Vocab>,
) -> Result<()> {
    if let Some(v) = vocab {
        v.write()?;
    }
    let mut prepared = writer.prepare_commit().context("commit failed")?;
    prepared.set_payload(&manifest.to_payload());
    prepared.commit().context("commit failed")?;
    Ok(())
}

/// Reads file `i` of the queue, sending its articles over `tx`; the
/// message that says how it went. A file of a new size is read once,
/// hashed as it is parsed; one of the same size is hashed first, and not
/// parsed when its content is what the manifest says.
fn read_one(t: &Todo, queue: &Queue<'_>, i: usize, tx: &mpsc::SyncSender<Msg>) -> Msg {
    let (gate, stop) = (&queue.gate, &queue.stop);
    let known = match &t.old_hash {
        None => None,
        Some(old) => match corpus::stream::hash_file(&t.entry.path) {
            Ok(hash) if hash == *old => {
                let articles = t.old_articles;
                let (size, mtime) = (t.size, t.mtime);
                let state = FileState {
                    size,
                    mtime,
                    hash,
                    articles,
                };
                return Msg::Unchanged(i, state);
            }
            Ok(hash) => Some(hash),
            Err(e) => return Msg::Done(i, Err(anyhow!("{}: cannot read: {e}", t.entry.display))),
        },
    };
    let mut sent_ok = true;
    let mut send = |a: Article| {
        if !sent_ok {
            return;
        }
        let made = to_doc(&queue.fields, queue.seg, &a, &t.key, queue.vocab);
        // Title and body are held twice (word and bigram views), and
        // the word view's tokens beside them.
        let bytes = 2 * (a.title.len() + a.body.len()) + made.token_bytes + 1024;
        let Some(ticket) = gate.acquire(bytes, stop) else {
            sent_ok = false;
            return;
        };
        let doc = GatedDoc::with_handoff(made.doc, made.handoff, Some(ticket));
        if tx.send(Msg::Doc(i, doc)).is_err() {
            sent_ok = false;
        }
    };
    let (path, display, site) = (&t.entry.path, &t.entry.display, t.entry.site.as_deref());
    let res = match known {
        Some(hash) => corpus::read_file_with(path, display, site, &mut send).map(|i| (i, hash)),
        None => corpus::read_file_hashed(path, display, site, &mut send),
    };
    Msg::Done(
        i,
        res.map(|(info, hash)| {
            let state = FileState {
                size: t.size,
                mtime: t.mtime,
                hash,
                articles: info.articles as u64,
            };
            (info, state)
        }),
    )
}
