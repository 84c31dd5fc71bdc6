//! One JSON convention across commands: every `--json` record is one flat
//! object whose first key, `type`, names it (README, "JSON Lines").

use crate::util::Env;

/// The `type` of each JSON line of `stdout`, checking it comes first.
fn types(stdout: &str) -> Vec<String> {
    stdout
        .lines()
        .map(|l| {
            assert!(l.starts_with("{\"type\":\""), "type is not first: {l}");
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON line");
            v["type"].as_str().expect("type").to_string()
        })
        .collect()
}

#[test]
fn every_command_s_json_records_carry_a_type() {
    let env = Env::new();
    env.write(
        "news/a.json",
        r#"{"id":"a1","title":"长江江豚数量回升","body":"长江江豚的数量近年明显回升。","date":"2024-03-01"}"#,
    );
    env.write("news/b.txt", "黄河水量\n\n黄河今年的水量比往年多。\n");
    assert_eq!(env.run(&["index", "news", "-q"]).code, 0);

    let r = env.run(&["stats", "--json"]);
    assert_eq!(types(&r.stdout), ["stats"]);
    assert_eq!(r.json()[0]["articles"], 2);

    let r = env.run(&["inspect", "news", "--json"]);
    assert_eq!(types(&r.stdout), ["file", "file", "summary"]);
    let first = &r.json()[0];
    assert_eq!(first["articles"], 1, "{first}");
    assert!(first["path"].is_string() && first["format"].is_string());

    let r = env.run(&["analyze", "--json", "长江江豚"]);
    assert_eq!(types(&r.stdout), ["line"]);
    assert_eq!(r.json()[0]["tokens"][0]["text"], "长江");

    env.write("q.jsonl", "{\"id\":\"q1\",\"text\":\"长江江豚\"}\n");
    env.write("r.tsv", "q1\ta1\t1\n");
    let args = ["eval", "--queries", "q.jsonl", "--qrels", "r.tsv", "--json"];
    let r = env.run(&args);
    assert_eq!(types(&r.stdout), ["summary"], "{}", r.stderr);
    assert_eq!(r.json()[0]["mrr@10"], 1.0);
    let r = env.run(&[&args[..], &["--per-query"]].concat());
    assert_eq!(types(&r.stdout), ["query", "summary"]);
    assert_eq!(r.json()[0]["first_relevant"], 1);

    let r = env.run(&["search", "--json", "江豚"]);
    assert_eq!(types(&r.stdout), ["hit", "summary"]);
}
