//! The local index's facet counts: one pass over every article a query
//! matches, the date from the date fast field and the source from the
//! `source_key` terms (per-segment tables, built once and kept in a
//! [`SourceCache`]), so no stored document is decompressed.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use anyhow::Result;
use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::index::SegmentId;
use tantivy::query::{AllQuery, Query, RangeQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DateTime, DocId, DocSet, Score, SegmentOrdinal, SegmentReader, Term, TERMINATED};

use crate::index::schema::names;
use crate::search::analytics::facets::Tally;
use crate::search::DateRange;

/// Counts the articles `query` matches in `searcher` by day, and by
/// source (through `cache`) when `sources`.
pub(super) fn count(
    searcher: &tantivy::Searcher,
    query: &dyn Query,
    field: Field,
    sources: Option<&SourceCache>,
) -> Result<Tally> {
    let collector = FacetCollector { field, sources };
    Ok(searcher.search(query, &collector)?)
}

/// Every article in `dates`: what an empty query with the same date
/// filter would match.
pub(super) fn all_docs(date: Field, dates: DateRange) -> Box<dyn Query> {
    if dates.since.is_none() && dates.until.is_none() {
        return Box::new(AllQuery);
    }
    let b = |v: Option<i64>| match v {
        None => std::ops::Bound::Unbounded,
        Some(s) => std::ops::Bound::Included(Term::from_field_date(
            date,
            DateTime::from_timestamp_secs(s),
        )),
    };
    Box::new(RangeQuery::new(b(dates.since), b(dates.until)))
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
/// segments of one searcher (each [`super::Local`] has one).
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

impl Collector for FacetCollector<'_> {
    type Fruit = Tally;
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

    fn merge_fruits(&self, fruits: Vec<Tally>) -> tantivy::Result<Tally> {
        let mut out = Tally::default();
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
    type Fruit = Tally;

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

    fn harvest(self) -> Tally {
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
        Tally {
            by_day: self.by_day,
            undated: self.undated,
            by_source,
            no_source: self.no_source,
            total: self.total,
        }
    }
}
