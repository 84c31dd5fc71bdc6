//! How well near-duplicates are found on a JSON Lines news file.
//!
//! 1. Edited copies: for each of the first 5,000 fingerprinted bodies, and
//!    for the first 5,000 short ones (at most 120 letters, digits and
//!    ideographs), five edits (a 5-character prefix, a 3-character suffix,
//!    a byline plus an editor's note, a reporter's byline appended, one
//!    character dropped in the middle); counts how many copies the
//!    collapsing rule (`collapse::may_be_copies` + `same_text`) folds, and
//!    how many the resemblance alone (the rule before containment) would.
//! 2. Real pairs: every pair of articles in the file that either rule
//!    calls copies; pairs where the two disagree are listed.
//!
//! ```text
//! cargo run --release --example dedup_probe -- ../shared/data/news/news_all.jsonl
//! ```
//!
//! Records need `body` (or `text`), optionally `id` and `date` (YYYY-MM-DD).

use std::io::BufRead;
use std::process::ExitCode;

use newsidx::analysis::fingerprint::{resemblance, shingles, simhash};
use newsidx::dates::parse_date;
use newsidx::search::collapse::{may_be_copies, same_text, Stamp, MIN_RESEMBLANCE};

/// An article: id, body and stamp.
type Doc = (String, String, Stamp);

/// An edit of a body, named.
type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

/// The rule before containment: fingerprints close and resemblance alone.
fn old_rule(a: Stamp, b: Stamp, sa: &[u64], sb: &[u64]) -> bool {
    may_be_copies(a, b) && resemblance(sa, sb) >= MIN_RESEMBLANCE
}

/// Letters, digits and ideographs of a body (what the shingles are of).
fn word_chars(s: &str) -> usize {
    s.chars().filter(|c| c.is_alphanumeric()).count()
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: dedup_probe FILE.jsonl");
        return ExitCode::from(2);
    };
    let file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::from(2);
        }
    };
    let mut docs: Vec<Doc> = Vec::new();
    for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
        let Ok(v) = serde_json::from_str::<serde_json::Value>(&line) else {
            continue;
        };
        let body = v["body"].as_str().or(v["text"].as_str()).unwrap_or("");
        let stamp = Stamp {
            simhash: simhash(body),
            date: v["date"].as_str().and_then(parse_date),
        };
        let id = v["id"].as_str().unwrap_or("").to_string();
        docs.push((id, body.to_string(), stamp));
    }
    let edits: [Edit; 5] = [
        ("prefix", &|s| format!("（本报讯）{s}")),
        ("suffix", &|s| format!("{s}（完）")),
        ("byline+note", &|s| {
            format!("新华社北京电 记者张三报道：{s}（责任编辑：李四）")
        }),
        ("byline", &|s| format!("{s}（记者 王明 通讯员 李华）")),
        ("dropped char", &|s| {
            let c: Vec<char> = s.chars().collect();
            let k = c.len() / 2;
            c[..k].iter().chain(&c[k + 1..]).collect()
        }),
    ];
    let fingerprinted = || docs.iter().filter(|d| d.2.simhash != 0);
    let samples: [(&str, Vec<&Doc>); 2] = [
        ("bodies", fingerprinted().take(5000).collect()),
        (
            "short bodies (<= 120 characters)",
            fingerprinted()
                .filter(|d| word_chars(&d.1) <= 120)
                .take(5000)
                .collect(),
        ),
    ];
    for (what, sample) in samples {
        let n = sample.len();
        let mut folded = [(0usize, 0usize); 5];
        for (_, body, st) in sample {
            let sa = shingles(body);
            for (i, (_, edit)) in edits.iter().enumerate() {
                let b = edit(body);
                let sb = Stamp {
                    simhash: simhash(&b),
                    date: st.date,
                };
                let shb = shingles(&b);
                folded[i].0 += usize::from(old_rule(*st, sb, &sa, &shb));
                folded[i].1 += usize::from(may_be_copies(*st, sb) && same_text(&sa, &shb));
            }
        }
        println!("edited copies of {n} {what} folded (resemblance alone / newsidx):");
        for ((name, _), (old, new)) in edits.iter().zip(folded) {
            let pct = |x: usize| 100.0 * x as f64 / n.max(1) as f64;
            println!("  {name:<13} {:5.1} % / {:5.1} %", pct(old), pct(new));
        }
    }
    let sh: Vec<Vec<u64>> = docs.iter().map(|d| shingles(&d.1)).collect();
    let (mut old, mut new, mut both) = (0, 0, 0);
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (a, b) = (docs[i].2, docs[j].2);
            let o = old_rule(a, b, &sh[i], &sh[j]);
            let w = may_be_copies(a, b) && same_text(&sh[i], &sh[j]);
            if o != w {
                let days = a.date.zip(b.date).map(|(x, y)| (x - y).abs() / 86_400);
                println!(
                    "  {} {}: resemblance alone {o}, newsidx {w} ({} bits, resemblance {:.2}, sizes {}/{}, days apart {})",
                    docs[i].0,
                    docs[j].0,
                    (a.simhash ^ b.simhash).count_ones(),
                    resemblance(&sh[i], &sh[j]),
                    sh[i].len(),
                    sh[j].len(),
                    days.map_or("-".to_string(), |d| d.to_string())
                );
            }
            old += usize::from(o);
            new += usize::from(w);
            both += usize::from(o && w);
        }
    }
    println!(
        "pairs of the file called copies: resemblance alone {old}, newsidx {new}, both {both}"
    );
    ExitCode::SUCCESS
}
