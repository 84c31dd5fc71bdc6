//! `GET /api/count`: attention over time, as `newsidx count --query …
//! --by … --normalize --json` counts it, for the page's comparison
//! timeline and for scripts.
//!
//! Parameters: `q` (the query), `vs` (another query to compare, repeated,
//! at most [`MAX_QUERIES`] in all), `by` (`day`, `week`, `month` (the
//! default), `year` or `source`), `normalize` (`1`/`true`: each bucket
//! beside the index's articles of that bucket and the share), `since`,
//! `until`, `source` (as `/api/search`; normalised, the share is then of
//! that source's articles). The answer:
//!
//! ```json
//! {"by":"month","normalize":true,"took_ms":1.2,
//!  "series":[{"query":"江豚","total":4,"of":10,
//!             "buckets":[{"key":"2024-01","count":2,"of":5,"share":0.4},…]},…]}
//! ```
//!
//! Every series has the same buckets in the same order (every period of
//! the range, empty ones at 0; see [`crate::search::series`]); `of` and
//! `share` only when normalised; the undated bucket's key is `null`.

use std::sync::Arc;
use std::time::Instant;

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};

use crate::output::wire::count::{CountResponse, Series, SeriesBucket};
use crate::search::facets::{count_plan, By};
use crate::search::series::{align, Point};
use crate::search::{DateRange, SearchOptions};

use super::api::blocking;
use super::error::ApiError;
use super::live::Generation;
use super::params::check_query;
use super::state::AppState;

/// Most queries compared at once (`q` and the `vs`s).
pub const MAX_QUERIES: usize = 5;
/// Most buckets in one series (a day series of 27 years).
pub const MAX_BUCKETS: usize = 10_000;

/// The route, behind the API's token like the others.
pub fn routes() -> Router<Arc<AppState>> {
    Router::new().route("/api/count", get(count))
}

/// The request, checked.
#[derive(Debug, Clone)]
struct Ask {
    queries: Vec<String>,
    by: Option<By>,
    by_name: &'static str,
    normalize: bool,
    dates: DateRange,
    source: Option<String>,
}

fn parse_by(v: &str) -> Result<(Option<By>, &'static str), ApiError> {
    Ok(match v {
        "day" => (Some(By::Day), "day"),
        "week" => (Some(By::Week), "week"),
        "month" => (Some(By::Month), "month"),
        "year" => (Some(By::Year), "year"),
        "source" => (Some(By::Source), "source"),
        "none" => (None, "none"),
        _ => {
            return Err(ApiError::bad(format!(
                "by={v:?}: use day, week, month, year, source or none"
            )))
        }
    })
}

fn parse_flag(k: &str, v: &str) -> Result<bool, ApiError> {
    match v {
        "1" | "true" | "yes" | "on" => Ok(true),
        "0" | "false" | "no" | "off" | "" => Ok(false),
        _ => Err(ApiError::bad(format!("{k}={v:?}: use 1 or 0"))),
    }
}

impl Ask {
    fn from_pairs(pairs: Vec<(String, String)>) -> Result<Ask, ApiError> {
        let (mut q, mut vs) = (None, Vec::new());
        let (mut by, mut by_name) = (Some(By::Month), "month");
        let (mut normalize, mut since, mut until, mut source) = (false, None, None, None);
        for (k, v) in pairs {
            match k.as_str() {
                "q" | "query" => q = Some(v.trim().to_string()),
                "vs" => vs.push(v.trim().to_string()),
                "by" => (by, by_name) = parse_by(v.trim())?,
                "normalize" => normalize = parse_flag(&k, v.trim())?,
                "since" => since = Some(v).filter(|s| !s.trim().is_empty()),
                "until" => until = Some(v).filter(|s| !s.trim().is_empty()),
                "source" => source = Some(v).filter(|s| !s.trim().is_empty()),
                _ => return Err(ApiError::bad(format!("unknown parameter {k:?}"))),
            }
        }
        let q = q
            .filter(|q| !q.is_empty())
            .ok_or_else(|| ApiError::bad("missing q: the query to count"))?;
        let queries: Vec<String> = std::iter::once(q)
            .chain(vs.into_iter().filter(|v| !v.is_empty()))
            .collect();
        if queries.len() > MAX_QUERIES {
            return Err(ApiError::bad(format!(
                "{} queries: at most {MAX_QUERIES} are compared at once",
                queries.len()
            )));
        }
        for q in &queries {
            check_query(q)?;
        }
        let dates = DateRange::parse(since.as_deref(), until.as_deref(), ["since", "until"])
            .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        Ok(Ask {
            queries,
            by,
            by_name,
            normalize,
            dates,
            source,
        })
    }
}

