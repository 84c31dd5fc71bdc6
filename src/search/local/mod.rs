//! The first stage over the local tantivy index: one implementation of
//! [`FirstStage`].
//!
//! [`Local`] holds one tantivy searcher (one commit, never reloaded: a
//! newer commit is a new [`crate::search::Searcher`]), the field handles
//! and the facets' source tables. Ranking is in [`rank`] (BM25 with each
//! view's length normalisation, [`lengthnorm`]; verbatim tiers,
//! [`verbatim`]), counting in [`facets`] and [`terms`], the enumeration of
//! matches and the stored fields here. A [`DocRef`] is the document's
//! address, its segment and number packed into one `u64`, so that refs
//! order as addresses do.

mod best;
pub mod bound;
mod dense;
pub mod facets;
mod lazy;
pub mod lengthnorm;
pub mod parallel;
mod phrase_terms;
mod pruned;
mod rank;
pub mod terms;
pub mod verbatim;

use anyhow::Result;
use tantivy::collector::{Count, DocSetCollector, TopDocs};
use tantivy::columnar::Column;
use tantivy::query::{EnableScoring, TermQuery};
use tantivy::schema::{Field, IndexRecordOption, Value};
use tantivy::{DocAddress, DocSet, TantivyDocument, TERMINATED};

use crate::analysis::query::Vocabulary;
use crate::dates::format_ymd;
use crate::index::schema::names;
use crate::index::{Fields, Store};
use crate::kept::Kept;
use crate::search::analytics::facets::Tally;
use crate::search::analytics::terms::TermKind;
use crate::search::collapse::Stamp;
use crate::search::first_stage::{DocRef, FirstStage, Query, Ranked, Stored, TermTally, TextField};
use crate::search::plan::substring::substring_query;
use crate::search::{DateRange, Plan};
use facets::SourceCache;

/// The first stage over one commit of the local index.
pub struct Local {
    searcher: tantivy::Searcher,
    fields: Fields,
    sources: SourceCache,
    /// Why `terms` cannot run on this index, when it cannot.
    no_terms: Option<String>,
    /// The index's folder (its word vocabulary, read by `terms`).
    dir: std::path::PathBuf,
    /// Each segment's simhash and date columns, opened once (collapsing
    /// asks for the stamps of every candidate).
    stamps: Vec<StampColumns>,
    /// Documents read, kept for the searches that follow.
    read: Kept<DocRef, Stored>,
}

/// Bytes of documents [`Local::stored`] keeps (emptied when full): the
/// same articles come back in the candidates of searches alike, and
/// reading one (the store block, its fields, their copies) cost more
/// than its features.
const READ_CACHE_BYTES: usize = 32 << 20;

/// The bytes [`Local::stored`] counts for `doc` against
/// [`READ_CACHE_BYTES`].
fn stored_size(doc: &Stored) -> usize {
    let opt = |s: &Option<String>| s.as_ref().map_or(0, String::len);
    128 + doc.id.len()
        + doc.title.len()
        + doc.body.len()
        + doc.path.len()
        + opt(&doc.date)
        + opt(&doc.source)
        + opt(&doc.author)
        + opt(&doc.url)
}

/// The fast-field columns of a segment that make a [`Stamp`].
struct StampColumns {
    simhash: Option<Column<u64>>,
    date: Option<Column<tantivy::DateTime>>,
}

/// The ref of a document address.
fn doc_ref(a: DocAddress) -> DocRef {
    DocRef((u64::from(a.segment_ord) << 32) | u64::from(a.doc_id))
}

/// The address of a ref.
fn addr(d: DocRef) -> DocAddress {
    DocAddress::new((d.0 >> 32) as u32, d.0 as u32)
}

/// The text of the first value of `f` in `doc`, if any.
fn text_of(doc: &TantivyDocument, f: Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Local {
    /// The first stage over the commit of `store` its reader sees now.
    pub fn open(store: &Store) -> Result<Local> {
        let searcher = store.reader()?.searcher();
        let stamps = searcher
            .segment_readers()
            .iter()
            .map(|segment| {
                let fast = segment.fast_fields();
                StampColumns {
                    simhash: fast.u64(names::SIMHASH).ok(),
                    date: fast.date(names::DATE).ok(),
                }
            })
            .collect();
        Ok(Local {
            searcher,
            stamps,
            read: Kept::new(READ_CACHE_BYTES),
            fields: store.fields,
            sources: SourceCache::new(),
            no_terms: store.require_entities().err().map(|e| format!("{e:#}")),
            dir: store.dir.clone(),
        })
    }

    /// The stored fields of a loaded document.
    fn stored_of(&self, doc: &TantivyDocument) -> Stored {
        let f = self.fields;
        Stored {
            id: text_of(doc, f.id).unwrap_or_default(),
            title: text_of(doc, f.title).unwrap_or_default(),
            body: text_of(doc, f.body).unwrap_or_default(),
            date: doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| format_ymd(d.into_timestamp_secs())),
            source: text_of(doc, f.source),
            author: text_of(doc, f.author),
            url: text_of(doc, f.url),
            path: text_of(doc, f.path).unwrap_or_default(),
        }
    }

    fn field(&self, field: TextField) -> Field {
        match field {
            TextField::TitleWords => self.fields.title,
            TextField::BodyWords => self.fields.body,
            TextField::BodyBigrams => self.fields.body_bg,
        }
    }

    fn term_freq(&self, field: Field, text: &str) -> u64 {
        self.searcher
            .doc_freq(&tantivy::Term::from_field_text(field, text))
            .unwrap_or(0)
    }
}

