//! Text fingerprints for near-duplicate detection: hashes of overlapping
//! 4-character shingles of the letters, digits and ideographs of a text
//! (folded), their SimHash, and the resemblance of two shingle sets.
//!
//! The index stores each body's [`simhash`]; the search compares the
//! [`shingles`] of the bodies that the fingerprints propose (see
//! `search/collapse.rs` for when two articles are copies).

use crate::analysis::normalize::fold_char;
use crate::chars::is_word_char;

/// Shortest body (in characters) for which a fingerprint is computed; short
/// texts collide too easily, so they get fingerprint 0 and never collapse.
pub const MIN_CHARS: usize = 40;

#[inline]
fn mix(mut x: u64) -> u64 {
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d049bb133111eb);
    x ^ (x >> 31)
}

/// Hashes of the overlapping 4-character shingles of the letters, digits
/// and ideographs of `text` (folded), in text order; none for texts too
/// short to fingerprint.
fn shingle_hashes(text: &str) -> Vec<u64> {
    let chars: Vec<u32> = text
        .chars()
        .filter(|&c| is_word_char(c))
        .map(|c| fold_char(c) as u32)
        .collect();
    if chars.len() < MIN_CHARS {
        return Vec::new();
    }
    chars
        .windows(4)
        .map(|w| {
            mix(((w[0] as u64) << 42)
                ^ ((w[1] as u64) << 21)
                ^ (w[2] as u64)
                ^ ((w[3] as u64) << 63)
                ^ (w[3] as u64).rotate_left(11))
        })
        .collect()
}

/// The distinct shingle hashes of `text`, sorted, for [`resemblance`].
pub fn shingles(text: &str) -> Vec<u64> {
    let mut v = shingle_hashes(text);
    v.sort_unstable();
    v.dedup();
    v
}

/// Jaccard resemblance of two sorted, distinct shingle sets (0 when
/// either is empty).
pub fn resemblance(a: &[u64], b: &[u64]) -> f64 {
    share_in_both(a, b, usize::MAX)
}

/// The share of the `limit` smallest hashes of the union of two sorted,
/// distinct sets that are in both: the resemblance itself when `limit`
/// covers the union, an estimate of it otherwise (the hashes are mixed,
/// so the smallest are a uniform sample).
pub fn share_in_both(a: &[u64], b: &[u64], limit: usize) -> f64 {
    let (mut i, mut j, mut seen, mut both) = (0, 0, 0usize, 0usize);
    while seen < limit {
        match (a.get(i), b.get(j)) {
            (Some(x), Some(y)) if x == y => {
                both += 1;
                i += 1;
                j += 1;
            }
            (Some(x), Some(y)) if x < y => i += 1,
            (Some(_), Some(_)) | (None, Some(_)) => j += 1,
            (Some(_), None) => i += 1,
            (None, None) => break,
        }
        seen += 1;
    }
    both as f64 / seen.max(1) as f64
}

/// SimHash of `text`; 0 for texts too short to fingerprint.
pub fn simhash(text: &str) -> u64 {
    let hashes = shingle_hashes(text);
    if hashes.is_empty() {
        return 0;
    }
    let mut v = [0i32; 64];
    for h in hashes {
        for (bit, slot) in v.iter_mut().enumerate() {
            if h >> bit & 1 == 1 {
                *slot += 1;
            } else {
                *slot -= 1;
            }
        }
    }
    let mut out = 0u64;
    for (bit, &x) in v.iter().enumerate() {
        if x > 0 {
            out |= 1 << bit;
        }
    }
    out.max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "国家统计局今天发布数据显示，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，就业物价总体平稳，国际收支基本平衡。分产业看，第一产业增加值增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。社会消费品零售总额增长百分之六点八，其中服务零售额增长更快。全国城镇调查失业率平均为百分之五点三，比上半年下降零点一个百分点。";

    #[test]
    fn different_texts_share_few_shingles() {
        let b = "长江是中华民族的母亲河，也是中华民族发展的重要支撑。党的十八大以来，长江经济带生态环境保护发生了转折性变化，经济社会发展取得历史性成就。";
        assert!(resemblance(&shingles(A), &shingles(b)) < 0.1);
        assert!((resemblance(&shingles(A), &shingles(A)) - 1.0).abs() < 1e-9);
    }

    #[test]
    fn the_sample_agrees_with_the_exact_resemblance() {
        let chars: Vec<char> = A.chars().collect();
        let half: String = chars[..chars.len() / 2].iter().collect();
        let mixed = format!(
            "{half}{}",
            "长江是中华民族的母亲河，也是中华民族发展的重要支撑。".repeat(2)
        );
        for b in [A, half.as_str(), mixed.as_str()] {
            let (x, y) = (shingles(A), shingles(b));
            let (exact, est) = (resemblance(&x, &y), share_in_both(&x, &y, 64));
            assert!((exact - est).abs() < 0.2, "{exact} {est} {b}");
        }
    }

    #[test]
    fn short_texts_are_not_fingerprinted() {
        assert_eq!(simhash("短讯"), 0);
        assert!(shingles("短讯").is_empty());
        assert_ne!(simhash(A), 0);
    }
}
