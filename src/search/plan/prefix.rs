//! The bigram-view half of a single character's unit: the terms that are
//! the character alone or the character and one more, read as one range
//! of the term dictionary.
//!
//! It matches what the regex `c.?` matched (the same terms, a constant
//! score), without building a regex automaton (a DFA over every character
//! `.` may be) and walking the dictionary through it: those were the
//! largest part of planning and of the first stage of a pasted headline
//! (BENCHMARKS.md, issue 28, "Headlines"). The sets read are cached for
//! the process.

use std::fmt;
use std::sync::{Arc, LazyLock};

use tantivy::index::SegmentId;
use tantivy::query::{
    BitSetDocSet, ConstScorer, EnableScoring, Explanation, Query, RegexQuery, Scorer, Weight,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Score, SegmentReader, TantivyError, TERMINATED};
use tantivy_fst::Regex;

use crate::kept::Kept;

/// The documents of a character's terms, by segment, field and character.
type Key = (SegmentId, Field, String);

/// Bytes of document sets kept between queries (a segment never changes,
/// so an entry is never stale; a segment merged away only leaves entries
/// nobody asks for, dropped when the cache fills).
const CACHE_BYTES: usize = 32 << 20;

/// The document sets read, shared by every query of the process: a
/// search builds the same unit for the query as written and relaxed, and
/// the common characters of headlines (受, 等, 将) recur from query to
/// query.
static CACHE: LazyLock<Kept<Key, Arc<BitSet>>> = LazyLock::new(|| Kept::new(CACHE_BYTES));

/// The set of `key` in the cache, else read by `read` and kept.
fn cached_or(
    key: Key,
    reader: &SegmentReader,
    read: impl FnOnce() -> tantivy::Result<BitSet>,
) -> tantivy::Result<Arc<BitSet>> {
    if let Some(set) = CACHE.get(&key) {
        return Ok(set);
    }
    let set = Arc::new(read()?);
    let size = reader.max_doc() as usize / 8 + 64 + key.2.len();
    CACHE.keep(key, Arc::clone(&set), size);
    Ok(set)
}

/// Compiled regexes kept for the process, at most this many.
const MAX_REGEXES: usize = 1024;

/// The compiled regexes of substring queries by pattern: a search plans
/// the same regex phrases for its query as written and relaxed, and a
/// pasted headline's edge characters recur; compiling one (a DFA over
/// every character `.` may be) cost more than matching it.
static REGEXES: LazyLock<Kept<String, Arc<Regex>>> = LazyLock::new(|| Kept::new(MAX_REGEXES));

/// The regex of `pattern`, compiled once for the process; `None` when it
/// does not compile.
pub fn regex(pattern: &str) -> Option<Arc<Regex>> {
    let known = REGEXES.get(pattern);
    if known.is_some() {
        return known;
    }
    let compiled = Arc::new(Regex::new(pattern).ok()?);
    REGEXES.keep(pattern.to_string(), Arc::clone(&compiled), 1);
    Some(compiled)
}

/// A regex query (a single character of a quoted text, `c.?|.c`: every
/// term of the dictionary is tried) whose document sets are kept in the
/// same cache: it matches and scores as the regex.
#[derive(Clone, Debug)]
pub struct CachedRegex {
    field: Field,
    pattern: String,
    regex: RegexQuery,
}

impl CachedRegex {
    /// The regex `pattern` over `field`; `None` when it does not compile.
    pub fn from_pattern(pattern: &str, field: Field) -> Option<CachedRegex> {
        let regex = RegexQuery::from_regex(regex(pattern)?, field);
        Some(CachedRegex {
            field,
            pattern: pattern.to_string(),
            regex,
        })
    }
}

impl Query for CachedRegex {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(CachedRegexWeight {
            field: self.field,
            pattern: format!("regex {}", self.pattern),
            inner: self.regex.weight(scoring)?,
        }))
    }
}

struct CachedRegexWeight {
    field: Field,
    pattern: String,
    inner: Box<dyn Weight>,
}

