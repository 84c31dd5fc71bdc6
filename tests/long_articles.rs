//! Long articles: a question's answer in one section of a long article
//! ranks it above a short article that only mentions the question's words
//! (the best passage, `best_passage`, a re-ranking feature of questions).

use crate::util::Env;

/// An index of a long article whose one section answers the question
/// (`long`), a short article with the same words and no answer (`short`),
/// and a few unrelated ones; the question judged to `long`.
fn corpus() -> Env {
    let env = Env::new();
    let filler =
        "今年汛期以来，沿江各地加强巡查，群众生活总体平稳。各地农户抓紧秋收，粮食产量稳中有升。";
    let long = format!(
        "{}\n\n鄱阳湖江豚保护区建于2004年，禁渔以来江豚数量逐年回升。\n\n{}",
        filler.repeat(40),
        filler.repeat(40)
    );
    let mut docs = vec![
        serde_json::json!({"id": "long", "title": "秋收时节见闻", "text": long}),
        serde_json::json!({"id": "short", "title": "湖区见闻",
            "text": "鄱阳湖的江豚保护区建于湖区北部，游客很多。"}),
    ];
    for (i, t) in [
        "城市地铁新线路今天开通运营，市民出行更加方便。",
        "本市举办秋季运动会，数千名学生参加比赛。",
        "新的图书馆落成开放，藏书超过百万册。",
        "气象台预报明天有小雨，气温略有下降。",
    ]
    .iter()
    .enumerate()
    {
        docs.push(serde_json::json!({"id": format!("o{i}"), "title": "本地新闻", "text": t}));
    }
    let lines: Vec<String> = docs.iter().map(|d| d.to_string()).collect();
    env.write("corpus.jsonl", lines.join("\n") + "\n");
    let r = env.run(&["index", "--quiet", "-i", "idx", "corpus.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env.write("qrels.tsv", "q1\tlong\t1\n");
    env
}

/// The ids `newsidx eval --per-query` ranks for `query` (judged to
/// `long`), with `extra` arguments.
fn ranked(env: &Env, query: &str, extra: &[&str]) -> Vec<String> {
    let q = serde_json::json!({"id": "q1", "text": query});
    env.write("queries.jsonl", format!("{q}\n"));
    let mut args = vec![
        "eval",
        "-i",
        "idx",
        "--json",
        "--per-query",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "qrels.tsv",
    ];
    args.extend_from_slice(extra);
    let r = env.run(&args);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let first = r.json().into_iter().find(|v| v["type"] == "query");
    let first = first.unwrap_or_else(|| panic!("no query line in {}", r.stdout));
    first["top"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn a_long_article_with_the_answer_in_one_section_ranks_first() {
    let env = corpus();
    let question = "鄱阳湖江豚保护区建于哪一年？";
    // BM25 discounts the long article for its length: the short one
    // comes first without the re-ranking, and without the best passage.
    assert_eq!(
        ranked(&env, question, &["--set", "rerank_depth=0"])[0],
        "short"
    );
    assert_eq!(
        ranked(&env, question, &["--set", "question.best_passage=0"])[0],
        "short"
    );
    // The best passage gives back what the length took.
    assert_eq!(ranked(&env, question, &[])[0], "long");
    // A narrower passage than the short article: then it is long too, and
    // its best passage counts the same way (both rank, nothing breaks).
    let both = ranked(&env, question, &["--set", "best_passage_chars=16"]);
    assert_eq!(both.len(), 2, "{both:?}");
}

#[test]
fn eval_features_give_the_best_passage_of_long_articles_only() {
    let env = corpus();
    env.write(
        "queries.jsonl",
        format!(
            "{}\n",
            serde_json::json!({"id": "q1", "text": "鄱阳湖江豚保护区建于哪一年？"})
        ),
    );
    let r = env.run(&[
        "eval",
        "-i",
        "idx",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "qrels.tsv",
        "--features",
        "f.jsonl",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let text = std::fs::read_to_string(env.path().join("f.jsonl")).expect("features");
    let v: serde_json::Value = serde_json::from_str(text.trim()).expect("json");
    let cands = v["candidates"].as_array().cloned().unwrap_or_default();
    let gain = |id: &str| {
        cands
            .iter()
            .find(|c| c["id"] == id)
            .and_then(|c| c["best_passage"].as_f64())
            .unwrap_or_else(|| panic!("no {id} in {v}"))
    };
    assert_eq!(gain("short"), 0.0, "a short article is its own passage");
    assert!(gain("long") > 0.2, "{v}");
}
