//! The articles where every term of a phrase occurs, walked together
//! (no positions read), and what their frequencies bound: a phrase
//! occurs no more often than any of its terms, so its BM25 at the
//! smallest frequency of its terms bounds its score (for
//! [`super::dense`]).

use anyhow::Result;
use tantivy::fieldnorm::FieldNormReader;
use tantivy::postings::{Postings, SegmentPostings};
use tantivy::query::Bm25Weight;
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, DocSet, Score, SegmentReader, Term, TERMINATED};

/// The articles where every term of a phrase occurs, walked together.
pub struct Terms {
    postings: Vec<SegmentPostings>,
    norms: FieldNormReader,
    /// The current article (`TERMINATED` past the last).
    pub doc: DocId,
}

impl Terms {
    /// The articles of `reader` with every one of `terms` (at least one,
    /// all of one field).
    pub fn new(terms: &[Term], reader: &SegmentReader) -> Result<Terms> {
        let field = terms[0].field();
        let index = reader.inverted_index(field)?;
        let mut postings = Vec::with_capacity(terms.len());
        for t in terms {
            match index.read_postings(t, IndexRecordOption::WithFreqs)? {
                Some(ps) => postings.push(ps),
                None => postings.clear(),
            }
            if postings.is_empty() {
                break;
            }
        }
        let mut terms = Terms {
            postings,
            norms: reader.get_fieldnorms_reader(field)?,
            doc: TERMINATED,
        };
        if !terms.postings.is_empty() {
            terms.doc = terms.align(0);
        }
        Ok(terms)
    }

    /// The first article at or after `target` with every term.
    fn align(&mut self, mut target: DocId) -> DocId {
        loop {
            let mut all = true;
            for p in &mut self.postings {
                let d = if p.doc() < target {
                    p.seek(target)
                } else {
                    p.doc()
                };
                if d != target {
                    all = false;
                    target = target.max(d);
                }
            }
            if all || target == TERMINATED {
                return target;
            }
        }
    }

    /// Moves to the next article with every term.
    pub fn advance(&mut self) {
        if self.doc != TERMINATED {
            self.doc = self.align(self.doc + 1);
        }
    }

    /// The phrase's highest possible score in the current article.
    pub fn bound(&self, bm25: &Bm25Weight) -> Score {
        let tf = self
            .postings
            .iter()
            .map(|p| p.term_freq())
            .min()
            .unwrap_or(0);
        bm25.score(self.norms.fieldnorm_id(self.doc), tf)
    }

    /// The score of the `j`-th term alone in the current article.
    pub fn term_score(&self, j: usize, bm25: &Bm25Weight) -> Score {
        let tf = self.postings.get(j).map_or(0, |p| p.term_freq());
        bm25.score(self.norms.fieldnorm_id(self.doc), tf)
    }
}
