//! A reproducible sample of query words drawn from a corpus.
//!
//! Picks articles at random (fixed seed), segments each with jieba-rs's
//! default cut and keeps one word of 2–4 Chinese characters from it, chosen
//! uniformly among the article's distinct such words (stop words excluded),
//! until `--count` distinct words are collected. The same corpus and seed
//! always give the same list.
//!
//! ```text
//! cargo run --release --example sample_words -- ../shared/data/news/news_all.jsonl --count 120 --seed 42 > bench/out/words.txt
//! ```
//!
//! Prints one word per line on stdout.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::ExitCode;

use jieba_rs::Jieba;
use newsidx::analysis::stopwords::STOP_WORDS;
use newsidx::corpus::{read_file, walk::walk};

mod common;
use common::Rng;

const USAGE: &str = "usage: sample_words PATH... [--count N] [--seed S]";

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

fn main() -> ExitCode {
    let mut paths = Vec::new();
    let mut count = 120usize;
    let mut seed = 42u64;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let num = |v: Option<String>| v.and_then(|v| v.parse::<u64>().ok());
        match a.as_str() {
            "--count" => match num(args.next()) {
                Some(n) if n > 0 => count = n as usize,
                _ => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "--seed" => match num(args.next()) {
                Some(s) => seed = s,
                None => {
                    eprintln!("{USAGE}");
                    return ExitCode::from(2);
                }
            },
            "-h" | "--help" => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    }

    // # Read the articles
    let w = walk(&paths, None);
    let mut texts = Vec::new();
    for entry in &w.files {
        if let Err(e) = read_file(&entry.path, &entry.display, &mut |a| {
            texts.push(format!("{}\n{}", a.title, a.body));
        }) {
            eprintln!("sample_words: {e:#}");
        }
    }
    if texts.is_empty() {
        eprintln!("sample_words: no articles");
        return ExitCode::from(2);
    }

    // # Draw words
    let jieba = Jieba::new();
    let mut rng = Rng(seed.max(1));
    let mut picked = BTreeSet::new();
    let mut out = Vec::new();
    let mut tries = 0;
    while out.len() < count && tries < count * 50 {
        tries += 1;
        let text = &texts[rng.below(texts.len())];
        let words: BTreeSet<&str> = jieba
            .cut(text, true)
            .into_iter()
            .map(|t| t.word)
            .filter(|w| {
                let n = w.chars().count();
                (2..=4).contains(&n) && w.chars().all(is_han) && !STOP_WORDS.contains(w)
            })
            .collect();
        if words.is_empty() {
            continue;
        }
        let words: Vec<&str> = words.into_iter().collect();
        let w = words[rng.below(words.len())];
        if picked.insert(w.to_string()) {
            out.push(w.to_string());
        }
    }
    for w in out {
        println!("{w}");
    }
    ExitCode::SUCCESS
}
