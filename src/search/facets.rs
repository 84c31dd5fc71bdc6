//! Counting matching articles by day, week, month, year or source.
//!
//! One pass over every article a query matches (not only a page of hits):
//! the date comes from the date fast field and the source from the
//! `source_key` terms, so no stored document is decompressed. The search
//! page's filters and timeline, the HTTP API's facets and `newsidx count
//! --by` all come from [`count`], so they always agree.
//!
//! Buckets always add up to the number of matching articles: articles
//! without a date (or a source) are counted in a bucket whose key is
//! `None` (`null` in JSON).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::query::Query;
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocId, DocSet, Score, SegmentOrdinal, SegmentReader, TERMINATED};

use crate::index::schema::names;

use super::periods::Period;
use super::{Plan, Searcher};

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

/// The source of every document of one segment, as an ordinal into
/// `names` (`u32::MAX` when it has none).
struct SegmentSources {
    ord: Vec<u32>,
    names: Vec<String>,
}

impl SegmentSources {
    fn build(segment: &SegmentReader, field: Field) -> Result<SegmentSources> {
        let inv = segment.inverted_index(field)?;
        let mut ord = vec![u32::MAX; segment.max_doc() as usize];
        let mut names = Vec::new();
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            let Ok(name) = std::str::from_utf8(stream.key()) else {
                continue;
            };
            let Ok(o) = u32::try_from(names.len()) else {
                break;
            };
            let mut postings =
                inv.read_postings_from_terminfo(stream.value(), IndexRecordOption::Basic)?;
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if let Some(slot) = ord.get_mut(doc as usize) {
                    *slot = o;
                }
                doc = postings.advance();
            }
            names.push(name.to_string());
        }
        Ok(SegmentSources { ord, names })
    }
}

/// The per-segment source tables, built on first use and kept for the
/// segments of one reader. A long-lived caller (the server) keeps one per
/// opened index; a one-shot caller makes a fresh one.
#[derive(Default)]
pub struct SourceCache {
    segments: Mutex<HashMap<SegmentId, Arc<SegmentSources>>>,
}

impl SourceCache {
    /// An empty cache.
    pub fn new() -> SourceCache {
        SourceCache::default()
    }