/// Counted series, with their points owned.
type Counted = Vec<(u64, Option<u64>, Vec<Point>)>;

fn run(g: &Generation, a: &Ask) -> Result<Counted, ApiError> {
    let opts = SearchOptions::as_written(a.dates, a.source.clone());
    let bys: Vec<By> = a.by.into_iter().collect();
    let mut counts = Vec::new();
    for q in &a.queries {
        let plan = g
            .searcher
            .plan_text(q, &opts)
            .map_err(|e| ApiError::bad(format!("{e:#}")))?;
        counts.push(count_plan(&g.searcher, &plan, &bys).map_err(ApiError::internal)?);
    }
    // With a source, shares are of that source's articles.
    let of = match (a.normalize, &a.source) {
        (false, _) => None,
        (true, None) => Some(
            g.counts
                .get(&g.searcher, a.by, a.dates)
                .map_err(ApiError::internal)?,
        ),
        (true, Some(_)) => Some(Arc::new(
            count_plan(&g.searcher, &g.searcher.plan_all(&opts), &bys)
                .map_err(ApiError::internal)?,
        )),
    };
    let series = align(&counts, a.by, of.as_deref(), a.dates)
        .map_err(|e| ApiError::bad(format!("{e:#}")))?;
    if let Some(s) = series.first().filter(|s| s.buckets.len() > MAX_BUCKETS) {
        return Err(ApiError::bad(format!(
            "{} buckets: at most {MAX_BUCKETS}; narrow the dates or count by a longer period",
            s.buckets.len()
        )));
    }
    Ok(series
        .into_iter()
        .map(|s| (s.total, s.of_total, s.buckets))
        .collect())
}

async fn count(
    State(state): State<Arc<AppState>>,
    params: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Result<Response, ApiError> {
    let Query(pairs) = params?;
    let ask = Ask::from_pairs(pairs)?;
    let start = Instant::now();
    let what = format!("count {:?}", ask.queries);
    let a2 = ask.clone();
    let counted = blocking(&state, &what, move |g| run(g, &a2)).await?;
    let series: Vec<Series> = ask
        .queries
        .iter()
        .zip(&counted)
        .map(|(q, (total, of, points))| Series {
            query: q,
            total: *total,
            of: *of,
            buckets: points.iter().map(SeriesBucket::new).collect(),
        })
        .collect();
    let took_ms = (start.elapsed().as_secs_f64() * 1e6).round() / 1e3;
    Ok(Json(CountResponse {
        by: ask.by_name,
        normalize: ask.normalize,
        took_ms,
        series,
    })
    .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ask(qs: &str) -> Result<Ask, ApiError> {
        let pairs = qs
            .split('&')
            .filter_map(|kv| kv.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Ask::from_pairs(pairs)
    }

    #[test]
    fn parameters_are_checked() {
        let a = ask("q=A&vs=B&vs=C&by=week&normalize=1").ok().unwrap();
        assert_eq!(a.queries, ["A", "B", "C"]);
        assert_eq!(a.by, Some(By::Week));
        assert!(a.normalize);
        assert!(ask("vs=B").is_err());
        assert!(ask("q=A&by=decade").is_err());
        assert!(ask("q=A&normalize=maybe").is_err());
        assert!(ask("q=A&limit=3").is_err());
        assert!(ask("q=A&vs=B&vs=C&vs=D&vs=E&vs=F").is_err());
        assert!(ask("q=A&since=yesterday").is_err());
        let d = ask("q=A&vs=&since=").ok().unwrap();
        assert_eq!(d.queries, ["A"]);
        assert_eq!(d.by, Some(By::Month));
    }
}
