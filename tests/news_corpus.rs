//! Scale and grep parity on the real news corpus in `../shared/data`
//! (skipped with a message where it is absent).

use crate::util::{shared_data, Env};

/// Width and case folded, the way the index folds them.
fn fold(s: &str) -> String {
    s.chars()
        .map(newsidx::chars::fold_width)
        .flat_map(char::to_lowercase)
        .collect()
}

/// The texts of the corpus, (title, body), folded the way the index folds
/// them (width and case).
fn folded_texts(news: &std::path::Path) -> Vec<(String, String)> {
    std::fs::read_to_string(news)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                fold(v["title"].as_str().unwrap_or("")),
                fold(v["body"].as_str().unwrap_or("")),
            )
        })
        .collect()
}

/// Words jieba cuts differently inside longer words, plus a sample of
/// substrings drawn from the text with a fixed-seed generator: 80 in all.
/// Numbers and Latin words are matched inside as well (6年 in 2016年).
fn sample_queries(texts: &[(String, String)]) -> Vec<String> {
    let mut queries: Vec<String> = [
        "自由贸易",
        "中国航天",
        "最大",
        "民生",
        "经济带",
        "6年",
        "16年",
        "00万",
        "pe",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let mut seed: u64 = 0x9E37_79B9_7F4A_7C15;
    while queries.len() < 80 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let (_, body) = &texts[(seed >> 33) as usize % texts.len()];
        let chars: Vec<char> = body.chars().collect();
        if chars.len() < 10 {
            continue;
        }
        let len = 2 + (seed >> 20) as usize % 3;
        let at = (seed >> 40) as usize % (chars.len() - len);
        let q: String = chars[at..at + len].iter().collect();
        if q.chars()
            .all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_ascii_alphanumeric())
        {
            queries.push(q);
        }
    }
    queries
}

#[test]
fn news_all_indexes_every_item_and_matches_what_grep_finds() {
    let Some(news) = shared_data("news/news_all.jsonl") else {
        return;
    };
    let env = Env::new();
    let r = env.run(&["index", news.to_str().unwrap(), "-q"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let st = env.run(&["stats", "--json"]);
    let st: serde_json::Value = serde_json::from_str(st.stdout.trim()).unwrap();
    assert_eq!(st["articles"], 22_773);

    let texts = folded_texts(&news);
    let grep = |q: &str| {
        texts
            .iter()
            .filter(|(t, b)| t.contains(q) || b.contains(q))
            .count() as u64
    };
    let mut misses = Vec::new();
    for q in &sample_queries(&texts) {
        let r = env.run(&[
            "search",
            "--json",
            "-n",
            "1",
            "--passages",
            "0",
            &format!("\"{q}\""),
        ]);
        let got = r.summary()["total_hits"].as_u64().unwrap();
        let want = grep(q);
        if got != want {
            misses.push(format!("{q}: newsidx {got}, grep {want}"));
        }
    }
    assert!(misses.is_empty(), "{misses:?}");
    // Unquoted single words give the same set.
    for q in ["自由贸易", "中国航天"] {
        let r = env.run(&["search", "--json", "-n", "1", q]);
        assert_eq!(r.summary()["total_hits"].as_u64().unwrap(), grep(q), "{q}");
    }
}
