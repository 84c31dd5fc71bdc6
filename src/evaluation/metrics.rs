//! Retrieval quality metrics and the BEIR-like files they are computed from.
//!
//! Queries are JSON Lines `{"id", "text", …}`; relevance judgements (qrels)
//! are `qid\tdoc_id\trelevance` lines, with an optional header line. The
//! metrics follow their usual definitions (as in `trec_eval` and BEIR):
//!
//! - MRR@k: mean over queries of 1 / rank of the first relevant result in
//!   the top k (0 when none);
//! - nDCG@k: DCG with gain `rel` and discount `1 / log2(rank + 1)`, divided
//!   by the DCG of the ideal ordering of the query's judged documents;
//! - Recall@k: relevant documents in the top k / relevant documents.
//!
//! Queries without any relevant judgement are skipped (they have no defined
//! recall or nDCG); relevance 0 counts as not relevant.

use std::collections::HashMap;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// One query of a test collection.
#[derive(Debug, Clone, Deserialize)]
pub struct EvalQuery {
    /// Query id, as in the qrels.
    pub id: String,
    /// The question text.
    pub text: String,
}

/// Relevance judgements: query id → document id → relevance (> 0).
pub type Qrels = HashMap<String, HashMap<String, u32>>;

/// Parses queries from JSON Lines (blank lines skipped, a byte-order mark
/// allowed). A query id given twice is an error.
pub fn parse_queries(text: &str) -> Result<Vec<EvalQuery>> {
    let mut out = Vec::new();
    let mut first_line = HashMap::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let q: EvalQuery = serde_json::from_str(line)
            .with_context(|| format!("line {}: not a query object {{id, text}}", i + 1))?;
        if let Some(first) = first_line.insert(q.id.clone(), i + 1) {
            bail!(
                "line {}: query id {:?} again (first on line {first})",
                i + 1,
                q.id
            );
        }
        out.push(q);
    }
    Ok(out)
}

/// Parses `qid\tdoc_id\trelevance` lines (a byte-order mark allowed); a
/// first line whose relevance is not a number is taken as a header.
/// Relevance may be written as a decimal (1.0); lines of relevance 0 or
/// less are dropped.
pub fn parse_qrels(text: &str) -> Result<Qrels> {
    let mut out: Qrels = HashMap::new();
    for (i, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
        let line = line.trim_end_matches('\r');
        if line.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = line.trim_end().split('\t').collect();
        if cols.len() != 3 {
            bail!(
                "line {}: expected qid<TAB>doc_id<TAB>relevance, found {} column(s)",
                i + 1,
                cols.len()
            );
        }
        let rel: u32 = match cols[2].trim().parse::<f64>() {
            Ok(r) if r.is_finite() => r.round().clamp(0.0, u32::MAX as f64) as u32,
            _ if i == 0 => continue,
            _ => bail!("line {}: relevance {:?} is not a number", i + 1, cols[2]),
        };
        if rel > 0 {
            out.entry(cols[0].trim().to_string())
                .or_default()
                .insert(cols[1].trim().to_string(), rel);
        }
    }
    Ok(out)
}

/// Reciprocal rank of the first relevant id in the top `k` (0 when none).
pub fn reciprocal_rank(ranked: &[String], rel: &HashMap<String, u32>, k: usize) -> f64 {
    ranked
        .iter()
        .take(k)
        .position(|d| rel.contains_key(d))
        .map_or(0.0, |p| 1.0 / (p + 1) as f64)
}

/// nDCG@k with linear gain.
pub fn ndcg(ranked: &[String], rel: &HashMap<String, u32>, k: usize) -> f64 {
    let disc = |i: usize| 1.0 / ((i + 2) as f64).log2();
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, d)| rel.get(d).copied().unwrap_or(0) as f64 * disc(i))
        .sum();
    let mut ideal: Vec<u32> = rel.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(k)
        .enumerate()
        .map(|(i, &r)| r as f64 * disc(i))
        .sum();
    if idcg > 0.0 {
        dcg / idcg
    } else {
        0.0
    }
}

/// Fraction of the relevant ids found in the top `k`.
pub fn recall(ranked: &[String], rel: &HashMap<String, u32>, k: usize) -> f64 {
    if rel.is_empty() {
        return 0.0;
    }
    let found = ranked
        .iter()
        .take(k)
        .filter(|d| rel.contains_key(*d))
        .count();
    found as f64 / rel.len() as f64
}

/// The metrics over a set of queries.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Summary {
    /// Mean reciprocal rank at 10.
    #[serde(rename = "mrr@10")]
    pub mrr10: f64,
    /// Mean nDCG at 10.
    #[serde(rename = "ndcg@10")]
    pub ndcg10: f64,
    /// Mean recall at 10.
    #[serde(rename = "recall@10")]
    pub recall10: f64,
    /// Mean recall at 100.
    #[serde(rename = "recall@100")]
    pub recall100: f64,
    /// Queries evaluated (those with at least one relevant document).
    pub queries: usize,
}

/// Accumulates per-query results into a [`Summary`].
#[derive(Debug, Default)]
pub struct Accumulator {
    sum: Summary,
}

impl Accumulator {
    /// Adds one query's ranking; ignored when `rel` is empty.
    pub fn add(&mut self, ranked: &[String], rel: &HashMap<String, u32>) {
        if rel.is_empty() {
            return;
        }
        self.sum.mrr10 += reciprocal_rank(ranked, rel, 10);
        self.sum.ndcg10 += ndcg(ranked, rel, 10);
        self.sum.recall10 += recall(ranked, rel, 10);
        self.sum.recall100 += recall(ranked, rel, 100);
        self.sum.queries += 1;
    }

