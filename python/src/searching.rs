//! `NativeIndex`: an open index searched, counted and read from Python,
//! through the same library calls as `newsidx search`, `count`, `stats`
//! and the server's `/api/articles/{id}`. Every call gives up the GIL
//! while the library works, so threads search at once.

use std::path::PathBuf;
use std::time::Instant;

use newsidx::output::json;
use newsidx::search::facets::{count_plan, By};
use newsidx::search::{DateRange, Hits, Plan, SearchOptions, Searcher, Sort};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pythonize::pythonize;

use crate::article;
use crate::errors::{Failure, Kind, Outcome};

/// An open index (the Python class `newsidx.Index` wraps it).
#[pyclass(frozen, module = "newsidx._newsidx")]
pub struct NativeIndex {
    searcher: Searcher,
}

/// The filters of a search or a count, from a Python dict
/// (`since`, `until`, `source`; `None` for none).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Filter {
    pub since: Option<String>,
    pub until: Option<String>,
    pub source: Option<String>,
}

/// What a search or a count asks for.
pub struct Request<'a> {
    pub query: &'a str,
    pub filter: &'a Filter,
}

impl Request<'_> {
    /// The dates, errors naming the keyword argument.
    fn dates(&self) -> Outcome<DateRange> {
        DateRange::parse(
            self.filter.since.as_deref(),
            self.filter.until.as_deref(),
            ["since", "until"],
        )
        .map_err(|e| Failure::of(Kind::Option, &e))
    }

    /// The source filter (`SearchOptions::source`, as the server sets
    /// it); blank is none.
    fn source(&self) -> Option<String> {
        self.filter
            .source
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    /// The query planned with `opts`; a syntax error is a query error.
    fn plan(&self, searcher: &Searcher, opts: &SearchOptions) -> Outcome<Plan> {
        searcher
            .plan_text(self.query, opts)
            .map_err(|e| Failure::new(Kind::Query, format!("{e:#}")))
    }
}

/// A count that must not be negative, named for its error.
fn natural(name: &str, n: i64, least: i64) -> Outcome<usize> {
    if n < least {
        return Err(Failure::new(
            Kind::Option,
            format!("{name} must be at least {least}"),
        ));
    }
    usize::try_from(n).map_err(|_| Failure::new(Kind::Option, format!("{name} {n}: too large")))
}

fn sort_of(s: &str) -> Outcome<Sort> {
    match s {
        "relevance" => Ok(Sort::Relevance),
        "date" => Ok(Sort::Date),
        _ => Err(Failure::new(
            Kind::Option,
            format!("sort {s:?}: use relevance or date"),
        )),
    }
}

fn by_of(s: Option<&str>) -> Outcome<Vec<By>> {
    Ok(match s {
        None => Vec::new(),
        Some("year") => vec![By::Year],
        Some("month") => vec![By::Month],
        Some("source") => vec![By::Source],
        Some(b) => {
            return Err(Failure::new(
                Kind::Option,
                format!("by {b:?}: use year, month or source"),
            ))
        }
    })
}

/// What `count` gives Python: the total and the buckets, `(key, count)`.
type CountsOut = (u64, Vec<(Option<String>, u64)>);

/// The page options of a search, from a Python dict (`limit`, `offset`,
/// `sort`, `collapse`, `relax`, `passages`).
#[derive(FromPyObject)]
#[pyo3(from_item_all)]
pub struct Page {
    pub limit: i64,
    pub offset: i64,
    pub sort: String,
    pub collapse: bool,
    pub relax: bool,
    pub passages: i64,
}

impl Page {
    /// Search options as `newsidx search` builds them from its flags.
    fn options(&self, dates: DateRange) -> Outcome<SearchOptions> {
        Ok(SearchOptions {
            limit: natural("limit", self.limit, 1)?,
            offset: natural("offset", self.offset, 0)?,
            sort: sort_of(&self.sort)?,
            dates,
            collapse: self.collapse,
            passages: natural("passages", self.passages, 0)?.min(10),
            relax_below: if self.relax {
                SearchOptions::default().relax_below
            } else {
                0
            },
            ..SearchOptions::default()
        })
    }
}

