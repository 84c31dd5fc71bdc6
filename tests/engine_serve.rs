//! `newsidx serve --engine`, live: the bundled corpus and a generated one,
//! indexed locally and exported to 3 Sphinx shards on free loopback ports
//! (`start.sh`), served over HTTP from the engine. `/api/search` gives the
//! local index's `total_hits` and ids and the CLI's `search --engine` hit
//! for hit, also under concurrent requests; `/api/count` and an article
//! work; what needs the local index (kwic, terms, stats) answers 400 in
//! one line; `/api/health` says the server searches an engine. A killed
//! shard makes the answer `"partial": true`, naming the node, and the page
//! shows a notice (headless Chromium, when installed; a screenshot in
//! `target/tmp/browser/`). Skipped, with a message, where `searchd` or
//! `indexer` is not installed.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::Value;

use crate::browser::{chromium, dom, screenshot};
use crate::export_sphinx::{alive, export_index, indexed_env, installed, start};
use crate::http::{enc, Server};
use crate::util::Env;

/// Queries of several kinds (words, a phrase, an exclusion, a field, OR,
/// a source, dates, a relaxed question, nothing).
const QUERIES: &[(&str, &str)] = &[
    ("长江", ""),
    ("江豚", "&since=2024-03-05&until=2024-03-20"),
    ("\"长江 生态\"", ""),
    ("长江 -江豚", ""),
    ("title:长江", ""),
    ("长江 OR 黄河", ""),
    ("source:测试源1 江豚", ""),
    ("ＡＩ", ""),
    ("长江禁渔", ""),
    ("长江", "&sort=date"),
    ("zzzzqqq", ""),
];

/// `/api/search` for `q`: every hit, uncollapsed, no passages.
fn api(server: &Server, q: &str, extra: &str) -> Value {
    let r = server.get(&format!(
        "/api/search?q={}&limit=500&collapse=false&passages=0{extra}",
        enc(q)
    ));
    assert_eq!(r.status, 200, "{q}: {}", r.text());
    r.json()
}

