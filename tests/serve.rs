//! `newsidx serve`: the real server on a free loopback port, against an
//! index the test builds, checked against the CLI.

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::core::corpus;
use crate::http::{enc, eventually, request, Server};
use crate::util::Env;

/// The core corpus plus articles for dates, sources, relaxing and markup.
pub fn serve_corpus(env: &Env) {
    corpus(env);
    env.write(
        "more/robots.jsonl",
        concat!(
            r#"{"id":"r-1","title":"工厂引进机器人生产线","body":"一家汽车工厂引进了新的机器人生产线，产量提高三成。工人们正在学习操作机器人。","date":"2023-07-02","source":"经济日报"}"#,
            "\n",
            r#"{"id":"r-2","title":"养老院试用陪护机器人","body":"几家养老院开始试用陪护机器人，它们可以提醒老人按时吃药。","date":"2023-08-19","source":"健康时报"}"#,
            "\n",
            r#"{"id":"r-3","title":"机器人大赛在京举行","body":"全国青少年机器人大赛在北京举行，三百支队伍参赛。马斯克的公司也派人观摩。","date":"2024-01-05","source":"经济日报"}"#,
            "\n",
            r#"{"id":"r-4","title":"农业机器人下田","body":"在东北的稻田里，除草机器人开始代替人工作业。","source":"农民日报"}"#,
            "\n",
            r#"{"id":"x-1","title":"<script>alert('标题')</script>机器人","body":"正文里有<img src=x onerror=alert(1)>和<script>alert(2)</script>，机器人也在这里。","date":"2024-02-02","source":"<b>来源</b>"}"#,
            "\n",
        ),
    );
}

