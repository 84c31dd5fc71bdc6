//! Searching an index: query → ranked, collapsed hits with passages.
//!
//! [`Searcher::search`] returns plain serialisable [`Hits`]; printers and the
//! evaluator call the same code.

pub mod answer;
pub mod dedup;
pub mod passage;
pub mod proximity;
pub mod query;
pub mod stopwords;
pub mod syntax;

use std::collections::hash_map::Entry;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Order, TantivyDocument};

use crate::corpus::date::format_ymd;
use crate::index::schema::names;
use crate::index::Store;
pub use passage::Passage;
pub use query::{DateRange, Plan, Weights};

/// How to order results.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest first.
    Date,
}

/// Options of one search.
#[derive(Debug, Clone)]
pub struct SearchOptions {
    /// Hits to return.
    pub limit: usize,
    /// Hits to skip.
    pub offset: usize,
    /// Order.
    pub sort: Sort,
    /// Date filter.
    pub dates: DateRange,
    /// Collapse near-duplicates.
    pub collapse: bool,
    /// Passages per hit (0 = none).
    pub passages: usize,
    /// Relax "all words" of keywords when fewer than this many articles
    /// match them all (0 = never relax), whatever page is asked for, so
    /// that every page of a query comes from the same result list. A
    /// relaxed search requires [`relax_floor`] of the units at once and
    /// lets the coverage bonus put articles with more of them first. A
    /// natural-language question ([`Plan::is_question`]) is relaxed below
    /// the re-ranking depth ([`Weights::rerank_depth`]) when that is more,
    /// so that the re-ranking has a full set of candidates; a search by
    /// date only when nothing matches every word (a date order has no
    /// coverage bonus to keep full matches first).
    pub relax_below: usize,
    /// Ranking weights.
    pub weights: Weights,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            dates: DateRange::default(),
            collapse: true,
            passages: 3,
            relax_below: 10,
            weights: Weights::default(),
        }
    }
}

/// One ranked article.
#[derive(Debug, Clone, Serialize)]
pub struct Hit {
    /// 1-based rank.
    pub rank: usize,
    /// Relevance score (absent when sorted by date).
    pub score: Option<f32>,
    /// Article id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Highlights in the title (byte ranges).
    pub title_highlights: Vec<[usize; 2]>,
    /// `YYYY-MM-DD`.
    pub date: Option<String>,
    /// Source.
    pub source: Option<String>,
    /// Author.
    pub author: Option<String>,
    /// Original address.
    pub url: Option<String>,
    /// File it was read from.
    pub path: String,
    /// Best passages, best first.
    pub passages: Vec<Passage>,
    /// Ids of near-duplicates collapsed into this hit.
    pub duplicates: Vec<String>,
}

/// The result of a search.
#[derive(Debug, Clone, Serialize)]
pub struct Hits {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Every article that matched (before collapsing and paging).
    pub total_hits: usize,
    /// Query units required for a match, when relaxed below all of them.
    pub relaxed: Option<(usize, usize)>,
    /// Articles that match every query unit (equals `total_hits` unless relaxed).
    pub all_words_hits: usize,
}

/// Ranked candidates: score (absent when sorted by date) and address.
type Ranked = Vec<(Option<f32>, DocAddress)>;

/// What the first stage found.
struct Retrieved {
    /// The candidates, best first.
    ranked: Ranked,
    /// Every article that matched.
    total: usize,
    /// Units required, of all, when relaxed.
    relaxed: Option<(usize, usize)>,
    /// Articles that match every unit.
    all_words_hits: usize,
}

/// The fewest units a relaxed search of `n` units requires: one. The
/// coverage bonus ([`Weights::coord`]) still ranks articles with more of
/// the words first. Requiring half of them instead (so that a query whose
/// words mostly do not occur finds nothing) cost 0.04 MRR@10 on DRCD and
/// 0.03 on DuReader (BENCHMARKS.md, "Search quality"): a question's answer
/// passage often has only its two rarest words.
pub fn relax_floor(n: usize) -> usize {
    n.min(1)
}

