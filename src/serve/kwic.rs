//! The concordance over HTTP: `GET /api/kwic` (a page of lines and the
//! number of all) and `GET /api/kwic.csv` (every line, as a download).
//!
//! Both run [`crate::search::kwic`] on the query as `newsidx kwic` does,
//! with the page's filters (`since`, `until`, `source`). A page walks every
//! matching article to count the lines, keeping only those of the page
//! (unsorted) or collecting and sorting them all (`sort=left|right|date`,
//! at most [`MAX_KWIC_SORTED`]). The CSV is streamed as it is found when
//! unsorted (it is not bounded by the time limit, and stops when the
//! client goes away), built after sorting otherwise; it starts with a
//! UTF-8 byte order mark so that spreadsheets read the Chinese right.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;

use crate::output::wire::kwic::PageResponse;
use crate::search::kwic::{self, Line, Order};
use crate::search::{DateRange, Plan, SearchOptions, Searcher};

use super::api::{blocking, needs_index, require_token};
use super::error::ApiError;
use super::limits::{MAX_KWIC_LIMIT, MAX_KWIC_SORTED, MAX_KWIC_WIDTH};
use super::page::with_headers;
use super::params::check_query;
use super::state::AppState;

/// `/api/kwic` and `/api/kwic.csv` (behind the token, like the search).
pub fn routes(state: Arc<AppState>) -> Router<Arc<AppState>> {
    Router::new()
        .route("/api/kwic", get(page))
        .route("/api/kwic.csv", get(csv_all))
        .route_layer(middleware::from_fn_with_state(state, require_token))
}

/// The parameters of both routes (the CSV ignores `offset` and `limit`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KwicParams {
    /// The query, in the CLI's syntax.
    q: Option<String>,
    /// Characters of context each side (20; at most [`MAX_KWIC_WIDTH`]).
    width: Option<String>,
    /// `left`, `right`, `date`, or empty for the order found.
    sort: Option<String>,
    /// Lines to skip.
    offset: Option<String>,
    /// Lines per page (50; at most [`MAX_KWIC_LIMIT`]).
    limit: Option<String>,
    /// Earliest date.
    since: Option<String>,
    /// Latest date.
    until: Option<String>,
    /// Only articles whose source contains this.
    source: Option<String>,
}

/// The parameters, checked.
#[derive(Debug, Clone)]
struct Resolved {
    q: String,
    width: usize,
    order: Order,
    sort: &'static str,
    offset: usize,
    limit: usize,
    source: Option<String>,
    dates: DateRange,
}

fn number(
    name: &str,
    v: &Option<String>,
    default: usize,
    range: [usize; 2],
) -> Result<usize, ApiError> {
    let t = v.as_deref().map(str::trim).unwrap_or("");
    if t.is_empty() {
        return Ok(default);
    }
    let n: usize = t
        .parse()
        .map_err(|_| ApiError::bad(format!("{name} {t:?}: not a number")))?;
    if n < range[0] || n > range[1] {
        return Err(ApiError::bad(format!(
            "{name} {n}: must be between {} and {}",
            range[0], range[1]
        )));
    }
    Ok(n)
}

impl KwicParams {
    fn resolve(&self) -> Result<Resolved, ApiError> {
        let q = self.q.as_deref().unwrap_or("").trim().to_string();
        check_query(&q)?;
        if q.is_empty() {
            return Err(ApiError::bad("missing query: give q=…"));
        }
        let (order, sort) = match self.sort.as_deref().map(str::trim).unwrap_or("") {
            "" => (Order::Found, "found"),
            "left" => (Order::Left, "left"),
            "right" => (Order::Right, "right"),
            "date" => (Order::Date, "date"),
            s => {
                return Err(ApiError::bad(format!(
                    "sort {s:?}: use left, right or date"
                )))
            }
        };
        let text = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (since, until) = (text(&self.since), text(&self.until));
        let dates = DateRange::parse(since.as_deref(), until.as_deref(), ["since", "until"])
            .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        Ok(Resolved {
            q,
            width: number("width", &self.width, 20, [1, MAX_KWIC_WIDTH])?,
            order,
            sort,
            offset: number("offset", &self.offset, 0, [0, MAX_KWIC_SORTED])?,
            limit: number("limit", &self.limit, 50, [1, MAX_KWIC_LIMIT])?,
            source: text(&self.source),
            dates,
        })
    }
}

/// The plan of a resolved request: its query, its source filter, its dates.
fn plan_of(searcher: &Searcher, r: &Resolved) -> Result<Plan, ApiError> {
    let opts = SearchOptions::as_written(r.dates, r.source.clone());
    searcher
        .plan_text(&r.q, &opts)
        .map_err(|e| ApiError::bad(format!("{e:#}")))
}

