//! `newsidx export --to opensearch`: the files' shape against the
//! documented `_bulk` and index APIs (no engine runs here), and the
//! `_search` bodies `--query` prints.

use std::collections::HashSet;

use serde_json::Value;

use crate::util::Env;

fn corpus() -> String {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("corpus")
        .to_string_lossy()
        .into_owned()
}

/// (action, document) pairs of every bulk file, in order; checks sizes.
fn bulk(dir: &std::path::Path) -> Vec<(Value, Value)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "ndjson"))
        .collect();
    files.sort();
    assert!(!files.is_empty());
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.len() as u64 <= 16 * 1024 * 1024, "{}", f.display());
        assert!(text.ends_with('\n'), "_bulk needs a final newline");
        let lines: Vec<Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len() % 2, 0);
        for pair in lines.chunks(2) {
            out.push((pair[0].clone(), pair[1].clone()));
        }
    }
    out
}

#[test]
fn bulk_files_hold_every_article_once_with_stable_ids_and_mapped_fields() {
    let env = Env::new();
    let r = env.run(&["index", &corpus(), "-i", "idx", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let total: u64 = env.run(&["stats", "--json", "-i", "idx"]).json()[0]["articles"]
        .as_u64()
        .expect("articles");
    for out in ["os1", "os2"] {
        let r = env.run(&[
            "export",
            "--to",
            "opensearch",
            "--out",
            out,
            "--shards",
            "2",
            "-i",
            "idx",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let one = bulk(&env.path().join("os1"));
    let two = bulk(&env.path().join("os2"));
    assert_eq!(one.len() as u64, total);
    let ids: HashSet<String> = one
        .iter()
        .map(|(a, _)| a["index"]["_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids.len(), one.len(), "an article twice");
    let ids2: HashSet<String> = two
        .iter()
        .map(|(a, _)| a["index"]["_id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(ids, ids2, "ids not stable across exports");
    let index: Value =
        serde_json::from_str(&std::fs::read_to_string(env.path().join("os1/index.json")).unwrap())
            .unwrap();
    let props = index["mappings"]["properties"].as_object().unwrap();
    assert_eq!(index["mappings"]["dynamic"], "strict");
    assert_eq!(index["settings"]["number_of_shards"], 2);
    let tok = &index["settings"]["analysis"]["tokenizer"]["newsidx_terms"];
    assert_eq!(tok["type"], "pattern");
    assert_eq!(tok["pattern"], "[\\u200B\\s]+");
    for (action, doc) in &one {
        assert_eq!(action["index"]["_index"], "news");
        for key in doc.as_object().unwrap().keys() {
            assert!(props.contains_key(key), "{key} is not mapped");
        }
        assert!(
            doc["body_bg"].as_str().unwrap().contains('\u{200B}')
                || doc["body"].as_str().unwrap().chars().count() < 3
        );
    }
}

fn body(env: &Env, args: &[&str]) -> Value {
    let mut a = vec!["export", "--to", "opensearch"];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn query_prints_the_search_body_of_every_kind_of_query() {
    let env = Env::new();
    let b = body(
        &env,
        &[
            "--query",
            "\"长江\" 江豚 -黄河 title:大桥 source:新华",
            "--sort",
            "date",
            "--since",
            "2024-01-01",
            "-n",
            "5",
            "--offset",
            "10",
        ],
    );
    let q = &b["query"]["bool"];
    let text = q.to_string();
    assert_eq!(q["must"].as_array().unwrap().len(), 3, "{text}");
    assert!(text.contains("\u{E001}长江\u{E000}"), "{text}");
    assert!(q["must_not"].to_string().contains("\u{E001}黄河\u{E000}"));
    assert!(q["filter"].to_string().contains("source_bg"));
    assert!(q["filter"].to_string().contains("\"gte\":1704067200"));
    assert!(q["must"].to_string().contains("title_bg"));
    assert_eq!(b["sort"][0]["date"]["order"], "desc");
    assert_eq!(
        (b["size"].as_u64(), b["from"].as_u64()),
        (Some(5), Some(10))
    );
    assert!(b["highlight"]["fields"]["body"].is_object());
    let or = body(&env, &["--query", "长江 OR 黄河"]);
    assert_eq!(
        or["query"]["bool"]["must"][0]["bool"]["minimum_should_match"],
        1
    );
    let edge = body(&env, &["--query", "\"江，黄\""]);
    assert!(edge.to_string().contains("span_multi"), "{edge}");
    let r = env.run(&["export", "--to", "opensearch", "--query", "\"\""]);
    r.assert_error("nothing to search for");
}

fn ids(dir: &std::path::Path) -> HashSet<String> {
    bulk(dir)
        .iter()
        .map(|(a, _)| a["index"]["_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn parts_of_a_dump_export_split_it_without_overlap() {
    let env = Env::new();
    let whole = env.run(&["export", "--to", "opensearch", "--out", "all", &corpus()]);
    assert_eq!(whole.code, 0, "{}", whole.stderr);
    let all = ids(&env.path().join("all"));
    let mut seen = HashSet::new();
    for k in 0..2 {
        let out = format!("part{k}");
        let r = env.run(&[
            "export",
            "--to",
            "opensearch",
            "--out",
            &out,
            "--shard",
            &format!("{k}/2"),
            &corpus(),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let part = ids(&env.path().join(&out));
        assert!(
            !part.is_empty() && part.len() < all.len(),
            "{k}: {}",
            part.len()
        );
        assert!(part.is_disjoint(&seen));
        seen.extend(part);
    }
    assert_eq!(seen, all);
}

#[test]
fn bad_export_options_are_one_line_errors() {
    let env = Env::new();
    env.write("full/x.txt", "something");
    let c = corpus();
    let cases: [(&[&str], &str); 5] = [
        (
            &[
                "export", "--to", "sphinx", "--out", "o", "--shard", "3/2", &c,
            ],
            "--shard 3/2",
        ),
        (
            &["export", "--to", "sphinx", "--out", "full", &c],
            "not empty",
        ),
        (
            &["export", "--to", "sphinx", "--out", "o", "-i", "nowhere"],
            "no index here",
        ),
        (
            &[
                "export", "--to", "sphinx", "--out", "o", "--shards", "2", "--nodes", "h1:9312", &c,
            ],
            "--nodes names 1 hosts",
        ),
        (
            &["export", "--to", "sphinx", "--query", "长江"],
            "--to opensearch",
        ),
    ];
    for (args, needle) in cases {
        env.run(args).assert_error(needle);
    }
}
