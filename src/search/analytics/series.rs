//! Attention over time: the counts of one or several queries as series
//! that line up (the same buckets, in the same order, for every query,
//! empty ones at 0) and, when normalised, each bucket beside the number of
//! articles of that period (or source) in the whole index.
//!
//! The range of time buckets is every period from the `--since` day (else
//! the earliest dated match of any query) to the `--until` day (else the
//! latest). The index-wide counts come from the same first-stage count as
//! the query's ([`super::facets::count_all`]) over every article in the
//! date range, once per searcher and range ([`IndexCounts`]).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use super::facets::{count_all, Bucket, By, Counts};
use crate::search::{DateRange, Searcher};
use anyhow::{bail, Result};

/// Most buckets one series may have (a day series of 270 years).
pub const MAX_BUCKETS: i64 = 100_000;

const DAY: i64 = 86_400;

/// One bucket of a series.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `2024-07`, a source, or `None` for undated (or sourceless) articles.
    pub key: Option<String>,
    /// Matching articles.
    pub count: u64,
    /// Articles in the index in the same bucket (when normalised).
    pub of: Option<u64>,
}

impl Point {
    /// `count / of`; 0 when the bucket is empty in the whole index.
    pub fn share(&self) -> Option<f64> {
        self.of.map(|of| {
            if of == 0 {
                0.0
            } else {
                self.count as f64 / of as f64
            }
        })
    }
}

/// The aligned counts of one query.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Every matching article.
    pub total: u64,
    /// Every article of the index in the date range (when normalised).
    pub of_total: Option<u64>,
    /// The buckets (none when counting without `by`).
    pub buckets: Vec<Point>,
}

type Key = (Option<By>, Option<i64>, Option<i64>);

/// The index-wide counts by bucket, per `by` and date range, kept for the
/// searcher they were counted on (a server keeps one per opened commit).
#[derive(Default)]
pub struct IndexCounts {
    counted: Mutex<HashMap<Key, Arc<Counts>>>,
}

impl IndexCounts {
    /// An empty cache.
    pub fn new() -> IndexCounts {
        IndexCounts::default()
    }

    /// The articles of the whole index in `dates`, by `by`.
    pub fn get(
        &self,
        searcher: &Searcher,
        by: Option<By>,
        dates: DateRange,
    ) -> Result<Arc<Counts>> {
        let key = (by, dates.since, dates.until);
        let lock = || self.counted.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = lock().get(&key) {
            return Ok(c.clone());
        }
        let bys: Vec<By> = by.into_iter().collect();
        let c = Arc::new(count_all(searcher, dates, &bys)?);
        let mut map = lock();
        // Bounded: date ranges typed by hand rarely repeat past a few dozen.
        if map.len() >= 256 {
            map.clear();
        }
        map.insert(key, c.clone());
        Ok(c)
    }
}

/// The keys of the aligned buckets (`None` last for undated articles).
fn aligned_keys(counts: &[Counts], by: By, dates: DateRange) -> Result<Vec<Option<String>>> {
    let buckets = |c: &Counts| c.buckets.first().cloned().unwrap_or_default();
    let mut keys: Vec<Option<String>> = match by.period() {
        Some(p) => {
            let first = dates
                .since
                .map(|s| s.div_euclid(DAY))
                .or_else(|| counts.iter().filter_map(|c| c.days.map(|d| d.0)).min());
            let last = dates
                .until
                .map(|s| s.div_euclid(DAY))
                .or_else(|| counts.iter().filter_map(|c| c.days.map(|d| d.1)).max());
            match first.zip(last) {
                None => Vec::new(),
                Some((a, b)) => {
                    let n = p.span(a, b);
                    if n > MAX_BUCKETS {
                        bail!(
                            "{n} buckets from {} to {}: more than {MAX_BUCKETS}; narrow the dates \
                             or count by a longer period",
                            p.key(a),
                            p.key(b)
                        );
                    }
                    p.keys(a, b).into_iter().map(Some).collect()
                }
            }
        }
        None => {
            let mut sum: HashMap<String, u64> = HashMap::new();
            for c in counts {
                for b in buckets(c) {
                    if let Some(k) = b.key {
                        *sum.entry(k).or_default() += b.count;
                    }
                }
            }
            let mut v: Vec<(String, u64)> = sum.into_iter().collect();
            v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
            v.into_iter().map(|(k, _)| Some(k)).collect()
        }
    };
    let any_none = counts
        .iter()
        .any(|c| buckets(c).iter().any(|b| b.key.is_none() && b.count > 0));
    if any_none {
        keys.push(None);
    }
    Ok(keys)
}

