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

/// The hash of one shingle of four folded characters.
#[inline]
fn shingle_hash(w: [u32; 4]) -> u64 {
    mix(((w[0] as u64) << 42)
        ^ ((w[1] as u64) << 21)
        ^ (w[2] as u64)
        ^ ((w[3] as u64) << 63)
        ^ (w[3] as u64).rotate_left(11))
}

/// Calls `f` with the hash of each overlapping 4-character shingle of the
/// letters, digits and ideographs of `text` (folded), in text order, in
/// one pass without allocating; returns how many such characters there are.
#[inline]
fn for_each_shingle(text: &str, mut f: impl FnMut(u64)) -> usize {
    let mut w = [0u32; 4];
    let mut n = 0usize;
    for c in text.chars().filter(|&c| is_word_char(c)) {
        w = [w[1], w[2], w[3], fold_char(c) as u32];
        n += 1;
        if n >= 4 {
            f(shingle_hash(w));
        }
    }
    n
}

/// Hashes of the overlapping 4-character shingles of the letters, digits
/// and ideographs of `text` (folded), in text order; none for texts too
/// short to fingerprint.
fn shingle_hashes(text: &str) -> Vec<u64> {
    let mut out = Vec::new();
    if for_each_shingle(text, |h| out.push(h)) < MIN_CHARS {
        out.clear();
    }
    out
}

/// The distinct shingle hashes of `text`, sorted, for [`resemblance`].
pub fn shingles(text: &str) -> Vec<u64> {
    let mut v = shingle_hashes(text);
    v.sort_unstable();
    v.dedup();
    v
}

/// How many hashes two sorted, distinct shingle sets have in common.
pub fn shared(a: &[u64], b: &[u64]) -> usize {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
        }
    }
    both
}

/// Jaccard resemblance of two sorted, distinct shingle sets (0 when
/// either is empty).
pub fn resemblance(a: &[u64], b: &[u64]) -> f64 {
    let both = shared(a, b);
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}

/// The share of the `limit` smallest hashes of `small` that are also in
/// `large` (both sorted and distinct): an estimate of the share of
/// `small` that `large` contains (the hashes are mixed, so the smallest
/// are a uniform sample of `small`); the share itself when `limit`
/// covers `small`. 0 when `small` is empty.
pub fn contained_sample(small: &[u64], large: &[u64], limit: usize) -> f64 {
    let sample = &small[..small.len().min(limit)];
    let Some(&last) = sample.last() else {
        return 0.0;
    };
    // Only the part of `large` up to the sample's largest hash can match.
    let end = large.partition_point(|&h| h <= last);
    shared(sample, &large[..end]) as f64 / sample.len() as f64
}

/// SimHash of `text`; 0 for texts too short to fingerprint.
///
/// Bit `b` is set when more than half of the shingle hashes have it. The
/// bits are counted eight at a time: byte `j` of `lanes[k]` counts bit
/// `8j + k`, so a hash costs eight shifts and adds instead of 64 compares
/// (the bytes are flushed to wide counters every 255 hashes, before one
/// can overflow). Indexing computes one per article.
pub fn simhash(text: &str) -> u64 {
    const LOW_BITS: u64 = 0x0101_0101_0101_0101;
    fn flush(lanes: &mut [u64; 8], ones: &mut [u32; 64]) {
        for (k, lane) in lanes.iter_mut().enumerate() {
            for j in 0..8 {
                ones[8 * j + k] += ((*lane >> (8 * j)) & 0xff) as u32;
            }
            *lane = 0;
        }
    }
    let mut lanes = [0u64; 8];
    let mut ones = [0u32; 64];
    let (mut total, mut batch) = (0u32, 0u32);
    let chars = for_each_shingle(text, |h| {
        for (k, lane) in lanes.iter_mut().enumerate() {
            *lane += (h >> k) & LOW_BITS;
        }
        total += 1;
        batch += 1;
        if batch == 255 {
            flush(&mut lanes, &mut ones);
            batch = 0;
        }
    });
    if chars < MIN_CHARS {
        return 0;
    }
    flush(&mut lanes, &mut ones);
    let mut out = 0u64;
    for (bit, &n) in ones.iter().enumerate() {
        if 2 * n > total {
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
    fn the_sample_agrees_with_the_exact_containment() {
        let chars: Vec<char> = A.chars().collect();
        let half: String = chars[..chars.len() / 2].iter().collect();
        let other = "长江是中华民族的母亲河，也是中华民族发展的重要支撑。".repeat(2);
        let mixed = format!("{half}{other}");
        let a = shingles(A);
        for b in [A, half.as_str(), mixed.as_str(), other.as_str()] {
            let b = shingles(b);
            let exact = shared(&b, &a) as f64 / b.len() as f64;
            let est = contained_sample(&b, &a, 64);
            assert!((exact - est).abs() < 0.2, "{exact} {est}");
            assert_eq!(contained_sample(&b, &a, usize::MAX), exact);
        }
        assert_eq!(contained_sample(&shingles(&half), &a, 64), 1.0);
        assert_eq!(contained_sample(&[], &a, 64), 0.0);
    }

    #[test]
    fn shared_shingles_are_counted_once() {
        assert_eq!(shared(&[1, 3, 5, 7], &[2, 3, 4, 7, 9]), 2);
        assert_eq!(shared(&[], &[1]), 0);
        let a = shingles(A);
        assert_eq!(shared(&a, &a), a.len());
        assert_eq!(resemblance(&[], &[]), 0.0);
    }

    /// SimHash as first written: one signed counter per bit.
    fn simhash_by_counters(text: &str) -> u64 {
        let hashes = shingle_hashes(text);
        if hashes.is_empty() {
            return 0;
        }
        let mut v = [0i32; 64];
        for h in hashes {
            for (bit, slot) in v.iter_mut().enumerate() {
                *slot += if h >> bit & 1 == 1 { 1 } else { -1 };
            }
        }
        let bits = v.iter().enumerate().filter(|(_, &x)| x > 0);
        bits.fold(0u64, |out, (bit, _)| out | 1 << bit).max(1)
    }

    #[test]
    fn bit_sliced_counting_gives_the_same_fingerprints() {
        // Over 255 shingles, so the byte counters are flushed mid-text.
        let long = A.repeat(9);
        let mixed = "ＡＢＣ臺灣 abc 123 長江經濟帶發展取得歷史性成就，生態環境保護發生轉折性變化！";
        for t in [A, long.as_str(), "短讯", mixed] {
            assert_eq!(simhash(t), simhash_by_counters(t), "{t}");
        }
        let chars: Vec<char> = long.chars().collect();
        for cut in (0..chars.len()).step_by(37) {
            let t: String = chars[..cut].iter().collect();
            assert_eq!(simhash(&t), simhash_by_counters(&t), "{cut}");
        }
    }

    #[test]
    fn short_texts_are_not_fingerprinted() {
        assert_eq!(simhash("短讯"), 0);
        assert!(shingles("短讯").is_empty());
        assert_ne!(simhash(A), 0);
    }
}
