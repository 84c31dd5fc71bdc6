//! What every handler shares: the server's settings ([`Config`]) and
//! [`AppState`] (the live searcher, the search permits). The handlers
//! (`api.rs`, `page.rs`) import it from here; `mod.rs` builds it.

use std::path::PathBuf;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use super::live;

/// `--engine`: a distributed engine answering the first stage instead of
/// the index (as `newsidx search --engine`).
#[derive(Debug, Clone)]
pub struct EngineSpec {
    /// The export folder, its `cluster.json`, or the engine's URL.
    pub spec: String,
    /// The export folder of a URL (`--engine-dir`).
    pub dir: Option<PathBuf>,
}

/// Resolved settings of a server.
#[derive(Debug, Clone)]
pub struct Config {
    /// The index directory (unused with an engine).
    pub index: PathBuf,
    /// The engine searched instead of the index, if any.
    pub engine: Option<EngineSpec>,
    /// Where to listen (`host:port`; port 0 picks a free one).
    pub addr: String,
    /// Bearer token required on the API, if any.
    pub token: Option<String>,
    /// Searches run at once.
    pub max_searches: usize,
    /// Longest a search may take, waiting included.
    pub time_limit: Duration,
    /// How often to look for a new commit.
    pub reload_every: Duration,
}

/// What every handler shares.
pub struct AppState {
    /// The searcher of the latest commit.
    pub live: live::Live,
    /// Settings.
    pub config: Config,
    /// One permit per running search.
    pub permits: Arc<Semaphore>,
    /// Requests waiting for a permit (bounded, see [`super::limits::MAX_WAITING`]).
    pub waiting: AtomicUsize,
}
