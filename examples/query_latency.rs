//! In-process query latency: top-10 with passages and collapsing.
//!
//! Opens an index with [`newsidx::search::Searcher`], runs every word of a
//! word list once to warm up (the first query also loads jieba's
//! dictionary, timed separately), then runs the whole list `--repeat` times
//! with `SearchOptions::default()` and reports percentiles over all runs.
//!
//! ```text
//! cargo run --release --example query_latency -- --index index bench/out/words.txt --repeat 5
//! ```
//!
//! Prints one JSON object on stdout:
//! `{"queries":…,"open_ms":…,"first_query_ms":…,"p50_ms":…,"p90_ms":…,
//!   "p99_ms":…,"max_ms":…,"mean_ms":…,"slowest":"…","words_with_hits":…}`
//!
//! `--per-word FILE` also writes `word<TAB>total_hits<TAB>median_ms` lines.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use newsidx::search::{SearchOptions, Searcher};

// # Options

struct Opts {
    index: PathBuf,
    words: PathBuf,
    repeat: usize,
    per_word: Option<PathBuf>,
}

const USAGE: &str = "usage: query_latency --index DIR WORDS_FILE [--repeat R] [--per-word FILE]";

fn parse_args() -> Result<Opts, String> {
    let mut index = PathBuf::from("index");
    let mut words = None;
    let mut repeat = 5;
    let mut per_word = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-i" | "--index" => index = args.next().map(PathBuf::from).ok_or(USAGE)?,
            "--repeat" => {
                repeat = args
                    .next()
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|&v| v > 0)
                    .ok_or("--repeat needs a positive number")?;
            }
            "--per-word" => per_word = Some(args.next().map(PathBuf::from).ok_or(USAGE)?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => words = Some(PathBuf::from(a)),
        }
    }
    Ok(Opts {
        index,
        words: words.ok_or(USAGE)?,
        repeat,
        per_word,
    })
}

/// The value at quantile `q` (nearest rank) of sorted `v`.
fn quantile(v: &[f64], q: f64) -> f64 {
    let i = ((v.len() as f64 * q).ceil() as usize).clamp(1, v.len()) - 1;
    v[i]
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let words: Vec<String> = match std::fs::read_to_string(&opts.words) {
        Ok(s) => s
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
        Err(e) => {
            eprintln!("{}: {e}", opts.words.display());
            return ExitCode::from(2);
        }
    };
    if words.is_empty() {
        eprintln!("{}: no words", opts.words.display());
        return ExitCode::from(2);
    }

    // # Open and warm up
    let start = Instant::now();
    let searcher = match Searcher::open(&opts.index) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("query_latency: {e:#}");
            return ExitCode::from(2);
        }
    };
    let open_ms = start.elapsed().as_secs_f64() * 1000.0;
    let search_opts = SearchOptions::default();
    let mut first_query_ms = 0.0;
    let mut totals = vec![0usize; words.len()];
    for (i, w) in words.iter().enumerate() {
        let start = Instant::now();
        match searcher.search(w, &search_opts) {
            Ok(h) => totals[i] = h.total_hits,
            Err(e) => eprintln!("query_latency: {w}: {e:#}"),
        }
        if i == 0 {
            first_query_ms = start.elapsed().as_secs_f64() * 1000.0;
        }
    }

    // # Timed runs
    let mut times = Vec::with_capacity(words.len() * opts.repeat);
    let mut by_word = vec![Vec::with_capacity(opts.repeat); words.len()];
    let mut slowest = (0.0, "");
    for _ in 0..opts.repeat {
        for (i, w) in words.iter().enumerate() {
            let start = Instant::now();
            let hits = searcher.search(w, &search_opts);
            let ms = start.elapsed().as_secs_f64() * 1000.0;
            std::hint::black_box(&hits);
            if ms > slowest.0 {
                slowest = (ms, w.as_str());
            }
            times.push(ms);
            by_word[i].push(ms);
        }
    }
    if let Some(path) = &opts.per_word {
        let mut lines = String::new();
        for ((w, total), ms) in words.iter().zip(&totals).zip(&mut by_word) {
            ms.sort_by(f64::total_cmp);
            lines.push_str(&format!("{w}\t{total}\t{:.3}\n", ms[ms.len() / 2]));
        }
        if let Err(e) = std::fs::write(path, lines) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::from(2);
        }
    }
    let mean = times.iter().sum::<f64>() / times.len() as f64;
    times.sort_by(f64::total_cmp);
    let out = serde_json::json!({
        "index": opts.index.display().to_string(),
        "docs": searcher.num_docs(),
        "queries": times.len(),
        "words": words.len(),
        "words_with_hits": totals.iter().filter(|&&n| n > 0).count(),
        "open_ms": open_ms,
        "first_query_ms": first_query_ms,
        "p50_ms": quantile(&times, 0.50),
        "p90_ms": quantile(&times, 0.90),
        "p99_ms": quantile(&times, 0.99),
        "max_ms": quantile(&times, 1.0),
        "mean_ms": mean,
        "slowest": slowest.1,
    });
    println!("{out}");
    ExitCode::SUCCESS
}
