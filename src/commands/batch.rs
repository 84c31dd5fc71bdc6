//! The queries of a `--batch` file or standard input (`-`), one per line,
//! for `search` and `count`.

use std::borrow::Cow;
use std::io::{self, BufRead};
use std::path::Path;

use anyhow::{Context, Result};

/// Calls `f(line_number, query, valid)` for every query of `source`, one
/// per line: blank lines are skipped, a byte-order mark before the first
/// is dropped, and a line that is not UTF-8 is passed with `valid` false
/// (its query lossily decoded), so that it costs one failed query, not the
/// batch. Line numbers count from 1. Stops at the first error of `f` or of
/// reading.
pub fn for_each_query(
    source: &Path,
    mut f: impl FnMut(usize, &str, bool) -> Result<()>,
) -> Result<()> {
    let input: Box<dyn BufRead> = if source == Path::new("-") {
        Box::new(io::BufReader::new(io::stdin()))
    } else {
        let file = std::fs::File::open(source)
            .with_context(|| format!("{}: cannot open", source.display()))?;
        Box::new(io::BufReader::new(file))
    };
    for (n, line) in input.split(b'\n').enumerate() {
        let line =
            line.with_context(|| format!("{}: line {}: cannot read", source.display(), n + 1))?;
        // Borrowed exactly when the line is valid UTF-8.
        let text = String::from_utf8_lossy(&line);
        let valid = matches!(text, Cow::Borrowed(_));
        let mut q = text.trim();
        if n == 0 {
            q = q.trim_start_matches('\u{feff}').trim_start();
        }
        if q.is_empty() {
            continue;
        }
        f(n + 1, q, valid)?;
    }
    Ok(())
}
