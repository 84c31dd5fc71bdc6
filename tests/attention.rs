//! Attention over time (issue 26): `count --by day|week|month
//! --normalize`, several queries on the same buckets, CSV, `/api/count`
//! and the comparison timeline of the page, on a corpus with known counts
//! per day, week and month.

use serde_json::{json, Value};

use crate::browser::{chromium, dom, screenshot};
use crate::http::{enc, Server};
use crate::util::Env;

/// Twelve articles: January 5 (江豚 on 3 and 20, three others), February
/// 1, March 5 (江豚 on the 11th, 禁渔 on the 12th and 13th, two others),
/// and an undated one on 江豚.
fn attention_corpus() -> Env {
    let env = Env::new();
    let mut lines = String::new();
    let mut n = 0;
    let mut add = |date: Option<&str>, title: &str, body: &str, source: &str| {
        n += 1;
        let mut v = json!({"id": format!("t-{n}"), "title": title, "body": body, "source": source});
        if let Some(d) = date {
            v["date"] = json!(d);
        }
        lines.push_str(&v.to_string());
        lines.push('\n');
    };
    add(
        Some("2024-01-03"),
        "江豚现身湖口",
        "长江江豚在湖口水域出现。",
        "甲报",
    );
    add(
        Some("2024-01-20"),
        "江豚保护区巡护",
        "巡护员记录到三头江豚。",
        "乙报",
    );
    for d in ["2024-01-05", "2024-01-06", "2024-01-07"] {
        add(Some(d), "今日天气", "今天晴，气温回升。", "甲报");
    }
    add(
        Some("2024-02-14"),
        "元宵灯会",
        "灯会吸引了许多游客。",
        "乙报",
    );
    add(
        Some("2024-03-11"),
        "江豚数量回升",
        "调查显示江豚种群增加。",
        "甲报",
    );
    add(
        Some("2024-03-12"),
        "禁渔令延长",
        "长江禁渔延长至明年。",
        "甲报",
    );
    add(
        Some("2024-03-13"),
        "渔民转产",
        "禁渔以后渔民转产上岸。",
        "乙报",
    );
    for d in ["2024-03-01", "2024-03-02"] {
        add(Some(d), "今日天气", "今天有雨，出门带伞。", "乙报");
    }
    add(None, "江豚没有日期", "一篇没有日期的江豚报道。", "甲报");
    env.write("news/a.jsonl", lines);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

fn bucket(q: Option<&str>, key: Option<&str>, count: u64, of: Option<(u64, f64)>) -> Value {
    let mut v = json!({"type": "bucket"});
    if let Some(q) = q {
        v["query"] = json!(q);
    }
    v["key"] = json!(key);
    v["count"] = json!(count);
    if let Some((of, share)) = of {
        v["of"] = json!(of);
        v["share"] = json!(share);
    }
    v
}

/// `a` and `b` equal, shares within 1e-12 (serde_json reads floats to the
/// nearest few ulps).
fn same(a: &Value, b: &Value) -> bool {
    let (Some(x), Some(y)) = (a.as_object(), b.as_object()) else {
        return a == b;
    };
    x.len() == y.len()
        && x.iter().all(
            |(k, v)| match (v.as_f64(), y.get(k).and_then(Value::as_f64)) {
                (Some(p), Some(q)) if k == "share" => (p - q).abs() < 1e-12,
                _ => y.get(k) == Some(v),
            },
        )
}

fn assert_same(got: &[Value], want: &[Value]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert!(same(g, w), "got {g}, want {w}");
    }
}

