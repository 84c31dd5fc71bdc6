//! The indexing floor: raw jieba-rs segmentation of a corpus, nothing else.
//!
//! Reads every article of the named files and folders with newsidx's own
//! reader (so "raw text" means the same bytes of title + body that the index
//! sees), then segments titles and bodies with jieba-rs `cut_for_search`
//! (search mode with HMM, the mode the word field is indexed with) on N
//! threads. Reading and the dictionary load are excluded from the timing;
//! `Jieba::new()` is timed on its own.
//!
//! ```text
//! cargo run --release --example segment_floor -- ../shared/data/news/news_all.jsonl --threads 2 --repeat 3
//! ```
//!
//! Prints one JSON object on stdout:
//! `{"articles":…,"text_bytes":…,"file_bytes":…,"threads":…,"tokens":…,
//!   "jieba_new_ms":…,"runs_s":[…],"median_s":…,"mb_per_s":…}`
//! (MB = 10^6 bytes of UTF-8 title + body text).
//!
//! `--dump FILE` also writes the articles as read, one JSON object
//! `{"title":…,"body":…}` per line, so that peers written in other languages
//! index exactly the same text.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use jieba_rs::Jieba;
use newsidx::corpus::{read_file, walk::walk};

// # Options

struct Opts {
    paths: Vec<PathBuf>,
    threads: usize,
    repeat: usize,
    dump: Option<PathBuf>,
}

const USAGE: &str = "usage: segment_floor PATH... [--threads N] [--repeat R] [--dump FILE]";

fn parse_args() -> Result<Opts, String> {
    let mut paths = Vec::new();
    let mut threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(2);
    let mut repeat = 3;
    let mut dump = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--threads" | "--repeat" => {
                let v = args
                    .next()
                    .and_then(|v| v.parse::<usize>().ok())
                    .filter(|&v| v > 0)
                    .ok_or_else(|| format!("{a} needs a positive number"))?;
                if a == "--threads" {
                    threads = v;
                } else {
                    repeat = v;
                }
            }
            "--dump" => dump = Some(args.next().map(PathBuf::from).ok_or(USAGE)?),
            "-h" | "--help" => return Err(USAGE.into()),
            _ => paths.push(PathBuf::from(a)),
        }
    }
    if paths.is_empty() {
        return Err(USAGE.into());
    }
    Ok(Opts {
        paths,
        threads,
        repeat,
        dump,
    })
}

// # Reading the corpus (not timed)

fn read_corpus(paths: &[PathBuf]) -> (Vec<String>, usize, u64) {
    let w = walk(paths, None);
    for e in &w.errors {
        eprintln!("segment_floor: {e}");
    }
    let mut texts = Vec::new();
    let mut articles = 0;
    let mut file_bytes = 0;
    for entry in &w.files {
        file_bytes += std::fs::metadata(&entry.path).map(|m| m.len()).unwrap_or(0);
        let res = read_file(&entry.path, &entry.display, &mut |a| {
            articles += 1;
            // Title and body are separate fields in the index: segment them
            // separately here too.
            texts.push(a.title);
            texts.push(a.body);
        });
        if let Err(e) = res {
            eprintln!("segment_floor: {e:#}");
        }
    }
    (texts, articles, file_bytes)
}

/// Writes `texts` (title, body, title, body, …) as `{"title","body"}` lines.
fn dump(path: &Path, texts: &[String]) -> std::io::Result<()> {
    let mut w = BufWriter::new(File::create(path)?);
    for pair in texts.chunks(2) {
        let line = serde_json::json!({"title": pair[0], "body": pair.get(1)});
        writeln!(w, "{line}")?;
    }
    w.flush()
}

// # Segmenting (timed)

/// Segments every text on `threads` threads; returns the token count.
fn segment_all(jieba: &Jieba, texts: &[String], threads: usize) -> usize {
    let next = AtomicUsize::new(0);
    let tokens = AtomicUsize::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut n = 0;
                loop {
                    // Hand out small batches so both threads finish together.
                    let i = next.fetch_add(64, Ordering::Relaxed);
                    if i >= texts.len() {
                        break;
                    }
                    for t in &texts[i..(i + 64).min(texts.len())] {
                        n += jieba.cut_for_search(t, true).len();
                    }
                }
                tokens.fetch_add(n, Ordering::Relaxed);
            });
        }
    });
    tokens.into_inner()
}

fn main() -> ExitCode {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (texts, articles, file_bytes) = read_corpus(&opts.paths);
    if texts.is_empty() {
        eprintln!("segment_floor: no articles");
        return ExitCode::from(2);
    }
    let text_bytes: usize = texts.iter().map(String::len).sum();
    if let Some(path) = &opts.dump {
        if let Err(e) = dump(path, &texts) {
            eprintln!("segment_floor: {}: {e}", path.display());
            return ExitCode::from(2);
        }
    }

    // # Dictionary load, timed alone
    let start = Instant::now();
    let jieba = Jieba::new();
    let jieba_new_ms = start.elapsed().as_secs_f64() * 1000.0;

    let mut runs = Vec::new();
    let mut tokens = 0;
    for _ in 0..opts.repeat {
        let start = Instant::now();
        tokens = segment_all(&jieba, &texts, opts.threads);
        runs.push(start.elapsed().as_secs_f64());
    }
    let mut sorted = runs.clone();
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let out = serde_json::json!({
        "articles": articles,
        "text_bytes": text_bytes,
        "file_bytes": file_bytes,
        "threads": opts.threads,
        "tokens": tokens,
        "jieba_new_ms": jieba_new_ms,
        "runs_s": runs,
        "median_s": median,
        "mb_per_s": text_bytes as f64 / 1e6 / median,
    });
    println!("{out}");
    ExitCode::SUCCESS
}
