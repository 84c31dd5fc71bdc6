//! How well near-duplicates are found on a JSON Lines news file.
//!
//! 1. Edited copies: for each of the first 5,000 fingerprinted bodies, four
//!    edits (a 5-character prefix, a 3-character suffix, a byline plus an
//!    editor's note, one character dropped in the middle); counts how many
//!    copies the collapsing rule (`dedup::may_be_copies` + `same_text`)
//!    folds, and how many a SimHash distance of at most 3 bits alone would.
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
use newsidx::corpus::date::parse_date;
use newsidx::search::collapse::{may_be_copies, same_text, Stamp};

/// An edit of a body, named.
type Edit<'a> = (&'a str, &'a dyn Fn(&str) -> String);

fn old_rule(a: Stamp, b: Stamp) -> bool {
    a.simhash != 0 && b.simhash != 0 && (a.simhash ^ b.simhash).count_ones() <= 3
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
    let mut docs: Vec<(String, String, Stamp)> = Vec::new();
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
    let edits: [Edit; 4] = [
        ("prefix", &|s| format!("（本报讯）{s}")),
        ("suffix", &|s| format!("{s}（完）")),
        ("byline+note", &|s| {
            format!("新华社北京电 记者张三报道：{s}（责任编辑：李四）")
        }),
        ("dropped char", &|s| {
            let c: Vec<char> = s.chars().collect();
            let k = c.len() / 2;
            c[..k].iter().chain(&c[k + 1..]).collect()
        }),
    ];
    let mut n = 0;
    let mut folded = [(0usize, 0usize); 4];
    for (_, body, st) in docs.iter().filter(|d| d.2.simhash != 0).take(5000) {
        n += 1;
        let sa = shingles(body);
        for (i, (_, edit)) in edits.iter().enumerate() {
            let b = edit(body);
            let sb = Stamp {
                simhash: simhash(&b),
                date: st.date,
            };
            folded[i].0 += usize::from(old_rule(*st, sb));
            folded[i].1 += usize::from(may_be_copies(*st, sb) && same_text(&sa, &shingles(&b)));
        }
    }
    println!("edited copies of {n} bodies folded (SimHash <= 3 bits alone / newsidx):");
    for ((name, _), (old, new)) in edits.iter().zip(folded) {
        let pct = |x: usize| 100.0 * x as f64 / n.max(1) as f64;
        println!("  {name:<13} {:5.1} % / {:5.1} %", pct(old), pct(new));
    }
    let sh: Vec<Vec<u64>> = docs.iter().map(|d| shingles(&d.1)).collect();
    let (mut old, mut new, mut both) = (0, 0, 0);
    for i in 0..docs.len() {
        for j in i + 1..docs.len() {
            let (a, b) = (docs[i].2, docs[j].2);
            let o = old_rule(a, b);
            let w = may_be_copies(a, b) && same_text(&sh[i], &sh[j]);
            if o != w {
                let days = a.date.zip(b.date).map(|(x, y)| (x - y).abs() / 86_400);
                println!(
                    "  {} {}: SimHash<=3 {o}, newsidx {w} ({} bits, resemblance {:.2}, days apart {})",
                    docs[i].0,
                    docs[j].0,
                    (a.simhash ^ b.simhash).count_ones(),
                    resemblance(&sh[i], &sh[j]),
                    days.map_or("-".to_string(), |d| d.to_string())
                );
            }
            old += usize::from(o);
            new += usize::from(w);
            both += usize::from(o && w);
        }
    }
    println!(
        "pairs of the file called copies: SimHash <= 3 bits {old}, newsidx {new}, both {both}"
    );
    ExitCode::SUCCESS
}