#[test]
fn normalized_months_give_the_index_count_and_the_share() {
    let env = attention_corpus();
    let r = env.run(&["count", "江豚", "--by", "month", "--normalize", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_same(
        &r.json(),
        &[
            bucket(None, Some("2024-01"), 2, Some((5, 0.4))),
            bucket(None, Some("2024-02"), 0, Some((1, 0.0))),
            bucket(None, Some("2024-03"), 1, Some((5, 0.2))),
            bucket(None, None, 1, Some((1, 1.0))),
            json!({"type": "total", "count": 4, "of": 12, "share": 4.0 / 12.0}),
        ],
    );
    // Without the new options, the old output, byte for byte.
    let r = env.run(&["count", "江豚", "--by", "month"]);
    assert_eq!(r.stdout, "2024-01\t2\n2024-03\t1\n(none)\t1\ntotal\t4\n");
    // Years and sources normalise too.
    let r = env.run(&["count", "江豚", "--by", "source", "--normalize", "--json"]);
    let lines = r.json();
    assert_eq!(
        lines[0],
        bucket(None, Some("甲报"), 3, Some((7, 3.0 / 7.0)))
    );
    assert_eq!(lines[1], bucket(None, Some("乙报"), 1, Some((5, 0.2))));
}

#[test]
fn several_queries_line_up_on_the_same_weeks() {
    let env = attention_corpus();
    check_weeks(&env);
    check_days_in_range(&env);
    check_human_table(&env);
}

/// Two queries by week: every ISO week present for both, in the same order.
fn check_weeks(env: &Env) {
    let r = env.run(&[
        "count", "--query", "江豚", "--query", "禁渔", "--by", "week", "--json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines = r.json();
    let keys_of = |q: &str| -> Vec<Value> {
        lines
            .iter()
            .filter(|l| l["type"] == "bucket" && l["query"] == q)
            .map(|l| l["key"].clone())
            .collect()
    };
    let counts_of = |q: &str| -> Vec<u64> {
        lines
            .iter()
            .filter(|l| l["type"] == "bucket" && l["query"] == q)
            .map(|l| l["count"].as_u64().unwrap())
            .collect()
    };
    // ISO weeks 1 to 11 of 2024, every one present, then the undated.
    let mut want: Vec<Value> = (1..=11).map(|w| json!(format!("2024-W{w:02}"))).collect();
    want.push(Value::Null);
    assert_eq!(keys_of("江豚"), want);
    assert_eq!(keys_of("禁渔"), want);
    assert_eq!(counts_of("江豚"), [1, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    assert_eq!(counts_of("禁渔"), [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0]);
    assert!(lines.contains(&json!({"type": "total", "query": "禁渔", "count": 2})));
    assert!(lines.iter().all(|l| l.get("of").is_none()));
}

/// Days inside --since/--until: the range is the dates given.
fn check_days_in_range(env: &Env) {
    let r = env.run(&[
        "count",
        "禁渔",
        "--by",
        "day",
        "--since",
        "2024-03-10",
        "--until",
        "2024-03-14",
        "--json",
    ]);
    let got: Vec<(Value, Value)> = r
        .json()
        .into_iter()
        .filter(|l| l["type"] == "bucket")
        .map(|l| (l["key"].clone(), l["count"].clone()))
        .collect();
    let want: Vec<(Value, Value)> = [("10", 0), ("11", 0), ("12", 1), ("13", 1), ("14", 0)]
        .iter()
        .map(|(d, n)| (json!(format!("2024-03-{d}")), json!(n)))
        .collect();
    assert_eq!(got, want);
}

/// The human table: one column per query, aligned.
fn check_human_table(env: &Env) {
    let r = env.run(&[
        "count",
        "--query",
        "江豚",
        "--query",
        "禁渔",
        "--by",
        "month",
        "--normalize",
    ]);
    let rows: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(
        rows[0], "key      of  江豚        %  禁渔       %",
        "{}",
        r.stdout
    );
    assert_eq!(
        rows[3], "2024-03   5     1   20.00%     2  40.00%",
        "{}",
        r.stdout
    );
    assert_eq!(
        rows[5], "total    12     4   33.33%     2  16.67%",
        "{}",
        r.stdout
    );
}

#[test]
fn csv_and_batch_series() {
    let env = attention_corpus();
    let r = env.run(&[
        "count",
        "--query",
        "江豚",
        "--query",
        "江豚,禁渔",
        "--by",
        "month",
        "--normalize",
        "--csv",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let head: Vec<String> = rd.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(head, ["query", "key", "count", "of", "share"]);
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 8, "{}", r.stdout);
    assert_eq!(rows[0], ["江豚", "2024-01", "2", "5", "0.4"]);
    assert_eq!(rows[3], ["江豚", "", "1", "1", "1"]);
    assert_eq!(rows[6], ["江豚,禁渔", "2024-03", "0", "5", "0"]);
    assert!(
        r.stdout.contains("\"江豚,禁渔\",2024-03,0,5,0\n"),
        "{}",
        r.stdout
    );

    // A batch: one aligned series per line; a bad line costs its own error.
    let list = env.write("q.txt", "江豚\n\"未闭合\n禁渔\n");
    let r = env.run(&[
        "count",
        "--batch",
        list.to_str().unwrap(),
        "--by",
        "year",
        "--normalize",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    let lines = r.json();
    assert_eq!(lines[3]["type"], "error");
    assert_same(
        &[lines[0].clone(), lines[4].clone(), lines[5].clone()],
        &[
            bucket(Some("江豚"), Some("2024"), 3, Some((11, 3.0 / 11.0))),
            bucket(Some("禁渔"), Some("2024"), 2, Some((11, 2.0 / 11.0))),
            bucket(Some("禁渔"), None, 0, Some((1, 0.0))),
        ],
    );

    // Errors name the query; no hits exit 1.
    env.run(&["count", "--query", "江豚", "--query", "\"abc"])
        .assert_error("query \"\\\"abc\"");
    let r = env.run(&["count", "--query", "火星", "--by", "week"]);
    assert_eq!((r.code, r.stdout.as_str()), (1, "total  0\n"));
    let help = env.run(&["count", "--help"]).stdout;
    assert!(help.contains("newsidx count --query 江豚 --query 长江禁渔 --by month --normalize"));
    assert!(help.contains("ISO 8601"), "{help}");
}

#[test]
fn the_count_route_answers_what_the_cli_counts() {
    let env = attention_corpus();
    let server = Server::start(env.path(), &[], &[]);
    check_route_matches_cli(&env, &server);
    check_route_weeks_and_source(&server);
    check_route_bad_requests(&env, &server);
}

/// Two queries by month, normalised: the route's series are the CLI's
/// buckets.
fn check_route_matches_cli(env: &Env, server: &Server) {
    let r = server.get(&format!(
        "/api/count?q={}&vs={}&normalize=1",
        enc("江豚"),
        enc("禁渔")
    ));
    assert_eq!(r.status, 200, "{}", r.text());
    let api = r.json();
    assert_eq!(api["by"], "month");
    let cli = env.run(&[
        "count",
        "--query",
        "江豚",
        "--query",
        "禁渔",
        "--by",
        "month",
        "--normalize",
        "--json",
    ]);
    for (i, q) in ["江豚", "禁渔"].iter().enumerate() {
        let s = &api["series"][i];
        assert_eq!(s["query"], *q);
        let mine: Vec<Value> = cli
            .json()
            .into_iter()
            .filter(|l| l["type"] == "bucket" && l["query"] == *q)
            .map(|mut l| {
                let o = l.as_object_mut().unwrap();
                o.remove("type");
                o.remove("query");
                l
            })
            .collect();
        assert_eq!(s["buckets"].as_array().unwrap(), &mine, "{q}");
    }
    assert_eq!(api["series"][0]["total"], 4);
    assert_eq!(api["series"][0]["of"], 12);
}

/// Weeks with dates and a source, and shares of a source's articles.
fn check_route_weeks_and_source(server: &Server) {
    // Weeks with dates and a source, and no normalisation: no `of`.
    let r = server.get(&format!(
        "/api/count?q={}&by=week&since=2024-01-01&until=2024-01-21&source={}",
        enc("江豚"),
        enc("乙报")
    ));
    let b = &r.json()["series"][0]["buckets"];
    assert_eq!(
        b,
        &json!([
            {"key": "2024-W01", "count": 0},
            {"key": "2024-W02", "count": 0},
            {"key": "2024-W03", "count": 1}
        ])
    );
    // With a source, shares are of that source's articles: 乙报 has 1
    // article in January (on 江豚), 1 in February, 3 in March.
    let r = server.get(&format!(
        "/api/count?q={}&source={}&normalize=1",
        enc("江豚"),
        enc("乙报")
    ));
    let s = &r.json()["series"][0];
    assert_eq!(s["of"], 5, "{s}");
    assert_eq!(
        s["buckets"],
        json!([{"key": "2024-01", "count": 1, "of": 1, "share": 1.0}])
    );
}

/// Bad requests: each a 400 naming what is wrong; a 401 without the token.
fn check_route_bad_requests(env: &Env, server: &Server) {
    server.get("/api/count?vs=x").assert_error(400, "missing q");
    server
        .get("/api/count?q=x&by=decade")
        .assert_error(400, "decade");
    server
        .get("/api/count?q=x&nope=1")
        .assert_error(400, "unknown parameter");
    server.get("/api/count?q=%22x").assert_error(400, "query");
    let six = "q=a&vs=b&vs=c&vs=d&vs=e&vs=f";
    server
        .get(&format!("/api/count?{six}"))
        .assert_error(400, "at most 5");
    server
        .get("/api/count?q=x&by=day&since=1900-01-01&until=2100-01-01")
        .assert_error(400, "buckets");
    let guarded = Server::start(env.path(), &["--token", "s3cret"], &[]);
    guarded.get("/api/count?q=x").assert_error(401, "token");
}

#[test]
fn markdown_headings_stay_out_of_passages() {
    let env = Env::new();
    env.write(
        "news/a.md",
        "# 县医院用上AI读片\n\n*2022年8月15日 · 某报*\n\n医生几分钟就能完成初步判断。\n\n## 最终诊断仍由医生负责\n\n> 医院规定，诊断报告必须由医生签字。\n",
    );
    assert_eq!(env.run(&["index", "news", "-q"]).code, 0);
    let r = env.run(&["search", "--json", "最终诊断"]);
    let hits = r.hits();
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    let text = hits[0]["passages"].to_string();
    assert!(text.contains("最终诊断仍由医生负责"), "{text}");
    assert!(
        !text.contains('#') && !text.contains('>') && !text.contains('*'),
        "{text}"
    );
}

#[test]
fn the_comparison_timeline_in_a_real_browser() {
    let Some(exe) = chromium() else {
        eprintln!("SKIPPED: chromium not found (Debian: apt-get install chromium fonts-noto-cjk)");
        return;
    };
    let env = attention_corpus();
    let server = Server::start(env.path(), &[], &[]);
    let base = format!("http://{}", server.addr);
    let url = format!(
        "{base}/?q={}&vs={}&vs={}&share=1",
        enc("江豚"),
        enc("禁渔"),
        enc("天气")
    );
    let d = dom(&exe, &env, &url);
    assert!(d.contains("data-state=\"done\""), "{d}");
    assert!(d.contains("id=\"tl-chart\""), "{d}");
    assert_eq!(d.matches("class=\"line\"").count(), 3, "{d}");
    for q in ["江豚", "禁渔", "天气"] {
        assert!(
            d.contains(&format!("<li data-query=\"{q}\">")),
            "legend {q}: {d}"
        );
    }
    // Exact figures on hover: March for 禁渔, 2 of the 5 articles.
    assert!(
        d.contains("禁渔：2 篇 / 全部 5 篇 = 40.0%"),
        "hover figures: {d}"
    );
    assert!(
        d.contains("data-mode=\"share\" class=\"on\"")
            || d.contains("class=\"on\" data-mode=\"share\""),
        "{d}"
    );
    // Counts mode without comparison keeps the bars; the date boxes are
    // text in YYYY-MM-DD.
    let d = dom(
        &exe,
        &env,
        &format!("{base}/?q={}&since=2024-01-01", enc("江豚")),
    );
    assert!(d.contains("data-month=\"2024-03\""), "{d}");
    assert!(!d.contains("id=\"tl-chart\""), "{d}");
    assert!(d.contains("placeholder=\"YYYY-MM-DD\""), "{d}");
    assert!(!d.contains("type=\"date\""), "{d}");
    assert!(d.contains("value=\"2024-01-01\""), "{d}");
    let shot = screenshot(&exe, &env, &url, "compare-shares.png", "1280,900");
    let counts = format!(
        "{base}/?q={}&vs={}&vs={}",
        enc("江豚"),
        enc("禁渔"),
        enc("天气")
    );
    screenshot(&exe, &env, &counts, "compare-counts.png", "1280,900");
    if let Ok(dir) = std::env::var("NEWSIDX_SCREENSHOTS") {
        let _ = std::fs::copy(&shot, std::path::Path::new(&dir).join("compare-shares.png"));
    }
}

#[test]
fn a_batch_by_year_gives_series_that_line_up() {
    let env = Env::new();
    let rec = |id: &str, date: &str, text: &str| {
        serde_json::json!({"id": id, "date": date, "title": text, "text": text}).to_string()
    };
    let lines = [
        rec("1", "2021-05-01", "江豚出现在湖口。"),
        rec("2", "2023-05-01", "江豚数量增加。"),
        rec("3", "2023-06-01", "禁渔效果明显。"),
    ];
    env.write("news.jsonl", lines.join("\n"));
    env.write("queries.txt", "江豚\n禁渔\n");
    assert_eq!(env.run(&["index", "-q", "news.jsonl"]).code, 0);
    let r = env.run(&["count", "--batch", "queries.txt", "--by", "year"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let keys = |q: &str| -> Vec<(String, u64)> {
        r.json()
            .iter()
            .filter(|v| v["type"] == "bucket" && v["query"] == q)
            .map(|v| {
                (
                    v["key"].as_str().unwrap_or("").to_string(),
                    v["count"].as_u64().unwrap_or(99),
                )
            })
            .collect()
    };
    let y = |k: &str, n: u64| (k.to_string(), n);
    assert_eq!(keys("江豚"), [y("2021", 1), y("2022", 0), y("2023", 1)]);
    assert_eq!(keys("禁渔"), [y("2021", 0), y("2022", 0), y("2023", 1)]);
}
