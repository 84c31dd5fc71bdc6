//! Character overlap among the re-ranking candidates: the share of the
//! query's Chinese characters an article holds, each character weighted by
//! how few of the candidates hold it.
//!
//! Words miss what a summary or a headline says in other words: 日企 for
//! 日本企业, 常委 for 常务委员会委员, 扫年货 for 扫货. Chinese abbreviates
//! by keeping characters, so the characters still meet where the words do
//! not. Weighting each character by its rarity among the candidates (not
//! in the whole index, which keeps no statistics of single characters)
//! makes the characters that tell the candidates apart count, and the ones
//! they all share (的, 了, 中) count little.

use crate::analysis::normalize::fold_char;
use crate::chars::is_ideograph;

/// The distinct ideographs of `query`, normalised as the index normalises
/// text, sorted.
pub fn query_characters(query: &str) -> Vec<char> {
    let mut out: Vec<char> = query
        .chars()
        .map(fold_char)
        .filter(|&c| is_ideograph(c))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// Which of `chars` (from [`query_characters`]) `texts` hold between them.
pub fn held(chars: &[char], texts: &[&str]) -> Vec<bool> {
    mark(chars, texts.iter().flat_map(|t| t.chars()).map(fold_char))
}

/// Which of `chars` the normalised text `text` holds: [`held`] of texts
/// already normalised (as `features::Folded` holds an article).
pub fn held_normalised(chars: &[char], text: &str) -> Vec<bool> {
    mark(chars, text.chars())
}

/// Which of `chars` (sorted) occur among the ideographs of `text`,
/// stopping once every one is found.
fn mark(chars: &[char], text: impl Iterator<Item = char>) -> Vec<bool> {
    let mut has = vec![false; chars.len()];
    let mut left = chars.len();
    for c in text {
        if left == 0 {
            break;
        }
        if !is_ideograph(c) {
            continue;
        }
        if let Ok(i) = chars.binary_search(&c) {
            if !has[i] {
                has[i] = true;
                left -= 1;
            }
        }
    }
    has
}

/// The share (0 to 1) of the query characters' weight each candidate
/// holds, given which characters each holds (`held`, one row per
/// candidate): a character's weight is ln(1 + n / (1 + m)) for `m` of the
/// `n` candidates holding it. All 0 when the query has no ideograph.
pub fn shares(held: &[Vec<bool>]) -> Vec<f32> {
    let n = held.len() as f32;
    let chars = held.first().map_or(0, Vec::len);
    let weight: Vec<f32> = (0..chars)
        .map(|i| {
            let m = held.iter().filter(|h| h[i]).count() as f32;
            (1.0 + n / (1.0 + m)).ln()
        })
        .collect();
    let total: f32 = weight.iter().sum();
    if total <= 0.0 {
        return vec![0.0; held.len()];
    }
    held.iter()
        .map(|h| {
            h.iter()
                .zip(&weight)
                .filter(|(has, _)| **has)
                .map(|(_, w)| w)
                .sum::<f32>()
                / total
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_characters_are_distinct_ideographs() {
        let mut want = vec!['日', '企', '本', '业'];
        want.sort_unstable();
        assert_eq!(query_characters("日企，日本 AI 企业"), want);
        assert!(query_characters("AI 2024").is_empty());
    }

    #[test]
    fn a_character_few_candidates_hold_weighs_more() {
        let q = query_characters("日企撤资");
        let texts = ["日本企业不撤资", "日本游客", "企业撤资", "今日天气"];
        let rows: Vec<Vec<bool>> = texts.iter().map(|t| held(&q, &[t])).collect();
        assert_eq!(rows[0], [true, true, true, true]);
        let pos = |c: char| q.iter().position(|&x| x == c).unwrap_or(usize::MAX);
        assert!(rows[1][pos('日')] && !rows[1][pos('企')]);
        // Title and body together.
        assert_eq!(held(&q, &["日本", "撤资"]), held(&q, &["日本撤资"]));
        let n = crate::analysis::normalize::normalize("日本企業撤資");
        assert_eq!(held_normalised(&q, &n), held(&q, &["日本企業撤資"]));
        let s = shares(&rows);
        assert!((s[0] - 1.0).abs() < 1e-6, "{s:?}");
        // 日 is held by three candidates, 撤 and 资 by two: 企业撤资 (企
        // 撤 资) outweighs 日本游客 (日).
        assert!(s[2] > s[1] && s[1] > 0.0, "{s:?}");
        assert_eq!(shares(&[vec![], vec![]]), [0.0, 0.0]);
        assert!(shares(&[]).is_empty());
    }
}
