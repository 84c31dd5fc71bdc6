//! The searcher of the index's latest commit, swapped in while serving.
//!
//! Every [`super::Config::reload_every`], the watcher compares the
//! signature of the index's commit ([`Signature`]: the files that define
//! what a search sees) with that of the searcher in service; when it
//! changed, it opens a new [`Searcher`] beside the old one and swaps it
//! in. Searches that started on the old one finish on it. A commit is
//! published whole (by a rename), so a new searcher sees either the
//! previous commit or the next one, never a
//! half-written state; if it cannot be opened (a `--rebuild` emptied the
//! folder, a merge removed a segment file between our reading `meta.json`
//! and opening it), the old searcher stays in service and the next tick
//! tries again.
//!
//! With an engine (`serve --engine`) there is no commit to watch: the
//! searcher over the engine is opened once ([`Live::engine`]) and shared
//! by every request (its queries take connections of their own).

use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::SystemTime;

use crate::index::commit::Signature;
use crate::search::series::IndexCounts;
use crate::search::Searcher;

/// One opened commit: the searcher and what is cached for it.
pub struct Generation {
    /// The searcher (with what its first stage caches, such as the
    /// facets' source tables).
    pub searcher: Searcher,
    /// The index-wide counts of `/api/count`'s normalised series.
    pub counts: IndexCounts,
    /// When it was opened.
    pub opened_at: SystemTime,
}

struct State {
    current: Option<Arc<Generation>>,
    signature: Signature,
    error: Option<String>,
}

/// The searcher in service, or why there is none.
pub struct Live {
    dir: PathBuf,
    state: RwLock<State>,
    /// True when it searches an engine: nothing to reload.
    engine: bool,
}

impl Live {
    /// Opens the index at `dir`; an index that cannot be opened yet is
    /// remembered as an error and tried again by [`watch`].
    pub fn open(dir: PathBuf) -> Live {
        let live = Live {
            state: RwLock::new(State {
                current: None,
                signature: Signature::default(),
                error: None,
            }),
            dir,
            engine: false,
        };
        live.refresh();
        live
    }

    /// The searcher over the engine `spec` names, with the export folder
    /// `dir` of a URL (an error when it cannot be opened: the export
    /// folder missing, the engine down, every shard down).
    pub fn engine(spec: &str, dir: Option<&std::path::Path>) -> anyhow::Result<Live> {
        let searcher = crate::engine::open(spec, dir)?;
        Ok(Live {
            state: RwLock::new(State {
                current: Some(Arc::new(Generation {
                    searcher,
                    counts: IndexCounts::new(),
                    opened_at: SystemTime::now(),
                })),
                signature: Signature::default(),
                error: None,
            }),
            dir: PathBuf::from(spec),
            engine: true,
        })
    }

    fn read(&self) -> std::sync::RwLockReadGuard<'_, State> {
        self.state.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The searcher in service, or the error that leaves none.
    pub fn current(&self) -> Result<Arc<Generation>, String> {
        let s = self.read();
        match &s.current {
            Some(g) => Ok(g.clone()),
            None => Err(s
                .error
                .clone()
                .unwrap_or_else(|| format!("{}: index not opened yet", self.dir.display()))),
        }
    }

    /// Why the latest attempt to open the index failed, if it did.
    pub fn error(&self) -> Option<String> {
        self.read().error.clone()
    }

    /// Opens the index again when its files changed; true when a new
    /// commit was swapped in. Blocking: run it off the async workers.
    pub fn refresh(&self) -> bool {
        if self.engine {
            return false;
        }
        let sig = Signature::of(&self.dir);
        {
            let s = self.read();
            if s.current.is_some() && s.signature == sig {
                return false;
            }
        }
        match Searcher::open(&self.dir) {
            Ok(searcher) => {
                let g = Arc::new(Generation {
                    searcher,
                    counts: IndexCounts::new(),
                    opened_at: SystemTime::now(),
                });
                let mut s = self.state.write().unwrap_or_else(|p| p.into_inner());
                s.current = Some(g);
                s.signature = sig;
                s.error = None;
                true
            }
            Err(e) => {
                let msg = crate::messages::one_line(&format!("{e:#}"));
                let mut s = self.state.write().unwrap_or_else(|p| p.into_inner());
                // Said once per distinct failure, not every tick.
                if s.error.as_deref() != Some(msg.as_str()) && s.current.is_some() {
                    crate::messages::warning(&format!(
                        "{msg}; still answering from the last commit opened"
                    ));
                }
                s.error = Some(msg);
                false
            }
        }
    }
}
