//! The JSON API: `/api/search`, `/api/batch`, `/api/articles/{id}`,
//! `/api/stats`, `/api/health` (and `/api/count`, in `attention.rs`).
//!
//! Handlers are thin: they resolve parameters into the same
//! [`SearchOptions`] as `newsidx search`, run the same planning and
//! ranking on the blocking pool ([`AppState::permits`] bound how many at
//! once, [`super::Config::time_limit`] how long), and serialise hits with
//! the CLI's wire type ([`WireHit`](crate::output::wire::search::WireHit)), so the API and
//! `newsidx search --json` agree hit for hit.
//!
//! Every error is a JSON body `{"error": "…"}` with its status: 400 a bad
//! parameter or query, 401 a missing or wrong token, 404 an unknown
//! article or route, 405 a wrong method, 413 a query, body or batch over
//! its limit, 503 no index, a busy server or a search over its time limit.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Instant, SystemTime};

use axum::body::{Body, Bytes};
use axum::extract::rejection::{BytesRejection, QueryRejection};
use axum::extract::{DefaultBodyLimit, Path, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::output::json;
use crate::output::wire::search::{Facets, SearchResponse};
use crate::output::wire::serve::{Health, Limits, StatsResponse};
use crate::search::facets::{self, By};
use crate::search::SearchOptions;

pub use super::error::ApiError;
use super::limits::{
    MAX_BATCH_BODY, MAX_BATCH_QUERIES, MAX_BODY, MAX_LIMIT, MAX_OFFSET, MAX_QUERY_BYTES,
    MAX_SOURCE_BUCKETS, MAX_WAITING,
};
use super::live::Generation;
use super::params::check_query;
pub use super::params::{Resolved, Scalar, SearchParams};
use super::state::AppState;

/// The routes under `/api`.
pub fn routes(state: Arc<AppState>) -> Router<Arc<AppState>> {
    let protected = Router::new()
        .route(
            "/api/search",
            get(search_get)
                .post(search_post)
                .layer(DefaultBodyLimit::max(MAX_BODY)),
        )
        .route(
            "/api/batch",
            axum::routing::post(batch).layer(DefaultBodyLimit::max(MAX_BATCH_BODY)),
        )
        .route("/api/articles/{*id}", get(article))
        .route("/api/stats", get(stats))
        .merge(super::attention::routes())
        .route("/api/terms", get(super::terms_api::terms_get))
        .route_layer(middleware::from_fn_with_state(state, require_token));
    Router::new()
        .merge(protected)
        .route("/api/health", get(health))
}

/// 404 for any other path.
pub async fn not_found(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        format!("{}: no such page", req.uri().path()),
    )
}

/// 405 for a known path with another method.
pub async fn method_not_allowed(req: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        format!("{} {}: method not allowed", req.method(), req.uri().path()),
    )
}

/// Equal in time whatever the inputs share.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for (i, x) in a.iter().enumerate() {
        diff |= (x ^ b.get(i % b.len().max(1)).copied().unwrap_or(0)) as usize;
    }
    diff == 0
}

pub(super) async fn require_token(
    State(state): State<Arc<AppState>>,
    req: Request,
    next: Next,
) -> Response {
    if let Some(token) = &state.config.token {
        let given = req
            .headers()
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim);
        match given {
            Some(g) if same_secret(g.as_bytes(), token.as_bytes()) => {}
            Some(_) => {
                return ApiError::new(StatusCode::UNAUTHORIZED, "wrong token").into_response()
            }
            None => {
                return ApiError::new(
                    StatusCode::UNAUTHORIZED,
                    "this server needs a token: Authorization: Bearer TOKEN",
                )
                .into_response()
            }
        }
    }
    next.run(req).await
}

/// A 400 for what needs the local index (every match listed, the index's
/// statistics) when the server searches an engine (`--engine`).
pub(super) fn needs_index(state: &AppState, what: &str) -> Result<(), ApiError> {
    match &state.config.engine {
        Some(e) => Err(ApiError::bad(format!(
            "{what}: not available when searching an engine ({}); only search, count and articles are",
            e.spec
        ))),
        None => Ok(()),
    }
}

