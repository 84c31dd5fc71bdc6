//! Passage-level evidence for long articles: the BM25 score of an
//! article's best passage beyond the score of the article as a whole
//! ([`gain`]).
//!
//! BM25 discounts a term's frequency by the document's length, so an
//! article of several thousand characters whose one section answers a
//! question ranks below a short article that merely mentions its words.
//! Classic passage retrieval scores a document by its best passage
//! instead (Callan 1994). Here both are scored with the same BM25
//! (tantivy's `k1 = 1.2`, `b = 0.75`) over the query's words, with a
//! passage's width as the pivot length: a passage of `width` characters is
//! a document of average length, and the whole article is normalised by
//! its length over `width`. The feature is how much the best passage
//! scores above the whole article, as a share of the query's weight.
//!
//! An article no longer than a passage is its own best passage and
//! scores at least as much as a whole as in any window, so its gain is 0:
//! short articles (the question sets' passages, most news) are left as
//! BM25 ranks them, by construction; only articles several passages long
//! whose evidence stands together gain.

/// tantivy's BM25 `k1`.
const K1: f32 = 1.2;

/// tantivy's BM25 `b`.
const B: f32 = 0.75;

/// BM25 weight of a term of weight `idf` found `tf` times in a text whose
/// length over the pivot is `norm` (1 − b + b · len / pivot).
fn term_score(idf: f32, tf: u32, norm: f32) -> f32 {
    if tf == 0 {
        return 0.0;
    }
    let tf = tf as f32;
    idf * tf * (K1 + 1.0) / (tf + K1 * norm)
}

/// The best passage's BM25 gain over the whole text's (see the module
/// documentation), over `occ`, the occurrences (start char, end char,
/// word index) of the query's words in a text of `chars` characters,
/// sorted by start; `idf` is each word's weight. In units of the sum of the
/// weights (a passage holding each word once scores its share of the
/// query's weight); 0 when `width` is 0 or the text is no longer than it.
pub fn gain(occ: &[(usize, usize, usize)], idf: &[f32], chars: usize, width: usize) -> f32 {
    let total: f32 = idf.iter().sum();
    if width == 0 || chars <= width || total <= 0.0 || occ.is_empty() {
        return 0.0;
    }
    let mut count = vec![0u32; idf.len()];
    let (mut sum, mut best) = (0.0f32, 0.0f32);
    let mut lo = 0;
    for hi in 0..occ.len() {
        let (_, end, w) = occ[hi];
        sum += term_score(idf[w], count[w] + 1, 1.0) - term_score(idf[w], count[w], 1.0);
        count[w] += 1;
        while lo < hi && end - occ[lo].0 > width {
            let lw = occ[lo].2;
            sum -= term_score(idf[lw], count[lw], 1.0) - term_score(idf[lw], count[lw] - 1, 1.0);
            count[lw] -= 1;
            lo += 1;
        }
        best = best.max(sum);
    }
    let mut tf = vec![0u32; idf.len()];
    occ.iter().for_each(|o| tf[o.2] += 1);
    let norm = 1.0 - B + B * chars as f32 / width as f32;
    let whole: f32 = idf
        .iter()
        .zip(&tf)
        .map(|(&i, &t)| term_score(i, t, norm))
        .sum();
    ((best - whole) / total).max(0.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Occurrences of words 0 and 1 at the given start characters, each
    /// two characters long.
    fn occ(a: &[usize], b: &[usize]) -> Vec<(usize, usize, usize)> {
        let mut v: Vec<_> = a.iter().map(|&s| (s, s + 2, 0)).collect();
        v.extend(b.iter().map(|&s| (s, s + 2, 1)));
        v.sort_unstable();
        v
    }

    #[test]
    fn a_short_text_gains_nothing() {
        let o = occ(&[10], &[20]);
        assert_eq!(gain(&o, &[1.0, 1.0], 300, 400), 0.0);
        assert_eq!(gain(&o, &[1.0, 1.0], 400, 400), 0.0);
        assert_eq!(gain(&o, &[1.0, 1.0], 4000, 0), 0.0);
        assert_eq!(gain(&[], &[1.0, 1.0], 4000, 400), 0.0);
    }

    #[test]
    fn evidence_together_in_a_long_text_gains() {
        let idf = [2.0, 1.0];
        // Both words in one section of a 4,000-character article.
        let together = gain(&occ(&[2000], &[2010]), &idf, 4000, 400);
        // The same words far apart: no passage holds both.
        let apart = gain(&occ(&[100], &[3500]), &idf, 4000, 400);
        assert!(together > 0.5, "{together}");
        assert!(together > apart, "{together} {apart}");
        // The longer the article, the more its length took away.
        let longer = gain(&occ(&[2000], &[2010]), &idf, 8000, 400);
        assert!(longer > together);
        // Never more than the passage's own score.
        assert!(together <= 1.0);
    }

    #[test]
    fn repeated_words_saturate() {
        let idf = [1.0, 1.0];
        let once = gain(&occ(&[1000], &[1010]), &idf, 4000, 400);
        let often = gain(&occ(&[1000, 1020, 1040, 1060], &[1010]), &idf, 4000, 400);
        assert!(often > once);
        // Saturation: four times is less than twice as much.
        assert!(often < 2.0 * once, "{once} {often}");
    }
}