fn indexed() -> Env {
    let env = Env::new();
    serve_corpus(&env);
    let r = env.run(&["index", "news", "more", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

/// The hit lines of `newsidx search --json` with `args`.
fn cli_hits(env: &Env, args: &[&str]) -> (Vec<Value>, Value) {
    let mut a = vec!["search", "--json"];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    (r.hits(), r.summary())
}

#[test]
fn the_api_and_the_cli_agree_hit_for_hit() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    // (query, API parameters, CLI options)
    let cases: &[(&str, &str, &[&str])] = &[
        ("机器人", "", &[]),
        ("\"长江江豚\"", "", &[]),
        ("机器人 -马斯克", "", &[]),
        (
            "机器人",
            "&since=2023-01-01&until=2023-12-31",
            &["--since", "2023-01-01", "--until", "2023-12-31"],
        ),
        ("机器人", "&sort=date", &["--sort", "date"]),
        ("机器人", "&limit=2&offset=1", &["-n", "2", "--offset", "1"]),
        ("江豚 马拉松", "", &[]),
        ("机器人 source:经济日报", "", &[]),
        (
            "机器人",
            "&collapse=false&passages=1",
            &["--no-collapse", "--passages", "1"],
        ),
    ];
    let mut saw_relaxed = false;
    for (q, params, opts) in cases {
        let r = server.get(&format!("/api/search?q={}{params}", enc(q)));
        assert_eq!(r.status, 200, "{q}: {}", r.text());
        let api = r.json();
        let mut args: Vec<&str> = opts.to_vec();
        args.push("--");
        args.push(q);
        let (hits, summary) = cli_hits(&env, &args);
        assert!(!hits.is_empty(), "{q}: the CLI found nothing");
        assert_eq!(api["hits"].as_array().unwrap(), &hits, "{q} {params}");
        assert_eq!(api["total_hits"], summary["total_hits"], "{q}");
        assert_eq!(api["relaxed"], summary["relaxed"], "{q}");
        assert_eq!(api["returned"], summary["returned"], "{q}");
        assert_eq!(api["query"], json!(q));
        if !api["relaxed"].is_null() {
            saw_relaxed = true;
            assert!(api["relaxed_hits"].as_u64().unwrap() > 0, "{api}");
        } else {
            assert!(api["relaxed_hits"].is_null(), "{api}");
        }
        // The same search as a JSON body.
        let mut body = json!({"q": q});
        for (k, v) in params.split('&').filter_map(|kv| kv.split_once('=')) {
            body[k] = json!(v);
        }
        let p = server.post("/api/search", body.to_string().as_bytes());
        assert_eq!(p.status, 200, "{}", p.text());
        assert_eq!(p.json()["hits"], api["hits"], "{q} POST");
    }
    assert!(saw_relaxed, "no case was relaxed");
}

#[test]
fn facets_count_every_matching_article() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    for q in ["机器人", "机器人 -马斯克", "江豚 马拉松"] {
        let api = server
            .get(&format!("/api/search?q={}&limit=1", enc(q)))
            .json();
        // Every match, uncollapsed, from the CLI.
        let (hits, summary) = cli_hits(&env, &["--no-collapse", "-n", "1000", "--", q]);
        // Facets count what `total_hits` counts: matches as written, not the
        // hits a relaxed search adds (those carry `relaxed`).
        let hits: Vec<_> = hits
            .into_iter()
            .filter(|h| h.get("relaxed").is_none_or(|r| r.is_null()))
            .collect();
        assert_eq!(hits.len() as u64, summary["total_hits"].as_u64().unwrap());
        let mut by_source: BTreeMap<Option<String>, u64> = BTreeMap::new();
        let mut by_month: BTreeMap<Option<String>, u64> = BTreeMap::new();
        for h in &hits {
            *by_source
                .entry(h["source"].as_str().map(str::to_string))
                .or_default() += 1;
            *by_month
                .entry(h["date"].as_str().map(|d| d[..7].to_string()))
                .or_default() += 1;
        }
        let got = |name: &str| -> BTreeMap<Option<String>, u64> {
            api["facets"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| {
                    (
                        b["key"].as_str().map(str::to_string),
                        b["count"].as_u64().unwrap(),
                    )
                })
                .collect()
        };
        assert_eq!(got("sources"), by_source, "{q}: {api}");
        assert_eq!(got("months"), by_month, "{q}: {api}");
        let months = api["facets"]["months"].as_array().unwrap();
        let keys: Vec<_> = months.iter().map(|b| b["key"].clone()).collect();
        let mut sorted = keys.clone();
        sorted.sort_by_key(|k| (k.is_null(), k.as_str().map(str::to_string)));
        assert_eq!(keys, sorted, "months in order, undated last");
    }
    // Filters narrow the facets too; without facets there are none.
    let api = server
        .get(
            "/api/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&source=%E7%BB%8F%E6%B5%8E%E6%97%A5%E6%8A%A5",
        )
        .json();
    assert_eq!(api["total_hits"], 2, "{api}");
    assert_eq!(
        api["facets"]["sources"],
        json!([{"key": "经济日报", "count": 2}])
    );
    let api = server.get("/api/search?q=x&facets=false").json();
    assert!(api.get("facets").is_none(), "{api}");
}

#[test]
fn batch_streams_json_lines_like_the_cli() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    let queries = "机器人\n\n\"长江江豚\"\n\"没有结束的引号\n江豚 马拉松\n";
    env.write("batch.txt", queries);
    let r = env.run(&["search", "--json", "-n", "3", "--batch", "batch.txt"]);
    let strip = |mut v: Value| {
        if let Some(o) = v.as_object_mut() {
            o.remove("elapsed_ms");
            o.remove("message");
        }
        v
    };
    let cli: Vec<Value> = r.json().into_iter().map(strip).collect();
    let resp = server.post("/api/batch?limit=3", queries.as_bytes());
    assert_eq!(resp.status, 200, "{}", resp.text());
    assert!(resp
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/x-ndjson")));
    let api: Vec<Value> = resp.json_lines().into_iter().map(strip).collect();
    assert_eq!(api, cli);
    assert_eq!(api.iter().filter(|v| v["type"] == "error").count(), 1);
    // A JSON line carries its own parameters.
    let resp = server.post(
        "/api/batch",
        "{\"q\":\"机器人\",\"limit\":1,\"sort\":\"date\"}\n{\"q\":\"机器人\",\"bogus\":1}\n"
            .as_bytes(),
    );
    let lines = resp.json_lines();
    assert_eq!(lines[0]["type"], "hit");
    assert_eq!(lines[0]["score"], Value::Null, "sorted by date");
    assert_eq!(lines[1]["type"], "summary");
    assert_eq!(lines[1]["returned"], 1);
    assert_eq!(lines[2]["type"], "error");
    assert_eq!(lines.len(), 3);
}

#[test]
fn an_article_comes_whole_with_every_match_highlighted() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    let r = server.get(&format!("/api/articles/r-1?q={}", enc("机器人")));
    assert_eq!(r.status, 200, "{}", r.text());
    let a = r.json();
    assert_eq!(a["id"], "r-1");
    assert_eq!(a["date"], "2023-07-02");
    assert_eq!(a["source"], "经济日报");
    let body = a["body"].as_str().unwrap();
    assert!(
        body.starts_with("一家汽车工厂") && body.ends_with("操作机器人。"),
        "{body}"
    );
    let marks: Vec<&str> = a["body_highlights"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| &body[h[0].as_u64().unwrap() as usize..h[1].as_u64().unwrap() as usize])
        .collect();
    assert_eq!(
        marks,
        ["机器人", "机器人"],
        "every match, not only a passage's"
    );
    assert_eq!(a["title_highlights"].as_array().unwrap().len(), 1);
    // Without a query: no highlights. An id derived from a path, with a slash.
    let r = server.get("/api/articles/r-2");
    assert_eq!(r.json()["body_highlights"], json!([]));
    let (hits, _) = cli_hits(&env, &["--", "星海一号"]);
    let id = hits[0]["id"].as_str().unwrap().to_string();
    assert!(id.contains('/'), "{id}");
    let r = server.get(&format!("/api/articles/{}", enc(&id)));
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.json()["id"], json!(id));
    // Never a path from the request: an id that looks like one is just an unknown id.
    server
        .get("/api/articles/..%2F..%2Fetc%2Fpasswd")
        .assert_error(404, "no such id");
    server
        .get("/api/articles/nope")
        .assert_error(404, "\"nope\"");
}

