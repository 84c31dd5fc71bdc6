//! Searching an index: query → ranked, collapsed hits with passages.
//!
//! [`Searcher::search`] parses the query ([`syntax`]), plans it ([`plan`]),
//! retrieves the first-stage candidates (here), re-ranks the top ones
//! ([`rerank`]), collapses near-duplicates ([`collapse`]) and assembles the
//! hits with their passages ([`passage`]). It returns plain serialisable
//! [`Hits`]; printers and the evaluator call the same code.

pub mod article;
pub mod collapse;
pub mod docs;
pub mod facets;
pub mod kwic;
pub mod lengthnorm;
pub mod offset;
pub mod passage;
pub mod periods;
pub mod plan;
pub mod rerank;
pub mod series;
pub mod spelling;
pub mod substring;
pub mod syntax;
pub mod terms;
pub mod verbatim;
pub mod weights;

use std::collections::HashMap;
use std::path::Path;

use anyhow::Result;
use serde::Serialize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::{DocAddress, IndexReader, Order, TantivyDocument};

use crate::dates::format_ymd;
use crate::index::schema::names;
use crate::index::Store;
use collapse::{collapse, Copies, Kept};
use docs::{doc_freq, text_of, Scored};
pub use passage::Passage;
pub use plan::{DateRange, Plan, PlanInputs};
pub use weights::Weights;

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
    /// Relax a natural-language question ([`Plan::is_question`]) when
    /// fewer than this many articles match it as written, or than the
    /// re-ranking depth ([`Weights::rerank_depth`]) when that is more, so
    /// that the re-ranking has a full set of candidates; 0 never relaxes
    /// any query (`--no-relax`). Keywords, and any search by date, are
    /// relaxed only when nothing matches as written. The decision does
    /// not depend on the page asked for, so that every page of a query
    /// comes from the same result list. A relaxed search requires
    /// [`relax_floor`] of the units of the relaxed plan
    /// ([`Plan::relaxed_plan`]) at once; the articles it adds are counted
    /// apart ([`Hits::relaxed_hits`]).
    pub relax_below: usize,
    /// Ranking weights.
    pub weights: Weights,
    /// Expand the index's synonym groups (`--no-synonyms` turns it off).
    pub synonyms: bool,
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
            synonyms: true,
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
    /// For a hit shown only because the search was relaxed (it does not
    /// match the query as written): `(k, n)`, the `k` of the relaxed
    /// query's `n` units it matched. `None` for a match as written.
    pub relaxed: Option<(usize, usize)>,
}

/// The result of a search.
#[derive(Debug, Clone, Serialize)]
pub struct Hits {
    /// The hits, best first.
    pub hits: Vec<Hit>,
    /// Every article that matches the query as written (before
    /// collapsing and paging); never the articles a relaxed search adds.
    pub total_hits: usize,
    /// Articles a relaxed search adds to those (0 unless relaxed).
    pub relaxed_hits: usize,
    /// `(k, n)` when the search was relaxed: `k` of the `n` units of the
    /// relaxed plan ([`Plan::relaxed_plan`]) were required.
    pub relaxed: Option<(usize, usize)>,
}

/// What the first stage found.
struct Retrieved {
    /// The candidates, best first.
    ranked: Vec<Scored>,
    /// Every article that matched.
    total: usize,
    /// Units required, of all, when relaxed.
    relaxed: Option<(usize, usize)>,
    /// Articles that match as written.
    all_words_hits: usize,
    /// The tiers of the candidates (verbatim first).
    tiers: verbatim::Tiers,
}

/// The fewest units a relaxed search of `n` units requires: one. The
/// coverage bonus ([`Weights::coord`]) still ranks articles with more of
/// the words first. Requiring half of them instead (so that a query whose
/// words mostly do not occur finds nothing) cost MRR@10 on DRCD and
/// DuReader (BENCHMARKS.md, "Search quality", has the figures): a
/// question's answer passage often has only its two rarest words.
pub fn relax_floor(n: usize) -> usize {
    n.min(1)
}

impl crate::analysis::query_words::Vocabulary for Searcher {
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
            substring::substring_query(field, w)
                .is_some_and(|q| searcher.search(&*q, &Count).is_ok_and(|n| n > 0))
        })
    }
}

