//! `newsidx analyze`: how text is normalised and segmented.
//!
//! Prints one line of space-separated (normalised) words per input line, or
//! with `--json` one record per line: `{"type": "line", "text": …, "tokens":
//! [{"text", "start", "end"}]}` where `start`/`end` are UTF-8 byte offsets
//! into the input line.
//! The segmenter is the one of the index at `-i DIR` (user dictionary and
//! query lexicon) when there is one, so the output matches what that index
//! does.

use std::io::{self, BufRead, Write};
use std::path::Path;

use anyhow::{Context, Result};

use crate::analysis::query::reading::Reading;
use crate::analysis::query::runs::{Run, Verdict};
use crate::analysis::query::{query_analysis, Vocabulary};
use crate::analysis::segmenter::{cut_all, segment, Mode};
use crate::analysis::tokens::{Token, TokenBuf};
use crate::analysis::Segmenter;
use crate::cli::{AnalyzeArgs, AnalyzeMode};
use crate::exit::Exit;
use crate::index;
use crate::output::json::write_record;
use crate::output::wire::analyze::{json_runs, JsonLine, JsonSynonyms, JsonToken};
use crate::search::plan::synonyms::Expansion;
use crate::search::{SearchOptions, Searcher};

/// What a query line is searched as: its words, its runs, whether it is
/// a question.
pub struct QueryView {
    /// The words required.
    pub words: Vec<Token>,
    /// The runs of keywords.
    pub runs: Vec<Run>,
    /// How the text reads: keywords, a question or a description.
    pub reading: Reading,
    /// The synonym groups the text's clauses expand to.
    pub synonyms: Vec<Expansion>,
}

/// The decisions of a query line for people: `# run: verdict; …`.
fn describe(view: &QueryView) -> String {
    match view.reading {
        Reading::Question => return "# a question: words searched apart".to_string(),
        Reading::Description => {
            return "# a description (a headline or sentence): words searched apart".to_string()
        }
        Reading::Keywords => {}
    }
    let parts: Vec<String> = view
        .synonyms
        .iter()
        .map(|e| match e.excluded {
            false => format!("{}: or {}", e.typed, e.added.join(" | ")),
            true => format!("-{}: nor {}", e.typed, e.added.join(" | ")),
        })
        .chain(view.runs.iter().map(describe_run))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("# {}", parts.join("; "))
    }
}

/// How one run of keywords is searched, for people.
fn describe_run(r: &Run) -> String {
    match &r.verdict {
        Verdict::Whole => format!("{}: one word", r.text),
        Verdict::Words => format!("{}: words anywhere ({})", r.text, r.pieces.join("|")),
        Verdict::AsTyped(d) => {
            let why: Vec<String> = d
                .iter()
                .map(|(p, w)| format!("{p} {}", w.label()))
                .collect();
            format!(
                "{}: as typed ({}; {})",
                r.text,
                r.pieces.join("|"),
                why.join(", ")
            )
        }
    }
}

/// The tokens of `text` in `mode`.
/// `vocab` is the index's, for query mode (see
/// [`mend_words`](crate::analysis::query::mend_words)); without one, query
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
        AnalyzeMode::Query => query_view(seg, text, vocab, None).words,
    }
}

/// What a search of the index does with query `text`; with `searcher`,
/// the synonym groups of its index its clauses expand to.
pub fn query_view(
    seg: &Segmenter,
    text: &str,
    vocab: Option<&dyn Vocabulary>,
    searcher: Option<(&Searcher, &SearchOptions)>,
) -> QueryView {
    let (words, runs, reading) = query_analysis(seg, text, vocab);
    let synonyms = searcher
        .map(|(s, opts)| s.expansions(text, opts))
        .unwrap_or_default();
    QueryView {
        words,
        runs,
        reading,
        synonyms,
    }
}

fn write_line<W: Write>(
    w: &mut W,
    line: &str,
    tokens: &[Token],
    view: Option<&QueryView>,
    json: bool,
) -> Result<()> {
    if json {
        let obj = JsonLine {
            question: view.map(|v| v.reading == Reading::Question),
            reading: view.map(|v| v.reading.label()),
            runs: view.map(|v| json_runs(&v.runs)),
            synonyms: view
                .map(|v| {
                    v.synonyms
                        .iter()
                        .map(|e| JsonSynonyms {
                            typed: &e.typed,
                            added: &e.added,
                            excluded: e.excluded,
                        })
                        .collect()
                })
                .unwrap_or_default(),
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
        write_record(w, "line", &obj)?;
    } else {
        let words: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        match view.map(describe).filter(|d| !d.is_empty()) {
            Some(d) => writeln!(w, "{}  {d}", words.join(" "))?,
            None => writeln!(w, "{}", words.join(" "))?,
        }
    }
    Ok(())
}

/// What query mode reads the index for: its vocabulary and synonyms
/// (none without an index), and whether synonyms are shown.
struct QueryIndex {
    searcher: Option<Searcher>,
    opts: SearchOptions,
}

impl QueryIndex {
    fn vocab(&self) -> Option<&dyn Vocabulary> {
        self.searcher.as_ref().map(|s| s as &dyn Vocabulary)
    }
}

/// Analyses one line in `mode` and writes it.
fn write_analysis<W: Write>(
    w: &mut W,
    seg: &Segmenter,
    mode: AnalyzeMode,
    line: &str,
    index: &QueryIndex,
    json: bool,
) -> Result<()> {
    let vocab = index.vocab();
    if mode == AnalyzeMode::Query {
        let searcher = index.searcher.as_ref().map(|s| (s, &index.opts));
        let view = query_view(seg, line, vocab, searcher);
        write_line(w, line, &view.words, Some(&view), json)
    } else {
        write_line(w, line, &analyze(seg, mode, line, vocab), None, json)
    }
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
    let vocab = QueryIndex {
        searcher,
        opts: SearchOptions {
            synonyms: !args.no_synonyms,
            ..SearchOptions::default()
        },
    };
    let vocab = &vocab;
    let stdout = io::stdout();
    let mut w = io::BufWriter::new(stdout.lock());
    if !args.text.is_empty() {
        let text = args.text.join(" ");
        write_analysis(&mut w, &seg, args.mode, &text, vocab, args.json)?;
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
            write_analysis(&mut w, &seg, args.mode, line, vocab, args.json)?;
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
        write_line(&mut out, line, &toks, None, true).unwrap_or(());
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