/// Every line of `r`, sorted, or a 413 past [`MAX_KWIC_SORTED`].
fn sorted(searcher: &Searcher, plan: &Plan, r: &Resolved) -> Result<(Vec<Line>, u64), ApiError> {
    let mut lines = Vec::new();
    let mut too_many = false;
    let tally = kwic::for_each_line(searcher, plan, r.width, |l| {
        if lines.len() >= MAX_KWIC_SORTED {
            too_many = true;
            return Ok(false);
        }
        lines.push(l);
        Ok(true)
    })
    .map_err(ApiError::internal)?;
    if too_many {
        return Err(ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "query {:?}: more than {MAX_KWIC_SORTED} occurrences to sort; narrow the query or the dates, or leave the order as found",
                r.q
            ),
        ));
    }
    kwic::sort(&mut lines, r.order);
    Ok((lines, tally.articles))
}

/// The page `r` asks for, and the totals.
fn run_page(searcher: &Searcher, r: &Resolved) -> Result<(Vec<Line>, u64, u64), ApiError> {
    let plan = plan_of(searcher, r)?;
    if r.order != Order::Found {
        let (lines, articles) = sorted(searcher, &plan, r)?;
        let total = lines.len() as u64;
        let page = lines.into_iter().skip(r.offset).take(r.limit).collect();
        return Ok((page, total, articles));
    }
    let mut page = Vec::new();
    let mut seen = 0usize;
    let tally = kwic::for_each_line(searcher, &plan, r.width, |l| {
        if seen >= r.offset && page.len() < r.limit {
            page.push(l);
        }
        seen += 1;
        Ok(true)
    })
    .map_err(ApiError::internal)?;
    Ok((page, tally.occurrences, tally.articles))
}

/// `GET /api/kwic?q=…&width=…&sort=…&offset=…&limit=…`.
async fn page(
    State(state): State<Arc<AppState>>,
    params: Result<Query<KwicParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    needs_index(&state, "concordance lines (kwic)")?;
    let r = params.resolve()?;
    let start = Instant::now();
    let what = format!("query {:?}", r.q);
    let r2 = r.clone();
    let (lines, total, articles) =
        blocking(&state, &what, move |g| run_page(&g.searcher, &r2)).await?;
    Ok(Json(PageResponse {
        query: r.q,
        width: r.width,
        sort: r.sort,
        offset: r.offset,
        limit: r.limit,
        total,
        articles,
        returned: lines.len(),
        took_ms: (start.elapsed().as_secs_f64() * 1e6).round() / 1e3,
        lines,
    })
    .into_response())
}

/// Bytes written to it go to the response in chunks of about 64 KB; a
/// client that went away makes a write fail, which ends the run.
struct Chunks {
    buf: Vec<u8>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
}

impl Write for Chunks {
    fn write(&mut self, b: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(b);
        if self.buf.len() >= 64 * 1024 {
            self.flush()?;
        }
        Ok(b.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(chunk)
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "client gone"))
    }
}

const BOM: &[u8] = "\u{feff}".as_bytes();

fn csv_response(body: Body) -> Response {
    with_headers(
        body,
        &[
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"kwic.csv\"",
            ),
        ],
    )
}

/// `GET /api/kwic.csv?q=…&width=…&sort=…`: every line, `id,date,source,
/// left,match,right`.
async fn csv_all(
    State(state): State<Arc<AppState>>,
    params: Result<Query<KwicParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(params) = params?;
    needs_index(&state, "concordance lines (kwic)")?;
    let r = params.resolve()?;
    let what = format!("query {:?}", r.q);
    if r.order != Order::Found {
        let r2 = r.clone();
        let body = blocking(&state, &what, move |g| {
            let plan = plan_of(&g.searcher, &r2)?;
            let (lines, _) = sorted(&g.searcher, &plan, &r2)?;
            let mut w = csv::Writer::from_writer(BOM.to_vec());
            for l in &lines {
                w.serialize(l).map_err(|e| ApiError::internal(e.into()))?;
            }
            w.into_inner()
                .map_err(|e| ApiError::internal(anyhow::anyhow!("{e}")))
        })
        .await?;
        return Ok(csv_response(Body::from(body)));
    }
    // The query is checked (a 400 for a bad one) before the stream starts.
    let generation = state
        .live
        .current()
        .map_err(|e| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, e))?;
    let plan = plan_of(&generation.searcher, &r)?;
    let (tx, rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let permit = tokio::time::timeout(
        state.config.time_limit,
        state.permits.clone().acquire_owned(),
    )
    .await
    .map_err(|_| {
        ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{what}: server busy"),
        )
    })?
    .map_err(|_| ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "server shutting down"))?;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let sink = Chunks {
            buf: BOM.to_vec(),
            tx,
        };
        let mut w = csv::Writer::from_writer(sink);
        let _ = kwic::for_each_line(&generation.searcher, &plan, r.width, |l| {
            w.serialize(&l)?;
            Ok(true)
        });
        let _ = w.flush();
    });
    let stream = futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv()
            .await
            .map(|b| (Ok::<_, std::convert::Infallible>(b), rx))
    });
    Ok(csv_response(Body::from_stream(stream)))
}
