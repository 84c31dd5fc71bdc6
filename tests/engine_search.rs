//! `newsidx search|count --engine`, live: the bundled corpus and a
//! generated one, indexed locally and exported to 3 Sphinx shards on free
//! loopback ports (`start.sh`); for queries of every kind the engine and
//! the local index give the same `total_hits`, the same article ids (all
//! of them, uncollapsed) and, by date, the same dates in the same order;
//! `count --by year` the same buckets; the relevance top-10 overlap is
//! reported. A killed shard gives a partial answer (one line on stderr
//! naming it, `"partial": true`); every shard down, a bad URL or a wrong
//! index name is a one-line error, exit 2; `stop.sh` leaves nothing
//! running. Skipped, with a message, where `searchd` or `indexer` is not
//! installed.

use std::collections::BTreeSet;
use std::process::Command;

use crate::export_sphinx::{alive, export_index, indexed_env, installed, start};
use crate::util::{Env, Run};

/// Queries of every kind, each with its options.
const QUERIES: &[&[&str]] = &[
    &["长江"],
    &["長江"],
    &["江"],
    &["江豚"],
    &["的"],
    &["\"长江 生态\""],
    &["长江 -江豚"],
    &["长江", "-江豚"],
    &["title:长江"],
    &["body:江豚"],
    &["长江 OR 黄河"],
    &["source:测试源1 江豚"],
    &["ＡＩ"],
    &["gpt-4"],
    &["iphone15"],
    &["hello world"],
    &["2024年"],
    &["北京 上海"],
    &["江豚", "--since", "2024-03-05", "--until", "2024-03-20"],
    &["长江", "--since", "2020-01-01"],
    &["长江禁渔"],
    &["zzzzqqq"],
];

fn search(env: &Env, engine: Option<&str>, q: &[&str], extra: &[&str]) -> Run {
    let mut args = vec!["search", "--json"];
    args.extend_from_slice(q);
    args.extend_from_slice(extra);
    match engine {
        Some(e) => args.extend(["--engine", e]),
        None => args.extend(["-i", "idx"]),
    }
    env.run(&args)
}

fn ids(r: &Run) -> BTreeSet<String> {
    r.hit_strings("id").into_iter().collect()
}

fn dates(r: &Run) -> Vec<String> {
    r.hits()
        .iter()
        .map(|h| h["date"].as_str().unwrap_or("-").to_string())
        .collect()
}

/// Same totals and ids (every hit, uncollapsed), same dates by date.
fn agree(env: &Env, engine: &str, q: &[&str]) {
    let all = ["-n", "500", "--no-collapse", "--passages", "0"];
    let (l, e) = (
        search(env, None, q, &all),
        search(env, Some(engine), q, &all),
    );
    assert_eq!(l.code, e.code, "{q:?}: {}", e.stderr);
    let (ls, es) = (l.summary(), e.summary());
    assert_eq!(ls["total_hits"], es["total_hits"], "{q:?}");
    assert_eq!(ls["relaxed_hits"], es["relaxed_hits"], "{q:?}");
    assert_eq!(ids(&l), ids(&e), "{q:?}");
    let by_date = ["--sort", "date", "-n", "500", "--no-collapse"];
    let (l, e) = (
        search(env, None, q, &by_date),
        search(env, Some(engine), q, &by_date),
    );
    assert_eq!(dates(&l), dates(&e), "{q:?} by date");
    let page = ["--sort", "date", "-n", "3", "--offset", "2"];
    let (l, e) = (
        search(env, None, q, &page),
        search(env, Some(engine), q, &page),
    );
    assert_eq!(dates(&l), dates(&e), "{q:?} by date, page 2");
    assert_eq!(l.summary()["total_hits"], e.summary()["total_hits"]);
}

/// The share of the local top 10 the engine's top 10 has.
fn overlap(env: &Env, engine: &str, q: &[&str]) -> Option<f64> {
    let (l, e) = (search(env, None, q, &[]), search(env, Some(engine), q, &[]));
    let (l, e) = (ids(&l), ids(&e));
    (!l.is_empty()).then(|| l.intersection(&e).count() as f64 / l.len() as f64)
}

#[test]
fn engine_search_agrees_with_local_and_reports_faults() {
    if !["searchd", "indexer"].iter().all(|c| installed(c)) {
        eprintln!("SKIPPED: searchd or indexer not installed (apt-get install sphinxsearch)");
        return;
    }
    let (env, _) = indexed_env();
    let base = export_index(&env);
    let dir = env.path().join("cl");
    let (guard, running) = start(&dir);

    let engine = "cl/cluster.json";
    for q in QUERIES {
        agree(&env, engine, q);
    }
    let mut shares = Vec::new();
    for q in QUERIES {
        shares.extend(overlap(&env, engine, q));
    }
    let mean = shares.iter().sum::<f64>() / shares.len().max(1) as f64;
    eprintln!(
        "engine top-10 overlap with local: {mean:.2} over {} queries",
        shares.len()
    );

    counts_agree(&env, base);
    eval_agrees(&env, engine);
    errors_are_one_line(&env, base);
    killed_shards(&env, engine, &running);
    drop(guard);
    let left: Vec<_> = running.iter().filter(|p| alive(**p)).collect();
    assert!(left.is_empty(), "still running: {left:?}");
}