/// Runs `f` on the blocking pool against the searcher in service, within
/// the concurrency cap and the time limit.
pub(super) async fn blocking<T, F>(state: &Arc<AppState>, what: &str, f: F) -> Result<T, ApiError>
where
    T: Send + 'static,
    F: FnOnce(&Generation) -> Result<T, ApiError> + Send + 'static,
{
    let generation = state
        .live
        .current()
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e))?;
    let limit = state.config.time_limit;
    let deadline = tokio::time::Instant::now() + limit;
    if state.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        state.waiting.fetch_sub(1, Ordering::SeqCst);
        return Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "server busy: too many searches waiting; try again",
        ));
    }
    let permit = tokio::time::timeout_at(deadline, state.permits.clone().acquire_owned()).await;
    state.waiting.fetch_sub(1, Ordering::SeqCst);
    let permit = match permit {
        Ok(Ok(p)) => p,
        Ok(Err(_)) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "server shutting down",
            ))
        }
        Err(_) => {
            return Err(ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                format!(
                    "{what}: server busy, no search slot free within the time limit of {:.0} s",
                    limit.as_secs_f64()
                ),
            ))
        }
    };
    // The permit goes with the work: a search that outruns its time limit
    // keeps its slot until it really ends.
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        // An engine's partial answers are kept per thread: what an
        // earlier request on this thread left is not this one's.
        generation.searcher.first_stage().take_partial();
        f(&generation)
    });
    match tokio::time::timeout_at(deadline, task).await {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => Err(ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("{what}: search failed: {e}"),
        )),
        Err(_) => Err(ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!(
                "{what}: took longer than the time limit of {} s; narrow the query or the dates",
                limit.as_secs_f64()
            ),
        )),
    }
}

/// Parses, plans and runs a resolved search on `g` (what
/// [`crate::search::Searcher::search`] does, keeping the plan for the
/// facets), then counts its facets.
fn run_search(
    g: &Generation,
    r: &Resolved,
) -> Result<(crate::search::Hits, Option<Facets>), ApiError> {
    let searcher = &g.searcher;
    let plan = searcher
        .plan_text(&r.q, &r.opts)
        .map_err(|e| ApiError::bad(format!("{e:#}")))?;
    let mut hits = searcher.run(&plan, &r.opts).map_err(ApiError::internal)?;
    let facets = if r.facets {
        // The same articles as `total_hits`: the query as written, never
        // what a relaxed search adds.
        // A search answered in part may have missed some: counted then.
        let known = hits.partial.is_none().then_some(hits.total_hits);
        let counts = facets::count_plan_after(searcher, &plan, &[By::Source, By::Month], known)
            .map_err(ApiError::internal)?;
        let mut buckets = counts.buckets.into_iter();
        let mut sources = buckets.next().unwrap_or_default();
        let months = buckets.next().unwrap_or_default();
        let other_sources = sources
            .iter()
            .skip(MAX_SOURCE_BUCKETS)
            .filter(|b| b.key.is_some())
            .map(|b| b.count)
            .sum();
        if sources.len() > MAX_SOURCE_BUCKETS {
            let none = sources.pop().filter(|b| b.key.is_none());
            sources.truncate(MAX_SOURCE_BUCKETS);
            sources.extend(none);
        }
        Some(Facets {
            sources,
            other_sources,
            months,
        })
    } else {
        None
    };
    // The facets' counts too may have missed a shard.
    if let Some(p) = searcher.first_stage().take_partial() {
        hits.partial.get_or_insert(p);
    }
    Ok((hits, facets))
}

async fn do_search(state: Arc<AppState>, params: SearchParams) -> Result<Response, ApiError> {
    let r = params.resolve(true)?;
    let start = Instant::now();
    let what = format!("query {:?}", r.q);
    let r2 = r.clone();
    let (hits, facets) = blocking(&state, &what, move |g| run_search(g, &r2)).await?;
    let took_ms = (start.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    let page = (r.opts.offset, r.opts.limit);
    let body = SearchResponse::new(&r.q, &hits, page, took_ms, facets);
    Ok(Json(body).into_response())
}

async fn search_get(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    do_search(state, params).await
}

async fn search_post(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let body = body?;
    let params: SearchParams =
        serde_json::from_slice(&body).map_err(|e| ApiError::bad(format!("bad JSON body: {e}")))?;
    do_search(state, params).await
}

/// One query of a batch: a JSON object with the search's fields, or a
/// line of query text (as `newsidx search --batch`).
fn batch_line(line: &str, base: &SearchParams) -> Result<SearchParams, String> {
    if line.starts_with('{') {
        let p: SearchParams =
            serde_json::from_str(line).map_err(|e| format!("bad JSON line: {e}"))?;
        Ok(p.or(base))
    } else {
        Ok(SearchParams {
            q: Some(line.to_string()),
            ..base.clone()
        })
    }
}

/// `POST /api/batch`: one query per line in, JSON Lines out (for each
/// query its `hit` lines and a `summary`, or one `error` line, each
/// carrying `"query"`, as `newsidx search --batch`), streamed as the
/// queries are answered. Parameters in the URL apply to every line.
async fn batch(
    State(state): State<Arc<AppState>>,
    params: Result<Query<SearchParams>, QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let Query(base) = params?;
    base.resolve(false)?;
    let body = body?;
    let text = std::str::from_utf8(&body)
        .map_err(|_| ApiError::bad("batch body is not valid UTF-8"))?
        .trim_start_matches('\u{feff}');
    let lines: Vec<String> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if lines.len() > MAX_BATCH_QUERIES {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "batch of {} queries: the limit is {MAX_BATCH_QUERIES}",
                lines.len()
            ),
        ));
    }
    state
        .live
        .current()
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e))?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    tokio::spawn(async move {
        for line in lines {
            let mut out = Vec::new();
            let answer = match batch_line(&line, &base) {
                Err(e) => Err(e),
                Ok(p) => match p.resolve(true) {
                    Err(e) => Err(e.message),
                    Ok(mut r) => {
                        r.facets = false;
                        let q = r.q.clone();
                        let start = Instant::now();
                        let what = format!("query {q:?}");
                        blocking(&state, &what, move |g| run_search(g, &r))
                            .await
                            .map(|(hits, _)| (q, hits, start.elapsed().as_secs_f64() * 1e3))
                            .map_err(|e| e.message)
                    }
                },
            };
            let written = match answer {
                Ok((q, hits, ms)) => json::write_hits(&mut out, &hits, ms, Some(&q)),
                Err(e) => json::write_error(&mut out, &line, e),
            };
            if written.is_err() || tx.send(Bytes::from(out)).await.is_err() {
                return; // the client went away
            }
        }
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|b| (Ok::<_, std::convert::Infallible>(b), rx))
    });
    let mut r = Body::from_stream(stream).into_response();
    r.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/x-ndjson; charset=utf-8"),
    );
    Ok(r)
}

