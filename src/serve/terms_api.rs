//! `GET /api/terms`: the significant words, people, places or
//! organisations of a query's articles, as `newsidx terms --json` lists
//! them (the same `term` objects, and the summary's fields).

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;

use super::api::blocking;
use super::error::ApiError;
use super::params::{Scalar, SearchParams};
use super::state::AppState;
use crate::output::wire::terms::{lines, summary, TermsResponse};
use crate::search::terms::{terms, TermKind};

/// Most terms one request may ask for.
pub const MAX_TERMS: usize = 200;

/// The parameters of `/api/terms`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermsParams {
    /// The query, in the CLI's syntax.
    #[serde(alias = "query")]
    pub q: Option<String>,
    /// `words` (default), `people`, `places` or `orgs`.
    pub kind: Option<String>,
    /// Terms (30, at most [`MAX_TERMS`]).
    pub n: Option<Scalar>,
    /// Earliest date.
    pub since: Option<String>,
    /// Latest date.
    pub until: Option<String>,
    /// Only articles whose source contains this.
    pub source: Option<String>,
}

fn kind_of(k: Option<&str>) -> Result<TermKind, ApiError> {
    Ok(match k.map(str::trim).unwrap_or("") {
        "" | "words" | "word" => TermKind::Word,
        "people" | "person" => TermKind::Person,
        "places" | "place" => TermKind::Place,
        "orgs" | "org" => TermKind::Org,
        other => {
            return Err(ApiError::bad(format!(
                "kind {other:?}: use words, people, places or orgs"
            )))
        }
    })
}

/// `GET /api/terms?q=…&kind=…&n=…`.
pub async fn terms_get(
    State(state): State<Arc<AppState>>,
    params: Result<Query<TermsParams>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(p) = params?;
    let kind = kind_of(p.kind.as_deref())?;
    // The query, dates and source are checked as a search's are.
    let search = SearchParams {
        q: p.q.clone(),
        limit: p.n.clone(),
        since: p.since.clone(),
        until: p.until.clone(),
        source: p.source.clone(),
        ..SearchParams::default()
    };
    let mut r = search.resolve(true).map_err(|e| {
        if e.message.starts_with("limit") {
            ApiError::bad(e.message.replacen("limit", "n", 1))
        } else {
            e
        }
    })?;
    let n = match &p.n {
        None => 30,
        Some(_) => r.opts.limit.min(MAX_TERMS),
    };
    r.opts.relax_below = 0;
    let start = Instant::now();
    let what = format!("query {:?}", r.q);
    let r2 = r.clone();
    let t = blocking(&state, &what, move |g| {
        let plan = g
            .searcher
            .plan_text(&r2.q, &r2.opts)
            .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        // An index without the stored words and names cannot answer: the
        // request's fault, not the server's (the page hides the panel).
        g.searcher
            .first_stage()
            .require_terms(kind)
            .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        terms(&g.searcher, &plan, kind, n).map_err(ApiError::internal)
    })
    .await?;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    let body = TermsResponse {
        summary: summary(&r.q, &t, ms),
        terms: lines(&t),
    };
    Ok(Json(body).into_response())
}
