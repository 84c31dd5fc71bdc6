//! Index → search → output, on a small corpus the tests write themselves.

use crate::util::{assert_highlights, shared_data, Env};

/// A small corpus in every core format. The texts are written for these tests.
pub fn corpus(env: &Env) {
    env.write(
        "news/space.txt",
        "星海一号卫星顺利入轨\n\n本报讯 星海一号卫星今天在文昌发射场顺利升空，进入预定轨道。\n\
         项目负责人表示，这颗卫星将用于海洋观测和气象预报。中国航天员也通过视频向团队表示祝贺。\n\
         下一步，团队将开展在轨测试，预计三个月后正式投入使用。",
    );
    env.write(
        "news/trade.md",
        "# 自由贸易区新政落地\n\n滨海自由贸易区今天发布十项便利措施，企业办理进出口手续的时间缩短一半。\n\n\
         业内人士认为，新政有助于稳定外贸预期，带动人民生活水平提高。",
    );
    env.write(
        "news/batch.json",
        r#"[
 {"id":"j-1","title":"马斯克宣布收购一家机器人公司","body":"据报道，马斯克周三表示，他领导的企业将收购一家小型机器人公司。分析人士称，此举意在加快人形机器人研发。","date":"2023年7月13日","source":"科技日报","author":"李明","url":"https://news.example.com/j-1"},
 {"id":"j-2","title":"城市马拉松鸣枪开跑","body":"三万名跑者参加了今年的城市马拉松。赛事组委会在沿途设置了二十个补给站，志愿者超过两千人。","date":"2022-11-20 08:00","source":"体育周报"}
]"#,
    );
    env.write(
        "news/feed.jsonl",
        concat!(
            r#"{"id":"l-1","title":"长江江豚数量稳步回升","content":"最新调查显示，长江江豚种群数量较五年前增加两成。专家认为，十年禁渔和生态修复发挥了作用。","pub_date":"2024-03-15","site":"长江生态观察"}"#,
            "\n",
            r#"{"id":"l-2","headline":"推特平台调整内容政策","text":"社交平台推特本周更新内容政策，对误导信息增加标注。评论人士称，新政策的效果还有待观察。","published":1689206400,"media":"科技日报"}"#,
            "\n",
            r#"{"id":"l-3","title":"乡村学校开设人工智能课","body":"山区一所乡村学校开设了ＡＩ课程，学生们用简单的积木机器人学习编程。校长说，孩子们的兴趣很高。","date":"2024/9/1","source":"教育时报"}"#,
            "\n"
        ),
    );
}