impl Weight for CachedRegexWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let key = (reader.segment_id(), self.field, self.pattern.clone());
        let set = cached_or(key, reader, || {
            let mut docs = BitSet::with_max_value(reader.max_doc());
            let mut scorer = self.inner.scorer(reader, 1.0)?;
            let mut doc = scorer.doc();
            while doc != TERMINATED {
                docs.insert(doc);
                doc = scorer.advance();
            }
            Ok(docs)
        })?;
        let docs = BitSet::clone(&set);
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// Matches the documents with a term of `field` that is `prefix` or
/// `prefix` and one more character, scoring 1 (times its boost).
#[derive(Clone)]
pub struct CharPrefix {
    field: Field,
    prefix: String,
}

impl CharPrefix {
    /// The terms `prefix` and `prefix` + one character of `field`.
    pub fn new(field: Field, prefix: &str) -> CharPrefix {
        CharPrefix {
            field,
            prefix: prefix.to_string(),
        }
    }
}

impl fmt::Debug for CharPrefix {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "CharPrefix(field={:?}, {:?}.?)", self.field, self.prefix)
    }
}

impl Query for CharPrefix {
    fn weight(&self, _: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(self.clone()))
    }
}

/// True when `rest` (what follows the prefix in a term) is empty or one
/// character.
fn at_most_one_char(rest: &[u8]) -> bool {
    match std::str::from_utf8(rest) {
        Ok(s) => s.chars().nth(1).is_none(),
        Err(_) => false,
    }
}

impl CharPrefix {
    /// The documents of the segment of `reader` with one of the terms.
    fn docs(&self, reader: &SegmentReader) -> tantivy::Result<Arc<BitSet>> {
        let key = (
            reader.segment_id(),
            self.field,
            format!("prefix {}", self.prefix),
        );
        cached_or(key, reader, || self.read(reader))
    }

    /// The documents of the segment of `reader` with one of the terms,
    /// read from its postings.
    fn read(&self, reader: &SegmentReader) -> tantivy::Result<BitSet> {
        let mut docs = BitSet::with_max_value(reader.max_doc());
        let inverted = reader.inverted_index(self.field)?;
        let prefix = self.prefix.as_bytes();
        let mut terms = inverted.terms().range().ge(prefix).into_stream()?;
        while terms.advance() {
            let Some(rest) = terms.key().strip_prefix(prefix) else {
                break;
            };
            if !at_most_one_char(rest) {
                continue;
            }
            let mut postings = inverted
                .read_block_postings_from_terminfo(terms.value(), IndexRecordOption::Basic)?;
            loop {
                let block = postings.docs();
                if block.is_empty() {
                    break;
                }
                for &doc in block {
                    docs.insert(doc);
                }
                postings.advance();
            }
        }
        Ok(docs)
    }
}

impl Weight for CharPrefix {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let docs = BitSet::clone(&*self.docs(reader)?);
        Ok(Box::new(ConstScorer::new(BitSetDocSet::from(docs), boost)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let mut scorer = self.scorer(reader, 1.0)?;
        if scorer.seek(doc) == doc {
            Ok(Explanation::new("CharPrefix", 1.0))
        } else {
            Err(TantivyError::InvalidArgument(
                "Document does not exist".to_string(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use tantivy::collector::{Count, TopDocs};
    use tantivy::schema::{Schema, STRING};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn matches_and_scores_as_the_regex() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", STRING);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for text in [
            "中",
            "中国",
            "中国人",
            "国中",
            "丰",
            "中a",
            "中ab",
            "乎",
            "z中",
        ] {
            w.add_document(doc!(f => text)).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let run = |q: &dyn Query| {
            searcher
                .search(q, &(TopDocs::with_limit(20).order_by_score(), Count))
                .unwrap()
        };
        let regex = RegexQuery::from_pattern("中.?", f).unwrap();
        let (a, b) = (run(&regex), run(&CharPrefix::new(f, "中")));
        assert_eq!(a.1, 3);
        assert_eq!(a, b);
        let regex = RegexQuery::from_pattern("a.?", f).unwrap();
        assert_eq!(run(&regex), run(&CharPrefix::new(f, "a")));
        let regex = RegexQuery::from_pattern("中.?|.中", f).unwrap();
        let cached = CachedRegex::from_pattern("中.?|.中", f).unwrap();
        assert_eq!(run(&regex).1, 5);
        assert_eq!(run(&regex), run(&cached));
        assert_eq!(run(&regex), run(&cached));
    }
}
