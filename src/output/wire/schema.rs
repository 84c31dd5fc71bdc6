//! (tests only) docs/json.md against the code: a sample of every record
//! the command line and the server write, serialised as they are written,
//! has exactly the fields, in the same order, that its table in
//! docs/json.md lists; and every record type of this folder is named there.
//!
//! A table row names one field: `key`, or the path to a field of a nested
//! object (`passages[].text`: the `text` of each object of `passages`),
//! after the field that holds it, in the order the fields are written.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::Serialize;

use super::{analyze, count, eval, inspect, kwic, search, serve, terms, Group, Record};
use crate::evaluation::metrics::Summary as EvalSummary;
use crate::evaluation::QueryResult;
use crate::index::stats::Stats;
use crate::search::facets::Bucket;
use crate::search::rerank::features::Features;
use crate::search::series::Point;
use crate::search::{article::Article, Hit, Hits, Passage};

/// A JSON value as far as its keys go, in the order they were written.
enum Node {
    Leaf,
    List(Vec<Node>),
    Object(Vec<(String, Node)>),
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Node, E> {
        Ok(Node::Leaf)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(n) = seq.next_element()? {
            items.push(n);
        }
        Ok(Node::List(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut fields = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            fields.push((k, v));
        }
        Ok(Node::Object(fields))
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Node, D::Error> {
        d.deserialize_any(NodeVisitor)
    }
}

/// The field paths of `node`, as docs/json.md's rows name them.
fn paths(node: &Node, prefix: &str, out: &mut Vec<String>) {
    let Node::Object(fields) = node else { return };
    for (k, v) in fields {
        let path = format!("{prefix}{k}");
        out.push(path.clone());
        match v {
            Node::Object(_) => paths(v, &format!("{path}."), out),
            Node::List(items) => {
                if let Some(first) = items.iter().find(|i| matches!(i, Node::Object(_))) {
                    paths(first, &format!("{path}[]."), out);
                }
            }
            Node::Leaf => {}
        }
    }
}

/// The field paths of one written record (a JSON text).
fn fields_of(json: &str) -> Vec<String> {
    let node: Node = serde_json::from_str(json).unwrap_or(Node::Leaf);
    let mut out = Vec::new();
    paths(&node, "", &mut out);
    out
}

/// docs/json.md's tables: the heading of each, and the fields its rows name.
fn documented(doc: &str) -> BTreeMap<String, Vec<String>> {
    let mut tables: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in doc.lines() {
        if let Some(h) = line.strip_prefix("### ") {
            current = Some(h.trim().to_string());
            tables.entry(h.trim().to_string()).or_default();
            continue;
        }
        if line.starts_with("## ") {
            current = None;
        }
        let (Some(name), Some(row)) = (&current, line.strip_prefix("| `")) else {
            continue;
        };
        if let Some((field, _)) = row.split_once('`') {
            tables
                .entry(name.clone())
                .or_default()
                .push(field.to_string());
        }
    }
    tables
}

/// The JSON text of `value`, written as the record writers write it.
fn text<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_default()
}

/// A record with `type` first, as `output::json::write_record` writes it.
fn record<T: Serialize>(kind: &str, data: &T) -> String {
    text(&Record { kind, data })
}

fn sample_hits() -> Hits {
    let hit = Hit {
        rank: 1,
        score: Some(7.5),
        id: "a1".into(),
        title: "马斯克".into(),
        title_highlights: vec![[0, 9]],
        date: Some("2023-07-13".into()),
        source: Some("科技日报".into()),
        author: None,
        url: None,
        path: "news/a.json".into(),
        passages: vec![Passage {
            text: "马斯克表示".into(),
            highlights: vec![[0, 9]],
        }],
        duplicates: vec!["a2".into()],
        relaxed: Some((1, 2)),
    };
    Hits {
        hits: vec![hit],
        total_hits: 1,
        relaxed_hits: 1,
        relaxed_hits_exact: true,
        relaxed: Some((1, 2)),
        scored: 0,
        partial: Some("agent 127.0.0.1:9402 (shard1): connect() failed".into()),
    }
}

fn search_samples(out: &mut Vec<(&'static str, String)>) {
    let hits = sample_hits();
    let q = Some("马斯克");
    out.push(("search: hit", text(&search::WireHit::new(&hits.hits[0], q))));
    out.push((
        "search: summary",
        text(&search::WireSummary::new(&hits, 1.5, q)),
    ));
    let error = search::WireError {
        kind: "error",
        query: "a:",
        message: "bad".into(),
    };
    out.push(("search --batch: error", text(&error)));
    let bucket = || Bucket {
        key: Some("2023-07".into()),
        count: 1,
    };
    let facets = search::Facets {
        sources: vec![bucket()],
        other_sources: 0,
        months: vec![bucket()],
    };
    let answer = search::SearchResponse::new("马斯克", &hits, (0, 10), 1.5, Some(facets));
    out.push(("GET /api/search", text(&answer)));
    let article = Article {
        id: "a1".into(),
        title: "马斯克".into(),
        title_highlights: vec![[0, 9]],
        date: None,
        source: None,
        author: None,
        url: None,
        path: "news/a.json".into(),
        body: "马斯克表示".into(),
        body_highlights: vec![[0, 9]],
    };
    out.push(("GET /api/articles/{id}", text(&article)));
}

fn count_samples(out: &mut Vec<(&'static str, String)>) {
    let p = Point {
        key: Some("2023-07".into()),
        count: 2,
        of: Some(4),
    };
    let q = Some("江豚");
    out.push(("count: bucket", text(&count::Line::point(q, &p, false))));
    let total = count::Line::point(q, &p, true).partial(true);
    out.push(("count: total", text(&total)));
    let error = count::Line::error("a:", "bad".into());
    out.push(("count --batch: error", text(&error)));
    let answer = count::CountResponse {
        by: "month",
        normalize: true,
        took_ms: 1.5,
        series: vec![count::Series {
            query: "江豚",
            total: 2,
            of: Some(4),
            buckets: vec![count::SeriesBucket::new(&p)],
        }],
    };
    out.push(("GET /api/count", text(&answer)));
}

fn stats() -> Stats {
    Stats {
        articles: 1,
        files: 1,
        sources: 1,
        date_min: None,
        date_max: None,
        dated_articles: 0,
        index_bytes: 1,
        schema_version: 1,
        dictionary: "jieba".into(),
        segments: 1,
    }
}

fn index_samples(out: &mut Vec<(&'static str, String)>) {
    out.push(("stats: stats", record("stats", &stats())));
    let limits = serve::Limits {
        max_limit: 1,
        max_offset: 1,
        max_query_bytes: 1,
        max_body_bytes: 1,
        max_batch_body_bytes: 1,
        max_batch_queries: 1,
        max_searches: 1,
        time_limit_secs: 1.0,
    };
    let answer = serve::StatsResponse {
        index: stats(),
        opened_at: 1,
        limits,
    };
    out.push(("GET /api/stats", text(&answer)));
    let health = serve::Health {
        status: "ok",
        articles: 1,
        engine: false,
    };
    out.push(("GET /api/health", text(&health)));
    out.push(("errors", text(&serve::ErrorBody { error: "bad" })));
    let members = ["新冠".to_string(), "新型冠状病毒".to_string()];
    let group = Group { members: &members };
    out.push(("synonyms: synonyms", record("synonyms", &group)));
}

/// What `inspect` reports of a real file (its fields read from the file).
fn inspect_samples(out: &mut Vec<(&'static str, String)>) {
    let dir = tempfile::tempdir().ok();
    let path = dir.as_ref().map(|d| d.path().join("a.jsonl"));
    let info = path.as_ref().and_then(|p| {
        std::fs::write(
            p,
            "{\"title\":\"t\",\"content\":\"正文\",\"date\":\"2023-07-13\"}\n",
        )
        .ok()?;
        crate::corpus::read_file(p, "a.jsonl", &mut |_| {}).ok()
    });
    let Some(mut info) = info else { return };
    info.compression = Some("gzip");
    info.warnings.push("a.jsonl: line 2: not JSON".into());
    let shown = [inspect::Sample {
        id: "a1".into(),
        title: "t".into(),
        date: Some("2023-07-13".into()),
        body_chars: 2,
        author: None,
        source: None,
        body: Some("正文".into()),
    }];
    let report = inspect::FileReport {
        path: "a.jsonl",
        info: &info,
        shown: &shown,
    };
    out.push(("inspect: file", text(&inspect::Message::File(report))));
    let error = inspect::Message::Error {
        path: "b.json",
        reason: "bad".into(),
    };
    out.push(("inspect: error", text(&error)));
    let passed = inspect::Message::PassedOver {
        path: "c.pdf",
        kind: "PDF".into(),
    };
    out.push(("inspect: passed-over", text(&passed)));
    let sum = inspect::Summary::default();
    out.push(("inspect: summary", text(&inspect::Message::Summary(&sum))));
}

fn eval_samples(out: &mut Vec<(&'static str, String)>) {
    let relevant = Default::default();
    let result = QueryResult {
        id: "q1",
        text: "江豚",
        reading: "keywords",
        first_relevant: Some(1),
        total_hits: 1,
        relaxed: Some((1, 2)),
        top: vec!["a1".into()],
        scores: vec![1.5],
        candidates: Vec::new(),
        relevant: &relevant,
    };
    out.push(("eval: query", record("query", &result)));
    out.push(("eval: summary", record("summary", &EvalSummary::default())));
    let features = Features::default();
    let line = eval::FeaturesLine {
        candidates: vec![eval::WireCandidate {
            id: "a1",
            rel: 1,
            score: 1.5,
            features: &features,
        }],
        qid: "q1",
        reading: "keywords",
    };
    let mut written = Vec::new();
    line.write(&mut written).unwrap_or(());
    let written = String::from_utf8(written).unwrap_or_default();
    out.push(("eval --features: line", written));
}

fn analyze_samples(out: &mut Vec<(&'static str, String)>) {
    let pieces = ["江".to_string(), "豚".to_string()];
    let added = ["江豚".to_string()];
    let line = analyze::JsonLine {
        text: "江豚",
        tokens: vec![analyze::JsonToken {
            text: "江豚",
            start: 0,
            end: 6,
        }],
        question: Some(false),
        reading: Some("keywords"),
        runs: Some(vec![analyze::JsonRun {
            text: "江豚",
            start: 0,
            end: 6,
            pieces: &pieces,
            searched: "as_typed",
            doubts: vec![["江", "rare"]],
        }]),
        synonyms: vec![analyze::JsonSynonyms {
            typed: "长江江豚",
            added: &added,
            excluded: false,
        }],
    };
    out.push(("analyze: line", record("line", &line)));
}

fn kwic_line() -> crate::search::kwic::Line {
    crate::search::kwic::Line {
        id: "a1".into(),
        date: None,
        source: None,
        left: "据报道，".into(),
        matched: "马斯克".into(),
        right: "表示".into(),
    }
}

fn kwic_and_terms_samples(out: &mut Vec<(&'static str, String)>) {
    out.push(("kwic: kwic", record("kwic", &kwic_line())));
    let sum = kwic::Summary {
        occurrences: 1,
        articles: 1,
        more: false,
    };
    out.push(("kwic: summary", record("summary", &sum)));
    let page = kwic::PageResponse {
        query: "马斯克".into(),
        width: 20,
        sort: "found",
        offset: 0,
        limit: 50,
        total: 1,
        articles: 1,
        returned: 1,
        took_ms: 1.5,
        lines: vec![kwic_line()],
    };
    out.push(("GET /api/kwic", text(&page)));
    let term = || terms::TermLine {
        term: "江豚",
        kind: "word",
        count: 1,
        corpus_count: 2,
        score: 1.5,
    };
    let summary = || terms::Summary {
        query: "长江",
        kind: "word",
        matched: 1,
        considered: 1,
        copies: 0,
        sampled: false,
        corpus: 2,
        returned: 1,
        elapsed_ms: 1.5,
    };
    out.push(("terms: term", record("term", &term())));
    out.push(("terms: summary", record("summary", &summary())));
    let answer = terms::TermsResponse {
        summary: summary(),
        terms: vec![term()],
    };
    out.push(("GET /api/terms", text(&answer)));
}

/// A sample of every record, named as docs/json.md's headings name it.
fn samples() -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    search_samples(&mut out);
    count_samples(&mut out);
    index_samples(&mut out);
    inspect_samples(&mut out);
    eval_samples(&mut out);
    analyze_samples(&mut out);
    kwic_and_terms_samples(&mut out);
    out
}

fn read(path: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(root.join(path)).unwrap_or_default()
}

#[test]
fn docs_json_md_lists_every_record_field_in_order() {
    let doc = read("docs/json.md");
    let tables = documented(&doc);
    let samples = samples();
    assert!(samples.len() >= 28, "samples: {}", samples.len());
    let mut wrong = Vec::new();
    for (name, json) in &samples {
        let fields = fields_of(json);
        match tables.get(*name) {
            None => wrong.push(format!("no table `### {name}` in docs/json.md")),
            Some(rows) if *rows != fields => wrong.push(format!(
                "### {name}: docs/json.md lists {rows:?}, the record is written with {fields:?}"
            )),
            Some(_) => {}
        }
    }
    for name in tables.keys() {
        if !samples.iter().any(|(n, _)| n == name) {
            wrong.push(format!(
                "### {name} in docs/json.md: no record has that name"
            ));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn docs_json_md_names_every_record_type_of_the_wire() {
    let doc = read("docs/json.md");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/output/wire");
    let (mut missing, mut read) = (Vec::new(), 0);
    let files = std::fs::read_dir(&dir).into_iter().flatten().flatten();
    for file in files {
        read += 1;
        let text = std::fs::read_to_string(file.path()).unwrap_or_default();
        for line in text.lines() {
            let name = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
                .and_then(|r| r.split(|c: char| !c.is_alphanumeric()).next());
            let named =
                |n: &&str| doc.contains(&format!("`{n}`")) || doc.contains(&format!("::{n}`"));
            if let Some(name) = name.filter(|n| !named(n)) {
                missing.push(name.to_string());
            }
        }
    }
    assert!(read > 5, "{}: {read} files", dir.display());
    assert!(
        missing.is_empty(),
        "record types docs/json.md does not name: {missing:?}"
    );
}