fn api_ids(v: &Value) -> Vec<String> {
    v["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|h| h["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// `search --json` of `q` with the options of [`api`]'s `extra`, over the
/// local index or the engine: the ids in order and the summary.
fn cli(env: &Env, engine: Option<&str>, q: &str, extra: &str) -> (Vec<String>, Value) {
    let mut args = vec![
        "search",
        "--json",
        "-n",
        "500",
        "--no-collapse",
        "--passages",
        "0",
    ];
    for part in extra.split('&').filter(|p| !p.is_empty()) {
        let (k, v) = part.split_once('=').expect("k=v");
        args.push(match k {
            "since" => "--since",
            "until" => "--until",
            "sort" => "--sort",
            _ => panic!("{k}"),
        });
        args.push(v);
    }
    match engine {
        Some(e) => args.extend(["--engine", e]),
        None => args.extend(["-i", "idx"]),
    }
    args.extend(["--", q]);
    let r = env.run(&args);
    assert!(r.code == 0 || r.code == 1, "{q}: {}", r.stderr);
    (r.hit_strings("id"), r.summary())
}

#[test]
fn serve_engine_answers_like_local_and_reports_a_shard_down() {
    if !["searchd", "indexer"].iter().all(|c| installed(c)) {
        eprintln!("SKIPPED: searchd or indexer not installed (apt-get install sphinxsearch)");
        return;
    }
    let (env, _) = indexed_env();
    export_index(&env);
    let (guard, running) = start(&env.path().join("cl"));
    let server = Server::start(env.path(), &["--engine", "cl/cluster.json"], &[]);

    let mut expected = Vec::new();
    for (q, extra) in QUERIES {
        let v = api(&server, q, extra);
        assert!(v.get("partial").is_none(), "{q}: {v}");
        let (local, ls) = cli(&env, None, q, extra);
        assert_eq!(v["total_hits"], ls["total_hits"], "{q} {extra}");
        let ids = api_ids(&v);
        let set = |v: &[String]| v.iter().cloned().collect::<BTreeSet<_>>();
        assert_eq!(set(&ids), set(&local), "{q} {extra}: the local ids");
        let (far, _) = cli(&env, Some("cl/cluster.json"), q, extra);
        assert_eq!(ids, far, "{q} {extra}: search --engine, in order");
        expected.push((v["total_hits"].clone(), ids));
    }
    concurrent(&server, &expected);
    other_routes(&env, &server);
    shard_down(&env, &server, &running);
    drop(server);
    drop(guard);
    let left: Vec<_> = running.iter().filter(|p| alive(**p)).collect();
    assert!(left.is_empty(), "still running: {left:?}");
}

/// Eight clients at once, each asking every query in its own order: every
/// answer is the one asked alone.
fn concurrent(server: &Server, expected: &[(Value, Vec<String>)]) {
    std::thread::scope(|s| {
        for t in 0..8 {
            s.spawn(move || {
                for i in 0..QUERIES.len() * 2 {
                    let k = (i + t * 3) % QUERIES.len();
                    let (q, extra) = QUERIES[k];
                    let v = api(server, q, extra);
                    assert_eq!(v["total_hits"], expected[k].0, "{q} {extra}");
                    assert_eq!(api_ids(&v), expected[k].1, "{q} {extra}");
                    assert!(v.get("partial").is_none(), "{q}: {v}");
                }
            });
        }
    });
}

/// `/api/count` and an article work; kwic, terms and stats answer 400.
fn other_routes(env: &Env, server: &Server) {
    let local = env.run(&["count", "江豚", "-i", "idx"]);
    let v = server
        .get(&format!("/api/count?q={}&by=year", enc("江豚")))
        .json();
    assert_eq!(
        v["series"][0]["total"].to_string(),
        local.stdout.trim(),
        "{v}"
    );
    let a = server.get("/api/articles/gen-1");
    assert_eq!(a.status, 200, "{}", a.text());
    assert_eq!(a.json()["id"], "gen-1");
    for path in [
        format!("/api/kwic?q={}", enc("长江")),
        format!("/api/kwic.csv?q={}", enc("长江")),
        format!("/api/terms?q={}", enc("长江")),
        "/api/stats".to_string(),
    ] {
        let r = server.get(&path);
        r.assert_error(400, "engine");
        assert_eq!(r.text().lines().count(), 1, "{path}: {}", r.text());
    }
    let h = server.get("/api/health").json();
    assert_eq!(h["engine"], true, "{h}");
}

/// One shard killed: the answer says it is partial and names the node;
/// the page shows the notice.
fn shard_down(env: &Env, server: &Server, running: &[u32]) {
    let whole = api(server, "的", "")["total_hits"].as_u64();
    let killed = Command::new("kill")
        .arg(running[1].to_string())
        .status()
        .expect("kill");
    assert!(killed.success());
    std::thread::sleep(std::time::Duration::from_millis(500));
    let v = api(server, "的", "");
    assert_eq!(v["partial"], true, "{v}");
    let why = v["unanswered"].as_str().unwrap_or("");
    assert!(why.contains("shard1"), "{v}");
    assert!(v["total_hits"].as_u64() < whole, "{v}");
    // Another query is partial too: the shard is still down.
    let again = api(server, "长江", "");
    assert_eq!(again["partial"], true, "{again}");
    let Some(exe) = chromium() else {
        eprintln!("SKIPPED (page): chromium not installed");
        return;
    };
    let url = format!("http://{}/?q={}", server.addr, enc("的"));
    let d = dom(&exe, env, &url);
    assert!(d.contains("id=\"partial\""), "{d}");
    assert!(d.contains("部分分片无响应：结果可能不完整"), "{d}");
    assert!(d.contains("shard1"), "{d}");
    assert!(d.contains("data-engine=\"1\""), "{d}");
    assert!(d.contains("<nav id=\"tabs\" class=\"tabs\" hidden"), "{d}");
    screenshot(&exe, env, &url, "engine-partial.png", "1200,900");
}