/// Number of articles whose `field` has the term `text` (0 on a read error).
fn doc_freq(searcher: &tantivy::Searcher, field: tantivy::schema::Field, text: &str) -> u64 {
    searcher
        .doc_freq(&tantivy::Term::from_field_text(field, text))
        .unwrap_or(0)
}

impl query::Vocabulary for Searcher {
    /// True when some article has `w` as a jieba word of its title or body.
    fn is_word(&self, w: &str) -> bool {
        let searcher = self.reader.searcher();
        let f = self.store.fields;
        [f.body, f.title]
            .into_iter()
            .any(|field| doc_freq(&searcher, field, w) > 0)
    }

    /// True when some article's title or body contains `w` verbatim.
    fn occurs(&self, w: &str) -> bool {
        let searcher = self.reader.searcher();
        let f = self.store.fields;
        [f.body_bg, f.title_bg].into_iter().any(|field| {
            query::substring_query(field, w)
                .is_some_and(|q| searcher.search(&*q, &Count).is_ok_and(|n| n > 0))
        })
    }
}

/// A kept hit: score, address, and the addresses of its copies.
type Kept = (Option<f32>, DocAddress, Vec<DocAddress>);

/// What the collapsing learnt of the documents it read: their shingles
/// and ids (the ids of copies are shown under their hit).
#[derive(Default)]
struct Copies {
    shingles: std::collections::HashMap<DocAddress, Vec<u64>>,
    ids: std::collections::HashMap<DocAddress, String>,
}

/// A searcher over one index.
pub struct Searcher {
    store: Store,
    reader: IndexReader,
}

/// The fingerprint and date of an article, from the fast fields (no stored
/// document is decompressed).
fn stamp_of(searcher: &tantivy::Searcher, addr: DocAddress) -> dedup::Stamp {
    let fast = searcher.segment_reader(addr.segment_ord).fast_fields();
    dedup::Stamp {
        simhash: fast
            .u64(names::SIMHASH)
            .ok()
            .and_then(|col| col.first(addr.doc_id))
            .unwrap_or(0),
        date: fast
            .date(names::DATE)
            .ok()
            .and_then(|col| col.first(addr.doc_id))
            .map(|d| d.into_timestamp_secs()),
    }
}

fn text_of(doc: &TantivyDocument, f: tantivy::schema::Field) -> Option<String> {
    doc.get_first(f)
        .and_then(|v| v.as_str())
        .map(str::to_string)
}

impl Searcher {
    /// Opens the index at `dir` for searching.
    pub fn open(dir: &Path) -> Result<Searcher> {
        let store = Store::open(dir)?;
        let reader = store.reader()?;
        Ok(Searcher { store, reader })
    }

    /// The store behind this searcher.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// Plans `q` (parsed) for this index.
    pub fn plan(&self, parsed: &syntax::Parsed, opts: &SearchOptions) -> Plan {
        Plan::new(
            parsed,
            &self.store.fields,
            &self.store.seg,
            opts.weights,
            opts.dates,
            Some(self),
        )
    }

