//! A relaxed question over an index where most articles share one of its
//! words: dynamic pruning bounds the articles scored (counted through
//! `NEWSIDX_STATS`, never timed), the relaxed count stops at its cap and
//! says so, and a keyword count on the same index stays exact.

use crate::util::Env;

/// Articles with the common word only.
const COMMON: usize = 20_000;
/// Articles with the common word and one rare word of the question, per
/// rare word.
const RARE: usize = 40;
const RARE_WORDS: [&str; 3] = ["灯塔", "设计", "附近"];

/// One short article per line: first the ones with a rare word (so that
/// the best candidates are known early), then the common ones.
fn corpus() -> String {
    let mut out = String::new();
    let mut line = |id: String, title: &str, body: String| {
        let rec = serde_json::json!({"id": id, "title": title, "body": body});
        out.push_str(&rec.to_string());
        out.push('\n');
    };
    for (w, word) in RARE_WORDS.iter().enumerate() {
        for i in 0..RARE {
            line(
                format!("r{w}-{i}"),
                "消息",
                format!("港口的{word}今天对外开放，编号{i}。"),
            );
        }
    }
    for i in 0..COMMON {
        line(
            format!("c{i}"),
            "简讯",
            format!("港口货运量保持平稳，记录编号{i}。"),
        );
    }
    out
}

/// The articles scored, from the `NEWSIDX_STATS` line on stderr.
fn scored(stderr: &str) -> usize {
    stderr
        .lines()
        .find_map(|l| l.strip_prefix("newsidx: stats: scored "))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no stats line in {stderr:?}"))
}

#[test]
fn a_relaxed_question_scores_few_articles_and_counts_up_to_the_cap() {
    let env = Env::new();
    env.write("news.jsonl", corpus());
    // One indexing thread: one segment, the articles in file order (the
    // pruning needs the best candidates early to skip the rest).
    let r = env.run(&["index", "-q", "--threads", "1", "news.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let all = COMMON + RARE * RARE_WORDS.len();

    // No article has all four words: the question relaxes to one of them.
    let q = "港口附近的灯塔是谁设计的？";
    let mut cmd = std::process::Command::new(crate::util::bin());
    cmd.args(["search", "--json", q]).env("NEWSIDX_STATS", "1");
    let r = env.run_cmd(&mut cmd);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = r.summary();
    assert_eq!(s["total_hits"], 0, "{s}");
    assert_eq!(s["relaxed"], serde_json::json!([1, 4]), "{s}");
    assert_eq!(s["relaxed_hits"], 1_000, "{s}");
    assert_eq!(s["relaxed_hits_exact"], false, "{s}");
    let n = scored(&r.stderr);
    assert!(n < all / 10, "scored {n} of {all} matching articles");
    // The best hits have a rare word.
    for id in r.hit_strings("id") {
        assert!(id.starts_with('r'), "{id} in {}", r.stdout);
    }

    // People read the cap as a lower bound.
    let human = env.run(&["search", q]);
    assert!(human.stdout.contains("1,000+ more"), "{}", human.stdout);

    // A keyword matching every article is counted exactly.
    let r = env.run(&["search", "--json", "港口"]);
    let s = r.summary();
    assert_eq!(s["total_hits"], all, "{s}");
    assert_eq!(s["relaxed_hits_exact"], true, "{s}");
    let r = env.run(&["count", "--json", "港口"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains(&format!("{all}")), "{}", r.stdout);
}
