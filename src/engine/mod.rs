//! `--engine`: the first stage answered by a distributed engine (Sphinx
//! 2.2 / Manticore over SphinxQL) instead of the local index: a second
//! implementation of [`FirstStage`]. Planning, re-ranking, collapsing,
//! passages and the wire format are the same code as for a local search
//! ([`Searcher::new`]); what planning needs from the index (query
//! lexicon, user dictionary, synonyms) comes from the export's `newsidx/`
//! folder ([`cluster`]). The plan's conditions become a `MATCH()` and a
//! `WHERE` ([`sphinxql`]); the candidates come back with their stored
//! text in the same query, `total_hits` is the engine's `total_found`,
//! and an agent's warning (a shard down or late) marks the answer
//! partial ([`Engine::partial`]).

pub mod client;
pub mod cluster;
mod counts;
pub mod sphinxql;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::thread::ThreadId;
use std::time::Duration;

use anyhow::{bail, Result};

use crate::analysis::normalize::normalize;
use crate::analysis::query::runs::Verdict;
use crate::analysis::query::Vocabulary;
use crate::dates::format_ymd;
use crate::export::terms::{engine_term, sphinx_substring, View};
use crate::index::Store;
use crate::search::analytics::facets::Tally;
use crate::search::analytics::terms::TermKind;
use crate::search::collapse::Stamp;
use crate::search::first_stage::{
    DocRef, FirstStage, Order, Query, Ranked, Scored, Stored, TermTally, TextField,
};
use crate::search::{DateRange, Plan, Searcher};
use client::{Client, Rows};
use cluster::Target;

/// How long to wait for the engine to connect or answer.
pub const TIMEOUT: Duration = Duration::from_secs(15);

/// The attributes a hit is made of, in this order.
const STORED: &str = "aid, title, body, source, author, url, path, date, has_date, simhash";

/// The ranking of every scored query: the query words each field has
/// (as newsidx's coverage bonus), then their TF-IDF, titles counting
/// twice. Of the rankers tried on news_all (BENCHMARKS.md, "--engine"),
/// the one whose top 10 after newsidx's re-ranking is closest to the
/// local one's (Sphinx 2.2 keeps no field lengths by default, so no BM25
/// length normalisation).
const RANKING: &str =
    "ranker=expr('sum(word_count*user_weight)*1000+sum(tf_idf*user_weight)*1000'), \
field_weights=(title_words=2, title_bg=2, body_words=1, body_bg=1, source_bg=0)";

/// An article the engine ranked, with its score.
type Candidate = (DocRef, Option<f32>);

/// The first stage over a Sphinx / Manticore cluster's head.
///
/// Safe to share between threads (the server's searches): each query
/// takes an idle connection or opens one ([`Engine::idle`]), so searches
/// run side by side; what did not answer is kept per thread, since a
/// search runs on one thread from start to end, so that one search's
/// partial answer is never reported by another ([`FirstStage::take_partial`]).
pub struct Engine {
    target: Target,
    /// Connections not in use (at most [`MAX_IDLE`]).
    idle: Mutex<Vec<Client>>,
    docs: u64,
    /// Stored fields and stamps of the candidates seen (emptied past
    /// [`MAX_CACHED`]; what is missing is fetched again by id).
    cache: Mutex<HashMap<DocRef, (Stored, Stamp)>>,
    /// Warnings of agents that did not answer, per thread.
    warnings: Mutex<HashMap<ThreadId, BTreeSet<String>>>,
    /// Document frequencies asked for (`field`, term), emptied past
    /// [`MAX_CACHED`].
    freqs: Mutex<HashMap<(u8, String), u64>>,
}

/// Idle connections kept for the next queries.
const MAX_IDLE: usize = 32;

/// Entries of a cache before it is emptied (a long-running server).
const MAX_CACHED: usize = 20_000;

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A searcher whose first stage is the engine `spec` names (`--engine`:
/// an export folder, its `cluster.json`, or a URL with `engine_dir`).
pub fn open(spec: &str, engine_dir: Option<&Path>) -> Result<Searcher> {
    let target = cluster::resolve(spec, engine_dir)?;
    let Some(planning) = target.planning.clone() else {
        bail!(
            "{spec}: give the export folder too (--engine-dir DIR), or --engine DIR/cluster.json: the query lexicon travels with the export"
        );
    };
    let store = Store::for_planning(&planning)?;
    let engine = Engine::connect(target)?;
    Ok(Searcher::new(store, Box::new(engine)))
}

/// The value of `name` in the rows of `SHOW META`.
fn meta<'a>(rows: &'a Rows, name: &str) -> Option<&'a str> {
    rows.rows
        .iter()
        .find(|r| r.first().and_then(|v| v.as_deref()) == Some(name))
        .and_then(|r| r.get(1))
        .and_then(|v| v.as_deref())
}

