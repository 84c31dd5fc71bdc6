//! `newsidx terms`, the names tagged at index time, `person:` filters and
//! `/api/terms`, on a corpus written here.

use serde_json::Value;

use crate::http::{enc, Server};
use crate::util::Env;

/// Five articles on 江豚 (the fourth and fifth copies of one another),
/// five on other things. 湿地 is in every 江豚 article and one other; 记者
/// in every article. 王明 (a user-dictionary person) is in two 江豚
/// articles, 习近平 (a person in jieba's dictionary) in one.
fn corpus(env: &Env) {
    let copy = "江豚保护区今年在湿地新发现三个江豚种群，总数超过八十头。记者在现场看到，工作人员正在记录它们的活动，当地渔民也自发加入巡护队伍。";
    let lines = [
        ("a1", "2024-01-02", "江豚回到了湿地", "记者在湿地看到江豚成群出现。王明说，禁渔以后江豚越来越多，湿地的鱼也多了，今年的监测结果令人欣慰。".to_string()),
        ("a2", "2024-01-09", "王明守护江豚十年", "记者采访了王明，他在湿地巡护江豚已经十年。每到冬天，他都要在湿地边守上一整夜，记录江豚出水的次数。".to_string()),
        ("a3", "2024-02-15", "江豚保护写进规划", "习近平强调要保护长江生态。记者了解到，江豚和湿地保护被写进了新的五年规划，沿江各地将新建一批保护站。".to_string()),
        ("a4", "2024-03-01", "江豚种群增加", copy.to_string()),
        ("a5", "2024-03-01", "江豚种群增加（转载）", format!("{copy}（责任编辑：李四）")),
        ("b1", "2024-01-05", "城市公园开放", "记者从园林局获悉，城市湿地公园本周开放，市民可以预约参观，公园里新种了上万株花木，周末还有音乐会。".to_string()),
        ("b2", "2024-01-06", "地铁新线开通", "记者获悉，地铁新线今天开通运营，全长三十公里，沿线设二十个车站，早晚高峰每三分钟一班。".to_string()),
        ("b3", "2024-01-07", "冬季用电创新高", "记者从电力公司了解到，受寒潮影响，本周用电负荷创下新高，电网运行总体平稳，各地加强了设备巡检。".to_string()),
        ("b4", "2024-01-08", "春运火车票开售", "记者从铁路部门获悉，春运火车票明天开售，今年春运预计发送旅客五亿人次，新增列车两百多对。".to_string()),
        ("b5", "2024-01-10", "图书馆延长开放时间", "记者了解到，市图书馆从下周起延长开放时间，工作日开放到晚上九点，周末增设亲子阅读活动。".to_string()),
    ];
    let mut text = String::new();
    for (id, date, title, body) in lines {
        text.push_str(
            &serde_json::json!({"id": id, "date": date, "title": title, "body": body, "source": "测试报"})
                .to_string(),
        );
        text.push('\n');
    }
    env.write("news/a.jsonl", text);
    env.write("dict.txt", "王明 nr\n");
}

fn indexed() -> Env {
    let env = Env::new();
    corpus(&env);
    index_entities(&env);
    env
}

/// `index news --entities` with the test's user dictionary.
fn index_entities(env: &Env) {
    let r = env.run(&[
        "index",
        "news",
        "--entities",
        "--user-dict",
        "dict.txt",
        "-q",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

fn terms(env: &Env, args: &[&str]) -> (Vec<Value>, Value) {
    let mut a = vec!["terms", "--json"];
    a.extend_from_slice(args);
    let r = env.run(&a);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    let lines = r.json();
    let (terms, rest): (Vec<Value>, Vec<Value>) =
        lines.into_iter().partition(|v| v["type"] == "term");
    assert_eq!(rest.len(), 1, "{}", r.stdout);
    (terms, rest[0].clone())
}

fn find<'a>(terms: &'a [Value], t: &str) -> Option<&'a Value> {
    terms.iter().find(|v| v["term"] == t)
}

#[test]
fn a_planted_word_ranks_first_with_its_counts_and_copies_count_once() {
    let env = indexed();
    let (words, summary) = terms(&env, &["江豚", "-n", "50"]);
    assert_eq!(summary["matched"], 5, "{summary}");
    assert_eq!(summary["considered"], 4, "the copy counted once: {summary}");
    assert_eq!(summary["copies"], 1);
    assert_eq!(summary["corpus"], 10);
    assert_eq!(summary["sampled"], false);
    let wet = find(&words, "湿地").unwrap_or_else(|| panic!("{words:?}"));
    // In the four articles considered, and in one article more elsewhere.
    assert_eq!(
        (wet["count"].as_u64(), wet["corpus_count"].as_u64()),
        (Some(4), Some(6))
    );
    assert_eq!(wet["kind"], "word");
    // The fields, in the documented order.
    let raw = env.run(&["terms", "江豚", "--json"]).stdout;
    let first = raw.lines().next().unwrap_or_default();
    let at: Vec<usize> = [
        "\"type\"",
        "\"term\"",
        "\"kind\"",
        "\"count\"",
        "\"corpus_count\"",
        "\"score\"",
    ]
    .iter()
    .map(|k| first.find(k).unwrap_or(usize::MAX))
    .collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "{first}");
    assert_eq!(words[0].as_object().map(|o| o.len()), Some(6), "{first}");
    // 记者 is in every article: not more frequent in these, not listed.
    assert!(find(&words, "记者").is_none(), "{words:?}");
    let rank = |t: &str| words.iter().position(|v| v["term"] == t);
    assert!(
        rank("湿地") < rank("王明").or(Some(usize::MAX)),
        "{words:?}"
    );
    // Scores fall.
    let scores: Vec<f64> = words.iter().filter_map(|v| v["score"].as_f64()).collect();
    assert!(scores.windows(2).all(|w| w[0] >= w[1]), "{scores:?}");
    assert!(words
        .iter()
        .all(|v| v["term"].as_str().is_some_and(|t| t.chars().count() >= 2)));
}