    /// The means.
    pub fn finish(&self) -> Summary {
        let n = self.sum.queries.max(1) as f64;
        Summary {
            mrr10: self.sum.mrr10 / n,
            ndcg10: self.sum.ndcg10 / n,
            recall10: self.sum.recall10 / n,
            recall100: self.sum.recall100 / n,
            queries: self.sum.queries,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(s: &[&str]) -> Vec<String> {
        s.iter().map(|s| s.to_string()).collect()
    }

    fn rels(s: &[(&str, u32)]) -> HashMap<String, u32> {
        s.iter().map(|(d, r)| (d.to_string(), *r)).collect()
    }

    fn close(a: f64, b: f64) {
        assert!((a - b).abs() < 1e-9, "{a} != {b}");
    }

    #[test]
    fn reciprocal_rank_of_first_relevant() {
        let r = rels(&[("c", 1), ("e", 1)]);
        close(
            reciprocal_rank(&ids(&["a", "b", "c", "e"]), &r, 10),
            1.0 / 3.0,
        );
        close(reciprocal_rank(&ids(&["a", "b", "c"]), &r, 2), 0.0);
        close(reciprocal_rank(&ids(&["e"]), &r, 10), 1.0);
    }

    #[test]
    fn ndcg_hand_computed() {
        // Relevant a (rank 2) and c (rank 3) of two relevant documents:
        // DCG = 1/log2(3) + 1/log2(4) = 0.630930 + 0.5 = 1.130930,
        // IDCG = 1 + 1/log2(3) = 1.630930, nDCG = 0.693426.
        let r = rels(&[("a", 1), ("c", 1)]);
        close(
            ndcg(&ids(&["x", "a", "c"]), &r, 10),
            (1.0 / 3f64.log2() + 0.5) / (1.0 + 1.0 / 3f64.log2()),
        );
        close(ndcg(&ids(&["a", "c"]), &r, 10), 1.0);
        close(ndcg(&ids(&["x", "y"]), &r, 10), 0.0);
    }

    #[test]
    fn ndcg_graded_gain_uses_ideal_order() {
        // Gains 1 at rank 1 and 2 at rank 2: DCG = 1 + 2/log2(3);
        // ideal 2 then 1: IDCG = 2 + 1/log2(3).
        let r = rels(&[("a", 1), ("b", 2)]);
        close(
            ndcg(&ids(&["a", "b"]), &r, 10),
            (1.0 + 2.0 / 3f64.log2()) / (2.0 + 1.0 / 3f64.log2()),
        );
    }

    #[test]
    fn recall_counts_within_cutoff() {
        let r = rels(&[("a", 1), ("b", 1), ("c", 1), ("d", 1)]);
        let ranked = ids(&["a", "x", "b", "y", "c"]);
        close(recall(&ranked, &r, 3), 0.5);
        close(recall(&ranked, &r, 100), 0.75);
    }

    #[test]
    fn accumulator_means_and_skips_unjudged() {
        let mut acc = Accumulator::default();
        acc.add(&ids(&["a"]), &rels(&[("a", 1)]));
        acc.add(&ids(&["x", "a"]), &rels(&[("a", 1)]));
        acc.add(&ids(&["a"]), &rels(&[]));
        let s = acc.finish();
        assert_eq!(s.queries, 2);
        close(s.mrr10, 0.75);
        close(s.recall10, 1.0);
        close(s.ndcg10, (1.0 + 1.0 / 3f64.log2()) / 2.0);
    }

    #[test]
    fn qrels_with_header_and_zero_relevance() {
        let q = parse_qrels("query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\t0\nq2\td3\t2\n")
            .unwrap_or_default();
        assert_eq!(q.len(), 2);
        assert_eq!(q["q1"].len(), 1);
        assert_eq!(q["q2"]["d3"], 2);
        assert!(parse_qrels("q1\td1\n").is_err());
        assert!(parse_qrels("q1\td1\t1\nq2\td2\tx\n").is_err());
        // A byte-order mark, decimals and a trailing tab; the first line
        // is a judgement, not a header.
        let q = parse_qrels("\u{feff}q1\td1\t1.0\nq2\td2\t-1\nq3\td3\t2\t\n").unwrap_or_default();
        assert_eq!(q["q1"]["d1"], 1);
        assert!(!q.contains_key("q2"));
        assert_eq!(q["q3"]["d3"], 2);
        // TREC's four columns are not taken for a header.
        assert!(parse_qrels("q1\t0\td1\t1\n").is_err());
    }

    #[test]
    fn queries_from_json_lines() {
        let q = parse_queries("{\"id\":\"1\",\"text\":\"谁？\",\"answers\":[\"x\"]}\n\n")
            .unwrap_or_default();
        assert_eq!(q.len(), 1);
        assert_eq!(q[0].text, "谁？");
        assert!(parse_queries("{\"id\":1}\n").is_err());
        let bom = parse_queries("\u{feff}{\"id\":\"1\",\"text\":\"谁\"}\n").unwrap_or_default();
        assert_eq!(bom.len(), 1);
        let twice = "{\"id\":\"1\",\"text\":\"a\"}\n{\"id\":\"1\",\"text\":\"b\"}\n";
        let err = parse_queries(twice).map(|_| ()).unwrap_err().to_string();
        assert!(
            err.contains("line 2") && err.contains("first on line 1"),
            "{err}"
        );
    }
}
