//! Keyword search that is exact and counts honestly: runs matched as
//! typed, verbatim first, totals of matches as written, relaxation only
//! when nothing matches, `count`. The real binary on text the tests write.

use crate::util::{shared_data, Env};

/// A JSON Lines record.
fn rec(id: &str, date: Option<&str>, title: &str, text: &str) -> String {
    serde_json::json!({"id": id, "date": date, "title": title, "text": text}).to_string()
}

/// An index of a small corpus: 哈萨克斯坦 (and 萨克斯, 斯坦福 beside it), a
/// name jieba splits (巴布什金 → 巴 布什 金) and articles with those pieces
/// apart, 夜市小吃 once verbatim in a long article and apart in short ones.
fn corpus() -> Env {
    let filler = "今年以来，各地加强服务保障，群众生活总体平稳有序。".repeat(6);
    let lines = [
        rec(
            "kz1",
            Some("2023-05-01"),
            "访问",
            "哈萨克斯坦总统访问北京，双方签署合作协议。",
        ),
        rec(
            "kz2",
            Some("2024-02-01"),
            "粮食",
            "来自哈萨克斯坦的小麦运抵连云港。",
        ),
        rec("kz3", None, "博览会", "中亚国家哈萨克斯坦举办博览会。"),
        rec(
            "sax",
            Some("2023-06-01"),
            "音乐会",
            "他在音乐会上演奏萨克斯，观众掌声不断。",
        ),
        rec(
            "stan",
            Some("2023-07-01"),
            "研究",
            "斯坦福大学的研究人员发布报告。",
        ),
        rec(
            "name",
            Some("2023-08-01"),
            "人事",
            "伊戈尔·巴布什金加入新公司，负责模型训练。",
        ),
        rec(
            "bush1",
            Some("2023-09-01"),
            "讲话",
            "布什总统在讲话中提到巴西和金砖国家。",
        ),
        rec(
            "bush2",
            Some("2023-10-01"),
            "访问",
            "前总统布什访问巴黎，参观金字塔展览。",
        ),
        rec(
            "ys-typed",
            Some("2023-11-01"),
            "见闻",
            &format!("{filler}老街上的夜市小吃吸引游客。{filler}"),
        ),
        rec(
            "ys-apart1",
            Some("2023-12-01"),
            "夜市",
            "夜市特色小吃多。夜市里人人爱吃小吃，小吃在夜市。",
        ),
        rec(
            "ys-apart2",
            Some("2023-12-02"),
            "夜市",
            "夜市的小吃，小吃的夜市，夜市有小吃。",
        ),
    ];
    let env = Env::new();
    env.write("news.jsonl", lines.join("\n"));
    let r = env.run(&["index", "-q", "news.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_fragment_is_matched_as_typed_like_its_quoted_form() {
    let env = corpus();
    for q in ["萨克斯坦", "\"萨克斯坦\""] {
        let r = env.run(&["search", "--json", "--no-collapse", q]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        assert_eq!(sorted(r.hit_strings("id")), ["kz1", "kz2", "kz3"], "{q}");
        assert_eq!(r.summary()["total_hits"], 3, "{q}");
        assert_eq!(r.summary()["relaxed_hits"], 0, "{q}");
    }
    let r = env.run(&["analyze", "--mode", "query", "萨克斯坦"]);
    assert!(r.stdout.contains("萨克斯坦: as typed"), "{}", r.stdout);
}

#[test]
fn a_name_jieba_splits_finds_only_itself() {
    let env = corpus();
    let r = env.run(&["search", "--json", "巴布什金"]);
    assert_eq!(r.hit_strings("id"), ["name"]);
    let s = r.summary();
    assert_eq!(
        (s["total_hits"].as_u64(), s["relaxed_hits"].as_u64()),
        (Some(1), Some(0))
    );
    assert!(s["relaxed"].is_null(), "{s}");
    // analyze shows the decision and why.
    let r = env.run(&["analyze", "--mode", "query", "--json", "巴布什金"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(v["runs"][0]["searched"], "as_typed", "{v}");
    assert_eq!(
        v["runs"][0]["pieces"],
        serde_json::json!(["巴", "布什", "金"])
    );
    assert_eq!(v["tokens"][0]["text"], "巴布什金");
    // Runs of words the index knows keep "every word, anywhere".
    let r = env.run(&["analyze", "--mode", "query", "夜市小吃"]);
    assert!(
        r.stdout
            .starts_with("夜市 小吃  # 夜市小吃: words anywhere"),
        "{}",
        r.stdout
    );
}

#[test]
fn keywords_relax_only_when_nothing_matches_and_count_apart() {
    let env = corpus();
    // Nothing has 巴布什尔 as typed: articles with some of its words are
    // shown, counted apart and marked.
    let r = env.run(&["search", "--json", "--no-collapse", "巴布什尔"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.summary();
    assert_eq!(s["total_hits"], 0, "{s}");
    assert!(s["relaxed_hits"].as_u64().unwrap_or(0) >= 3, "{s}");
    let hits = r.hits();
    assert!(!hits.is_empty());
    for h in &hits {
        assert!(h["relaxed"].is_array(), "{h}");
    }
    // More of the words first.
    let matched: Vec<u64> = hits
        .iter()
        .map(|h| h["relaxed"][0].as_u64().unwrap_or(0))
        .collect();
    assert!(matched.windows(2).all(|w| w[0] >= w[1]), "{matched:?}");
    let human = env.run(&["search", "--color", "never", "巴布什尔"]);
    assert!(
        human.stdout.contains("no article matches as written"),
        "{}",
        human.stdout
    );
    assert!(
        human.stdout.contains("0 matching articles"),
        "{}",
        human.stdout
    );
    // --no-relax: nothing, exit 1.
    let r = env.run(&["search", "--json", "--no-relax", "巴布什尔"]);
    assert_eq!(r.code, 1);
    assert!(r.hits().is_empty());
    assert_eq!(r.summary()["relaxed_hits"], 0);
    // Keywords with a match as written are never relaxed.
    let r = env.run(&["search", "--json", "巴西 布什"]);
    assert_eq!(r.hit_strings("id"), ["bush1"]);
    assert!(r.summary()["relaxed"].is_null());
}

#[test]
fn verbatim_first_on_every_page() {
    let env = corpus();
    let page = |offset: usize| {
        let off = offset.to_string();
        let r = env.run(&[
            "search",
            "--json",
            "--no-collapse",
            "-n",
            "1",
            "--offset",
            &off,
            "夜市小吃",
        ]);
        r.hit_strings("id")
    };
    // The short articles with 北京 and 小吃 apart score higher, but the
    // one with 夜市小吃 as typed comes first.
    let r = env.run(&["search", "--json", "--no-collapse", "夜市小吃"]);
    let all = r.hit_strings("id");
    assert_eq!(all[0], "ys-typed", "{all:?}");
    assert_eq!(sorted(all.clone()), ["ys-apart1", "ys-apart2", "ys-typed"]);
    assert_eq!(r.summary()["total_hits"], 3);
    for (i, id) in all.iter().enumerate() {
        assert_eq!(page(i), std::slice::from_ref(id), "page {i}");
    }
    // Apart, the scores tell the other story.
    let r = env.run(&["search", "--json", "--no-collapse", "夜市 小吃"]);
    assert_ne!(r.hit_strings("id")[0], "ys-typed");
}

#[test]
fn seed_and_raw_find_the_name_once() {
    let (Some(seed), Some(raw)) = (shared_data("seed"), shared_data("news/raw")) else {
        return;
    };
    let env = Env::new();
    let r = env.run(&["index", "-q", seed.to_str().unwrap(), raw.to_str().unwrap()]);
    assert!(r.code == 0 || r.code == 2, "{}", r.stderr);
    let r = env.run(&["search", "--json", "巴布什金"]);
    let hits = r.hits();
    assert_eq!(hits.len(), 1, "{}", r.stdout);
    assert!(
        hits[0]["path"].as_str().unwrap_or("").contains("seed"),
        "{}",
        hits[0]
    );
    assert_eq!(r.summary()["total_hits"], 1);
    assert_eq!(r.summary()["relaxed_hits"], 0);
}

#[test]
fn count_counts_what_search_counts_by_bucket() {
    let env = corpus();
    let r = env.run(&["count", "萨克斯坦"]);
    assert_eq!((r.code, r.stdout.trim()), (0, "3"), "{}", r.stderr);
    let r = env.run(&["count", "巴布什金"]);
    assert_eq!(r.stdout.trim(), "1");
    // By year: one line per bucket, undated under null, then the total.
    let r = env.run(&["count", "萨克斯坦", "--by", "year", "--json"]);
    let lines = r.json();
    assert_eq!(
        lines,
        [
            serde_json::json!({"type": "bucket", "key": "2023", "count": 1}),
            serde_json::json!({"type": "bucket", "key": "2024", "count": 1}),
            serde_json::json!({"type": "bucket", "key": null, "count": 1}),
            serde_json::json!({"type": "total", "count": 3}),
        ]
    );
    // Never relaxed: what nothing matches as written counts 0 (exit 1).
    let r = env.run(&["count", "巴布什尔"]);
    assert_eq!((r.code, r.stdout.trim()), (1, "0"));
    // Batch: each line carries its query.
    let mut cmd = std::process::Command::new(crate::util::bin());
    cmd.args(["count", "--batch", "-"]);
    let out = {
        use std::io::Write;
        let mut child = cmd
            .current_dir(env.path())
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all("萨克斯坦\n夜市小吃\n".as_bytes())
            .expect("write");
        child.wait_with_output().expect("wait")
    };
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(r#"{"type":"total","query":"萨克斯坦","count":3}"#),
        "{text}"
    );
    assert!(
        text.contains(r#"{"type":"total","query":"夜市小吃","count":3}"#),
        "{text}"
    );
}

#[test]
fn a_headline_reads_as_a_description_ranked_and_relaxed_like_a_question() {
    let env = corpus();
    // Six words typed without a space: a headline, not a name. The article
    // with every word comes first and is the only one counted; articles
    // with some of the words follow, marked and counted apart.
    let q = "总统访问巴黎参观金字塔展览";
    let r = env.run(&["search", "--json", "--no-collapse", q]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids = r.hit_strings("id");
    assert_eq!(ids[0], "bush2", "{ids:?}");
    let s = r.summary();
    assert_eq!(s["total_hits"], 1, "{s}");
    assert!(s["relaxed_hits"].as_u64().unwrap_or(0) >= 2, "{s}");
    assert!(ids.contains(&"bush1".to_string()), "{ids:?}");
    let hits = r.hits();
    assert!(hits[0]["relaxed"].is_null(), "{}", hits[0]);
    assert!(
        hits[1..].iter().all(|h| h["relaxed"].is_array()),
        "{hits:?}"
    );
    let r = env.run(&["analyze", "--mode", "query", "--json", q]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(v["reading"], "description", "{v}");
    assert_eq!(v["question"], false, "{v}");
    // The same words typed apart are keywords: every one, nothing relaxed.
    let r = env.run(&[
        "search",
        "--json",
        "--no-collapse",
        "总统 访问 巴黎 参观 金字塔 展览",
    ]);
    assert_eq!(r.hit_strings("id"), ["bush2"]);
    assert!(r.summary()["relaxed"].is_null());
    // So is a name of three words typed together.
    let r = env.run(&["analyze", "--mode", "query", "--json", "夜市小吃"]);
    let v: serde_json::Value = serde_json::from_str(r.stdout.trim()).expect("json");
    assert_eq!(v["reading"], "keywords", "{v}");
    // --no-relax holds for descriptions too.
    let r = env.run(&["search", "--json", "--no-collapse", "--no-relax", q]);
    assert_eq!(r.hit_strings("id"), ["bush2"]);
}