fn lookup(buckets: Option<&Vec<Bucket>>) -> HashMap<Option<&str>, u64> {
    buckets
        .map(|v| v.iter().map(|b| (b.key.as_deref(), b.count)).collect())
        .unwrap_or_default()
}

/// Lines up the counts of several queries (each counted by `by` alone, or
/// by nothing) on the same buckets, each beside the index's count when
/// `of` is given.
pub fn align(
    counts: &[Counts],
    by: Option<By>,
    of: Option<&Counts>,
    dates: DateRange,
) -> Result<Vec<Series>> {
    let keys = match by {
        Some(by) => aligned_keys(counts, by, dates)?,
        None => Vec::new(),
    };
    let of_map = of.map(|c| lookup(c.buckets.first()));
    Ok(counts
        .iter()
        .map(|c| {
            let mine = lookup(c.buckets.first());
            let buckets = keys
                .iter()
                .map(|k| Point {
                    key: k.clone(),
                    count: mine.get(&k.as_deref()).copied().unwrap_or(0),
                    of: of_map
                        .as_ref()
                        .map(|m| m.get(&k.as_deref()).copied().unwrap_or(0)),
                })
                .collect();
            Series {
                total: c.total,
                of_total: of.map(|o| o.total),
                buckets,
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::periods::days_from_civil;

    fn counts(pairs: &[(Option<&str>, u64)], days: Option<(i64, i64)>) -> Counts {
        Counts {
            total: pairs.iter().map(|p| p.1).sum(),
            buckets: vec![pairs
                .iter()
                .map(|(k, n)| Bucket {
                    key: k.map(str::to_string),
                    count: *n,
                })
                .collect()],
            days,
        }
    }

    #[test]
    fn series_line_up_with_empty_buckets_and_shares() {
        let d = |m| days_from_civil(2024, m, 10);
        let a = counts(
            &[(Some("2024-01"), 2), (Some("2024-04"), 1)],
            Some((d(1), d(4))),
        );
        let b = counts(&[(Some("2024-02"), 3), (None, 1)], Some((d(2), d(2))));
        let of = counts(
            &[
                (Some("2024-01"), 10),
                (Some("2024-02"), 30),
                (Some("2024-03"), 5),
                (Some("2024-04"), 4),
                (None, 2),
            ],
            None,
        );
        let s = align(&[a, b], Some(By::Month), Some(&of), DateRange::default()).unwrap();
        let keys: Vec<_> = s[1].buckets.iter().map(|p| p.key.clone()).collect();
        let want = ["2024-01", "2024-02", "2024-03", "2024-04"];
        let mut want: Vec<Option<String>> = want.iter().map(|k| Some(k.to_string())).collect();
        want.push(None);
        assert_eq!(keys, want);
        assert_eq!(
            s[0].buckets.iter().map(|p| p.count).collect::<Vec<_>>(),
            [2, 0, 0, 1, 0]
        );
        assert_eq!(
            s[1].buckets.iter().map(|p| p.count).collect::<Vec<_>>(),
            [0, 3, 0, 0, 1]
        );
        assert_eq!(s[0].buckets[0].share(), Some(0.2));
        assert_eq!(s[0].buckets[3].share(), Some(0.25));
        assert_eq!(s[1].buckets[4].of, Some(2));
        assert_eq!(s[0].of_total, Some(51));
    }

    #[test]
    fn dates_given_set_the_range() {
        let a = counts(&[(Some("2024-02"), 1)], None);
        let dates = DateRange {
            since: Some(days_from_civil(2023, 12, 31) * DAY),
            until: Some(days_from_civil(2024, 3, 1) * DAY + 5),
        };
        let s = align(&[a], Some(By::Month), None, dates).unwrap();
        let keys: Vec<_> = s[0].buckets.iter().filter_map(|p| p.key.clone()).collect();
        assert_eq!(keys, ["2023-12", "2024-01", "2024-02", "2024-03"]);
        assert!(s[0].buckets.iter().all(|p| p.of.is_none()));
        let huge = DateRange {
            since: Some(0),
            until: Some(400 * 366 * DAY),
        };
        let e = align(&[counts(&[], None)], Some(By::Day), None, huge);
        assert!(e.is_err());
    }

    #[test]
    fn sources_are_the_union_by_falling_count() {
        let a = counts(&[(Some("甲报"), 1), (Some("乙报"), 2)], None);
        let b = counts(&[(Some("丙报"), 5)], None);
        let s = align(&[a, b], Some(By::Source), None, DateRange::default()).unwrap();
        let keys: Vec<_> = s[0].buckets.iter().filter_map(|p| p.key.clone()).collect();
        assert_eq!(keys, ["丙报", "乙报", "甲报"]);
        assert_eq!(s[1].buckets[2].count, 0);
    }
}