/// The page a search fetched: the kept hits up to the page asked for.
struct Page {
    /// Kept hits, best first (from the first, not from the offset).
    kept: Vec<Kept>,
    /// Every article that matched.
    total: usize,
    /// Units required, of all, when relaxed.
    relaxed: Option<(usize, usize)>,
    /// Articles that match every unit.
    all_words_hits: usize,
}

/// How many candidates the first stage fetches: the page and what
/// collapsing may take out of it, the re-ranked candidates (always, so
/// that pages agree), and at least `at_least`.
fn fetch_size(opts: &SearchOptions, at_least: usize) -> usize {
    let want = opts.offset.saturating_add(opts.limit);
    let page = if opts.collapse {
        want.saturating_mul(2).saturating_add(10)
    } else {
        want
    };
    let reranked = if opts.sort == Sort::Relevance {
        opts.weights.rerank_depth
    } else {
        0
    };
    page.max(reranked).max(at_least)
}

/// A searcher over one index.
pub struct Searcher {
    store: Store,
    reader: IndexReader,
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

    /// Plans `q` (parsed) for this index, its synonym groups expanded
    /// (unless `opts` says not to).
    pub fn plan(&self, parsed: &syntax::Parsed, opts: &SearchOptions) -> Plan {
        let expanded = match opts.synonyms {
            true => plan::synonyms::expand(parsed, &self.store.synonyms),
            false => None,
        };
        let parsed = expanded.as_ref().map_or(parsed, |(p, _)| p);
        Plan::new(PlanInputs {
            parsed,
            fields: &self.store.fields,
            seg: &self.store.seg,
            weights: opts.weights,
            dates: opts.dates,
            vocab: Some(self),
        })
    }

    /// Parses and plans the query string `q`; a syntax error names it.
    pub fn plan_text(&self, q: &str, opts: &SearchOptions) -> Result<Plan> {
        let parsed = syntax::parse(q).map_err(|e| anyhow::anyhow!("query {q:?}: {e}"))?;
        Ok(self.plan(&parsed, opts))
    }

    /// Runs the query string `q`.
    pub fn search(&self, q: &str, opts: &SearchOptions) -> Result<Hits> {
        let plan = self.plan_text(q, opts)?;
        self.run(&plan, opts)
    }

    /// Runs a plan.
    pub fn run(&self, plan: &Plan, opts: &SearchOptions) -> Result<Hits> {
        let searcher = self.reader.searcher();
        // Documents read for the re-ranking and the collapsing, kept for
        // the hits; the ids of copies.
        let mut loaded = HashMap::new();
        let mut copies = Copies::default();
        let page = self.fetch(&searcher, plan, opts, &mut loaded, &mut copies)?;
        // A relaxed search marks the hits that do not match as written.
        let marks = match page.relaxed {
            Some(_) => Some(verbatim::Marks::new(&searcher, plan)?),
            None => None,
        };
        // Relaxed hits highlight the words of the relaxed plan.
        let shown = if page.relaxed.is_some() {
            plan.relaxed_plan()
        } else {
            plan
        };
        let mut hits = Vec::new();
        for (i, kept) in page
            .kept
            .into_iter()
            .enumerate()
            .skip(opts.offset)
            .take(opts.limit)
        {
            let addr = kept.addr;
            let mut hit = self.hit(&searcher, shown, opts, i + 1, kept, &mut loaded, &copies)?;
            if let Some(m) = &marks {
                hit.relaxed = m.of(&searcher, addr)?;
            }
            hits.push(hit);
        }
        Ok(Hits {
            hits,
            total_hits: page.all_words_hits,
            relaxed_hits: page.total.saturating_sub(page.all_words_hits),
            relaxed: page.relaxed,
        })
    }