fn parse_stored(rows: &Rows, row: &[Option<String>]) -> Result<(DocRef, Stored, Stamp)> {
    let text = |name: &str| -> Result<String> {
        let i = rows.column(name)?;
        Ok(row.get(i).cloned().flatten().unwrap_or_default())
    };
    let num = |name: &str| -> Result<i64> { Ok(text(name)?.parse::<i64>().unwrap_or(0)) };
    let opt = |name: &str| -> Result<Option<String>> {
        let t = text(name)?;
        Ok((!t.is_empty()).then_some(t))
    };
    let id: u64 = text("id")?.parse().unwrap_or(0);
    let date = (num("has_date")? != 0).then_some(num("date")?);
    let stored = Stored {
        id: text("aid")?,
        title: text("title")?,
        body: text("body")?,
        date: date.map(format_ymd),
        source: opt("source")?,
        author: opt("author")?,
        url: opt("url")?,
        path: text("path")?,
    };
    let stamp = Stamp {
        simhash: num("simhash")? as u64,
        date,
    };
    Ok((DocRef(id), stored, stamp))
}

impl Engine {
    /// Connects to the head and counts its articles.
    pub fn connect(target: Target) -> Result<Engine> {
        let conn = Client::connect(&target.addr, TIMEOUT)?;
        let mut e = Engine {
            target,
            idle: Mutex::new(vec![conn]),
            docs: 0,
            cache: Mutex::new(HashMap::new()),
            warnings: Mutex::new(HashMap::new()),
            freqs: Mutex::new(HashMap::new()),
        };
        let (_, total) = e.select("SELECT id FROM {index} LIMIT 0,1")?;
        if e.partial().is_some() && total == 0 {
            bail!("{}: no shard of the engine answered", e.target.addr);
        }
        e.docs = total;
        Ok(e)
    }

    /// Runs `sql` (`{index}` standing for the index) and `SHOW META`: the
    /// rows and `total_found`. An agent's warning is kept (for this
    /// thread). A connection kept idle that turns out lost (the head
    /// restarted) is replaced once.
    fn select(&self, sql: &str) -> Result<(Rows, u64)> {
        let sql = sql.replace("{index}", &self.target.index);
        let reused = lock(&self.idle).pop();
        let (rows, m) = match reused {
            Some(conn) => match self.on(conn, &sql) {
                Err((e, lost)) if !lost => return Err(self.explain(e)),
                Err(_) => self.fresh(&sql)?,
                Ok(v) => v,
            },
            None => self.fresh(&sql)?,
        };
        if let Some(w) = meta(&m, "warning") {
            let w = self.name_agents(w);
            let me = std::thread::current().id();
            lock(&self.warnings).entry(me).or_default().insert(w);
        }
        let total = meta(&m, "total_found")
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        Ok((rows, total))
    }

    /// [`Engine::on`] a new connection.
    fn fresh(&self, sql: &str) -> Result<(Rows, Rows)> {
        let conn = Client::connect(&self.target.addr, TIMEOUT)?;
        self.on(conn, sql).map_err(|(e, _)| self.explain(e))
    }

    /// Runs `sql` and `SHOW META` on `conn`, which goes back to the idle
    /// ones when both succeed; an error says whether the connection was
    /// lost.
    fn on(&self, mut conn: Client, sql: &str) -> Result<(Rows, Rows), (anyhow::Error, bool)> {
        let rows = conn.query(sql).map_err(|e| (e, conn.lost()))?;
        let m = conn.query("SHOW META").map_err(|e| (e, conn.lost()))?;
        let mut idle = lock(&self.idle);
        if idle.len() < MAX_IDLE {
            idle.push(conn);
        }
        Ok((rows, m))
    }

    /// An engine error, with the index name and the nodes named.
    fn explain(&self, e: anyhow::Error) -> anyhow::Error {
        let text = self.name_agents(&format!("{e:#}"));
        if text.contains("unknown local index") || text.contains("no such index") {
            return anyhow::anyhow!(
                "{}: the engine has no index {:?} ({text})",
                self.target.addr,
                self.target.index
            );
        }
        anyhow::anyhow!("{text}")
    }

    /// `text` with each agent `host:port` followed by its node's name.
    fn name_agents(&self, text: &str) -> String {
        let mut out = text.to_string();
        for (agent, name) in &self.target.nodes {
            out = out.replace(
                &format!("agent {agent}"),
                &format!("agent {agent} ({name})"),
            );
        }
        out
    }