/// Parameters of an article view.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ArticleParams {
    /// A query whose matches to highlight.
    q: Option<String>,
}

/// `GET /api/articles/{id}?q=…`: the article with this id (the first, if
/// two records share one), its whole text and, with `q`, every match of
/// the query highlighted ([`Searcher::article`](crate::search::Searcher::article)).
async fn article(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    params: Result<Query<ArticleParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    let q = params.q.unwrap_or_default();
    check_query(&q)?;
    let what = format!("article {id:?}");
    let a = blocking(&state, &what, move |g| {
        let highlights = if q.trim().is_empty() {
            Vec::new()
        } else {
            g.searcher
                .plan_text(&q, &SearchOptions::default())
                .map_err(|e| ApiError::bad(format!("{e:#}")))?
                .highlights
        };
        g.searcher
            .article(&id, &highlights)
            .map_err(ApiError::internal)?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    format!("article {id:?}: no such id in the index"),
                )
            })
    })
    .await?;
    Ok(Json(a).into_response())
}

async fn stats(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    needs_index(&state, "index statistics")?;
    let limits = Limits {
        max_limit: MAX_LIMIT,
        max_offset: MAX_OFFSET,
        max_query_bytes: MAX_QUERY_BYTES,
        max_body_bytes: MAX_BODY,
        max_batch_body_bytes: MAX_BATCH_BODY,
        max_batch_queries: MAX_BATCH_QUERIES,
        max_searches: state.config.max_searches,
        time_limit_secs: state.config.time_limit.as_secs_f64(),
    };
    let s = blocking(&state, "stats", move |g| {
        let index = g.searcher.store().stats().map_err(ApiError::internal)?;
        Ok(StatsResponse {
            index,
            opened_at: g
                .opened_at
                .duration_since(SystemTime::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs()),
            limits,
        })
    })
    .await?;
    Ok(Json(s).into_response())
}

/// `GET /api/health`: 200 with the article count while an index is in
/// service, 503 otherwise. Needs no token (for load balancers and probes).
async fn health(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let g = state
        .live
        .current()
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e))?;
    Ok(Json(Health {
        status: "ok",
        articles: g.searcher.num_docs(),
        engine: state.config.engine.is_some(),
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_compare_whole() {
        assert!(same_secret(b"abc", b"abc"));
        assert!(!same_secret(b"abc", b"abd"));
        assert!(!same_secret(b"abc", b"abcd"));
        assert!(!same_secret(b"", b"a"));
        assert!(!same_secret(b"a", b""));
        assert!(same_secret(b"", b""));
    }

    #[test]
    fn parameters_are_checked() {
        let p = |l: &str| SearchParams {
            q: Some("x".into()),
            limit: Some(Scalar::Text(l.into())),
            ..SearchParams::default()
        };
        assert_eq!(p("5").resolve(true).map(|r| r.opts.limit).ok(), Some(5));
        assert!(p("1000000").resolve(true).is_err());
        assert!(p("0").resolve(true).is_err());
        assert!(p("ten").resolve(true).is_err());
        let long = SearchParams {
            q: Some("字".repeat(MAX_QUERY_BYTES)),
            ..SearchParams::default()
        };
        let e = long.resolve(true).err().map(|e| e.status);
        assert_eq!(e, Some(StatusCode::PAYLOAD_TOO_LARGE));
        assert!(SearchParams::default().resolve(true).is_err());
    }
}