    /// The candidates up to the page asked for, re-ranked and collapsed.
    /// Collapsing may leave fewer hits than asked: more are fetched until
    /// the page is full or every match has been seen, so that no page
    /// comes up short and the next one never skips a hit.
    fn fetch(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        opts: &SearchOptions,
        loaded: &mut HashMap<DocAddress, TantivyDocument>,
        copies: &mut Copies,
    ) -> Result<Page> {
        let want = opts.offset.saturating_add(opts.limit);
        let mut at_least = 0;
        loop {
            let Retrieved {
                mut ranked,
                total,
                relaxed,
                all_words_hits,
                tiers,
            } = self.retrieve(searcher, plan, opts, at_least)?;
            if opts.sort == Sort::Relevance {
                // A relaxed search ranks by the words of the relaxed plan.
                let ranking = if relaxed.is_some() {
                    plan.relaxed_plan()
                } else {
                    plan
                };
                rerank::rerank(searcher, &self.store.fields, ranking, &mut ranked, loaded)?;
                // The re-ranking never moves an article across tiers.
                tiers.sort(&mut ranked, |r| r.addr);
            }
            let fetched = ranked.len();
            let kept = if opts.collapse {
                collapse(searcher, &self.store.fields, ranked, want, loaded, copies)?
            } else {
                ranked.into_iter().map(Kept::from).collect()
            };
            if kept.len() >= want || fetched >= total || fetched < at_least {
                return Ok(Page {
                    kept,
                    total,
                    relaxed,
                    all_words_hits,
                });
            }
            at_least = fetched.saturating_mul(2);
        }
    }

    /// The hit of rank `rank` for the kept article `kept`: its fields, the
    /// highlights and passages of `plan`, the ids of its copies.
    #[allow(clippy::too_many_arguments)]
    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        plan: &Plan,
        opts: &SearchOptions,
        rank: usize,
        kept: Kept,
        loaded: &mut HashMap<DocAddress, TantivyDocument>,
        copies: &Copies,
    ) -> Result<Hit> {
        let f = self.store.fields;
        let doc: TantivyDocument = match loaded.remove(&kept.addr) {
            Some(d) => d,
            None => searcher.doc(kept.addr)?,
        };
        let title = text_of(&doc, f.title).unwrap_or_default();
        let body = text_of(&doc, f.body).unwrap_or_default();
        let date = doc
            .get_first(f.date)
            .and_then(|v| v.as_datetime())
            .map(|d| format_ymd(d.into_timestamp_secs()));
        let mut duplicates = Vec::new();
        for d in kept.copies {
            let id = match copies.ids.get(&d) {
                Some(id) => id.clone(),
                None => {
                    let dd: TantivyDocument = searcher.doc(d)?;
                    text_of(&dd, f.id).unwrap_or_default()
                }
            };
            duplicates.push(id);
        }
        Ok(Hit {
            rank,
            score: kept.score,
            id: text_of(&doc, f.id).unwrap_or_default(),
            title_highlights: passage::highlight(&title, &plan.highlights),
            title,
            date,
            source: text_of(&doc, f.source),
            author: text_of(&doc, f.author),
            url: text_of(&doc, f.url),
            path: text_of(&doc, f.path).unwrap_or_default(),
            passages: if opts.passages > 0 {
                passage::best_passages(&body, &plan.highlights, opts.passages)
            } else {
                Vec::new()
            },
            duplicates,
            relaxed: None,
        })
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
        let ranker = Ranker::new(searcher, self.store.fields, plan, opts, at_least);
        // Verbatim first: by tier, then score (keywords only).
        let mut tiers = match opts.sort {
            Sort::Relevance => verbatim::Tiers::of(searcher, plan.verbatim())?,
            Sort::Date => verbatim::Tiers::default(),
        };
        let (mut ranked, mut total) = ranker.rank(&*plan.query(n), &tiers)?;
        let all_words_hits = total;
        // Questions are relaxed below the re-ranking depth; keywords (and
        // searches by date, which have no coverage bonus to keep full
        // matches first) only when nothing matches as written.
        let need = match opts.sort {
            Sort::Relevance if plan.is_question() => {
                opts.relax_below.max(plan.weights().rerank_depth)
            }
            _ => 1,
        };
        // Relax in one step to the floor, not one unit at a time: stepping
        // down stops at the first level where enough long articles match
        // the common words, and hides the passage that has the rare ones.
        // Runs matched as typed are first searched as words (every word,
        // anywhere), and only when fewer than `relax_below` articles have
        // them all, relaxed to the floor.
        let loose = plan.relaxed_plan();
        let (m, floor) = (loose.unit_count(), relax_floor(loose.unit_count()));
        let mut relaxed = None;
        if opts.relax_below > 0 && total < need {
            // Verbatim first orders matches as written; relaxed articles
            // are ranked as before by score.
            tiers = verbatim::Tiers::default();
            if !std::ptr::eq(loose, plan) {
                (ranked, total) = ranker.rank(&*loose.query(m), &tiers)?;
                relaxed = Some((m, m));
            }
            // Keywords by relevance go on to the floor as they always did
            // (below `relax_below` articles with every word).
            let further = match opts.sort {
                Sort::Relevance if !plan.is_question() => opts.relax_below,
                _ => need,
            };
            if total < further && m > floor {
                (ranked, total) = ranker.rank(&*loose.query(floor), &tiers)?;
                relaxed = Some((floor, m));
            }
        }
        Ok(Retrieved {
            ranked,
            total,
            relaxed,
            all_words_hits,
            tiers,
        })
    }

    /// The re-ranking candidates of a plan (the top `rerank_depth` by the
    /// first-stage score), with their ids, scores and features: what
    /// `newsidx eval --features` writes for fitting the weights.
    pub fn candidates(&self, plan: &Plan, opts: &SearchOptions) -> Result<Vec<rerank::Candidate>> {
        let searcher = self.reader.searcher();
        let opts = SearchOptions {
            sort: Sort::Relevance,
            ..opts.clone()
        };
        let ranked = self.retrieve(&searcher, plan, &opts, 0)?.ranked;
        rerank::candidates(&searcher, &self.store.fields, plan, &ranked)
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

/// The first stage's ranking of one query: how many candidates, BM25
/// with each view's length normalisation, verbatim tiers first, or by
/// date; the matches counted in the same pass.
struct Ranker<'a> {
    searcher: &'a tantivy::Searcher,
    sort: Sort,
    fetch: usize,
    norm: lengthnorm::LengthNorm<'a>,
}