#[test]
fn every_error_is_json_with_its_status() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    server.get("/api/search").assert_error(400, "missing query");
    server
        .get("/api/search?q=%22abc")
        .assert_error(400, "unterminated");
    server
        .get("/api/search?q=x&since=yesterday")
        .assert_error(400, "since");
    server
        .get("/api/search?q=x&until=2023-13-45")
        .assert_error(400, "until");
    server
        .get("/api/search?q=x&sort=best")
        .assert_error(400, "sort");
    server
        .get("/api/search?q=x&limit=ten")
        .assert_error(400, "limit");
    server
        .get("/api/search?q=x&limit=0")
        .assert_error(400, "limit");
    server
        .get("/api/search?q=x&lmit=5")
        .assert_error(400, "lmit");
    server
        .post("/api/search", b"{not json")
        .assert_error(400, "JSON");
    server.get("/api/nothing").assert_error(404, "/api/nothing");
    server
        .req("DELETE", "/api/search", &[], b"")
        .assert_error(405, "DELETE");
    server.get("/api/articles/zzz").assert_error(404, "zzz");
    // Caps: limit and offset, query length, body size.
    server
        .get("/api/search?q=x&limit=1000000")
        .assert_error(400, "1000");
    server
        .get("/api/search?q=x&offset=99999999")
        .assert_error(400, "offset");
    let long = "字".repeat(2_000);
    server
        .get(&format!("/api/search?q={}", enc(&long)))
        .assert_error(413, "limit");
    let big = json!({"q": "字".repeat(350_000)}).to_string();
    assert!(big.len() > 1_000_000);
    server
        .post("/api/search", big.as_bytes())
        .assert_error(413, "too large");
    // A 1 MB URL is refused (by the HTTP layer) and the server goes on.
    let huge = format!("/api/search?q={}", "a".repeat(1 << 20));
    if let Ok(r) = request(&server.addr, "GET", &huge, &[], b"") {
        assert!(r.status >= 400, "{}", r.status);
    }
    let ok = server.get("/api/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA&limit=1000");
    assert_eq!(ok.status, 200, "{}", ok.text());
    assert_eq!(server.get("/api/health").status, 200);
    assert!(!server.log().contains("panicked"), "{}", server.log());
}