/// `eval --engine` runs a question set through the engine (an empty
/// question too, which matches nothing) and scores as the local index.
fn eval_agrees(env: &Env, engine: &str) {
    env.write(
        "q.jsonl",
        concat!(
            r#"{"id":"q1","text":"长江里的江豚数量回升了吗？"}"#,
            "\n",
            r#"{"id":"q2","text":""}"#,
            "\n",
            r#"{"id":"q3","text":"ＡＩ公司发布了什么？"}"#,
            "\n",
        ),
    );
    env.write("qrels.tsv", "q1\tgen-3\t1\nq2\tgen-0\t1\nq3\tgen-1\t1\n");
    let args = [
        "eval",
        "--json",
        "--queries",
        "q.jsonl",
        "--qrels",
        "qrels.tsv",
    ];
    let run = |extra: &[&str]| {
        let mut a = args.to_vec();
        a.extend_from_slice(extra);
        let r = env.run(&a);
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
        r.json().pop().expect("summary")
    };
    let (local, far) = (run(&["-i", "idx"]), run(&["--engine", engine]));
    assert_eq!(local["queries"], far["queries"], "{local} {far}");
    eprintln!(
        "eval: local MRR@10 {} --engine {}",
        local["mrr@10"], far["mrr@10"]
    );
}

/// `count --engine URL --engine-dir` gives the local buckets.
fn counts_agree(env: &Env, base: u16) {
    let url = format!("sphinx://127.0.0.1:{}/news", base + 7);
    for by in ["year", "source"] {
        let local = env.run(&["count", "江", "--by", by, "--json", "-i", "idx"]);
        let far = env.run(&[
            "count",
            "江",
            "--by",
            by,
            "--json",
            "--engine",
            &url,
            "--engine-dir",
            "cl",
        ]);
        assert_eq!(far.code, 0, "{}", far.stderr);
        let sorted = |r: &Run| {
            let mut v: Vec<String> = r.stdout.lines().map(str::to_string).collect();
            v.sort();
            v
        };
        assert_eq!(sorted(&local), sorted(&far), "count --by {by}");
    }
}

fn errors_are_one_line(env: &Env, base: u16) {
    let wrong_index = format!("sphinx://127.0.0.1:{}/nope", base + 7);
    let dead_port = format!("sphinx://127.0.0.1:{}/news", base + 8);
    for (spec, needle) in [
        (wrong_index.as_str(), "nope"),
        (dead_port.as_str(), "cannot connect"),
        ("sphinx://127.0.0.1/news", "sphinx://HOST:PORT/INDEX"),
    ] {
        let r = env.run(&["search", "长江", "--engine", spec, "--engine-dir", "cl"]);
        r.assert_error(needle);
    }
    env.run(&["search", "长江", "--engine", "missing/cluster.json"])
        .assert_error("cluster.json");
}

/// `count --json` with a shard down: the `total` line says `partial`
/// (plain, by year, several queries), one line on stderr names the node.
fn partial_counts(env: &Env, engine: &str) {
    for extra in [&[][..], &["--by", "year"], &["--query", "长江"]] {
        let mut args = vec!["count", "的", "--json", "--engine", engine];
        args.extend_from_slice(extra);
        let r = env.run(&args);
        assert_eq!(r.code, 0, "{extra:?}: {}", r.stderr);
        let totals: Vec<_> = r
            .json()
            .into_iter()
            .filter(|v| v["type"] == "total")
            .collect();
        assert!(!totals.is_empty(), "{}", r.stdout);
        assert!(totals.iter().all(|t| t["partial"] == true), "{}", r.stdout);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(r.stderr.contains("shard1"), "{}", r.stderr);
    }
    let whole = env.run(&["count", "的", "--json", "-i", "idx"]);
    assert!(!whole.stdout.contains("partial"), "{}", whole.stdout);
}

/// One shard killed: partial, saying which; all killed: an error.
fn killed_shards(env: &Env, engine: &str, running: &[u32]) {
    let whole = search(env, Some(engine), &["的"], &[]).summary()["total_hits"].clone();
    assert!(Command::new("kill")
        .arg(running[1].to_string())
        .status()
        .unwrap()
        .success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    let r = search(env, Some(engine), &["的"], &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.summary();
    assert_eq!(s["partial"], true, "{}", r.stdout);
    assert!(s["total_hits"].as_u64() < whole.as_u64(), "{s} vs {whole}");
    let lines: Vec<&str> = r.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "{}", r.stderr);
    assert!(
        lines[0].contains("partial") && lines[0].contains("shard1"),
        "{}",
        r.stderr
    );
    let local = search(env, None, &["的"], &[]);
    assert!(
        local.summary().get("partial").is_none(),
        "local summary unchanged"
    );
    partial_counts(env, engine);
    for pid in [running[0], running[2]] {
        assert!(Command::new("kill")
            .arg(pid.to_string())
            .status()
            .unwrap()
            .success());
    }
    std::thread::sleep(std::time::Duration::from_millis(500));
    search(env, Some(engine), &["的"], &[]).assert_error("shard");
}
