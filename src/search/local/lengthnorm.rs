//! BM25 length normalisation per field.
//!
//! tantivy's BM25 has `k1 = 1.2` and `b = 0.75` built in: a term's
//! frequency saturates as `tf / (tf + k1 · (1 − b + b · len / avg))`.
//! What it lets a caller change is the statistics the weight is computed
//! from ([`Bm25StatisticsProvider`]). Reporting a field's average length
//! `s` times larger turns the denominator into
//! `k1 · (0.25 + 0.75 · len / (s · avg))`, which is BM25 with
//!
//! - `b′ = 0.75 / (0.75 + 0.25 · s)`, i.e. `s = 3 · (1 − b′) / b′`, and
//! - `k1′ = 1.2 · (0.25 + 0.75 / s) = 0.3 / (1 − b′)`,
//!
//! scaled by the constant `(1 + 1.2) / (1 + k1′)` for every term of the
//! field (a field weight). So one number per field, the effective `b′`,
//! sets how much a long article is discounted; `k1` follows it (1.2 at
//! `b′ = 0.75`, 0.5 at 0.4, 0.3 at 0). `b′ = 0.75` is tantivy's own
//! scoring, exactly.

use tantivy::query::Bm25StatisticsProvider;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

/// tantivy's built-in `b`.
pub const TANTIVY_B: f32 = 0.75;

/// The factor by which a field's average length is reported for an
/// effective `b` (see the module documentation), `b` taken between 0.01
/// and 0.95; 1 for tantivy's 0.75.
pub fn avg_scale(b: f32) -> f64 {
    let b = f64::from(b.clamp(0.01, 0.95));
    3.0 * (1.0 - b) / b
}

/// The statistics of `searcher` with each listed field's length scaled for
/// its effective `b`.
pub struct LengthNorm<'a> {
    searcher: &'a Searcher,
    scale: Vec<(Field, f64)>,
}

impl<'a> LengthNorm<'a> {
    /// Statistics for `fields` with their effective `b`; a field with
    /// `b = 0.75` (or not listed) keeps tantivy's.
    pub fn new(searcher: &'a Searcher, fields: &[(Field, f32)]) -> LengthNorm<'a> {
        LengthNorm {
            searcher,
            scale: fields
                .iter()
                .filter(|(_, b)| *b != TANTIVY_B)
                .map(|&(f, b)| (f, avg_scale(b)))
                .collect(),
        }
    }

    /// True when every field keeps tantivy's scoring.
    pub fn is_default(&self) -> bool {
        self.scale.is_empty()
    }

    /// The statistics to score with: the searcher's own when every field
    /// keeps tantivy's scoring, else these.
    pub fn stats(&self) -> &dyn Bm25StatisticsProvider {
        if self.is_default() {
            self.searcher
        } else {
            self
        }
    }
}

impl Bm25StatisticsProvider for LengthNorm<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        let n = self.searcher.total_num_tokens(field)?;
        Ok(match self.scale.iter().find(|(f, _)| *f == field) {
            Some((_, s)) => (n as f64 * s).round() as u64,
            None => n,
        })
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        self.searcher.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.searcher.doc_freq(term)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_of_b() {
        assert!((avg_scale(0.75) - 1.0).abs() < 1e-9);
        assert!((avg_scale(0.4) - 4.5).abs() < 1e-6);
        assert!(avg_scale(1.0) > 0.1, "never an average length of 0");
        assert!(avg_scale(0.0) > 100.0, "b near 0: length hardly counts");
    }
}