    fn get(&self, segment: &SegmentReader, field: Field) -> Result<Arc<SegmentSources>> {
        let id = segment.segment_id();
        if let Some(s) = self.lock().get(&id) {
            return Ok(s.clone());
        }
        // Built outside the lock: two searches may build the same table
        // once each, but never wait for each other.
        let built = Arc::new(SegmentSources::build(segment, field)?);
        self.lock().insert(id, built.clone());
        Ok(built)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<SegmentId, Arc<SegmentSources>>> {
        // A panic while holding the lock cannot leave the map half
        // written (inserts are single calls): go on with it.
        self.segments
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

const DAY: i64 = 86_400;

/// Collects, per segment, the matching documents' days and source ordinals.
struct FacetCollector<'a> {
    field: Field,
    sources: Option<&'a SourceCache>,
}

struct FacetSegment {
    dates: Option<Column<tantivy::DateTime>>,
    sources: Option<Arc<SegmentSources>>,
    by_day: HashMap<i64, u64>,
    undated: u64,
    by_source: Vec<u64>,
    no_source: u64,
    total: u64,
}

/// What one segment counted, with source ordinals already named.
struct SegmentFruit {
    by_day: HashMap<i64, u64>,
    undated: u64,
    by_source: Vec<(String, u64)>,
    no_source: u64,
    total: u64,
}

impl Collector for FacetCollector<'_> {
    type Fruit = SegmentFruit;
    type Child = FacetSegment;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<FacetSegment> {
        let sources = match self.sources {
            Some(cache) => Some(
                cache
                    .get(segment, self.field)
                    .map_err(|e| tantivy::TantivyError::InternalError(format!("{e:#}")))?,
            ),
            None => None,
        };
        let n = sources.as_ref().map_or(0, |s| s.names.len());
        Ok(FacetSegment {
            dates: segment.fast_fields().date(names::DATE).ok(),
            sources,
            by_day: HashMap::new(),
            undated: 0,
            by_source: vec![0; n],
            no_source: 0,
            total: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<SegmentFruit> {
        let mut out = SegmentFruit {
            by_day: HashMap::new(),
            undated: 0,
            by_source: Vec::new(),
            no_source: 0,
            total: 0,
        };
        let mut sources: HashMap<String, u64> = HashMap::new();
        for f in fruits {
            for (d, n) in f.by_day {
                *out.by_day.entry(d).or_default() += n;
            }
            for (s, n) in f.by_source {
                *sources.entry(s).or_default() += n;
            }
            out.undated += f.undated;
            out.no_source += f.no_source;
            out.total += f.total;
        }
        out.by_source = sources.into_iter().collect();
        Ok(out)
    }
}

impl SegmentCollector for FacetSegment {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, _: Score) {
        self.total += 1;
        match self.dates.as_ref().and_then(|c| c.first(doc)) {
            Some(d) => {
                *self
                    .by_day
                    .entry(d.into_timestamp_secs().div_euclid(DAY))
                    .or_default() += 1
            }
            None => self.undated += 1,
        }
        if let Some(s) = &self.sources {
            match s.ord.get(doc as usize).copied() {
                Some(o) if o != u32::MAX => self.by_source[o as usize] += 1,
                _ => self.no_source += 1,
            }
        }
    }

    fn harvest(self) -> SegmentFruit {
        let by_source = match &self.sources {
            Some(s) => self
                .by_source
                .iter()
                .zip(&s.names)
                .filter(|(n, _)| **n > 0)
                .map(|(n, name)| (name.clone(), *n))
                .collect(),
            None => Vec::new(),
        };
        SegmentFruit {
            by_day: self.by_day,
            undated: self.undated,
            by_source,
            no_source: self.no_source,
            total: self.total,
        }
    }
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

/// Counts the articles `query` matches in `searcher`'s index, by each of
/// `by`. `cache` keeps the source tables between calls (pass a fresh
/// [`SourceCache`] for a single call).
pub fn count(
    searcher: &Searcher,
    query: &dyn Query,
    by: &[By],
    cache: &SourceCache,
) -> Result<Counts> {
    let want_sources = by.contains(&By::Source);
    let collector = FacetCollector {
        field: searcher.store().fields.source_key,
        sources: want_sources.then_some(cache),
    };
    let fruit = searcher.reader().searcher().search(query, &collector)?;
    let buckets = by
        .iter()
        .map(|b| match b.period() {
            Some(p) => time_buckets(&fruit.by_day, fruit.undated, p),
            None => {
                let mut v: Vec<Bucket> = fruit
                    .by_source
                    .iter()
                    .map(|(k, n)| Bucket {
                        key: Some(k.clone()),
                        count: *n,
                    })
                    .collect();
                v.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.key.cmp(&b.key)));
                if fruit.no_source > 0 {
                    v.push(Bucket {
                        key: None,
                        count: fruit.no_source,
                    });
                }
                v
            }
        })
        .collect();
    let days = fruit
        .by_day
        .keys()
        .min()
        .copied()
        .zip(fruit.by_day.keys().max().copied());
    Ok(Counts {
        total: fruit.total,
        buckets,
        days,
    })
}

/// Counts the articles a plan matches as written (every unit, phrase,
/// exclusion and filter): exactly what a search of the plan counts in
/// `total_hits`, never the articles a relaxed search adds.
pub fn count_plan(
    searcher: &Searcher,
    plan: &Plan,
    by: &[By],
    cache: &SourceCache,
) -> Result<Counts> {
    count(searcher, &*plan.query(plan.unit_count()), by, cache)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn time_buckets_group_days_and_keep_undated_last() {
        let day = |y: &str| crate::dates::parse_date(y).unwrap_or(0).div_euclid(DAY);
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