impl<'a> Ranker<'a> {
    fn new(
        searcher: &'a tantivy::Searcher,
        f: crate::index::Fields,
        plan: &Plan,
        opts: &SearchOptions,
        at_least: usize,
    ) -> Self {
        // Never ask for more candidates than the index holds (a huge -n or
        // --offset must not allocate for them or overflow).
        let docs = usize::try_from(searcher.num_docs()).unwrap_or(usize::MAX);
        let fetch = fetch_size(opts, at_least).min(docs).max(1);
        // BM25 with each view's length normalisation (see [`lengthnorm`]).
        let w = plan.weights();
        let norm = lengthnorm::LengthNorm::new(
            searcher,
            &[
                (f.body, w.b_body_words),
                (f.body_bg, w.b_body_bigrams),
                (f.title, w.b_title_words),
                (f.title_bg, w.b_title_bigrams),
            ],
        );
        Ranker {
            searcher,
            sort: opts.sort,
            fetch,
            norm,
        }
    }

    /// The top candidates of `query` and the number of its matches.
    fn rank(
        &self,
        query: &dyn tantivy::query::Query,
        tiers: &verbatim::Tiers,
    ) -> Result<(Vec<Scored>, usize)> {
        let (searcher, fetch, norm) = (self.searcher, self.fetch, &self.norm);
        Ok(match self.sort {
            Sort::Relevance if !tiers.is_empty() => {
                let (top, count) = tiers.top(searcher, query, fetch, norm)?;
                (scored(top), count)
            }
            Sort::Relevance => {
                let collector = (TopDocs::with_limit(fetch).order_by_score(), Count);
                let (top, count) = if norm.is_default() {
                    searcher.search(query, &collector)?
                } else {
                    searcher.search_with_statistics_provider(query, &collector, norm)?
                };
                (scored(top), count)
            }
            Sort::Date => {
                let by_date = TopDocs::with_limit(fetch)
                    .order_by_fast_field::<tantivy::DateTime>(names::DATE, Order::Desc);
                let (top, count) = searcher.search(query, &(by_date, Count))?;
                (
                    top.into_iter()
                        .map(|(_, addr)| Scored { score: None, addr })
                        .collect(),
                    count,
                )
            }
        })
    }
}

/// Candidates ranked by score.
fn scored(top: Vec<(f32, DocAddress)>) -> Vec<Scored> {
    top.into_iter()
        .map(|(s, addr)| Scored {
            score: Some(s),
            addr,
        })
        .collect()
}