fn indexed() -> Env {
    let env = Env::new();
    corpus(&env);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

#[test]
fn indexes_every_core_format() {
    let env = indexed();
    let r = env.run(&["stats", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st: serde_json::Value = serde_json::from_str(r.stdout.trim()).unwrap();
    assert_eq!(st["articles"], 7);
    assert_eq!(st["files"], 4);
    assert_eq!(st["sources"], 4);
    assert_eq!(st["date_min"], "2022-11-20");
    assert_eq!(st["date_max"], "2024-09-01");
}

#[test]
fn search_json_has_the_documented_shape() {
    let env = indexed();
    let r = env.run(&["search", "--json", "马斯克"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let hits = r.hits();
    assert_eq!(hits.len(), 1);
    let h = &hits[0];
    assert_eq!(h["rank"], 1);
    assert_eq!(h["id"], "j-1");
    assert_eq!(h["date"], "2023-07-13");
    assert_eq!(h["source"], "科技日报");
    assert_eq!(h["url"], "https://news.example.com/j-1");
    assert!(h["path"].as_str().unwrap().ends_with("batch.json"));
    assert!(h["score"].as_f64().unwrap() > 0.0);
    assert!(!h["passages"].as_array().unwrap().is_empty());
    assert_highlights(h, &["马斯克"]);
    let first = &h["passages"][0];
    let hl = &first["highlights"][0];
    let text = first["text"].as_str().unwrap();
    assert_eq!(
        &text[hl[0].as_u64().unwrap() as usize..hl[1].as_u64().unwrap() as usize],
        "马斯克"
    );
    let s = r.summary();
    assert_eq!(s["total_hits"], 1);
    assert_eq!(s["returned"], 1);
    assert!(s["elapsed_ms"].as_f64().is_some());
}

#[test]
fn unquoted_chinese_needs_every_word_not_the_phrase() {
    let env = indexed();
    // 马斯克 … 收购 … 机器人 occur apart: all words match, the phrase would not.
    let r = env.run(&["search", "--json", "马斯克收购机器人"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.hits()[0]["id"], "j-1");
    let r = env.run(&["search", "--json", "\"马斯克收购机器人\""]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert_eq!(r.summary()["total_hits"], 0);
}

#[test]
fn words_inside_longer_words_are_found() {
    let env = indexed();
    // 自由贸易 inside 自由贸易区, 中国航天 inside 中国航天员, 民生 across 人民生活.
    for (q, id_part) in [
        ("自由贸易", "trade.md"),
        ("中国航天", "space.txt"),
        ("民生", "trade.md"),
    ] {
        let r = env.run(&["search", "--json", q]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        let hits = r.hits();
        assert_eq!(hits.len(), 1, "{q}");
        assert!(
            hits[0]["id"].as_str().unwrap().ends_with(id_part),
            "{q}: {}",
            hits[0]["id"]
        );
        assert_highlights(&hits[0], &[q]);
    }
}

#[test]
fn numbers_and_latin_words_match_inside_too() {
    let env = Env::new();
    env.write(
        "n/school.txt",
        "新建学校进展\n\n报告显示，2016年以来该市新建学校十二所，累计投入资金22.20亿元。",
    );
    env.write(
        "n/phone.txt",
        "新款手机发布\n\n新款iPhone15今天发布，售价5999元起。同场展示的ChatGPT应用热度不减。",
    );
    env.write(
        "n/model.txt",
        "大模型科普\n\nGPT是一类生成式语言模型，GPT 的全称是生成式预训练变换器。",
    );
    env.write(
        "n/code.txt",
        "展板编号\n\n编号2220号的仓库里，长江黄河主题的展板很长。",
    );
    let r = env.run(&["index", "n", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let ids = |q: &str| -> Vec<String> {
        let r = env.run(&["search", "--json", q]);
        assert!(r.code <= 1, "{q}: {}", r.stderr);
        r.hit_strings("id")
            .iter()
            .map(|id| id.rsplit('/').next().unwrap_or(id).to_string())
            .collect()
    };
    // Inside a number, a Latin word, or across letters and ideographs.
    assert_eq!(ids("16年"), ["school.txt"]);
    assert_eq!(ids("phone"), ["phone.txt"]);
    assert_eq!(ids("e15今"), ["phone.txt"]);
    // A separator is neither skipped nor invented, at the ends too.
    assert_eq!(ids("\"220\""), ["code.txt"]);
    assert_eq!(ids("\"22.20\""), ["school.txt"]);
    assert_eq!(ids("\"长江黄河\""), ["code.txt"]);
    assert_eq!(ids("\"长江。黄河\""), Vec::<String>::new());
    assert_eq!(ids("\"，长江\""), ["code.txt"]);
    assert_eq!(ids("\"。长江\""), Vec::<String>::new());
    assert_eq!(ids("\"很长。\""), ["code.txt"]);
    // Whole words rank above words found inside longer words.
    assert_eq!(ids("gpt"), ["model.txt", "phone.txt"]);
    let r = env.run(&["search", "--json", "phone"]);
    assert_highlights(&r.hits()[0], &["Phone"]);
}

#[test]
fn every_page_comes_from_the_same_result_list() {
    let env = indexed();
    let page = |args: &[&str]| {
        let mut a = vec!["search", "--json", "--no-collapse", "机器人 学校"];
        a.extend_from_slice(args);
        let r = env.run(&a);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        (
            r.summary()["total_hits"].as_u64().unwrap(),
            r.hit_strings("id"),
        )
    };
    // One article has both words: keywords with a match as written are
    // not relaxed.
    assert_eq!(page(&[]), (1, vec!["l-3".to_string()]));
    // A question with as few matches is relaxed to either word: the
    // relaxed articles are counted apart, and every page agrees.
    let page = |args: &[&str]| {
        let mut a = vec!["search", "--json", "--no-collapse", "机器人在哪个学校？"];
        a.extend_from_slice(args);
        let r = env.run(&a);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        let s = r.summary();
        (
            s["total_hits"].as_u64().unwrap() + s["relaxed_hits"].as_u64().unwrap(),
            r.hit_strings("id"),
        )
    };
    let (total, all) = page(&[]);
    assert!(total > 1 && all.len() as u64 == total, "{total} {all:?}");
    assert_eq!(all[0], "l-3");
    for (i, id) in all.iter().enumerate() {
        let off = i.to_string();
        let (t, ids) = page(&["-n", "1", "--offset", &off]);
        assert_eq!((t, ids), (total, vec![id.clone()]), "page {i}");
    }
}

#[test]
fn full_width_and_case_fold() {
    let env = indexed();
    for q in ["ai", "AI", "ＡＩ"] {
        let r = env.run(&["search", "--json", q]);
        assert_eq!(r.code, 0, "{q}");
        let hits = r.hits();
        assert_eq!(hits[0]["id"], "l-3");
        assert_highlights(&hits[0], &["ＡＩ"]);
    }
}

#[test]
fn or_exclusion_and_fields() {
    let env = indexed();
    let ids = |args: &[&str]| -> Vec<String> {
        let mut a = vec!["search", "--json", "--no-collapse"];
        a.extend_from_slice(args);
        let r = env.run(&a);
        assert!(r.code <= 1, "{args:?}: {}", r.stderr);
        let mut v = r.hit_strings("id");
        v.sort();
        v
    };
    assert_eq!(ids(&["马拉松 OR 江豚"]), ["j-2", "l-1"]);
    assert_eq!(ids(&["source:科技日报"]), ["j-1", "l-2"]);
    assert_eq!(ids(&["source:科技日报 -推特"]), ["j-1"]);
    assert_eq!(ids(&["title:推特"]), ["l-2"]);
    assert_eq!(ids(&["title:补给站"]), Vec::<String>::new());
    assert_eq!(ids(&["补给站"]), ["j-2"]);
}

#[test]
fn date_filters_and_sorting() {
    let env = indexed();
    let r = env.run(&[
        "search",
        "--json",
        "source:科技日报 OR source:体育周报 OR source:教育时报",
        "--since",
        "2023-01-01",
        "--sort",
        "date",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.hit_strings("date"),
        ["2024-09-01", "2023-07-13", "2023-07-13"]
    );
    let r = env.run(&["search", "--json", "马拉松", "--until", "2022年11月20日"]);
    assert_eq!(r.hits().len(), 1);
    let r = env.run(&["search", "--json", "马拉松", "--until", "2022-11-19"]);
    assert_eq!(r.code, 1);
}

#[test]
fn limit_offset_and_total() {
    let env = indexed();
    let r = env.run(&[
        "search",
        "--json",
        "--no-collapse",
        "source:科技日报 OR source:教育时报",
        "-n",
        "1",
    ]);
    assert_eq!(r.hits().len(), 1);
    assert_eq!(r.summary()["total_hits"], 3);
    let r2 = env.run(&[
        "search",
        "--json",
        "--no-collapse",
        "source:科技日报 OR source:教育时报",
        "-n",
        "1",
        "--offset",
        "1",
    ]);
    assert_eq!(r2.hits()[0]["rank"], 2);
    assert_ne!(r.hits()[0]["id"], r2.hits()[0]["id"]);
}

#[test]
fn exit_codes_and_errors() {
    let env = indexed();
    let r = env.run(&["search", "不存在的词"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    env.run(&["search", "-i", "nowhere", "江豚"])
        .assert_error("nowhere");
    env.run(&["search", "\"江豚"])
        .assert_error("unterminated quote");
    env.run(&["search", "江豚", "--since", "yesterday"])
        .assert_error("--since");
    // An unknown `name:` is text, not an error.
    assert_ne!(env.run(&["search", "foo:江豚"]).code, 2);
    env.run(&["search", "OR"]).assert_error("OR");
    env.run(&["search", "-n", "0", "江豚"])
        .assert_error("--limit");
    env.run(&["stats", "-i", "nowhere"])
        .assert_error("no index");
    let r = env.run(&["index", "missing-folder", "-q", "-i", "other"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("missing-folder"), "{}", r.stderr);
}

#[test]
fn human_output_plain_and_colour() {
    let env = indexed();
    let r = env.run(&["search", "江豚"]);
    assert_eq!(r.code, 0);
    assert!(r.stdout.contains("[江豚]"), "{}", r.stdout);
    assert!(
        !r.stdout.contains('\u{1b}'),
        "piped output must not be coloured"
    );
    let r = env.run(&["search", "--color", "always", "江豚"]);
    assert!(r.stdout.contains("\u{1b}["), "{}", r.stdout);
    assert!(!r.stdout.contains("[江豚]"));
    assert!(r.stdout.contains("长江生态观察"));
}

#[test]
fn seed_page_is_found_by_title_and_by_a_name_inside() {
    let Some(seed) = shared_data("seed") else {
        return;
    };
    let env = Env::new();
    let r = env.run(&["index", seed.to_str().unwrap(), "-q"]);
    assert!(r.code == 0, "{}", r.stderr);
    for q in ["马斯克 AI 巨头", "巴布什金"] {
        let r = env.run(&["search", "--json", q]);
        assert_eq!(r.code, 0, "{q}: {}", r.stderr);
        let hits = r.hits();
        assert_eq!(hits[0]["title"], "马斯克与两大AI巨头交恶内幕", "{q}");
        let words: Vec<&str> = q.split(' ').collect();
        assert_highlights(&hits[0], &words);
        let n: usize = hits[0]["passages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["highlights"].as_array().unwrap().len())
            .sum();
        assert!(n > 0, "{q}: no highlight in passages");
    }
}

#[test]
fn random_queries_never_panic() {
    let env = indexed();
    let pieces = [
        "马斯克",
        "\"",
        "“",
        "」",
        "-",
        "+",
        "OR",
        "title:",
        "source:",
        ":",
        "：",
        "(",
        ")",
        "*",
        "?",
        "\\",
        "ａ",
        "Ａ",
        "１",
        " ",
        "　",
        "。",
        "，",
        "𠀀",
        "\u{202E}",
        "\u{0}",
        "é",
        "ﬁ",
        "İ",
        "江",
        "豚",
        "a",
        "9",
        "'",
        "[",
        "]",
        "|",
        "^",
        "$",
        ".",
        "~",
        "\t",
        "body:",
        "foo:",
        "\u{FEFF}",
        "长江江豚",
        "自由贸易区",
    ];
    let mut seed: u64 = 42;
    let mut lines = String::new();
    for _ in 0..400 {
        let mut q = String::new();
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = 1 + (seed >> 60) as usize;
        for k in 0..n {
            let x = seed.rotate_left(7 * k as u32 + 3);
            q.push_str(pieces[(x >> 17) as usize % pieces.len()]);
        }
        lines.push_str(&q.replace('\n', " "));
        lines.push('\n');
    }
    let batch = env.write("queries.txt", &lines);
    let r = env.run(&["search", "--batch", batch.to_str().unwrap(), "-n", "3"]);
    assert!(r.code <= 2, "exit {}: {}", r.code, r.stderr);
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let summaries = r
        .json()
        .iter()
        .filter(|v| v["type"] == "summary" || v["type"] == "error")
        .count();
    assert!(summaries >= 390, "{summaries} answers for 400 queries");
}

#[test]
fn scores_fall_with_the_rank_past_the_re_ranked_top() {
    // 40 long articles with the three words far apart, equal for BM25: the
    // re-ranking of the top 30 lowers their scores (long, words scattered:
    // the length weight is negative), and must lift them back as a block
    // so that none falls below the 31st, which it does not touch.
    let env = Env::new();
    let filler = "今年各地加强巡查，群众生活总体平稳。".repeat(600);
    let mut lines = String::new();
    for i in 0..40 {
        lines.push_str(&format!(
            "{{\"id\":\"d{i}\",\"title\":\"第{i}期\",\"text\":\"雅思{filler}报名费{filler}托福\"}}\n"
        ));
    }
    env.write("many.jsonl", lines);
    let r = env.run(&["index", "many.jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run(&[
        "search",
        "--json",
        "-n",
        "40",
        "--no-collapse",
        "--passages",
        "0",
        "雅思 报名费 托福",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let scores: Vec<f64> = r
        .hits()
        .iter()
        .map(|h| h["score"].as_f64().expect("score"))
        .collect();
    assert_eq!(scores.len(), 40);
    assert!(scores.iter().all(|s| *s >= 0.0), "{scores:?}");
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
}

#[test]
fn a_model_name_typed_without_its_space_is_found() {
    let env = Env::new();
    env.write(
        "phones.jsonl",
        concat!(
            "{\"id\":\"p\",\"title\":\"新机发布\",\"text\":\"iPhone 15 今天在各地开售，首批用户排队购买。\"}\n",
            "{\"id\":\"g\",\"title\":\"模型上线\",\"text\":\"GPT-4o 上线以来，开发者反响热烈。\"}\n",
            "{\"id\":\"x\",\"title\":\"别的\",\"text\":\"iphone 与 15 个城市无关的消息。\"}\n",
        ),
    );
    let r = env.run(&["index", "phones.jsonl", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let r = env.run(&["search", "--json", "iphone15"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.hit_strings("id"), ["p"]);
    assert_highlights(&r.hits()[0], &["iPhone 15"]);
    let r = env.run(&["search", "--json", "gpt4o"]);
    assert_eq!(r.hit_strings("id"), ["g"]);
    // Quoted, it is the exact text, as grep -F would find it: nowhere.
    let r = env.run(&["search", "--json", "\"iphone15\""]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn a_batch_survives_a_byte_order_mark_and_a_line_that_is_not_utf8() {
    let env = Env::new();
    corpus(&env);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = b"\xef\xbb\xbf\xe6\xb1\x9f\xe8\xb1\x9a\r\n".to_vec(); // BOM, 江豚, CRLF
    lines.extend_from_slice(b"\xff\xfe bad\n");
    lines.extend_from_slice("马拉松\n".as_bytes());
    let batch = env.write("queries.txt", lines);
    let r = env.run(&["search", "--batch", batch.to_str().unwrap()]);
    // One bad line: an error line, the batch goes on, exit 2, and the
    // reason on stderr as well.
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("line 2: not valid UTF-8"), "{}", r.stderr);
    let answers: Vec<(String, String)> = r
        .json()
        .iter()
        .filter(|v| v["type"] == "summary" || v["type"] == "error")
        .map(|v| (v["type"].to_string(), v["query"].to_string()))
        .collect();
    assert_eq!(answers.len(), 3, "{answers:?}");
    assert_eq!(answers[0], ("\"summary\"".into(), "\"江豚\"".into()));
    assert_eq!(answers[1].0, "\"error\"");
    assert_eq!(answers[2], ("\"summary\"".into(), "\"马拉松\"".into()));
}
