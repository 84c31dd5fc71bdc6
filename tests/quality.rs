//! Search quality features through the real binary: `analyze`, `eval`,
//! Traditional/Simplified folding and the user dictionary.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

fn newsidx(dir: &Path, args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsidx"))
        .arg("-i")
        .arg(dir.join("idx"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run newsidx");
    if let Some(s) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(s.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("wait for newsidx")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write file");
}

/// `newsidx eval --json` of queries.jsonl and qrels.tsv in `dir`, with
/// `extra` arguments.
fn eval_json(dir: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "eval",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "qrels.tsv",
        "--json",
    ];
    args.extend_from_slice(extra);
    let o = newsidx(dir, &args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    serde_json::from_str(stdout(&o).trim()).expect("json")
}

const CORPUS: &str = r#"{"id":"p1","title":"长江","text":"长江是中国第一大河，全长六千三百公里，流经十一个省市。"}
{"id":"p2","title":"黄河","text":"黄河是中国第二长河，被称为中华民族的母亲河。"}
{"id":"p3","title":"特斯拉","text":"特斯拉執行長馬斯克上週訪問臺灣，與當地供應商會面。"}
{"id":"p4","title":"珠江","text":"珠江是中国南方的大河，流经广东。"}
"#;

#[test]
fn analyze_words_folds_and_keeps_punctuation() {
    let t = tempfile::tempdir().expect("tempdir");
    let o = newsidx(t.path(), &["analyze", "馬斯克在臺灣，ＡＩ"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o), "马斯克 在 台湾 ， ai\n");
}

#[test]
fn analyze_reads_lines_from_stdin_with_json_offsets() {
    let t = tempfile::tempdir().expect("tempdir");
    let o = newsidx(
        t.path(),
        &["analyze", "--mode", "query", "--json"],
        Some("黃河在哪裡？\n\n长江有多长\n"),
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3);
    let first = &lines[0];
    let line = first["text"].as_str().unwrap_or_default();
    let tok = &first["tokens"][0];
    assert_eq!(tok["text"], "黄河");
    let (s, e) = (
        tok["start"].as_u64().unwrap_or(0) as usize,
        tok["end"].as_u64().unwrap_or(0) as usize,
    );
    assert_eq!(&line[s..e], "黃河");
    assert_eq!(lines[1]["tokens"].as_array().map(Vec::len), Some(0));
}

#[test]
fn analyze_index_mode_shows_inner_words() {
    let t = tempfile::tempdir().expect("tempdir");
    let o = newsidx(
        t.path(),
        &["analyze", "--mode", "index", "中华人民共和国"],
        None,
    );
    let out = stdout(&o);
    assert!(out.split_whitespace().any(|w| w == "人民"), "{out}");
    assert!(
        out.split_whitespace().any(|w| w == "中华人民共和国"),
        "{out}"
    );
}

#[test]
fn eval_reports_metrics_as_json() {
    let t = tempfile::tempdir().expect("tempdir");
    write(t.path(), "corpus.jsonl", CORPUS);
    write(
        t.path(),
        "queries.jsonl",
        concat!(
            "{\"id\":\"q1\",\"text\":\"长江全长多少公里？\",\"answers\":[]}\n",
            "{\"id\":\"q2\",\"text\":\"哪条河被称为母亲河？\",\"answers\":[]}\n",
            "{\"id\":\"q3\",\"text\":\"馬斯克訪問了哪裡？\",\"answers\":[]}\n",
            "{\"id\":\"q4\",\"text\":\"没有判断的问题\",\"answers\":[]}\n",
        ),
    );
    write(
        t.path(),
        "qrels.tsv",
        "query-id\tcorpus-id\tscore\nq1\tp1\t1\nq2\tp2\t1\nq3\tp3\t1\n",
    );
    let o = newsidx(t.path(), &["index", "--quiet", "corpus.jsonl"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    let v = eval_json(t.path(), &[]);
    assert_eq!(v["queries"], 3);
    for k in ["mrr@10", "ndcg@10", "recall@10", "recall@100"] {
        assert_eq!(v[k].as_f64(), Some(1.0), "{k}: {v}");
    }
    let o = newsidx(
        t.path(),
        &["eval", "--queries", "queries.jsonl", "--qrels", "qrels.tsv"],
        None,
    );
    assert!(stdout(&o).contains("MRR@10"), "{}", stdout(&o));
    let o = newsidx(
        t.path(),
        &["eval", "--queries", "missing.jsonl", "--qrels", "qrels.tsv"],
        None,
    );
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn traditional_and_simplified_find_each_other() {
    let t = tempfile::tempdir().expect("tempdir");
    write(t.path(), "corpus.jsonl", CORPUS);
    let o = newsidx(t.path(), &["index", "--quiet", "corpus.jsonl"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    for q in ["马斯克 台湾", "馬斯克 臺灣"] {
        let o = newsidx(t.path(), &["search", "--json", q], None);
        assert!(o.status.success(), "{q}: {}", stderr(&o));
        let hit: serde_json::Value =
            serde_json::from_str(stdout(&o).lines().next().unwrap_or("{}")).expect("json");
        assert_eq!(hit["id"], "p3", "{q}");
        let p = &hit["passages"][0];
        let text = p["text"].as_str().unwrap_or_default();
        let marked: Vec<&str> = p["highlights"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|h| {
                let r = (h[0].as_u64().unwrap_or(0), h[1].as_u64().unwrap_or(0));
                &text[r.0 as usize..r.1 as usize]
            })
            .collect();
        assert_eq!(marked, ["馬斯克", "臺灣"], "{q}");
    }
    // A Simplified article is found by a Traditional query, too.
    let o = newsidx(t.path(), &["search", "--json", "黃河"], None);
    assert!(stdout(&o).contains("\"id\":\"p2\""), "{}", stdout(&o));
}

#[test]
fn user_dictionary_is_stored_and_a_change_is_reported() {
    let t = tempfile::tempdir().expect("tempdir");
    write(
        t.path(),
        "a.txt",
        "新公司\n伊戈尔·巴布什金加入了蓝字计划。\n",
    );
    write(t.path(), "dict1.txt", "巴布什金\n蓝字计划 nz\n");
    write(t.path(), "dict2.txt", "巴布什金 5000\n");
    let o = newsidx(
        t.path(),
        &["index", "--quiet", "--user-dict", "dict1.txt", "a.txt"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(!stderr(&o).contains("differs"), "{}", stderr(&o));
    // Analysis with -i uses the index's dictionary.
    let o = newsidx(t.path(), &["analyze", "巴布什金加入蓝字计划"], None);
    assert_eq!(stdout(&o), "巴布什金 加入 蓝字计划\n");
    // The same dictionary again: nothing to say.
    let o = newsidx(
        t.path(),
        &["index", "--user-dict", "dict1.txt", "a.txt"],
        None,
    );
    assert!(!stderr(&o).contains("differs"), "{}", stderr(&o));
    // Another dictionary: one line telling to rebuild.
    let o = newsidx(
        t.path(),
        &["index", "--user-dict", "dict2.txt", "a.txt"],
        None,
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let err = stderr(&o);
    let warn = err.lines().filter(|l| l.contains("--rebuild")).count();
    assert_eq!(warn, 1, "{err}");
    // With --rebuild there is nothing to warn about.
    let o = newsidx(
        t.path(),
        &["index", "--rebuild", "--user-dict", "dict1.txt", "a.txt"],
        None,
    );
    assert!(!stderr(&o).contains("differs"), "{}", stderr(&o));
    let o = newsidx(t.path(), &["search", "--json", "蓝字计划"], None);
    assert!(o.status.success(), "{}", stderr(&o));
}

/// A new folder with an index of `corpus` (JSON Lines) and one judged
/// question, `text`, whose relevant article is `relevant`.
fn one_question(corpus: &str, text: &str, relevant: &str) -> tempfile::TempDir {
    let t = indexed(corpus);
    let query = serde_json::json!({"id": "q1", "text": text});
    write(t.path(), "queries.jsonl", &format!("{query}\n"));
    write(t.path(), "qrels.tsv", &format!("q1\t{relevant}\t1\n"));
    t
}

/// A directory with `corpus` (JSON Lines) written and indexed.
fn indexed(corpus: &str) -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    write(t.path(), "corpus.jsonl", corpus);
    let o = newsidx(t.path(), &["index", "--quiet", "corpus.jsonl"], None);
    assert!(o.status.success(), "{}", stderr(&o));
    t
}

/// JSON Lines of `corpus` records.
fn jsonl(records: &[serde_json::Value]) -> String {
    records
        .iter()
        .map(|r| r.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

/// `newsidx search --json ARGS` in `dir`: its hits and its summary line.
fn search_json(dir: &Path, args: &[&str]) -> (Vec<serde_json::Value>, serde_json::Value) {
    let mut a = vec!["search", "--json"];
    a.extend_from_slice(args);
    let o = newsidx(dir, &a, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let mut lines: Vec<serde_json::Value> = String::from_utf8_lossy(&o.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect();
    let summary = lines.pop().unwrap_or_default();
    assert_eq!(summary["type"], "summary", "{summary}");
    (lines, summary)
}

/// The ids of `hits`.
fn ids(hits: &[serde_json::Value]) -> Vec<String> {
    hits.iter()
        .filter_map(|h| h["id"].as_str().map(str::to_string))
        .collect()
}

/// MRR@10 of the judged questions in `dir`, with `extra` eval arguments.
fn mrr(dir: &Path, extra: &[&str]) -> f64 {
    eval_json(dir, extra)["mrr@10"].as_f64().expect("mrr")
}

/// The re-ranking candidates `eval --features` writes for the one query
/// of `dir` (see [`one_question`]).
fn features_of(dir: &Path) -> serde_json::Value {
    let args = [
        "eval",
        "--queries",
        "queries.jsonl",
        "--qrels",
        "qrels.tsv",
        "--json",
        "--features",
        "features.jsonl",
    ];
    let o = newsidx(dir, &args, None);
    assert!(o.status.success(), "{}", stderr(&o));
    let line = std::fs::read_to_string(dir.join("features.jsonl")).expect("features");
    serde_json::from_str(line.trim()).expect("json")
}

#[test]
fn words_close_together_rank_first() {
    let filler = "今年汛期以来，沿江各地加强巡查，群众生活总体平稳。".repeat(4);
    let corpus = format!(
        concat!(
            "{{\"id\":\"far\",\"title\":\"沿江见闻\",\"text\":\"江豚又出现了，江豚成群。{f}{f}",
            "渔民说禁渔是对的，禁渔要坚持。\"}}\n",
            "{{\"id\":\"near\",\"title\":\"沿江见闻\",\"text\":\"{f}十年禁渔让江豚回来了。{f}\"}}\n",
        ),
        f = filler
    );
    let t = one_question(&corpus, "江豚 禁渔", "near");
    let mrr = |set: &[&str]| mrr(t.path(), set);
    // BM25 alone prefers the article that has each word twice, far apart;
    // the re-ranking puts the one with them side by side first, and so does
    // each of its proximity features on its own.
    assert_eq!(mrr(&["--set", "rerank_depth=0"]), 0.5);
    assert_eq!(mrr(&[]), 1.0);
    let only = |name: &str| {
        let mut set = Vec::new();
        for f in [
            "proximity",
            "wide",
            "coverage",
            "title_cover",
            "length",
            "pairs",
            "answer",
        ] {
            set.push("--set".to_string());
            set.push(format!("{f}={}", if f == name { 1 } else { 0 }));
        }
        set
    };
    for f in ["proximity", "wide"] {
        let set = only(f);
        let set: Vec<&str> = set.iter().map(String::as_str).collect();
        assert_eq!(mrr(&set), 1.0, "{f} alone");
    }
}

#[test]
fn a_question_finds_the_passage_with_its_kind_of_answer() {
    let t = one_question(
        concat!(
            "{\"id\":\"talk\",\"title\":\"考试动态\",\"text\":\"雅思报名费调整引发考生关注，很多考生还在讨论雅思报名费。\"}\n",
            "{\"id\":\"price\",\"title\":\"考试动态\",\"text\":\"今年的雅思报名费现为2170元，考生可在网上缴纳。\"}\n",
        ),
        "雅思报名费多少钱",
        "price",
    );
    let mrr = |set: &[&str]| mrr(t.path(), set);
    // BM25 prefers the article that says 雅思报名费 twice; "多少钱" asks
    // for an amount of money, and only the other one has one (2170元).
    assert_eq!(mrr(&["--set", "answer=0"]), 0.5);
    assert_eq!(mrr(&[]), 1.0);
    // The same through `search`: the priced passage first.
    let (hits, _) = search_json(t.path(), &["雅思报名费多少钱"]);
    assert_eq!(ids(&hits).first().map(String::as_str), Some("price"));
}

#[test]
fn eval_collapses_near_duplicates_as_search_does() {
    // Two copies of a syndicated story (titles differ) say 油菜花 three
    // times; the judged article says it once. `search` shows the copies as
    // one hit, so `eval` judges the ranking the user sees: rank 2, not 3.
    let story = "江西婺源的油菜花进入盛花期，连片的油菜花吸引游客前来，村民说今年油菜花开得比往年早，民宿预订量明显上升。";
    let other = "各地赏花季陆续开始，田间的油菜花与古村落相映成趣，景区增开了接驳车，文旅部门提醒游客错峰出行、文明赏花，不要踩踏农田。";
    let corpus = format!(
        concat!(
            "{{\"id\":\"copy1\",\"title\":\"婺源花开\",\"text\":\"{s}\"}}\n",
            "{{\"id\":\"copy2\",\"title\":\"婺源油菜花开\",\"text\":\"{s}\"}}\n",
            "{{\"id\":\"answer\",\"title\":\"春季出游\",\"text\":\"{o}\"}}\n",
        ),
        s = story,
        o = other
    );
    let t = one_question(&corpus, "油菜花", "answer");
    assert_eq!(mrr(t.path(), &["--no-collapse"]), 1.0 / 3.0);
    assert_eq!(mrr(t.path(), &[]), 0.5);
    // A judged copy hidden under the one shown counts where it is shown
    // (copy2, whose title has the word, comes first).
    let t = one_question(&corpus, "油菜花", "copy1");
    assert_eq!(mrr(t.path(), &["--no-collapse"]), 0.5);
    assert_eq!(mrr(t.path(), &[]), 1.0);
    let (hits, _) = search_json(t.path(), &["油菜花"]);
    assert_eq!(ids(&hits), ["copy2", "answer"]);
}

#[test]
fn copies_collapse_but_a_notice_repeated_a_year_later_does_not() {
    let story = "国家统计局今天发布数据显示，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，就业物价总体平稳，国际收支基本平衡。分产业看，第一产业增加值增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。社会消费品零售总额增长百分之六点八，其中服务零售额增长更快。";
    let article = |id: &str, date: &str, text: &str| serde_json::json!({"id": id, "title": "经济数据", "date": date, "text": text});
    let t = indexed(&jsonl(&[
        article("orig", "2024-10-18", story),
        article(
            "copy",
            "2024-10-19",
            &format!("新华社北京电 记者张三报道：{story}（责任编辑：李四）"),
        ),
        article("lastyear", "2023-10-18", story),
        article(
            "other",
            "2024-10-18",
            "前三季度社会消费品零售总额保持增长，服务消费成为新的亮点。",
        ),
    ]));
    let hits = |extra: &[&str]| {
        let mut args = vec!["社会消费品零售总额"];
        args.extend_from_slice(extra);
        search_json(t.path(), &args).0
    };
    assert_eq!(hits(&["--no-collapse"]).len(), 4);
    let collapsed = hits(&[]);
    let shown: Vec<(&str, Vec<&str>)> = collapsed
        .iter()
        .map(|h| {
            let dups = h["duplicates"]
                .as_array()
                .map(|a| a.iter().filter_map(|d| d.as_str()).collect())
                .unwrap_or_default();
            (h["id"].as_str().unwrap_or(""), dups)
        })
        .collect();
    // The byline copy of the next day is folded into the story (or the
    // other way round); the same text a year earlier is its own article.
    assert_eq!(shown.len(), 3, "{shown:?}");
    let pair: Vec<&str> = shown
        .iter()
        .find(|(_, d)| !d.is_empty())
        .map(|(id, d)| std::iter::once(*id).chain(d.iter().copied()).collect())
        .unwrap_or_default();
    assert!(
        pair.contains(&"orig") && pair.contains(&"copy"),
        "{shown:?}"
    );
    assert!(
        shown
            .iter()
            .any(|(id, d)| *id == "lastyear" && d.is_empty()),
        "{shown:?}"
    );
}

#[test]
fn a_short_copy_with_a_byline_collapses_but_a_warning_with_the_same_lead_does_not() {
    // Two ~60-character warnings, one with a byline appended (too short a
    // text for the shingles' resemblance to reach 85 %: the copy holds the
    // other whole); and a warning that shares its lead, and a digest that
    // holds it whole but adds a story, which are news of their own.
    let warning = "中央气象台今天早晨继续发布暴雨蓝色预警，预计今天白天到夜间，江南东部、华南北部等地有大雨，局地暴雨，请注意防范。";
    let article = |id: &str, text: &str| serde_json::json!({"id": id, "title": "天气预警", "date": "2024-06-18", "text": text});
    let t = indexed(&jsonl(&[
        article("warning", warning),
        article("byline", &format!("{warning}（记者 王明 通讯员 李华）")),
        article(
            "same_lead",
            "中央气象台今天早晨继续发布暴雨蓝色预警，预计今天白天到夜间，四川盆地西部、陕西南部等地有暴雨，请注意防范山洪地质灾害。",
        ),
        article(
            "digest",
            &format!("{warning}长江流域今年首场大范围降雨过程结束，多地水位回落，防汛应急响应已全部解除。"),
        ),
    ]));
    let shown = |extra: &[&str]| -> Vec<(String, Vec<String>)> {
        let mut args = vec!["暴雨"];
        args.extend_from_slice(extra);
        search_json(t.path(), &args)
            .0
            .iter()
            .map(|h| {
                let dups = h["duplicates"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|d| d.as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default();
                (h["id"].as_str().unwrap_or("").to_string(), dups)
            })
            .collect()
    };
    assert_eq!(shown(&["--no-collapse"]).len(), 4);
    let mut groups: Vec<Vec<String>> = shown(&[])
        .into_iter()
        .map(|(id, dups)| {
            let mut g: Vec<String> = std::iter::once(id).chain(dups).collect();
            g.sort();
            g
        })
        .collect();
    groups.sort();
    assert_eq!(
        groups,
        [
            vec!["byline".to_string(), "warning".to_string()],
            vec!["digest".to_string()],
            vec!["same_lead".to_string()],
        ]
    );
}

#[test]
fn keywords_keep_their_full_matches_and_questions_relax_for_the_re_ranking() {
    // 12 older articles have both words, 40 newer ones only one of them.
    let mut lines = Vec::new();
    for i in 0..12 {
        lines.push(serde_json::json!({
            "id": format!("both{i}"), "title": format!("通报{i}"),
            "date": format!("2024-01-{:02}", i + 1),
            "text": format!("第{i}期：水库调度方案公布，沿岸村民提前转移。")
        }));
    }
    for i in 0..40 {
        lines.push(serde_json::json!({
            "id": format!("one{i}"), "title": format!("简讯{i}"),
            "date": format!("2024-03-{:02}", i % 28 + 1),
            "text": format!("第{i}号：电网调度平稳有序，负荷创新高。")
        }));
    }
    let t = indexed(&jsonl(&lines));
    let search = |args: &[&str]| {
        let mut a = vec!["--no-collapse", "-n", "12"];
        a.extend_from_slice(args);
        let (hits, summary) = search_json(t.path(), &a);
        (ids(&hits), summary)
    };
    // Keywords with a dozen full matches are not relaxed, by relevance or
    // by date (where the newer one-word articles would come first).
    for extra in [&[][..], &["--sort", "date"][..]] {
        let mut args = extra.to_vec();
        args.push("调度 村民");
        let (ids, summary) = search(&args);
        assert_eq!(summary["total_hits"], 12, "{args:?} {summary}");
        assert!(summary["relaxed"].is_null(), "{summary}");
        assert!(ids.iter().all(|id| id.starts_with("both")), "{ids:?}");
    }
    // A question with as few full matches is relaxed, so that the
    // re-ranking has its 30 candidates; full matches still come first.
    // The relaxed articles are counted apart, never in total_hits: no
    // article has every word of the question (时 and 去 too).
    let (ids, summary) = search(&["调度时村民去哪里？"]);
    assert_eq!(summary["relaxed"][0], 1, "{summary}");
    assert_eq!(summary["total_hits"], 0, "{summary}");
    assert_eq!(summary["relaxed_hits"], 52, "{summary}");
    assert!(ids.iter().all(|id| id.starts_with("both")), "{ids:?}");
    // Each relaxed hit is marked with the units it matched.
    let (hits, _) = search_json(
        t.path(),
        &["--no-collapse", "-n", "52", "调度时村民去哪里？"],
    );
    let marks: Vec<String> = hits.iter().map(|h| h["relaxed"].to_string()).collect();
    assert_eq!(marks[..12], vec!["[2,4]".to_string(); 12], "{marks:?}");
    assert_eq!(marks[12..], vec!["[1,4]".to_string(); 40], "{marks:?}");
    // --no-relax: the question as written only, which nothing matches.
    let o = newsidx(
        t.path(),
        &["search", "--json", "--no-relax", "调度时村民去哪里？"],
        None,
    );
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    assert!(
        stdout(&o).contains(r#""total_hits":0,"relaxed_hits":0"#),
        "{}",
        stdout(&o)
    );
}

#[test]
fn collapsing_never_leaves_a_page_short() {
    // 60 copies of one story (each with its own byline) outrank 20 short
    // articles; collapsed, the first page still has 10 hits and the second
    // page goes on where it ended.
    let story = "国家统计局今天发布数据显示，前三季度国内生产总值同比增长百分之五点二，国内生产总值保持增长，经济运行总体回升向好，就业物价总体平稳，国际收支基本平衡。分产业看，第一产业增加值增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。";
    let mut lines = Vec::new();
    for i in 0..60 {
        lines.push(serde_json::json!({
            "id": format!("copy{i:02}"), "title": "国内生产总值同比增长百分之五点二",
            "text": format!("本报记者{i}号报道：{story}")
        }));
    }
    for i in 0..20 {
        lines.push(serde_json::json!({
            "id": format!("brief{i:02}"), "title": format!("简讯{i}"),
            "text": format!("{i}号简讯：各地陆续公布经济数据，国内生产总值数据随后发布。")
        }));
    }
    let t = indexed(&jsonl(&lines));
    let page = |args: &[&str]| {
        let mut a = vec!["国内生产总值"];
        a.extend_from_slice(args);
        ids(&search_json(t.path(), &a).0)
    };
    let all = page(&["-n", "100"]);
    assert_eq!(all.len(), 21, "{all:?}");
    let first = page(&["-n", "10"]);
    let second = page(&["-n", "10", "--offset", "10"]);
    let third = page(&["-n", "10", "--offset", "20"]);
    assert_eq!(first.len(), 10, "{first:?}");
    assert_eq!([first, second, third].concat(), all);
}

#[test]
fn a_short_term_cut_around_a_stop_word_is_searched_as_typed() {
    // jieba cuts 碳中和 as 碳中 和 and 中和 as 中 和; 和 is a stop word. A
    // term that short is searched as typed, not as 碳中 or 中 alone.
    let t = indexed(&jsonl(&[
        serde_json::json!({"id": "tan", "title": "减排",
            "text": "本市公布碳达峰碳中和路线图，工业排放五年内下降三成。"}),
        serde_json::json!({"id": "mid", "title": "天气",
            "text": "中部地区和东部地区明天有雨，平原地区风力较小。"}),
        serde_json::json!({"id": "acid", "title": "课堂",
            "text": "老师用石灰中和酸性土壤，学生记录数据。"}),
    ]));
    let (hits, _) = search_json(t.path(), &["中和"]);
    let mut found = ids(&hits);
    found.sort();
    assert_eq!(found, ["acid", "tan"]);
    let (hits, summary) = search_json(t.path(), &["碳中和"]);
    assert_eq!(ids(&hits), ["tan"], "{summary}");
    let passage = &hits[0]["passages"][0];
    let text = passage["text"].as_str().unwrap_or_default();
    let marked: Vec<&str> = passage["highlights"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|h| text.get(h[0].as_u64()? as usize..h[1].as_u64()? as usize))
        .collect();
    assert_eq!(marked, ["碳中和"], "{passage}");
    // No article has 和平: nothing is found (exit 1), not articles with 平.
    let o = newsidx(t.path(), &["search", "--json", "和平"], None);
    assert_eq!(o.status.code(), Some(1), "{}", stdout(&o));
    // Stop words still drop out of longer text and of questions.
    let (hits, _) = search_json(t.path(), &["东部地区和平原地区"]);
    assert_eq!(ids(&hits), ["mid"]);
    let o = newsidx(t.path(), &["analyze", "--mode", "query", "他是谁"], None);
    assert_eq!(stdout(&o).trim(), "他  # a question: words searched apart");
}

#[test]
fn long_phrases_and_repeated_words_match_as_short_ones_do() {
    let t = indexed(&jsonl(&[
        serde_json::json!({"id": "exact", "title": "纪要",
            "text": "会议记录：a 庆祝中华人民共和国成立七十五周年大会隆重举行 b，全场起立。"}),
        serde_json::json!({"id": "other_end", "title": "纪要二",
            "text": "会议记录：a 庆祝中华人民共和国成立七十五周年大会隆重举行 c，全场起立。"}),
    ]));
    // A long quoted phrase with a single character at each end (matched
    // in three parts beyond 16 terms) still finds only the verbatim text.
    let phrase = "\"a 庆祝中华人民共和国成立七十五周年大会隆重举行 b\"";
    let (hits, summary) = search_json(t.path(), &[phrase]);
    assert_eq!(ids(&hits), ["exact"], "{summary}");
    let short = "\"a 庆祝中华\"";
    let (hits, _) = search_json(t.path(), &["--no-collapse", short]);
    assert_eq!(hits.len(), 2);
    // A word typed many times is searched once.
    let many = vec!["举行"; 3000].join(" ");
    let (hits, summary) = search_json(t.path(), &["--no-collapse", &many]);
    assert_eq!(summary["total_hits"], 2, "{summary}");
    assert_eq!(hits.len(), 2);
}

#[test]
fn length_normalisation_is_a_setting_per_view() {
    // The same word once in a short article, three times in a long one.
    let filler = "今年汛期以来，沿江各地加强巡查，群众生活总体平稳。".repeat(20);
    let corpus = jsonl(&[
        serde_json::json!({"id": "short", "title": "新闻", "text": "江豚回来了。"}),
        serde_json::json!({"id": "long", "title": "新闻",
            "text": format!("江豚{filler}江豚{filler}江豚")}),
    ]);
    let t = one_question(&corpus, "江豚", "short");
    let with_b = |b: &str| {
        let sets = [
            "rerank_depth=0".to_string(),
            format!("b_body_words={b}"),
            format!("b_body_bigrams={b}"),
        ];
        let mut args = Vec::new();
        for s in &sets {
            args.push("--set");
            args.push(s.as_str());
        }
        mrr(t.path(), &args)
    };
    // tantivy's b = 0.75 (the default) and more: the short article first;
    // with almost no length normalisation the three mentions win.
    assert_eq!(mrr(t.path(), &["--set", "rerank_depth=0"]), 1.0);
    assert_eq!(with_b("0.75"), 1.0);
    assert_eq!(with_b("0.95"), 1.0);
    assert_eq!(with_b("0.01"), 0.5);
}

#[test]
fn the_lead_and_the_best_passage_are_re_ranking_features() {
    let filler = "今年汛期以来，沿江各地加强巡查，群众生活总体平稳。".repeat(12);
    // "about": both words in its lead; "passing": one in the lead, the
    // other in a passage far from it.
    let corpus = jsonl(&[
        serde_json::json!({"id": "passing", "title": "沿江见闻",
            "text": format!("江豚出没。{filler}{filler}禁渔以来，{filler}")}),
        serde_json::json!({"id": "about", "title": "沿江见闻",
            "text": format!("禁渔十年，江豚回来了。{filler}{filler}{filler}")}),
    ]);
    let t = one_question(&corpus, "江豚 禁渔", "about");
    let only = |name: &str| {
        let mut set = Vec::new();
        for f in [
            "proximity",
            "wide",
            "coverage",
            "title_cover",
            "length",
            "pairs",
            "answer",
            "passage",
            "lead",
        ] {
            set.push("--set".to_string());
            set.push(format!("{f}={}", if f == name { 5 } else { 0 }));
        }
        set
    };
    let run = |name: &str| {
        let set = only(name);
        let set: Vec<&str> = set.iter().map(String::as_str).collect();
        mrr(t.path(), &set)
    };
    assert_eq!(run("lead"), 1.0, "both words in the lead");
    assert_eq!(run("passage"), 1.0, "both words in one passage");
    // `eval --features` writes both, for bench/fit_rerank.py.
    let v = features_of(t.path());
    let cands = v["candidates"].as_array().cloned().unwrap_or_default();
    assert_eq!(cands.len(), 2, "{v}");
    for c in &cands {
        let (lead, passage) = (c["lead"].as_f64(), c["passage"].as_f64());
        if c["id"] == "about" {
            assert_eq!((lead, passage), (Some(1.0), Some(1.0)), "{c}");
        } else {
            assert!(lead < Some(1.0) && passage < Some(1.0), "{c}");
        }
    }
}

#[test]
fn descriptions_are_re_ranked_by_their_own_weights() {
    let filler = "今年汛期以来，沿江各地加强巡查，群众生活总体平稳。".repeat(8);
    // "about" says it in its lead, in the order typed; "spread" has every
    // word twice (BM25 prefers it), far apart and far from its start.
    let corpus = jsonl(&[
        serde_json::json!({"id": "spread", "title": "沿江见闻",
            "text": format!("{filler}长江禁渔，江豚回来。{filler}十年来长江江豚回来了，禁渔见效。{filler}")}),
        serde_json::json!({"id": "about", "title": "沿江见闻",
            "text": format!("长江禁渔已十年，江豚回来了。{filler}{filler}{filler}")}),
    ]);
    // Four content words typed without a space: a description.
    let t = one_question(&corpus, "长江禁渔十年江豚回来", "about");
    let off = [
        "proximity",
        "wide",
        "coverage",
        "title_cover",
        "title_words_share",
        "length",
        "pairs",
        "answer",
        "passage",
        "lead",
        "characters",
    ];
    let with = |extra: &[(&str, &str)]| {
        let mut set: Vec<String> = Vec::new();
        for f in off {
            for prefix in ["", "description."] {
                set.push("--set".into());
                set.push(format!("{prefix}{f}=0"));
            }
        }
        for (name, v) in extra {
            set.push("--set".into());
            set.push(format!("{name}={v}"));
        }
        let set: Vec<&str> = set.iter().map(String::as_str).collect();
        mrr(t.path(), &set)
    };
    assert_eq!(with(&[]), 0.5, "BM25 alone prefers the words twice");
    assert_eq!(with(&[("description.lead", "5")]), 1.0);
    assert_eq!(with(&[("description.pairs", "5")]), 1.0);
    // The weights of keywords and questions do not re-rank a description.
    assert_eq!(with(&[("lead", "5"), ("pairs", "5")]), 0.5);
    assert_eq!(mrr(t.path(), &[]), 1.0, "the default weights");
    // `eval --features` says how each query read, for fit_rerank.py --reading.
    let v = features_of(t.path());
    assert_eq!(v["reading"], "description", "{v}");
    // Each candidate holds every character of the query, or some of them.
    let cands = v["candidates"].as_array().cloned().unwrap_or_default();
    assert_eq!(cands.len(), 2, "{v}");
    for c in &cands {
        let share = c["characters"].as_f64().unwrap_or(-1.0);
        assert!(share > 0.0 && share <= 1.0, "{c}");
    }
}
