//! A common word over an index where it is in most articles: every match
//! is counted exactly, few articles are scored in full (counted through
//! `NEWSIDX_STATS`, never timed), and the article that has it most ranks
//! first.

use crate::util::Env;

/// Articles with the word once.
const WITH: usize = 12_000;
/// Articles with its two halves apart (no match).
const APART: usize = 2_000;

fn corpus() -> String {
    let mut out = String::new();
    let mut line = |id: String, body: String| {
        let rec = serde_json::json!({"id": id, "title": "简讯", "body": body});
        out.push_str(&rec.to_string());
        out.push('\n');
    };
    for i in 0..WITH {
        line(
            format!("c{i}"),
            format!("今晚的新闻联播报道了港口货运，记录编号{i}，各地情况平稳。"),
        );
    }
    for i in 0..APART {
        line(format!("a{i}"), format!("新闻发布会后，联播节目编号{i}。"));
    }
    line("best".into(), "新闻联播新闻联播新闻联播。".into());
    out
}

#[test]
fn a_common_word_is_counted_exactly_and_scores_few_articles() {
    let env = Env::new();
    env.write("news.jsonl", corpus());
    let r = env.run(&["index", "-q", "--threads", "1", "news.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut cmd = std::process::Command::new(crate::util::bin());
    cmd.args(["search", "--json", "新闻联播"])
        .env("NEWSIDX_STATS", "1");
    let r = env.run_cmd(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.summary();
    assert_eq!(s["total_hits"], WITH + 1, "{s}");
    let scored: usize = r
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("newsidx: stats: scored "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no stats line in {}", r.stderr));
    assert!(scored < WITH / 10, "scored {scored} of {}", WITH + 1);
    assert_eq!(
        r.hit_strings("id").first().map(String::as_str),
        Some("best")
    );
    // The same count as `count`, which never ranks.
    let c = env.run(&["count", "--json", "新闻联播"]);
    assert!(c.stdout.contains(&format!("{}", WITH + 1)), "{}", c.stdout);
}