#[test]
fn people_come_from_the_user_dictionary_and_jiebas_and_filter_searches() {
    let env = indexed();
    let (people, summary) = terms(&env, &["江豚", "--kind", "people"]);
    assert_eq!(summary["kind"], "person");
    let wang = find(&people, "王明").unwrap_or_else(|| panic!("{people:?}"));
    assert_eq!(
        (wang["count"].as_u64(), wang["corpus_count"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(wang["kind"], "person");
    // A person of jieba's own dictionary: filtered on, found.
    let r = env.run(&["search", "person:习近平", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.hit_strings("id"), ["a3"]);
    let r = env.run(&["search", "person:王明", "--json", "--sort", "date"]);
    assert_eq!(r.hit_strings("id"), ["a2", "a1"]);
    assert_eq!(r.summary()["total_hits"], 2);
    // A filter, with words: only the articles with both.
    let r = env.run(&["search", "湿地 person:王明", "--json"]);
    assert_eq!(r.summary()["total_hits"], 2);
    let r = env.run(&["search", "-n", "20", "记者 -person:王明", "--json"]);
    assert_eq!(r.summary()["total_hits"], 8);
    // A name nobody has: nothing, exit 1.
    let r = env.run(&["search", "person:王毅", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
}

#[test]
fn csv_human_and_exit_codes() {
    let env = indexed();
    let r = env.run(&["terms", "江豚", "--csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("term,kind,count,corpus_count,score"));
    assert!(
        r.stdout.lines().any(|l| l.starts_with("湿地,word,4,6,")),
        "{}",
        r.stdout
    );
    let r = env.run(&["terms", "江豚"]);
    assert_eq!(r.code, 0);
    let row = r
        .stdout
        .lines()
        .find(|l| l.starts_with("湿地"))
        .unwrap_or_default();
    let head = r.stdout.lines().next().unwrap_or_default();
    // Columns line up: the count column ends where its heading does
    // (a Chinese character takes two columns).
    let width = |s: &str| {
        s.chars()
            .map(|c| if c > '\u{2e80}' { 2 } else { 1 })
            .sum::<usize>()
    };
    let count_end = |l: &str| {
        let cut = l.split_whitespace().take(2).last().unwrap_or_default();
        let at = l.find(cut).unwrap_or(0) + cut.len();
        width(&l[..at])
    };
    assert_eq!(count_end(row), count_end(head), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("5 matching articles, 4 considered (1 copies counted once)"),
        "{}",
        r.stdout
    );
    let r = env.run(&["terms", "火星探测"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let r = env.run(&["terms", "\"江豚"]);
    r.assert_error("unterminated quote");
    assert!(env
        .run(&["terms", "--help"])
        .stdout
        .contains("G² = 2 Σ O·ln(O/E)"));
}

#[test]
fn the_api_lists_the_same_terms() {
    let env = indexed();
    let (cli, _) = terms(&env, &["江豚", "--kind", "people"]);
    let server = Server::start(env.path(), &[], &[]);
    let r = server.get(&format!("/api/terms?q={}&kind=people", enc("江豚")));
    assert_eq!(r.status, 200, "{}", r.text());
    let body = r.json();
    assert_eq!(body["matched"], 5);
    assert_eq!(body["kind"], "person");
    assert!(!cli.is_empty());
    let api: Vec<Value> = body["terms"].as_array().cloned().unwrap_or_default();
    let strip = |v: &Value| {
        (
            v["term"].clone(),
            v["count"].clone(),
            v["corpus_count"].clone(),
        )
    };
    assert_eq!(
        api.iter().map(strip).collect::<Vec<_>>(),
        cli.iter().map(strip).collect::<Vec<_>>()
    );
    let r = server.get(&format!("/api/terms?q={}&n=1", enc("江豚")));
    assert_eq!(r.json()["terms"].as_array().map(Vec::len), Some(1));
    assert_eq!(r.json()["terms"][0]["term"], cli_first_word(&env));
    server
        .get(&format!("/api/terms?q={}&kind=animals", enc("江豚")))
        .assert_error(400, "kind");
    server.get("/api/terms").assert_error(400, "missing query");
}

fn cli_first_word(env: &Env) -> Value {
    let (words, _) = terms(env, &["江豚"]);
    words[0]["term"].clone()
}

#[test]
fn the_page_lists_names_that_filter_the_results_when_clicked() {
    let Some(exe) = crate::browser::chromium() else {
        eprintln!("skipped: no chromium");
        return;
    };
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    let url = format!("http://{}/?q={}", server.addr, enc("江豚"));
    let html = crate::browser::dom(&exe, &env, &url);
    let people = html
        .split("id=\"terms-people\"")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or_default();
    // 王明 is a link that adds person:王明 to the query.
    assert!(people.contains("data-scope=\"person\""), "{people}");
    assert!(people.contains("王明"), "{people}");
    let words = html
        .split("id=\"terms-words\"")
        .nth(1)
        .and_then(|s| s.split("</ul>").next())
        .unwrap_or_default();
    assert!(words.contains("湿地"), "{words}");
    // What the click leads to: the query with the filter, two articles.
    let filtered = format!("http://{}/?q={}", server.addr, enc("江豚 person:王明"));
    let html = crate::browser::dom(&exe, &env, &filtered);
    assert!(html.contains("共 2 篇"), "{html}");
    let shot = crate::browser::screenshot(&exe, &env, &url, "terms-facets.png", "1280,1200");
    let _ = std::fs::copy(&shot, std::env::temp_dir().join("newsidx-terms-facets.png"));
}

#[test]
fn names_and_words_are_stored_only_with_entities() {
    let env = Env::new();
    corpus(&env);
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // Without --entities: terms says how to get them, searches still work.
    env.run(&["terms", "江豚"])
        .assert_error("rebuild with `newsidx index --rebuild --entities`");
    let r = env.run(&["search", "--json", "江豚"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // The API says so as a bad request (the page hides its panel), not a
    // server error.
    let server = Server::start(env.path(), &[], &[]);
    let r = server.get(&format!("/api/terms?q={}", enc("江豚")));
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("--entities"), "{}", r.text());
    drop(server);
    // An index with articles cannot start tagging half way.
    env.run(&["index", "news", "--entities"])
        .assert_error("index was built without --entities");
    let r = env.run(&["index", "news", "--rebuild", "--entities", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (t, _) = terms(&env, &["江豚"]);
    assert!(find(&t, "湿地").is_some(), "{t:?}");
    // Later runs keep it without the flag.
    env.write(
        "news/b.jsonl",
        "{\"id\":\"c1\",\"title\":\"江豚\",\"body\":\"湿地里的江豚又多了。\"}\n",
    );
    let r = env.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (_, summary) = terms(&env, &["江豚"]);
    assert_eq!(summary["matched"], 6, "{summary}");
    assert_eq!(summary["corpus"], 11, "{summary}");
}

/// The words' numbers live in the index's vocabulary across runs: an
/// index built in two runs (the second adding articles that share words
/// with the first and bring new ones) lists the same terms as one built
/// at once, and the vocabulary holds each word once.
#[test]
fn words_numbered_in_two_runs_count_as_in_one() {
    let split = Env::new();
    corpus(&split);
    let all = std::fs::read_to_string(split.path().join("news/a.jsonl")).expect("corpus");
    let (first, second): (Vec<&str>, Vec<&str>) = all.lines().partition(|l| l.contains("\"a"));
    split.write("news/a.jsonl", first.join("\n") + "\n");
    index_entities(&split);
    let before = std::fs::read(split.path().join("index/terms.vocab")).expect("vocabulary");
    split.write("news/b.jsonl", second.join("\n") + "\n");
    let r = split.run(&["index", "news", "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let after = std::fs::read(split.path().join("index/terms.vocab")).expect("vocabulary");
    assert!(after.len() > before.len() && after.starts_with(&before));
    let once = indexed();
    for q in ["江豚", "记者", "湿地", "获悉"] {
        let (a, _) = terms(&split, &[q, "-n", "50"]);
        let (b, _) = terms(&once, &[q, "-n", "50"]);
        assert_eq!(a, b, "{q}");
    }
    // A word only the second run brought (in three of its articles).
    let (t, _) = terms(&split, &["获悉", "-n", "50"]);
    assert_eq!(find(&t, "获悉").map(|v| v["count"].clone()), Some(3.into()));
}
