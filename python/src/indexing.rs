//! `newsidx.index(paths, index_path, …)`: what `newsidx index` does
//! (src/commands/index.rs), the GIL given up while it runs.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use newsidx::index::writer::{self, IndexOptions, IndexReport};
use newsidx::index::{fault, Store};
use newsidx::progress::{Done, Hook};
use pyo3::prelude::*;
use pyo3::types::PyDict;

use crate::errors::{Failure, Kind, Outcome};

/// The settings of an index run, from a Python dict (`rebuild`,
/// `threads`, `heap_mb`, `prune`, `user_dict`, `progress`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Settings {
    rebuild: bool,
    threads: Option<usize>,
    heap_mb: usize,
    prune: bool,
    user_dict: Option<PathBuf>,
    /// `True`/`False`: the command line's bar on stderr or not; `None`:
    /// the bar when stderr is a terminal; a callable: called instead.
    progress: Option<Py<PyAny>>,
}

/// What `progress` asks for.
enum Shown {
    Bar(bool),
    Call(Py<PyAny>),
}

impl Settings {
    fn shown(&self, py: Python<'_>) -> PyResult<Shown> {
        Ok(match &self.progress {
            None => Shown::Bar(std::io::stderr().is_terminal()),
            Some(p) if p.bind(py).is_callable() => Shown::Call(p.clone_ref(py)),
            Some(p) => Shown::Bar(p.bind(py).extract::<bool>().map_err(|_| {
                PyErr::from(Failure::new(
                    Kind::Option,
                    "progress: use True, False, None or a callable",
                ))
            })?),
        })
    }
}

/// The first exception a progress callback raised (later calls are skipped).
type Raised = Arc<Mutex<Option<PyErr>>>;

/// A hook that calls `f(files_done, files_total, bytes_done, bytes_total)`.
fn hook(f: Py<PyAny>, raised: Raised) -> Hook {
    Box::new(move |d: Done| {
        let Ok(mut first) = raised.lock() else { return };
        if first.is_some() {
            return;
        }
        Python::attach(|py| {
            if let Err(e) = f.call1(py, (d.files, d.files_total, d.bytes, d.bytes_total)) {
                *first = Some(e);
            }
        });
    })
}

/// Builds or updates the index at `dir`; warnings are collected.
fn build(
    dir: &Path,
    paths: Vec<PathBuf>,
    s: &Settings,
    shown: Shown,
    warnings: &mut Vec<String>,
    raised: &Raised,
) -> anyhow::Result<IndexReport> {
    if s.rebuild {
        newsidx::index::clear(dir)?;
    }
    let mut store = Store::open_or_create(dir)?;
    if let Some(dict) = &s.user_dict {
        let had_articles = store.has_articles()?;
        if store.set_user_dict(dict)? && had_articles {
            warnings.push(format!(
                "{}: user dictionary differs from the one this index was built with; rebuild (rebuild=True) to re-segment the articles already indexed",
                dict.display()
            ));
        }
    }
    let opts = IndexOptions {
        paths,
        heap_bytes: s.heap_mb.saturating_mul(1 << 20),
        threads: newsidx::threads::writer_threads(s.threads),
        prune: s.prune,
        commit_every: Duration::from_secs(30),
        progress: matches!(shown, Shown::Bar(true)),
    };
    let hook = match shown {
        Shown::Call(f) => Some(hook(f, raised.clone())),
        Shown::Bar(_) => None,
    };
    writer::run_with(&store, &opts, &mut |w| warnings.push(w.to_string()), hook)
}

/// Indexes `paths` into the index at `index_path` (made when missing):
/// the report of the run as a dict, with its warnings.
#[pyfunction]
pub fn index<'py>(
    py: Python<'py>,
    paths: Vec<PathBuf>,
    index_path: PathBuf,
    settings: Settings,
) -> PyResult<Bound<'py, PyDict>> {
    if paths.is_empty() {
        return Err(Failure::new(Kind::Option, "paths: give at least one file or folder").into());
    }
    let shown = settings.shown(py)?;
    let mut warnings = Vec::new();
    let raised = Raised::default();
    let report = py.detach(|| -> Outcome<IndexReport> {
        let kept = newsidx::index::is_index_dir(&index_path) && !settings.rebuild;
        build(&index_path, paths, &settings, shown, &mut warnings, &raised)
            .map_err(|e| Failure::of(Kind::Other, &fault::explain(&index_path, kept, e)))
    })?;
    if let Some(e) = raised.lock().ok().and_then(|mut r| r.take()) {
        return Err(e);
    }
    let d = PyDict::new(py);
    d.set_item("articles_added", report.articles_added)?;
    d.set_item("articles_total", report.articles_total)?;
    d.set_item("files_indexed", report.files_indexed)?;
    d.set_item("files_unchanged", report.files_unchanged)?;
    d.set_item("files_removed", report.files_removed)?;
    d.set_item("files_skipped", report.files_skipped)?;
    d.set_item("bytes_read", report.bytes_read)?;
    d.set_item("seconds", report.seconds)?;
    d.set_item("warnings", warnings)?;
    d.set_item("passed_over", report.passed_over)?;
    Ok(d)
}