#[test]
fn no_index_is_503_until_one_is_built_and_then_new_files_appear_live() {
    let env = Env::new();
    serve_corpus(&env);
    let server = Server::start(env.path(), &["--reload-every", "0.2"], &[]);
    assert!(server.log().contains("warning"), "{}", server.log());
    server.get("/api/health").assert_error(503, "no index");
    server.get("/api/search?q=x").assert_error(503, "no index");
    server.get("/api/stats").assert_error(503, "no index");
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        eventually(60, || server.get("/api/health").status == 200),
        "{}",
        server.log()
    );
    let count = |q: &str| -> u64 {
        let r = server.get(&format!("/api/search?q={}", enc(q)));
        assert_eq!(r.status, 200, "{}", r.text());
        r.json()["total_hits"].as_u64().unwrap()
    };
    // The first commit opened may be the empty one the run starts with.
    assert!(
        eventually(60, || count("星海一号") == 1),
        "{}",
        server.log()
    );
    assert_eq!(count("\"除草机器人\""), 0);
    // Another process indexes a new folder while the server runs.
    let r = env.run(&["index", "news", "more", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        eventually(60, || count("\"除草机器人\"") == 1),
        "{}",
        server.log()
    );
    // And removes a file.
    std::fs::remove_file(env.path().join("more/robots.jsonl")).unwrap();
    let r = env.run(&["index", "news", "more", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        eventually(60, || count("\"除草机器人\"") == 0),
        "{}",
        server.log()
    );
    assert_eq!(count("星海一号"), 1);
    let stats = server.get("/api/stats");
    assert_eq!(stats.status, 200, "{}", stats.text());
    assert_eq!(stats.json()["articles"], 7);
    assert_eq!(stats.json()["limits"]["max_limit"], 1000);
}

#[test]
fn a_token_guards_the_api() {
    let env = indexed();
    for (args, envs) in [
        (vec!["--token", "s3cret"], vec![]),
        (vec![], vec![("NEWSIDX_TOKEN", "s3cret")]),
    ] {
        let server = Server::start(env.path(), &args, &envs);
        let q = "/api/search?q=%E6%9C%BA%E5%99%A8%E4%BA%BA";
        let r = server.get(q);
        r.assert_error(401, "token");
        assert_eq!(r.header("www-authenticate"), Some("Bearer"));
        server
            .req("GET", q, &[("Authorization", "Bearer wrong")], b"")
            .assert_error(401, "wrong token");
        server.post("/api/batch", b"x").assert_error(401, "token");
        server.get("/api/articles/r-1").assert_error(401, "token");
        server.get("/api/stats").assert_error(401, "token");
        let ok = server.req("GET", q, &[("Authorization", "Bearer s3cret")], b"");
        assert_eq!(ok.status, 200, "{}", ok.text());
        // Health and the page itself need no token.
        assert_eq!(server.get("/api/health").status, 200);
        assert_eq!(server.get("/").status, 200);
        assert_eq!(server.get("/assets/app.js").status, 200);
        assert!(!server.log().contains("s3cret"), "{}", server.log());
    }
    let r = env.run(&["serve", "--token", " "]);
    r.assert_error("token");
}

#[test]
fn markup_in_articles_comes_back_as_text() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    let r = server.get("/api/articles/x-1");
    assert!(r
        .header("content-type")
        .is_some_and(|c| c.starts_with("application/json")));
    let a = r.json();
    assert_eq!(a["title"], "<script>alert('标题')</script>机器人");
    assert!(a["body"]
        .as_str()
        .unwrap()
        .contains("<img src=x onerror=alert(1)>"));
    assert_eq!(a["source"], "<b>来源</b>");
}

#[test]
fn it_warns_off_loopback_and_stops_cleanly_on_sigterm() {
    let env = indexed();
    let mut server = Server::start(env.path(), &["--addr", "0.0.0.0:0"], &[]);
    let log = server.log();
    assert!(
        log.contains("warning") && log.contains("other machines"),
        "{log}"
    );
    assert_eq!(log.matches("warning").count(), 1, "{log}");
    let st = server.terminate();
    assert!(st.success(), "{st:?}: {}", server.log());
    assert!(server.log().contains("shutting down"), "{}", server.log());

    let mut server = Server::start(env.path(), &[], &[]);
    assert!(!server.log().contains("warning"), "{}", server.log());
    assert!(server.terminate().success());
    // Listening where another server listens is a clean error.
    let first = Server::start(env.path(), &[], &[]);
    let r = env.run(&["serve", "--addr", &first.addr]);
    r.assert_error("cannot listen");
}
