//! A regex phrase whose matches are kept for the process, per segment.
//!
//! A substring with a single character at an end is a regex phrase
//! ([`super::substring`]): the end `.?c` or `c.?` is every bigram term
//! ending or starting with `c`, and tantivy expands it by walking the term
//! dictionary through the regex each time a scorer is built. A search
//! builds one for the query as written, its verbatim tiers and its relaxed
//! stage, in every segment: for a pasted headline such as
//! `1-10月全国一般公共预算收入保持平稳增长` those walks were most of its
//! time (BENCHMARKS.md, issue 28). The first scorer of a segment walks the
//! phrase's matches once and keeps each article with its score; later
//! ones read them back. The scores are the ones tantivy's scorer gave,
//! kept under the statistics they were computed from, so they are the
//! same to the bit.

use std::fmt;
use std::sync::{Arc, LazyLock};

use tantivy::index::SegmentId;
use tantivy::query::{
    Bm25StatisticsProvider, EnableScoring, Explanation, Query, RegexPhraseQuery, Scorer, Weight,
};
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

use crate::kept::Kept;

/// A segment, the phrase (field and patterns), the boost and the
/// statistics its scores come from (`None`: scoring disabled).
type Key = (SegmentId, Vec<Term>, u32, Option<Vec<u64>>);

/// Bytes of matches kept between scorers (a segment never changes, so an
/// entry is never stale; one merged away is dropped when the cache fills).
const CACHE_BYTES: usize = 16 << 20;

/// Matches of one phrase in one segment beyond which they are not kept
/// (walked again by the next scorer, as tantivy's own would).
const MAX_KEPT: usize = 200_000;

type Matches = Arc<Vec<(DocId, Score)>>;

static CACHE: LazyLock<Kept<Key, Matches>> = LazyLock::new(|| Kept::new(CACHE_BYTES));

/// A [`RegexPhraseQuery`] whose matches are kept for the process.
#[derive(Clone)]
pub struct MemoPhrase {
    inner: RegexPhraseQuery,
}

impl MemoPhrase {
    pub fn new(inner: RegexPhraseQuery) -> MemoPhrase {
        MemoPhrase { inner }
    }

    /// The regex phrase it answers for.
    pub fn inner(&self) -> &RegexPhraseQuery {
        &self.inner
    }
}

impl fmt::Debug for MemoPhrase {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Memo({:?})", self.inner)
    }
}

/// The statistics tantivy's BM25 weight of `terms` reads: the documents,
/// the field's tokens and each term's document frequency.
fn statistics(stats: &dyn Bm25StatisticsProvider, terms: &[Term]) -> tantivy::Result<Vec<u64>> {
    let mut out = vec![stats.total_num_docs()?];
    if let Some(t) = terms.first() {
        out.push(stats.total_num_tokens(t.field())?);
    }
    for t in terms {
        out.push(stats.doc_freq(t)?);
    }
    Ok(out)
}

impl Query for MemoPhrase {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let terms = self.inner.phrase_terms();
        let stats = match scoring {
            EnableScoring::Enabled {
                statistics_provider,
                ..
            } => Some(statistics(statistics_provider, &terms)?),
            EnableScoring::Disabled { .. } => None,
        };
        Ok(Box::new(MemoWeight {
            inner: self.inner.weight(scoring)?,
            terms,
            stats,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor)
    }
}

struct MemoWeight {
    inner: Box<dyn Weight>,
    terms: Vec<Term>,
    stats: Option<Vec<u64>>,
}

impl Weight for MemoWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let key = (
            reader.segment_id(),
            self.terms.clone(),
            boost.to_bits(),
            self.stats.clone(),
        );
        if let Some(matches) = CACHE.get(&key) {
            return Ok(Box::new(KeptScorer::new(matches)));
        }
        let mut scorer = self.inner.scorer(reader, boost)?;
        let mut matches = Vec::new();
        while scorer.doc() != TERMINATED {
            if matches.len() == MAX_KEPT {
                return self.inner.scorer(reader, boost);
            }
            matches.push((scorer.doc(), scorer.score()));
            scorer.advance();
        }
        let matches = Arc::new(matches);
        // The articles and scores, the key's terms and the map's share.
        let size = matches.len() * 8 + key.1.len() * 32 + 64;
        CACHE.keep(key, Arc::clone(&matches), size);
        Ok(Box::new(KeptScorer::new(matches)))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.inner.explain(reader, doc)
    }
}

/// The kept matches of a phrase in one segment, as a scorer.
struct KeptScorer {
    matches: Matches,
    at: usize,
}

impl KeptScorer {
    fn new(matches: Matches) -> KeptScorer {
        KeptScorer { matches, at: 0 }
    }
}

impl DocSet for KeptScorer {
    fn advance(&mut self) -> DocId {
        self.at = (self.at + 1).min(self.matches.len());
        self.doc()
    }

    fn seek(&mut self, target: DocId) -> DocId {
        let rest = &self.matches[self.at..];
        self.at += rest.partition_point(|&(d, _)| d < target);
        self.doc()
    }

    fn doc(&self) -> DocId {
        self.matches.get(self.at).map_or(TERMINATED, |m| m.0)
    }

    fn size_hint(&self) -> u32 {
        (self.matches.len() - self.at) as u32
    }
}

impl Scorer for KeptScorer {
    fn score(&mut self) -> Score {
        self.matches.get(self.at).map_or(0.0, |m| m.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::collector::TopDocs;
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    #[test]
    fn kept_matches_score_as_tantivy_and_seek() {
        let mut b = Schema::builder();
        let f = b.add_text_field("f", TEXT);
        let index = Index::create_in_ram(b.build());
        let mut w: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let texts = ["xa bc", "ab bc bc", "a bc", "bc xa", "za bc d", "ya q bc"];
        for (i, text) in texts.iter().cycle().take(60).enumerate() {
            w.add_document(doc!(f => *text)).unwrap();
            if i == 29 {
                w.commit().unwrap();
            }
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let pats = vec![".?a".to_string(), "bc".to_string()];
        let plain = RegexPhraseQuery::new(f, pats.clone());
        let memo = MemoPhrase::new(RegexPhraseQuery::new(f, pats));
        let top = TopDocs::with_limit(100).order_by_score();
        let want = searcher.search(&plain, &top).unwrap();
        assert_eq!(want.len(), 30);
        // The first search keeps the matches, the second reads them back.
        for _ in 0..2 {
            let got = searcher.search(&memo, &top).unwrap();
            let bits = |v: &[(Score, tantivy::DocAddress)]| {
                v.iter().map(|(s, d)| (s.to_bits(), *d)).collect::<Vec<_>>()
            };
            assert_eq!(bits(&got), bits(&want));
        }
        let scoring = EnableScoring::enabled_from_searcher(&searcher);
        let weight = memo.weight(scoring).unwrap();
        let seg = searcher.segment_reader(0);
        let mut s = weight.scorer(seg, 1.0).unwrap();
        // Articles 0, 2, 4, … match (`xa bc`, `a bc`, `za bc d`).
        assert_eq!(s.seek(7), 8);
        assert_eq!(s.seek(8), 8);
        assert_eq!(s.advance(), 10);
        assert_eq!(s.seek(1000), TERMINATED);
        assert_eq!(s.advance(), TERMINATED);
    }
}
