//! Peer indexer for the newsidx benchmark: tantivy with the `tantivy-jieba`
//! tokenizer, as its README shows it.
//!
//! ```text
//! tantivy_peer ARTICLES.jsonl INDEX_DIR [--threads N]
//! ```
//!
//! Reads the articles that `segment_floor --dump` wrote (JSON Lines of
//! `{"title", "body"}`, the text newsidx indexes), then indexes each as one
//! `TEXT | STORED` field `text` (title, a line break, body) tokenised by
//! `tantivy_jieba::JiebaTokenizer` (search mode, HMM), into a fresh index
//! on disk with tantivy's defaults: `Index::writer(50 MB)` as in tantivy's
//! examples (one indexing thread per core, up to 8), the default merge
//! policy, one commit at the end, then waits for the merges. Reading the
//! file and loading jieba's dictionary are not timed. Prints one JSON
//! object: `{"articles", "text_bytes", "seconds", "index_bytes", "threads"}`.

use std::io::BufRead;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, STORED, TEXT};
use tantivy::tokenizer::Tokenizer;
use tantivy::{doc, Index, IndexWriter};

fn dir_bytes(p: &Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.flatten()
                .filter_map(|e| e.metadata().ok())
                .filter(|m| m.is_file())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0)
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (src, out) = match (args.first(), args.get(1)) {
        (Some(a), Some(b)) => (a.clone(), b.clone()),
        _ => return Err("usage: tantivy_peer ARTICLES.jsonl INDEX_DIR [--threads N]".into()),
    };
    let threads: Option<usize> = args
        .iter()
        .position(|a| a == "--threads")
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok());

    // # Reading (not timed)
    let file = std::fs::File::open(&src).map_err(|e| format!("{src}: {e}"))?;
    let mut texts = Vec::new();
    for line in std::io::BufReader::new(file).lines() {
        let line = line.map_err(|e| format!("{src}: {e}"))?;
        let v: serde_json::Value =
            serde_json::from_str(&line).map_err(|e| format!("{src}: {e}"))?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).unwrap_or("").to_string();
        texts.push((field("title"), field("body")));
    }
    let text_bytes: usize = texts.iter().map(|(t, b)| t.len() + b.len()).sum();

    // # Schema and tokenizer, as tantivy-jieba's README registers it
    let mut builder = Schema::builder();
    let indexing = TextFieldIndexing::default()
        .set_tokenizer("jieba")
        .set_index_option(IndexRecordOption::WithFreqsAndPositions);
    let options = (TEXT | STORED).set_indexing_options(indexing);
    let text = builder.add_text_field("text", options);
    let schema = builder.build();
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{out}: {e}"))?;
    let index = Index::create_in_dir(&out, schema).map_err(|e| format!("{out}: {e}"))?;
    let mut tokenizer = tantivy_jieba::JiebaTokenizer::new();
    // Loads jieba's dictionary (a lazy static) outside the timing.
    let _ = tokenizer.token_stream("预热");
    index.tokenizers().register("jieba", tokenizer);

    // # Indexing (timed)
    let start = Instant::now();
    let mut writer: IndexWriter = match threads {
        Some(n) => index.writer_with_num_threads(n, 50_000_000),
        None => index.writer(50_000_000),
    }
    .map_err(|e| format!("{out}: {e}"))?;
    let threads = threads.unwrap_or_else(|| {
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1)
            .min(8)
    });
    for (t, b) in &texts {
        writer
            .add_document(doc!(text => format!("{t}\n{b}")))
            .map_err(|e| format!("{out}: {e}"))?;
    }
    writer.commit().map_err(|e| format!("{out}: {e}"))?;
    writer
        .wait_merging_threads()
        .map_err(|e| format!("{out}: {e}"))?;
    let seconds = start.elapsed().as_secs_f64();
    let result = serde_json::json!({
        "articles": texts.len(),
        "text_bytes": text_bytes,
        "seconds": seconds,
        "index_bytes": dir_bytes(Path::new(&out)),
        "threads": threads,
    });
    println!("{result}");
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("tantivy_peer: {e}");
            ExitCode::from(2)
        }
    }
}
