//! Counting matching articles by day, week, month, year or source.
//!
//! One pass over every article a query matches (not only a page of hits),
//! made by the first stage ([`FirstStage::count`](crate::search::first_stage::FirstStage::count): the local index reads
//! the date fast field and the `source_key` terms, so no stored document
//! is decompressed), counts the days and sources ([`Tally`]); here they
//! become buckets. The search page's filters and timeline, the HTTP API's
//! facets and `newsidx count --by` all come from [`count_plan`], so they
//! always agree.
//!
//! Buckets always add up to the number of matching articles: articles
//! without a date (or a source) are counted in a bucket whose key is
//! `None` (`null` in JSON).

use std::collections::HashMap;

use anyhow::Result;
use serde::Serialize;

use super::periods::Period;
use crate::search::{DateRange, Plan, Searcher};

/// What to count by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum By {
    /// The article's day (`2023-07-13`).
    Day,
    /// The ISO week of the article's date (`2023-W28`; see [`Period`]).
    Week,
    /// Calendar year of the article's date (`2023`).
    Year,
    /// Calendar month of the article's date (`2023-07`).
    Month,
    /// The article's source, as read.
    Source,
}

impl By {
    /// The calendar period of a time bucket; `None` for sources.
    pub fn period(self) -> Option<Period> {
        match self {
            By::Day => Some(Period::Day),
            By::Week => Some(Period::Week),
            By::Month => Some(Period::Month),
            By::Year => Some(Period::Year),
            By::Source => None,
        }
    }
}

/// One bucket: a key (`None` for articles without a date or source) and
/// the number of matching articles in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Bucket {
    /// `2023`, `2023-07`, a source, or null.
    pub key: Option<String>,
    /// Matching articles.
    pub count: u64,
}

/// The counts of one query: the matching articles and, for each
/// requested [`By`], its buckets. Time buckets are in ascending order of
/// their key, source buckets by falling count (then key); the `None`
/// bucket, when not empty, comes last.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counts {
    /// Every matching article.
    pub total: u64,
    /// One list of buckets per requested [`By`], in the order asked.
    pub buckets: Vec<Vec<Bucket>>,
    /// The first and the last day (see [`Period`]) of the dated matches.
    pub days: Option<(i64, i64)>,
}

/// Time buckets from day counts: keyed by the day's `period`, ascending.
fn time_buckets(by_day: &HashMap<i64, u64>, undated: u64, period: Period) -> Vec<Bucket> {
    let mut keys: std::collections::BTreeMap<String, u64> = Default::default();
    for (&day, &n) in by_day {
        *keys.entry(period.key(day)).or_default() += n;
    }
    let mut out: Vec<Bucket> = keys
        .into_iter()
        .map(|(k, count)| Bucket {
            key: Some(k),
            count,
        })
        .collect();
    if undated > 0 {
        out.push(Bucket {
            key: None,
            count: undated,
        });
    }
    out
}

/// What the first stage counted of the articles a query matches: days
/// (since 1970-01-01) and sources; the sources only when asked for.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    /// Matching articles by day.
    pub by_day: HashMap<i64, u64>,
    /// Matching articles without a date.
    pub undated: u64,
    /// Matching articles by source (any order, each source once).
    pub by_source: Vec<(String, u64)>,
    /// Matching articles without a source.
    pub no_source: u64,
    /// Every matching article.
    pub total: u64,
}

/// The buckets of `tally` by each of `by`.
fn counts(tally: Tally, by: &[By]) -> Counts {
    let buckets = by
        .iter()
        .map(|b| match b.period() {
            Some(p) => time_buckets(&tally.by_day, tally.undated, p),
            None => {
                let mut v: Vec<Bucket> = tally
                    .by_source
                    .iter()
                    .map(|(k, n)| Bucket {
                        key: Some(k.clone()),
                        count: *n,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
                if tally.no_source > 0 {
                    v.push(Bucket {
                        key: None,
                        count: tally.no_source,
                    });
                }
                v
            }
        })
        .collect();
    let days = tally
        .by_day
        .keys()
        .min()
        .copied()
        .zip(tally.by_day.keys().max().copied());
    Counts {
        total: tally.total,
        buckets,
        days,
    }
}

/// Counts the articles a plan matches as written (every unit, phrase,
/// exclusion and filter), by each of `by`: exactly what a search of the
/// plan counts in `total_hits`, never the articles a relaxed search adds.
pub fn count_plan(searcher: &Searcher, plan: &Plan, by: &[By]) -> Result<Counts> {
    let tally = searcher
        .first_stage()
        .count(plan, by.contains(&By::Source))?;
    Ok(counts(tally, by))
}

/// [`count_plan`] after a search of the plan found `total_hits`
/// articles as written (`None`: not known for sure, as when a cluster
/// answered in part): none found, nothing to count (the server's facets
/// of a question only a relaxed search answers cost as much as planning
/// the query again).
pub fn count_plan_after(
    searcher: &Searcher,
    plan: &Plan,
    by: &[By],
    total_hits: Option<usize>,
) -> Result<Counts> {
    if total_hits == Some(0) {
        return Ok(counts(Tally::default(), by));
    }
    count_plan(searcher, plan, by)
}

/// Counts every article of the index (within `dates`), by each of `by`.
pub fn count_all(searcher: &Searcher, dates: DateRange, by: &[By]) -> Result<Counts> {
    let tally = searcher
        .first_stage()
        .count_all(dates, by.contains(&By::Source))?;
    Ok(counts(tally, by))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_buckets_group_days_and_keep_undated_last() {
        let day = |y: &str| crate::dates::parse_date(y).unwrap_or(0).div_euclid(86_400);
        let mut by_day = HashMap::new();
        by_day.insert(day("2023-07-13"), 2);
        by_day.insert(day("2023-07-30"), 1);
        by_day.insert(day("2022-12-31"), 4);
        let months = time_buckets(&by_day, 3, Period::Month);
        let keys: Vec<_> = months.iter().map(|b| b.key.clone()).collect();
        assert_eq!(
            keys,
            vec![Some("2022-12".into()), Some("2023-07".into()), None]
        );
        assert_eq!(
            months.iter().map(|b| b.count).collect::<Vec<_>>(),
            vec![4, 3, 3]
        );
        let years = time_buckets(&by_day, 0, Period::Year);
        assert_eq!(
            years,
            vec![
                Bucket {
                    key: Some("2022".into()),
                    count: 4
                },
                Bucket {
                    key: Some("2023".into()),
                    count: 3
                }
            ]
        );
    }
}
