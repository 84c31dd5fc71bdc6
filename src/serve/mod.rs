//! `newsidx serve`: the index over HTTP, as a search page and a JSON API.
//!
//! One process, one index, many readers: axum on a tokio runtime, every
//! search on the blocking pool (a slow query never stalls the others),
//! at most [`Config::max_searches`] at once, each bounded by
//! [`Config::time_limit`]. Nothing over HTTP changes the index.
//!
//! The index stays live: [`live::Live`] looks for a new commit every
//! [`Config::reload_every`] and swaps in a freshly opened searcher, so the
//! answers follow another process's `newsidx index` within seconds; a
//! commit is only ever seen whole (it is published by a rename), and an
//! index that cannot be opened leaves the last good one in service.
//!
//! With `--engine` ([`Config::engine`]) the searcher is over a Sphinx /
//! Manticore cluster instead, opened once and shared (its queries run
//! side by side on connections of their own); what needs the local index
//! (`/api/kwic`, `/api/terms`, `/api/stats`) answers 400.
//!
//! - `state.rs`: the settings and the state every handler shares;
//! - `api.rs`: the JSON routes (`params.rs` their parameters, `limits.rs`
//!   their limits, `error.rs` their errors);
//! - `kwic.rs`: the concordance routes (`/api/kwic`, `/api/kwic.csv`);
//! - `attention.rs`: `/api/count`, attention over time (several queries,
//!   normalised);
//! - `page.rs`: the search page, compiled into the binary (`assets/`);
//! - `live.rs`: the reloading searcher (watched from here).

pub mod api;
pub mod attention;
pub mod error;
pub mod kwic;
pub mod limits;
pub mod live;
pub mod page;
pub mod params;
pub mod state;
pub mod terms_api;

pub use state::{AppState, Config, EngineSpec};

use std::net::SocketAddr;
use std::sync::atomic::AtomicUsize;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use axum::Router;
use tokio::sync::Semaphore;

/// The whole application: the page, the API and their fallbacks.
pub fn router(state: Arc<AppState>) -> Router {
    page::routes()
        .merge(api::routes(state.clone()))
        .merge(kwic::routes(state.clone()))
        .fallback(api::not_found)
        .method_not_allowed_fallback(api::method_not_allowed)
        .with_state(state)
}

/// Binds, prints where it listens (`newsidx: listening on http://…/` on
/// stderr, the line a script waits for), and serves until Ctrl-C or
/// SIGTERM; searches already running are finished first (at most one
/// time limit long).
pub fn run(config: Config) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        // The searches are bounded by the permits; the rest of the pool
        // is for the odd stats or article read and searches that outran
        // their time limit and are still finishing.
        .max_blocking_threads(config.max_searches.saturating_mul(2).max(8))
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(serve(config))
}

async fn serve(config: Config) -> Result<()> {
    let listener = tokio::net::TcpListener::bind(&config.addr)
        .await
        .with_context(|| format!("{}: cannot listen", config.addr))?;
    let local: SocketAddr = listener
        .local_addr()
        .with_context(|| format!("{}: cannot listen", config.addr))?;
    if !local.ip().is_loopback() {
        let how = if config.token.is_some() {
            "the API asks for the token, but traffic is not encrypted"
        } else {
            "anyone who can reach this machine can search the index (see --token)"
        };
        crate::messages::warning(&format!(
            "listening on {local}, reachable from other machines: {how}"
        ));
    }
    let live = match &config.engine {
        Some(e) => live::Live::engine(&e.spec, e.dir.as_deref())?,
        None => live::Live::open(config.index.clone()),
    };
    if let Some(e) = live.error() {
        crate::messages::warning(&format!(
            "{e:#}; answering 503 until the index can be opened"
        ));
    }
    let state = Arc::new(AppState {
        live,
        permits: Arc::new(Semaphore::new(config.max_searches.max(1))),
        waiting: AtomicUsize::new(0),
        config: config.clone(),
    });
    if config.engine.is_none() {
        tokio::spawn(watch(state.clone()));
    }
    let app = router(state);
    let signal = shutdown_signal();
    eprintln!("newsidx: listening on http://{local}/");
    let (tx, rx) = tokio::sync::watch::channel(false);
    let server = axum::serve(listener, app).with_graceful_shutdown(async move {
        signal.await;
        eprintln!("newsidx: shutting down");
        let _ = tx.send(true);
    });
    // Open connections (a long batch) get one time limit to finish.
    let grace = config.time_limit + Duration::from_secs(1);
    let deadline = async move {
        let mut rx = rx;
        while !*rx.borrow() {
            if rx.changed().await.is_err() {
                return;
            }
        }
        tokio::time::sleep(grace).await;
    };
    tokio::select! {
        r = server => r.context("server failed")?,
        _ = deadline => eprintln!("newsidx: closing connections still open after {:.0} s", grace.as_secs_f64()),
    }
    Ok(())
}

/// Looks for new commits until the process ends.
async fn watch(state: Arc<AppState>) {
    let mut tick = tokio::time::interval(state.config.reload_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let st = state.clone();
        match tokio::task::spawn_blocking(move || st.live.refresh()).await {
            Ok(true) => {
                if let Ok(g) = state.live.current() {
                    eprintln!(
                        "newsidx: opened the index's new commit ({} articles)",
                        g.searcher.num_docs()
                    );
                }
            }
            Ok(false) => {}
            Err(e) => crate::messages::warning(&format!("reloading the index failed: {e}")),
        }
    }
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are installed when this
/// is called (before the server says it listens), not when first polled,
/// so a signal sent right after start-up is never lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        let int = signal(SignalKind::interrupt());
        let term = signal(SignalKind::terminate());
        async move {
            match (int, term) {
                (Ok(mut i), Ok(mut t)) => {
                    tokio::select! {
                        _ = i.recv() => {},
                        _ = t.recv() => {},
                    }
                }
                _ => {
                    let _ = tokio::signal::ctrl_c().await;
                }
            }
        }
    }
    #[cfg(not(unix))]
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