impl NativeIndex {
    fn run_search(&self, req: &Request, page: &Page) -> Outcome<(Hits, f64)> {
        let opts = SearchOptions {
            source: req.source(),
            ..page.options(req.dates()?)?
        };
        let start = Instant::now();
        let plan = req.plan(&self.searcher, &opts)?;
        let hits = self.searcher.run(&plan, &opts)?;
        Ok((hits, start.elapsed().as_secs_f64() * 1000.0))
    }
}

/// The hits as Python dicts: the `hit` records of `newsidx search --json`
/// (`output::json::wire`) without their `type` key.
fn hit_dicts<'py>(py: Python<'py>, hits: &Hits) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for h in &hits.hits {
        let d = pythonize(py, &json::wire(h, None))?;
        d.del_item("type")?;
        list.append(d)?;
    }
    Ok(list)
}

#[pymethods]
impl NativeIndex {
    /// Opens the index at `path` for searching.
    #[new]
    fn new(py: Python<'_>, path: PathBuf) -> PyResult<NativeIndex> {
        let opened = py.detach(|| {
            Searcher::open(&path).map_err(|e| {
                let kind = if newsidx::index::is_index_dir(&path) {
                    Kind::Other
                } else {
                    Kind::IndexNotFound
                };
                Failure::of(kind, &e)
            })
        })?;
        Ok(NativeIndex { searcher: opened })
    }

    /// One search: `(hits, summary)`, the hit dicts and the `summary`
    /// record of `newsidx search --json` (without `type`).
    fn search<'py>(
        &self,
        py: Python<'py>,
        query: &str,
        page: Page,
        filter: Filter,
    ) -> PyResult<(Bound<'py, PyList>, Bound<'py, PyAny>)> {
        let req = Request {
            query,
            filter: &filter,
        };
        let (hits, ms) = py.detach(|| self.run_search(&req, &page))?;
        let summary = json::WireSummary {
            kind: "summary",
            query: None,
            total_hits: hits.total_hits,
            relaxed_hits: hits.relaxed_hits,
            relaxed_hits_exact: hits.relaxed_hits_exact,
            returned: hits.hits.len(),
            elapsed_ms: (ms * 1000.0).round() / 1000.0,
            relaxed: hits.relaxed.map(|(a, b)| [a, b]),
        };
        let summary = pythonize(py, &summary)?;
        summary.del_item("type")?;
        Ok((hit_dicts(py, &hits)?, summary))
    }

    /// Articles matching `query` as written (what `total_hits` counts):
    /// `(total, [(key, count), …])`, buckets as `newsidx count --by` lists them.
    fn count(
        &self,
        py: Python<'_>,
        query: &str,
        by: Option<&str>,
        filter: Filter,
    ) -> PyResult<CountsOut> {
        let req = Request {
            query,
            filter: &filter,
        };
        let counts = py.detach(|| -> Outcome<_> {
            let by = by_of(by)?;
            let opts = SearchOptions {
                dates: req.dates()?,
                relax_below: 0,
                source: req.source(),
                ..SearchOptions::default()
            };
            let plan = req.plan(&self.searcher, &opts)?;
            Ok(count_plan(&self.searcher, &plan, &by)?)
        })?;
        let buckets = counts.buckets.into_iter().next().unwrap_or_default();
        Ok((
            counts.total,
            buckets.into_iter().map(|b| (b.key, b.count)).collect(),
        ))
    }

    /// The record of `newsidx stats --json` (without `type`).
    fn stats<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let st = py.detach(|| -> Outcome<_> { Ok(self.searcher.store().stats()?) })?;
        Ok(pythonize(py, &st)?)
    }

    /// The article with this id, whole, as the server's
    /// `/api/articles/{id}` gives it; with `query`, its matches highlighted.
    #[pyo3(signature = (id, query=None))]
    fn article<'py>(
        &self,
        py: Python<'py>,
        id: &str,
        query: Option<&str>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let a = py.detach(|| article::find(&self.searcher, id, query.unwrap_or("")))?;
        Ok(pythonize(py, &a)?.cast_into::<PyDict>()?)
    }
}