impl Vocabulary for Local {
    /// True when some article has `w` as a jieba word of its title or body.
    fn is_word(&self, w: &str) -> bool {
        let f = self.fields;
        [f.body, f.title]
            .into_iter()
            .any(|field| self.term_freq(field, w) > 0)
    }

    /// True when some article's title or body contains `w` verbatim.
    fn occurs(&self, w: &str) -> bool {
        let f = self.fields;
        [f.body_bg, f.title_bg].into_iter().any(|field| {
            substring_query(field, w)
                .is_some_and(|q| self.searcher.search(&*q, &Count).is_ok_and(|n| n > 0))
        })
    }
}

impl FirstStage for Local {
    fn num_docs(&self) -> u64 {
        self.searcher.num_docs()
    }

    fn doc_freq(&self, field: TextField, text: &str) -> u64 {
        self.term_freq(self.field(field), text)
    }

    fn top(&self, q: Query<'_>) -> Result<Ranked> {
        self.rank(q)
    }

    fn marks(&self, plan: &Plan, docs: &[DocRef]) -> Result<Vec<Option<(usize, usize)>>> {
        let marks = verbatim::Marks::new(&self.searcher, plan)?;
        let addrs: Vec<DocAddress> = docs.iter().map(|&d| addr(d)).collect();
        marks.of(&self.searcher, &addrs)
    }

    fn stored(&self, doc: DocRef) -> Result<Stored> {
        if let Some(d) = self.read.get(&doc) {
            return Ok(d);
        }
        let d: TantivyDocument = self.searcher.doc(addr(doc))?;
        let stored = self.stored_of(&d);
        self.read.keep(doc, stored.clone(), stored_size(&stored));
        Ok(stored)
    }

    fn stamp(&self, doc: DocRef) -> Stamp {
        let a = addr(doc);
        let Some(cols) = self.stamps.get(a.segment_ord as usize) else {
            return Stamp {
                simhash: 0,
                date: None,
            };
        };
        Stamp {
            simhash: cols
                .simhash
                .as_ref()
                .and_then(|col| col.first(a.doc_id))
                .unwrap_or(0),
            date: cols
                .date
                .as_ref()
                .and_then(|col| col.first(a.doc_id))
                .map(|d| d.into_timestamp_secs()),
        }
    }

    fn find(&self, id: &str) -> Result<Option<DocRef>> {
        let term = tantivy::Term::from_field_text(self.fields.id, id);
        let query = TermQuery::new(term, IndexRecordOption::Basic);
        let top = self
            .searcher
            .search(&query, &TopDocs::with_limit(1).order_by_score())?;
        Ok(top.first().map(|(_, a)| doc_ref(*a)))
    }

    fn count(&self, plan: &Plan, sources: bool) -> Result<Tally> {
        let query = plan.query(plan.unit_count());
        let cache = sources.then_some(&self.sources);
        facets::count(&self.searcher, &*query, self.fields.source_key, cache)
    }

    fn count_all(&self, dates: DateRange, sources: bool) -> Result<Tally> {
        let query = facets::all_docs(self.fields.date, dates);
        let cache = sources.then_some(&self.sources);
        facets::count(&self.searcher, &*query, self.fields.source_key, cache)
    }

    fn matching(&self, plan: &Plan) -> Result<Vec<DocRef>> {
        let query = plan.query(plan.unit_count());
        let found = self.searcher.search(&*query, &DocSetCollector)?;
        let mut all: Vec<DocRef> = found.into_iter().map(doc_ref).collect();
        all.sort();
        Ok(all)
    }

    fn for_each_match(
        &self,
        plan: &Plan,
        each: &mut dyn FnMut(Stored) -> Result<bool>,
    ) -> Result<()> {
        let s = &self.searcher;
        let query = plan.query(plan.unit_count());
        let weight = query.weight(EnableScoring::disabled_from_searcher(s))?;
        for segment in s.segment_readers() {
            let alive = segment.alive_bitset();
            // A store reader of its own, keeping the one block being read:
            // the searcher's shared cache (which a long enumeration would
            // fill to its bound, and whose blocks the server's searches
            // reuse) is left alone. Matching documents come in order, so
            // blocks are read once.
            let store = segment.get_store_reader(1)?;
            let mut scorer = weight.scorer(segment, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                if alive.is_none_or(|a| a.is_alive(doc)) {
                    let d: TantivyDocument = store.get(doc)?;
                    if !each(self.stored_of(&d))? {
                        return Ok(());
                    }
                }
                doc = scorer.advance();
            }
        }
        Ok(())
    }

    fn require_terms(&self, _: TermKind) -> Result<()> {
        match &self.no_terms {
            Some(why) => anyhow::bail!("{why}"),
            None => Ok(()),
        }
    }

    fn term_counts(&self, kind: TermKind, kept: &[DocRef], all: &[DocRef]) -> Result<TermTally> {
        let kept: Vec<DocAddress> = kept.iter().map(|&d| addr(d)).collect();
        let all: Vec<DocAddress> = all.iter().map(|&d| addr(d)).collect();
        let mut tally = TermTally::new();
        match kind {
            TermKind::Word => {
                terms::count_words(&self.searcher, &self.dir, &kept, &all, &mut tally)?
            }
            _ => terms::count_segments(&self.searcher, kind, &kept, &all, &mut tally)?,
        }
        Ok(tally)
    }
}
