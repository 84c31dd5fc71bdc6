//! Near-duplicate detection: SimHash over character shingles, confirmed on
//! the shingles themselves.
//!
//! Syndicated news repeats with small edits (a different lead, a byline, a
//! character dropped). SimHash of overlapping 4-character shingles of the
//! letters, digits and ideographs of the body puts such copies near each
//! other, but not reliably within a few bits: on news_all a 5-character
//! prefix moved 19 % of the bodies more than 3 bits, a deleted character
//! 32 % (BENCHMARKS.md, "Near-duplicates"). And a few bits apart are also
//! articles that are not copies at all: the same notice a year later, a
//! daily report with new figures. So the fingerprint only proposes a pair
//! ([`CANDIDATE_DISTANCE`]); the pair is a copy when most of the shingles
//! are shared ([`MIN_RESEMBLANCE`]) and, where both are dated, the dates
//! are close ([`MAX_DAYS_APART`]). An article is compared with the
//! [`NEIGHBOURS`] kept hits ranked nearest above it, and joins the nearest
//! it copies: groups form in rank order, so a copy of a copy that differs
//! more from the hit kept stays a hit of its own.

/// Hamming distance at or below which two fingerprints make a pair whose
/// texts are compared (99.5 % of the small edits above stay within it).
pub const CANDIDATE_DISTANCE: u32 = 16;

/// Share of distinct shingles two bodies must have in common (Jaccard) to
/// be copies: a dropped character keeps 0.96 of a 170-character body, a
/// byline and an editor's note 0.88; a templated report with new figures
/// or names (the daily epidemic figures, a meeting of another body the
/// same day) stays well below (0.4–0.8 on news_all).
pub const MIN_RESEMBLANCE: f64 = 0.85;

/// Copies dated further apart than this (in calendar days) are separate
/// articles: a yearly notice broadcast word for word is news of its own
/// year.
pub const MAX_DAYS_APART: i64 = 7;

/// How many of the kept hits ranked nearest above an article it is
/// compared with: copies rank close together, and a page of a thousand
/// templated reports (none a copy of another) would otherwise compare
/// every pair.
pub const NEIGHBOURS: usize = 200;

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
        .filter(|&c| crate::analysis::bigram::is_cjk(c) || c.is_alphanumeric())
        .map(|c| crate::analysis::normalize::fold_char(c) as u32)
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
fn share_in_both(a: &[u64], b: &[u64], limit: usize) -> f64 {
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

/// What the index keeps of an article for collapsing: its fingerprint and
/// date (Unix seconds).
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    /// [`simhash`] of the body.
    pub simhash: u64,
    /// Publication date, when known.
    pub date: Option<i64>,
}

/// True when two articles may be copies and their texts are worth
/// comparing: both fingerprinted, fingerprints close, dates (where both
/// are known) at most [`MAX_DAYS_APART`] apart.
pub fn may_be_copies(a: Stamp, b: Stamp) -> bool {
    let dated_apart = match (a.date, b.date) {
        (Some(x), Some(y)) => {
            x.div_euclid(86_400).abs_diff(y.div_euclid(86_400)) > MAX_DAYS_APART.unsigned_abs()
        }
        _ => false,
    };
    a.simhash != 0
        && b.simhash != 0
        && (a.simhash ^ b.simhash).count_ones() <= CANDIDATE_DISTANCE
        && !dated_apart
}

/// How many of the smallest hashes of the union [`same_text`] samples
/// before computing the exact resemblance.
const SKETCH: usize = 64;

/// True when two bodies' shingles (see [`shingles`]) make them copies.
/// Cheap tests first: sizes too different for the resemblance to reach
/// [`MIN_RESEMBLANCE`], or a sample of the union far below it (templated
/// reports propose many pairs that share half their shingles).
pub fn same_text(a: &[u64], b: &[u64]) -> bool {
    let (small, large) = (a.len().min(b.len()), a.len().max(b.len()));
    if (small as f64) < MIN_RESEMBLANCE * large as f64 {
        return false;
    }
    if share_in_both(a, b, SKETCH) < MIN_RESEMBLANCE - 0.25 {
        return false;
    }
    resemblance(a, b) >= MIN_RESEMBLANCE
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "国家统计局今天发布数据显示，前三季度国内生产总值同比增长百分之五点二，经济运行总体回升向好，就业物价总体平稳，国际收支基本平衡。分产业看，第一产业增加值增长百分之四，第二产业增加值增长百分之四点四，第三产业增加值增长百分之六。社会消费品零售总额增长百分之六点八，其中服务零售额增长更快。全国城镇调查失业率平均为百分之五点三，比上半年下降零点一个百分点。";

    fn stamp(text: &str) -> Stamp {
        Stamp {
            simhash: simhash(text),
            date: None,
        }
    }

    fn copies(a: &str, b: &str) -> bool {
        may_be_copies(stamp(a), stamp(b)) && same_text(&shingles(a), &shingles(b))
    }

    #[test]
    fn small_edits_are_copies() {
        let byline = format!("新华社北京电 记者张三报道：{A}（责任编辑：李四）");
        let chars: Vec<char> = A.chars().collect();
        let dropped: String = chars[..80].iter().chain(&chars[81..]).collect();
        for b in [byline.as_str(), dropped.as_str(), A] {
            assert!(copies(A, b), "{b}");
        }
    }

    #[test]
    fn different_texts_are_not() {
        let b = "长江是中华民族的母亲河，也是中华民族发展的重要支撑。党的十八大以来，长江经济带生态环境保护发生了转折性变化，经济社会发展取得历史性成就。";
        assert!(!may_be_copies(stamp(A), stamp(b)));
        assert!(resemblance(&shingles(A), &shingles(b)) < 0.1);
    }

    #[test]
    fn a_report_with_new_figures_is_not_a_copy() {
        let b = A
            .replace("五点二", "四点九")
            .replace("百分之四，", "百分之三点七，")
            .replace("四点四", "五点一")
            .replace("六点八", "七点二")
            .replace("五点三", "五点一");
        assert!(!same_text(&shingles(A), &shingles(&b)), "{b}");
    }

    #[test]
    fn the_same_text_a_year_later_is_not_a_copy() {
        let day = 86_400;
        let at = |d: i64| Stamp {
            simhash: simhash(A),
            date: Some(d * day),
        };
        assert!(may_be_copies(at(100), at(100 + MAX_DAYS_APART)));
        assert!(!may_be_copies(at(100), at(465)));
        // An undated copy is judged by its text alone.
        assert!(may_be_copies(at(100), stamp(A)));
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
            let (exact, est) = (resemblance(&x, &y), share_in_both(&x, &y, SKETCH));
            assert!((exact - est).abs() < 0.2, "{exact} {est} {b}");
        }
        // Calendar days: late on the 7th day after is still a copy.
        let at = |secs: i64| Stamp {
            simhash: simhash(A),
            date: Some(secs),
        };
        assert!(may_be_copies(at(8 * 3600), at(7 * 86_400 + 20 * 3600)));
        assert!(!may_be_copies(at(8 * 3600), at(8 * 86_400)));
    }

    #[test]
    fn short_texts_never_collapse() {
        assert_eq!(simhash("短讯"), 0);
        assert!(shingles("短讯").is_empty());
        assert!(!copies("短讯", "短讯"));
    }
}