    /// What the agents that did not answer said, when some did not: the
    /// answers this thread got since the last [`Engine::clear_partial`]
    /// are partial.
    pub fn partial(&self) -> Option<String> {
        let w = lock(&self.warnings);
        let mine = w.get(&std::thread::current().id())?;
        (!mine.is_empty()).then(|| mine.iter().cloned().collect::<Vec<_>>().join("; "))
    }

    fn clear_partial(&self) -> Option<String> {
        let mine = lock(&self.warnings).remove(&std::thread::current().id())?;
        (!mine.is_empty()).then(|| mine.into_iter().collect::<Vec<_>>().join("; "))
    }

    /// Keeps the stored fields of `rows` and returns their refs.
    fn keep(&self, rows: &Rows) -> Result<Vec<Candidate>> {
        let w = rows.column("w").ok();
        let mut cache = lock(&self.cache);
        if cache.len() + rows.rows.len() > MAX_CACHED {
            cache.clear();
        }
        let mut out = Vec::with_capacity(rows.rows.len());
        for row in &rows.rows {
            let (doc, stored, stamp) = parse_stored(rows, row)?;
            let score = w
                .and_then(|i| row.get(i).cloned().flatten())
                .and_then(|v| v.parse::<f32>().ok());
            cache.insert(doc, (stored, stamp));
            out.push((doc, score));
        }
        Ok(out)
    }

    /// The top `n` articles of `filter` in `order`, with their scores
    /// (their stored fields kept), and how many match.
    fn ranked(
        &self,
        filter: &sphinxql::Filter,
        order: Order,
        n: usize,
    ) -> Result<(Vec<Candidate>, u64)> {
        let order = match order {
            Order::Date => "date DESC, id ASC",
            Order::Score | Order::VerbatimFirst => "w DESC, id ASC",
        };
        let sql = format!(
            "SELECT id, WEIGHT() AS w, {STORED} FROM {{index}}{} ORDER BY {order} LIMIT 0,{n} OPTION max_matches={n}, {RANKING}",
            filter.clause()
        );
        let (rows, total) = self.select(&sql)?;
        Ok((self.keep(&rows)?, total))
    }

    /// Fetches the stored fields of `docs` not yet kept.
    fn fetch(&self, docs: &[DocRef]) -> Result<()> {
        let missing: Vec<String> = {
            let cache = lock(&self.cache);
            docs.iter()
                .filter(|d| !cache.contains_key(d))
                .map(|d| d.0.to_string())
                .collect()
        };
        if missing.is_empty() {
            return Ok(());
        }
        let n = missing.len();
        let sql = format!(
            "SELECT id, {STORED} FROM {{index}} WHERE id IN ({}) LIMIT 0,{n} OPTION max_matches={n}",
            missing.join(",")
        );
        let (rows, _) = self.select(&sql)?;
        self.keep(&rows)?;
        Ok(())
    }

    fn cached(&self, doc: DocRef) -> Result<(Stored, Stamp)> {
        self.fetch(&[doc])?;
        match lock(&self.cache).get(&doc) {
            Some(v) => Ok(v.clone()),
            None => bail!("article {} is not in the engine (a shard down?)", doc.0),
        }
    }

    /// The verbatim tier of a stored article: how many of the plan's runs
    /// searched as words it holds as typed.
    fn tier(plan: &Plan, s: &Stored) -> u32 {
        let (title, body) = (normalize(&s.title), normalize(&s.body));
        plan.runs
            .iter()
            .filter(|r| r.verdict == Verdict::Words)
            .filter(|r| title.contains(&r.text) || body.contains(&r.text))
            .count() as u32
    }

    /// Articles matching `matching` (an extended query) in `field`s: how
    /// many.
    fn freq(&self, key: u8, query: Option<String>) -> u64 {
        let Some(q) = query else { return 0 };
        if let Some(n) = lock(&self.freqs).get(&(key, q.clone())) {
            return *n;
        }
        let sql = format!(
            "SELECT id FROM {{index}} WHERE MATCH({}) LIMIT 0,1",
            client::quote(&q)
        );
        let n = self.select(&sql).map(|(_, n)| n).unwrap_or(0);
        let mut freqs = lock(&self.freqs);
        if freqs.len() >= MAX_CACHED {
            freqs.clear();
        }
        freqs.insert((key, q), n);
        n
    }
}

impl Vocabulary for Engine {
    fn is_word(&self, w: &str) -> bool {
        let t = engine_term(w, View::Words);
        self.freq(0, Some(format!("@(title_words,body_words) {t}"))) > 0
    }

