//! `newsidx analyze`: how text is normalised and segmented.
//!
//! Prints one line of space-separated (normalised) words per input line, or
//! with `--json` one object per line: `{"text": …, "tokens": [{"text", "start",
//! "end"}]}` where `start`/`end` are UTF-8 byte offsets into the input line.
//! The segmenter is the one of the index at `-i DIR` (user dictionary and
//! query lexicon) when there is one, so the output matches what that index
//! does.

use std::io::{self, BufRead, Write};
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::tokenizer::Token;

use crate::analysis::query_words::{search_words, Vocabulary};
use crate::analysis::segmenter::{cut_all, segment, Mode};
use crate::analysis::tokens::TokenBuf;
use crate::analysis::Segmenter;
use crate::cli::{AnalyzeArgs, AnalyzeMode};
use crate::exit::Exit;
use crate::index;
use crate::search::Searcher;

/// One token of `--json` output.
#[derive(Debug, Serialize)]
struct JsonToken<'a> {
    /// Normalised token text.
    text: &'a str,
    /// UTF-8 byte offset of the start in the input line.
    start: usize,
    /// UTF-8 byte offset of the end in the input line.
    end: usize,
}

/// One line of `--json` output.
#[derive(Debug, Serialize)]
struct JsonLine<'a> {
    /// The input line.
    text: &'a str,
    /// Its tokens.
    tokens: Vec<JsonToken<'a>>,
}

/// The tokens of `text` in `mode`.
/// `vocab` is the index's, for query mode (see
/// [`mend_words`](crate::analysis::query_words::mend_words)); without one, query
/// words stay as jieba cuts them.
pub fn analyze(
    seg: &Segmenter,
    mode: AnalyzeMode,
    text: &str,
    vocab: Option<&dyn Vocabulary>,
) -> Vec<Token> {
    match mode {
        AnalyzeMode::Words => cut_all(seg, text),
        AnalyzeMode::Index => {
            let mut out = TokenBuf::default();
            segment(seg, text, Mode::Index, &mut out);
            out.as_slice().to_vec()
        }
        AnalyzeMode::Query => search_words(seg, text, vocab),
    }
}

fn write_line<W: Write>(w: &mut W, line: &str, tokens: &[Token], json: bool) -> Result<()> {
    if json {
        let obj = JsonLine {
            text: line,
            tokens: tokens
                .iter()
                .map(|t| JsonToken {
                    text: &t.text,
                    start: t.offset_from,
                    end: t.offset_to,
                })
                .collect(),
        };
        serde_json::to_writer(&mut *w, &obj)?;
        writeln!(w)?;
    } else {
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        writeln!(w, "{}", words.join(" "))?;
    }
    Ok(())
}

/// Runs `newsidx analyze`.
pub fn run(dir: &Path, args: AnalyzeArgs) -> Result<Exit> {
    let seg = index::segmenter_at(dir)?;
    // Query mode splits words the way a search of this index does; with no
    // index there they stay as jieba cuts them.
    let searcher = match args.mode {
        AnalyzeMode::Query if index::is_index_dir(dir) => Searcher::open(dir).ok(),
        _ => None,
    };
    let vocab = searcher.as_ref().map(|s| s as &dyn Vocabulary);
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    if !args.text.is_empty() {
        let text = args.text.join(" ");
        write_line(
            &mut w,
            &text,
            &analyze(&seg, args.mode, &text, vocab),
            args.json,
        )?;
    } else {
        let stdin = io::stdin();
        let mut first = true;
        for line in stdin.lock().lines() {
            let line = line.context("standard input")?;
            let mut line = line.trim_end_matches('\r');
            if first {
                line = line.trim_start_matches('\u{feff}');
                first = false;
            }
            write_line(
                &mut w,
                line,
                &analyze(&seg, args.mode, line, vocab),
                args.json,
            )?;
        }
    }
    w.flush()?;
    Ok(Exit::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(mode: AnalyzeMode, s: &str) -> Vec<String> {
        analyze(&Segmenter::new(), mode, s, None)
            .into_iter()
            .map(|t| t.text)
            .collect()
    }

    #[test]
    fn modes_differ_as_documented() {
        let q = "中华人民共和国的首都是哪里？";
        let words = texts(AnalyzeMode::Words, q);
        assert!(words.contains(&"？".to_string()), "{words:?}");
        assert!(words.contains(&"的".to_string()), "{words:?}");
        let index = texts(AnalyzeMode::Index, q);
        assert!(index.contains(&"人民".to_string()), "{index:?}");
        let query = texts(AnalyzeMode::Query, q);
        assert_eq!(query, ["中华人民共和国", "首都"]);
        // Without an index nothing is mended: no single character is
        // joined to its neighbour.
        assert_eq!(
            texts(AnalyzeMode::Query, "元皇后的儿子叫什么"),
            ["元", "皇后", "儿子", "叫"]
        );
    }

    #[test]
    fn json_offsets_slice_the_original_line() {
        let line = "馬斯克在臺灣";
        let toks = analyze(&Segmenter::new(), AnalyzeMode::Words, line, None);
        let mut out = Vec::new();
        write_line(&mut out, line, &toks, true).unwrap_or(());
        let v: serde_json::Value = serde_json::from_slice(&out).unwrap_or_default();
        let first = &v["tokens"][0];
        assert_eq!(first["text"], "马斯克");
        let (s, e) = (
            first["start"].as_u64().unwrap_or(0) as usize,
            first["end"].as_u64().unwrap_or(0) as usize,
        );
        assert_eq!(&line[s..e], "馬斯克");
    }
}