    /// Runs the query string `q`.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> Result<Hits> {
        let parsed = syntax::parse(q).map_err(|e| anyhow::anyhow!("query {q:?}: {e}"))?;
        let plan = self.plan(&parsed, opts);
        self.run(&plan, opts)
    }

    /// Runs a plan.
    pub fn run(&self, plan: &Plan, opts: &SearchOptions) -> Result<Hits> {
        let searcher = self.reader.searcher();
        let f = self.store.fields;
        let want = opts.offset.saturating_add(opts.limit);
        // Documents read for the re-ranking and the collapsing, kept for
        // the hits; the ids of copies.
        let mut loaded = std::collections::HashMap::new();
        let mut copies = Copies::default();
        let mut at_least = 0;
        // Collapsing may leave fewer hits than asked: fetch more until the
        // page is full or every match has been seen, so that no page comes
        // up short and the next one never skips a hit.
        let (kept, total, relaxed, all_words_hits) = loop {
            let Retrieved {
                mut ranked,
                total,
                relaxed,
                all_words_hits,
            } = self.retrieve(&searcher, plan, opts, at_least)?;
            if opts.sort == Sort::Relevance {
                self.rerank(&searcher, plan, &mut ranked, &mut loaded)?;
            }
            let fetched = ranked.len();
            let kept = if opts.collapse {
                self.collapse(&searcher, ranked, want, &mut loaded, &mut copies)?
            } else {
                ranked
                    .into_iter()
                    .map(|(s, a)| (s, a, Vec::new()))
                    .collect()
            };
            if kept.len() >= want || fetched >= total || fetched < at_least {
                break (kept, total, relaxed, all_words_hits);
            }
            at_least = fetched.saturating_mul(2);
        };
        let mut hits = Vec::new();
        let weights = vec![1.0; plan.highlights.len()];
        for (i, (score, addr, dups)) in kept
            .into_iter()
            .enumerate()
            .skip(opts.offset)
            .take(opts.limit)
        {
            let doc: TantivyDocument = match loaded.remove(&addr) {
                Some(d) => d,
                None => searcher.doc(addr)?,
            };
            let title = text_of(&doc, f.title).unwrap_or_default();
            let body = text_of(&doc, f.body).unwrap_or_default();
            let date = doc
                .get_first(f.date)
                .and_then(|v| v.as_datetime())
                .map(|d| format_ymd(d.into_timestamp_secs()));
            let mut duplicates = Vec::new();
            for d in dups {
                let id = match copies.ids.get(&d) {
                    Some(id) => id.clone(),
                    None => {
                        let dd: TantivyDocument = searcher.doc(d)?;
                        text_of(&dd, f.id).unwrap_or_default()
                    }
                };
                duplicates.push(id);
            }
            hits.push(Hit {
                rank: i + 1,
                score,
                id: text_of(&doc, f.id).unwrap_or_default(),
                title_highlights: passage::highlight(&title, &plan.highlights),
                title,
                date,
                source: text_of(&doc, f.source),
                author: text_of(&doc, f.author),
                url: text_of(&doc, f.url),
                path: text_of(&doc, f.path).unwrap_or_default(),
                passages: if opts.passages > 0 {
                    passage::best_passages(&body, &plan.highlights, &weights, opts.passages)
                } else {
                    Vec::new()
                },
                duplicates,
            });
        }
        Ok(Hits {
            hits,
            total_hits: total,
            relaxed,
            all_words_hits,
        })
    }

    /// Collapses near-duplicates in `ranked`: the first of each group is
    /// kept, with the others as its copies; each article is compared with
    /// the [`dedup::NEIGHBOURS`] kept hits ranked nearest above it. Bodies are read only for pairs
    /// whose stamps allow copies ([`dedup::may_be_copies`]); a document
    /// that may be shown (among the first `shown` kept) stays in `loaded`.
    fn collapse(
        &self,
        searcher: &tantivy::Searcher,
        ranked: Ranked,
        shown: usize,
        loaded: &mut std::collections::HashMap<DocAddress, TantivyDocument>,
        copies: &mut Copies,
    ) -> Result<Vec<Kept>> {
        let f = self.store.fields;
        let mut kept: Vec<Kept> = Vec::new();
        let mut stamps: Vec<dedup::Stamp> = Vec::new();
        for (score, addr) in ranked {
            let stamp = stamp_of(searcher, addr);
            let mut copy_of = None;
            // Copies rank close to each other (same words, dates within a
            // week): the nearest kept hits are enough, and a long page of
            // templated reports costs linear, not quadratic, time.
            for (i, k) in kept.iter().enumerate().rev().take(dedup::NEIGHBOURS) {
                if !dedup::may_be_copies(stamps[i], stamp) {
                    continue;
                }
                // `addr` would be kept at position `kept.len()`.
                for (a, at) in [(k.1, i), (addr, kept.len())] {
                    if let Entry::Vacant(slot) = copies.shingles.entry(a) {
                        let doc = match loaded.remove(&a) {
                            Some(d) => d,
                            None => searcher.doc(a)?,
                        };
                        let body = text_of(&doc, f.body).unwrap_or_default();
                        slot.insert(dedup::shingles(&body));
                        copies
                            .ids
                            .insert(a, text_of(&doc, f.id).unwrap_or_default());
                        if at < shown {
                            loaded.insert(a, doc);
                        }
                    }
                }
                if let (Some(x), Some(y)) = (copies.shingles.get(&k.1), copies.shingles.get(&addr))
                {
                    if dedup::same_text(x, y) {
                        copy_of = Some(i);
                        break;
                    }
                }
            }
            match copy_of {
                Some(i) => kept[i].2.push(addr),
                None => {
                    stamps.push(stamp);
                    kept.push((score, addr, Vec::new()));
                }
            }
        }
        Ok(kept)
    }

    /// The first stage: the ranked candidates of a plan (relaxed when too
    /// few articles have every unit), the number of matches, the
    /// relaxation and the number of articles with every unit.
    fn retrieve(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        opts: &SearchOptions,
        at_least: usize,
    ) -> Result<Retrieved> {
        let n = plan.unit_count();
        // Never ask for more candidates than the index holds (a huge -n or
        // --offset must not allocate for them or overflow).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let want = opts.offset.saturating_add(opts.limit);
        let fetch = if opts.collapse {
            want.saturating_mul(2).saturating_add(10)
        } else {
            want
        }
        // The re-ranked candidates are always fetched, so that pages agree.
        .max(if opts.sort == Sort::Relevance {
            opts.weights.rerank_depth
        } else {
            0
        })
        .max(at_least)
        .min(docs)
        .max(1);
        // Rank and count in one pass over the matches.
        let rank = |query: &dyn tantivy::query::Query| -> Result<(Ranked, usize)> {
            Ok(match opts.sort {
                Sort::Relevance => {
                    let (top, count) = searcher
                        .search(query, &(TopDocs::with_limit(fetch).order_by_score(), Count))?;
                    (top.into_iter().map(|(s, a)| (Some(s), a)).collect(), count)
                }
                Sort::Date => {
                    let by_date = TopDocs::with_limit(fetch)
                        .order_by_fast_field::<tantivy::DateTime>("date", Order::Desc);
                    let (top, count) = searcher.search(query, &(by_date, Count))?;
                    (top.into_iter().map(|(_, a)| (None, a)).collect(), count)
                }
            })
        };
        let mut min_units = n;
        let (mut ranked, mut total) = rank(&*plan.query(min_units))?;
        let all_words_hits = total;
        let need = match opts.sort {
            Sort::Date => 1,
            Sort::Relevance if plan.is_question => {
                opts.relax_below.max(plan.weights().rerank_depth)
            }
            Sort::Relevance => opts.relax_below,
        };
        // Relax in one step to the floor, not one unit at a time: stepping
        // down stops at the first level where enough long articles match
        // the common words, and hides the passage that has the rare ones.
        let floor = relax_floor(n);
        if opts.relax_below > 0 && total < need && min_units > floor {
            min_units = floor;
            (ranked, total) = rank(&*plan.query(min_units))?;
        }
        let relaxed = (min_units < n).then_some((min_units, n));
        Ok(Retrieved {
            ranked,
            total,
            relaxed,
            all_words_hits,
        })
    }

    /// Re-ranks the top candidates by proximity (see [`proximity`]).
    /// The documents it reads go into `loaded`.
    fn rerank(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        ranked: &mut Ranked,
        loaded: &mut std::collections::HashMap<DocAddress, TantivyDocument>,
    ) -> Result<()> {
        let w = plan.weights();
        let depth = ranked.len().min(w.rerank_depth);
        if depth < 2 {
            return Ok(());
        }
        let Some(features) = self.features(searcher, plan, &ranked[..depth])? else {
            return Ok(());
        };
        let top = ranked[..depth]
            .iter()
            .filter_map(|(s, _)| *s)
            .fold(0.0f32, f32::max);
        for ((score, addr), (doc, x)) in ranked[..depth].iter_mut().zip(features) {
            if let Some(s) = score {
                *s += w.rerank_bonus(&x) * top;
            }
            loaded.insert(*addr, doc);
        }
        ranked[..depth].sort_by(|a, b| b.0.unwrap_or(0.0).total_cmp(&a.0.unwrap_or(0.0)));
        // The length weight is negative: lift the re-ranked scores as a
        // block so that none falls below the first one not re-ranked (nor
        // below 0), and scores still fall with the rank.
        let floor = ranked.get(depth).and_then(|r| r.0).unwrap_or(0.0).max(0.0);
        let lowest = ranked[depth - 1].0.unwrap_or(0.0);
        if lowest < floor {
            for (s, _) in ranked[..depth].iter_mut() {
                if let Some(s) = s {
                    *s += floor - lowest;
                }
            }
        }
        Ok(())
    }

    /// The re-ranking features of `candidates`, with their documents; none
    /// when the query has no word to weigh.
    fn features(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        candidates: &[(Option<f32>, DocAddress)],
    ) -> Result<Option<Vec<(TantivyDocument, proximity::Features)>>> {
        if plan.words.is_empty() {
            return Ok(None);
        }
        let f = self.store.fields;
        let docs = searcher.num_docs();
        let word_df = |word: &str| -> u64 {
            let df = doc_freq(searcher, f.body, word);
            if df > 0 {
                return df;
            }
            // Not a word of the index: its rarest bigram bounds how rare it is.
            crate::analysis::bigram::query_terms(word)
                .iter()
                .filter(|t| crate::analysis::bigram::is_word_token(t))
                .map(|t| doc_freq(searcher, f.body_bg, t))
                .min()
                .unwrap_or(0)
        };
        let terms = proximity::Terms::new(&plan.words, word_df, docs);
        if terms.is_empty() {
            return Ok(None);
        }
        let kind = answer::AnswerKind::of(&plan.question);
        let window = plan.weights().window;
        let mut out = Vec::with_capacity(candidates.len());
        for (_, addr) in candidates {
            let doc: TantivyDocument = searcher.doc(*addr)?;
            let title = text_of(&doc, f.title).unwrap_or_default();
            let body = if terms.len() > 1 {
                text_of(&doc, f.body).unwrap_or_default()
            } else {
                String::new() // one word: the body is not looked at
            };
            let x = terms.features(&title, &body, kind, window);
            out.push((doc, x));
        }
        Ok(Some(out))
    }

    /// The re-ranking candidates of a plan (the top `rerank_depth` by the
    /// first-stage score), with their ids, scores and features: what
    /// `newsidx eval --features` writes for fitting the weights.
    pub fn candidates(
        &self,
        plan: &Plan,
        opts: &SearchOptions,
    ) -> Result<Vec<(String, f32, proximity::Features)>> {
        let searcher = self.reader.searcher();
        let opts = SearchOptions {
            sort: Sort::Relevance,
            ..opts.clone()
        };
        let ranked = self.retrieve(&searcher, plan, &opts, 0)?.ranked;
        let depth = ranked.len().min(plan.weights().rerank_depth);
        let f = self.store.fields;
        let features = self.features(&searcher, plan, &ranked[..depth])?;
        let mut out = Vec::new();
        for (i, (score, addr)) in ranked[..depth].iter().enumerate() {
            let (id, x) = match &features {
                Some(v) => (text_of(&v[i].0, f.id), v[i].1),
                None => {
                    let doc: TantivyDocument = searcher.doc(*addr)?;
                    (text_of(&doc, f.id), proximity::Features::default())
                }
            };
            out.push((id.unwrap_or_default(), score.unwrap_or(0.0), x));
        }
        Ok(out)
    }

    /// Number of articles in the index.
    pub fn num_docs(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// The reader (for stats).
    pub fn reader(&self) -> &IndexReader {
        &self.reader
    }
}