    fn occurs(&self, w: &str) -> bool {
        let q = sphinx_substring(w).map(|s| format!("@(title_bg,body_bg) {s}"));
        self.freq(1, q) > 0
    }
}

impl FirstStage for Engine {
    fn num_docs(&self) -> u64 {
        self.docs
    }

    fn doc_freq(&self, field: TextField, text: &str) -> u64 {
        let q = match field {
            TextField::TitleWords => format!("@title_words {}", engine_term(text, View::Words)),
            TextField::BodyWords => format!("@body_words {}", engine_term(text, View::Words)),
            TextField::BodyBigrams => {
                format!("@body_bg {}", engine_term(text, View::Bigrams))
            }
        };
        self.freq(2, Some(q))
    }

    fn top(&self, q: Query<'_>) -> Result<Ranked> {
        let Some(filter) = sphinxql::filter(q.plan, q.required)? else {
            // Nothing can match (an empty question): exactly none.
            return Ok(Ranked {
                exact: true,
                ..Ranked::default()
            });
        };
        let n = q.limit.max(1);
        let (mut kept, total) = self.ranked(&filter, q.order, n)?;
        if q.order == Order::VerbatimFirst {
            // The articles with every run as typed are the top tier,
            // whatever their score: asked for apart, first.
            if let Some(top_tier) = sphinxql::with_verbatim(&filter, q.plan)? {
                let (first, _) = self.ranked(&top_tier, Order::Score, n)?;
                let seen: HashSet<DocRef> = first.iter().map(|(d, _)| *d).collect();
                kept.retain(|(d, _)| !seen.contains(d));
                kept.splice(0..0, first);
            }
        }
        let by_date = q.order == Order::Date;
        let mut candidates: Vec<Scored> = kept
            .into_iter()
            .map(|(doc, score)| Scored {
                score: if by_date { None } else { score },
                tier: 0,
                doc,
                units: None,
            })
            .collect();
        if q.order == Order::VerbatimFirst {
            let cache = lock(&self.cache);
            for c in &mut candidates {
                c.tier = cache
                    .get(&c.doc)
                    .map_or(0, |(s, _)| Engine::tier(q.plan, s));
            }
            drop(cache);
            candidates.sort_by_key(|c| std::cmp::Reverse(c.tier));
            candidates.truncate(n);
        }
        // The engine counts every match (`total_found`): exact, whatever
        // `count_upto` asks; its own scoring is its work, not ours.
        let scored = candidates.len();
        Ok(Ranked {
            candidates,
            total: usize::try_from(total).unwrap_or(usize::MAX),
            exact: true,
            scored,
        })
    }

    fn marks(&self, plan: &Plan, docs: &[DocRef]) -> Result<Vec<Option<(usize, usize)>>> {
        counts::marks(self, plan, docs)
    }

    fn stored(&self, doc: DocRef) -> Result<Stored> {
        Ok(self.cached(doc)?.0)
    }

    fn stamp(&self, doc: DocRef) -> Stamp {
        self.cached(doc).map(|(_, s)| s).unwrap_or(Stamp {
            simhash: 0,
            date: None,
        })
    }

    fn find(&self, id: &str) -> Result<Option<DocRef>> {
        let sql = format!(
            "SELECT id, {STORED} FROM {{index}} WHERE aid={} LIMIT 0,1",
            client::quote(id)
        );
        let (rows, _) = self.select(&sql)?;
        Ok(self.keep(&rows)?.first().map(|(d, _)| *d))
    }

    fn count(&self, plan: &Plan, sources: bool) -> Result<Tally> {
        match sphinxql::filter(plan, plan.unit_count())? {
            Some(f) => counts::tally(self, &f, sources),
            None => Ok(Tally::default()),
        }
    }

    fn count_all(&self, dates: DateRange, sources: bool) -> Result<Tally> {
        counts::tally(self, &counts::all_in(dates), sources)
    }

    fn matching(&self, _: &Plan) -> Result<Vec<DocRef>> {
        bail!("listing every match is not supported with --engine")
    }

    fn for_each_match(&self, _: &Plan, _: &mut dyn FnMut(Stored) -> Result<bool>) -> Result<()> {
        bail!("reading every match (kwic, terms) is not supported with --engine")
    }

    fn require_terms(&self, _: TermKind) -> Result<()> {
        bail!("significant terms are not supported with --engine")
    }

    fn term_counts(&self, _: TermKind, _: &[DocRef], _: &[DocRef]) -> Result<TermTally> {
        bail!("significant terms are not supported with --engine")
    }

    fn take_partial(&self) -> Option<String> {
        self.clear_partial()
    }
}
