//! `newsidx kwic` and `/api/kwic`: concordance lines with known contexts,
//! on a corpus written here.

use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

use crate::http::{enc, Server};
use crate::util::{Env, Run};

/// Four articles: 马斯克 in a title, at the start and the end of a body,
/// in Traditional characters, beside full-width letters and a tab; one
/// without; one with 江豚 150 times.
fn indexed() -> Env {
    let env = Env::new();
    let jiangtun = "江豚，".repeat(150);
    env.write(
        "news/k.jsonl",
        format!(
            "{}\n{}\n{}\n{}\n{}\n",
            r#"{"id":"k-1","title":"马斯克访问上海","body":"马斯克在上海宣布成立新公司。\n随后他说：公司将研发人工智能，合伙人是马斯克","date":"2023-07-13","source":"蓝字计划"}"#,
            r#"{"id":"k-2","title":"特斯拉新闻","body":"特斯拉執行長馬斯克訪問臺灣。","date":"2024-01-02","source":"联合报"}"#,
            r#"{"id":"k-3","title":"大模型","body":"公司发布了ＡＩ大模型。马斯克\t回应","source":"科技日报"}"#,
            r#"{"id":"k-4","title":"天气","body":"今天天气很好。","date":"2022-05-01","source":"晚报"}"#,
            format_args!(
                r#"{{"id":"k-5","title":"长江","body":"{jiangtun}","date":"2021-03-03","source":"环保"}}"#
            ),
        ),
    );
    let r = env.run(&["index", "news", "-q", "--threads", "1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    env
}

fn line(id: &str, date: Option<&str>, source: &str, l: &str, m: &str, r: &str) -> Value {
    json!({"type":"kwic","id":id,"date":date,"source":source,"left":l,"match":m,"right":r})
}

/// The lines of 马斯克 with five characters of context, in the order found.
fn musk_lines() -> Vec<Value> {
    let d1 = Some("2023-07-13");
    vec![
        line("k-1", d1, "蓝字计划", "", "马斯克", "访问上海"),
        line("k-1", d1, "蓝字计划", "", "马斯克", "在上海宣布"),
        line("k-1", d1, "蓝字计划", "，合伙人是", "马斯克", ""),
        line(
            "k-2",
            Some("2024-01-02"),
            "联合报",
            "斯拉執行長",
            "馬斯克",
            "訪問臺灣。",
        ),
        line("k-3", None, "科技日报", "Ｉ大模型。", "马斯克", " 回应"),
    ]
}

fn kwic_lines(r: &Run) -> Vec<Value> {
    r.json()
        .into_iter()
        .filter(|v| v["type"] == "kwic")
        .collect()
}

#[test]
fn kwic_gives_every_occurrence_with_its_context_in_its_own_field() {
    let env = indexed();
    let r = env.run(&["kwic", "马斯克", "--width", "5", "--json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(kwic_lines(&r), musk_lines(), "{}", r.stdout);
    assert_eq!(
        r.json().last(),
        Some(&json!({"type":"summary","occurrences":5,"articles":3,"more":false}))
    );
    // The same articles as `count` (and search's total_hits).
    let c = env.run(&["count", "马斯克"]);
    assert_eq!(c.stdout.trim(), "3", "{}", c.stderr);
    // A Traditional query finds the same lines, each as its article has it.
    let t = env.run(&["kwic", "馬斯克", "--width", "5", "--json"]);
    assert_eq!(kwic_lines(&t), musk_lines());
    // Full-width letters matched through folding, printed as they stand.
    let ai = env.run(&["kwic", "AI", "--width", "5", "--json"]);
    assert_eq!(
        kwic_lines(&ai),
        vec![line(
            "k-3",
            None,
            "科技日报",
            "公司发布了",
            "ＡＩ",
            "大模型。马"
        )]
    );
}

#[test]
fn kwic_width_bounds_the_context() {
    let env = indexed();
    let r = env.run(&["kwic", "马斯克", "-w", "2", "--json"]);
    let pairs: Vec<(String, String)> = kwic_lines(&r)
        .iter()
        .map(|v| {
            (
                v["left"].as_str().unwrap().into(),
                v["right"].as_str().unwrap().into(),
            )
        })
        .collect();
    let want = [
        ("", "访问"),
        ("", "在上"),
        ("人是", ""),
        ("行長", "訪問"),
        ("型。", " 回"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
    assert_eq!(pairs, want);
    env.run(&["kwic", "马斯克", "--width", "0"])
        .assert_error("--width 0");
}

#[test]
fn kwic_sorts_by_left_right_and_date() {
    let env = indexed();
    let all = musk_lines();
    let pick = |order: &[usize]| order.iter().map(|&i| all[i].clone()).collect::<Vec<_>>();
    let sorted =
        |by: &str| kwic_lines(&env.run(&["kwic", "马斯克", "-w", "5", "--json", "--sort", by]));
    // Left contexts read backwards: "" "" "。…" "是…" "長…".
    assert_eq!(sorted("left"), pick(&[0, 1, 4, 2, 3]));
    // Right contexts: "" " 回应" "在…" "訪…" "访…".
    assert_eq!(sorted("right"), pick(&[2, 4, 1, 3, 0]));
    // Newest first, undated last, article order kept within a date.
    assert_eq!(sorted("date"), pick(&[3, 0, 1, 2, 4]));
}

#[test]
fn kwic_limits_lines_unless_all() {
    let env = indexed();
    let r = env.run(&["kwic", "江豚", "--json"]);
    assert_eq!(kwic_lines(&r).len(), 100, "default limit");
    assert_eq!(r.json().last().unwrap()["more"], true);
    let r = env.run(&["kwic", "江豚", "--json", "-n", "3"]);
    assert_eq!(kwic_lines(&r).len(), 3);
    let r = env.run(&["kwic", "江豚", "--json", "--all"]);
    let lines = kwic_lines(&r);
    assert_eq!(lines.len(), 150);
    assert_eq!(lines[0]["left"], "");
    // Twenty characters by default.
    assert_eq!(
        lines[0]["right"],
        "，江豚，江豚，江豚，江豚，江豚，江豚，江"
    );
    assert_eq!(lines[149]["right"], "，");
    assert_eq!(
        r.json().last(),
        Some(&json!({"type":"summary","occurrences":150,"articles":1,"more":false}))
    );
    // Sorted and limited: the first of all lines in that order.
    let r = env.run(&[
        "kwic",
        "马斯克",
        "-w",
        "5",
        "--json",
        "--sort",
        "date",
        "-n",
        "1",
    ]);
    assert_eq!(kwic_lines(&r), vec![musk_lines()[3].clone()]);
    assert_eq!(r.json().last().unwrap()["more"], true);
}

#[test]
fn kwic_for_people_aligns_the_matches_and_says_how_many() {
    let env = indexed();
    let r = env.run(&["kwic", "马斯克", "-w", "5", "--color", "never"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", r.stdout);
    let columns: Vec<usize> = lines[..5]
        .iter()
        .map(|l| l.split_once('[').map(|(a, _)| a.width()).unwrap_or(0))
        .collect();
    assert_eq!(columns, [11; 5], "{}", r.stdout);
    assert!(
        lines[4].contains("Ｉ大模型。 [马斯克]  回应"),
        "{}",
        lines[4]
    );
    assert!(lines[3].contains("[馬斯克] 訪問臺灣。"), "{}", lines[3]);
    assert!(
        lines[0].trim_end().ends_with("k-1  2023-07-13  蓝字计划"),
        "{}",
        lines[0]
    );
    assert_eq!(lines[5], "5 occurrences in 3 articles");
    assert!(!r.stdout.contains('\u{1b}'));
    let c = env.run(&["kwic", "马斯克", "--color", "always", "-n", "1"]);
    assert!(c.stdout.contains("\u{1b}[31m马斯克"), "{:?}", c.stdout);
}

#[test]
fn kwic_writes_csv_with_a_header() {
    let env = indexed();
    let r = env.run(&["kwic", "马斯克", "-w", "5", "--csv"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.starts_with("id,date,source,left,match,right\n"),
        "{}",
        r.stdout
    );
    let mut rd = csv::Reader::from_reader(r.stdout.as_bytes());
    let rows: Vec<Vec<String>> = rd
        .records()
        .map(|x| x.unwrap().iter().map(str::to_string).collect())
        .collect();
    let want: Vec<Vec<String>> = musk_lines()
        .iter()
        .map(|v| {
            ["id", "date", "source", "left", "match", "right"]
                .iter()
                .map(|k| v[k].as_str().unwrap_or("").to_string())
                .collect()
        })
        .collect();
    assert_eq!(rows, want);
}

#[test]
fn kwic_exits_1_without_a_match_and_2_on_errors() {
    let env = indexed();
    let r = env.run(&["kwic", "火星基地", "--json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.json(),
        vec![json!({"type":"summary","occurrences":0,"articles":0,"more":false})]
    );
    env.run(&["kwic", "\"abc"]).assert_error("query");
    env.run(&["-i", "nowhere", "kwic", "马斯克"])
        .assert_error("nowhere");
    let h = env.run(&["kwic", "--help"]);
    assert!(
        h.stdout.contains("Example:\n  newsidx kwic "),
        "{}",
        h.stdout
    );
}

#[test]
fn kwic_api_pages_through_the_lines_of_the_cli() {
    let env = indexed();
    let server = Server::start(env.path(), &[], &[]);
    let q = enc("马斯克");
    let cli: Vec<Value> = musk_lines()
        .into_iter()
        .map(|mut v| {
            v.as_object_mut().unwrap().remove("type");
            v
        })
        .collect();
    let mut got = Vec::new();
    for offset in [0, 2, 4] {
        let r = server.get(&format!("/api/kwic?q={q}&width=5&limit=2&offset={offset}"));
        assert_eq!(r.status, 200, "{}", r.text());
        let v = r.json();
        assert_eq!(v["total"], 5);
        assert_eq!(v["articles"], 3);
        assert_eq!(v["offset"], offset);
        got.extend(v["lines"].as_array().unwrap().iter().cloned());
    }
    assert_eq!(got, cli);
    let r = server.get(&format!(
        "/api/kwic?q={q}&width=5&sort=right&limit=1&offset=1"
    ));
    assert_eq!(r.json()["lines"], json!([cli[4]]));
    // The filters of the page: a source, dates.
    let r = server.get(&format!("/api/kwic?q={q}&width=5&source={}", enc("联合报")));
    assert_eq!(r.json()["lines"], json!([cli[3]]));
    let r = server.get(&format!("/api/kwic?q={q}&width=5&since=2024-01-01"));
    assert_eq!(r.json()["total"], 1);
    // The CSV of every line: the CLI's, after a byte order mark.
    let csv = server.get(&format!("/api/kwic.csv?q={q}&width=5"));
    assert_eq!(csv.status, 200);
    assert!(csv
        .header("content-type")
        .is_some_and(|c| c.starts_with("text/csv")));
    let cli_csv = env
        .run(&["kwic", "马斯克", "-w", "5", "--csv", "--all"])
        .stdout;
    assert_eq!(csv.text(), format!("\u{feff}{cli_csv}"));
    let csv = server.get(&format!("/api/kwic.csv?q={q}&width=5&sort=left"));
    let cli_csv = env
        .run(&["kwic", "马斯克", "-w", "5", "--csv", "--sort", "left"])
        .stdout;
    assert_eq!(csv.text(), format!("\u{feff}{cli_csv}"));
    // Bad parameters.
    server
        .get(&format!("/api/kwic?q={q}&sort=up"))
        .assert_error(400, "sort");
    server
        .get(&format!("/api/kwic?q={q}&limit=5000"))
        .assert_error(400, "limit");
    server
        .get("/api/kwic?q=")
        .assert_error(400, "missing query");
    let none = server.get(&format!("/api/kwic?q={}", enc("火星基地")));
    assert_eq!(none.json()["total"], 0);
}
