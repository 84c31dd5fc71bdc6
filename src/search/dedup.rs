//! Near-duplicate detection: a 64-bit SimHash over character shingles.
//!
//! Syndicated news repeats with small edits (a different lead, a byline).
//! SimHash of overlapping 4-character shingles of the letters, digits and
//! ideographs of the body puts such copies within a few bits of each other.

/// Hamming distance at or below which two articles are near-duplicates.
pub const MAX_DISTANCE: u32 = 3;

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

/// SimHash of `text`; 0 for texts too short to fingerprint.
pub fn simhash(text: &str) -> u64 {
    let chars: Vec<u32> = text
        .chars()
        .filter(|&c| crate::analysis::bigram::is_cjk(c) || c.is_alphanumeric())
        .map(|c| crate::analysis::normalize::fold_char(c) as u32)
        .collect();
    if chars.len() < MIN_CHARS {
        return 0;
    }
    let mut v = [0i32; 64];
    for w in chars.windows(4) {
        let h = mix(((w[0] as u64) << 42)
            ^ ((w[1] as u64) << 21)
            ^ (w[2] as u64)
            ^ ((w[3] as u64) << 63)
            ^ (w[3] as u64).rotate_left(11));
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

/// True when two fingerprints mark near-duplicates.
pub fn near(a: u64, b: u64) -> bool {
    a != 0 && b != 0 && (a ^ b).count_ones() <= MAX_DISTANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "国家统计局今天发布数据显示，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，就业物价总体平稳，国际收支基本平衡。分产业看，第一产业增加值增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。社会消费品零售总额增长百分之六点八，其中服务零售额增长更快。全国城镇调查失业率平均为百分之五点三，比上半年下降零点一个百分点。";

    #[test]
    fn small_edits_stay_near() {
        let b = format!("新华社北京电 {A}");
        assert!(
            near(simhash(A), simhash(&b)),
            "{:064b}\n{:064b}",
            simhash(A),
            simhash(&b)
        );
    }

    #[test]
    fn different_texts_are_far() {
        let b = "长江是中华民族的母亲河，也是中华民族发展的重要支撑。党的十八大以来，长江经济带生态环境保护发生了转折性变化，经济社会发展取得历史性成就。";
        assert!(!near(simhash(A), simhash(b)));
    }

    #[test]
    fn short_texts_never_collapse() {
        assert_eq!(simhash("短讯"), 0);
        assert!(!near(0, 0));
    }
}
