//! Collapsing near-duplicates (syndicated copies) in a ranked list:
//! proposed by the SimHash of the bodies, confirmed on their shingles
//! (both in `analysis/fingerprint.rs`).
//!
//! Syndicated news repeats with small edits (a different lead, a byline, a
//! character dropped). SimHash of overlapping 4-character shingles of the
//! letters, digits and ideographs of the body puts such copies near each
//! other, but not reliably within a few bits: a short prefix or a deleted
//! character moves many bodies more than 3 bits (BENCHMARKS.md,
//! "Near-duplicates", has the figures on news_all). And a few bits apart are also
//! articles that are not copies at all: the same notice a year later, a
//! daily report with new figures. So the fingerprint only proposes a pair
//! ([`CANDIDATE_DISTANCE`]), and the shingles themselves decide
//! ([`same_text`]): the pair is a copy when most of the shingles are shared
//! ([`MIN_RESEMBLANCE`]), or when one text holds the other nearly whole
//! with a short addition — a byline, a note, an editor's line
//! ([`MIN_CONTAINED`], [`MAX_ADDED`]), which in a short text weighs too much
//! for the resemblance — and, where both are dated, the dates are close
//! ([`MAX_DAYS_APART`]). An article is compared with the [`NEIGHBOURS`]
//! kept hits ranked nearest above it, and joins the nearest it copies:
//! groups form in rank order, so a copy of a copy that differs more from
//! the hit kept stays a hit of its own.

use std::collections::hash_map::Entry;
use std::collections::HashMap;

use anyhow::Result;

use super::first_stage::{DocRef, FirstStage, Scored, Stored};
use crate::analysis::fingerprint::{contained_sample, shared};

/// Hamming distance at or below which two fingerprints make a pair whose
/// texts are compared (nearly all of the small edits above stay within it,
/// bylines and editor's lines added to short bodies too: BENCHMARKS.md,
/// "Near-duplicates").
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

/// What the index keeps of an article for collapsing: its fingerprint and
/// date (Unix seconds).
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    /// [`simhash`](crate::analysis::fingerprint::simhash) of the body.
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

/// Share of the shorter text's distinct shingles the longer must hold for
/// the longer to be the shorter with something added: all but one in 20,
/// so a few characters cut at either end are allowed (a shingle per
/// character, four for a character changed inside), but not a changed
/// word in a short text (蓝色预警 → 黄色预警 misses 5 of 50).
pub const MIN_CONTAINED: f64 = 0.95;

/// Fewest shingles the shorter text must share with the longer for
/// containment to count: a 40-character text has about 37, so short
/// flashes that share a boilerplate sentence are never copies by
/// containment alone.
pub const MIN_SHARED: usize = 32;

/// Most shingles the longer text may add to the shorter one it contains,
/// and never more than half the shorter's: a byline, a note or an
/// editor's line (10–60 characters), not a second story (a digest of two
/// flashes, a commentary quoting a whole report, a roundup).
pub const MAX_ADDED: usize = 200;

/// How many of the smallest hashes of the shorter text [`same_text`]
/// samples before counting the shared shingles exactly.
const SKETCH: usize = 64;

/// True when two bodies' shingles (see [`shingles`](crate::analysis::fingerprint::shingles))
/// make them copies: they share at least [`MIN_RESEMBLANCE`] of their
/// shingles (Jaccard), or the longer holds at least [`MIN_CONTAINED`] of
/// the shorter's (and at least [`MIN_SHARED`]) and adds at most
/// [`MAX_ADDED`] shingles, at most half as many as the shorter has.
///
/// Cheap tests first: sizes too different for either rule, or a sample
/// of the shorter's shingles far from contained in the longer (templated
/// reports propose many pairs that share half their shingles). Either
/// rule needs at least 0.85 of the shorter's shingles in the longer (a
/// resemblance of 0.85 does).
pub fn same_text(a: &[u64], b: &[u64]) -> bool {
    let (small, large) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    let added_at_most = MAX_ADDED.min(small.len() / 2);
    let close_sizes = small.len() as f64 >= MIN_RESEMBLANCE * large.len() as f64;
    if !close_sizes && large.len() - small.len() > added_at_most {
        return false;
    }
    // Either rule needs 0.85 contained: a sample of 64 of such a pair
    // falls under 0.70 less than once in 1,000 (in 400,000 at 0.9), while
    // templated reports (0.5 to 0.6 contained) stop here 96 % of the time.
    if contained_sample(small, large, SKETCH) < MIN_RESEMBLANCE - 0.15 {
        return false;
    }
    let both = shared(small, large);
    let union = small.len() + large.len() - both;
    let resembles = union > 0 && both as f64 >= MIN_RESEMBLANCE * union as f64;
    let contains = both >= MIN_SHARED
        && both as f64 >= MIN_CONTAINED * small.len() as f64
        && large.len() - both <= added_at_most;
    resembles || contains
}

/// A kept hit: its score and article, and the articles of its copies.
#[derive(Debug, Clone)]
pub(super) struct Kept {
    /// Relevance score (absent when sorted by date).
    pub score: Option<f32>,
    /// The article shown.
    pub doc: DocRef,
    /// The copies collapsed into it.
    pub copies: Vec<DocRef>,
}

impl From<Scored> for Kept {
    fn from(s: Scored) -> Kept {
        Kept {
            score: s.score,
            doc: s.doc,
            copies: Vec::new(),
        }
    }
}

/// What the collapsing learnt of the documents it read: their shingles
/// and ids (the ids of copies are shown under their hit).
#[derive(Default)]
pub(super) struct Copies {
    shingles: HashMap<DocRef, Vec<u64>>,
    /// Ids of the documents read.
    pub ids: HashMap<DocRef, String>,
}

/// Collapses near-duplicates in `ranked`: the first of each group is
/// kept, with the others as its copies; each article is compared with
/// the [`NEIGHBOURS`] kept hits ranked nearest above it. Bodies are read only for pairs
/// whose stamps allow copies ([`may_be_copies`]); a document
/// that may be shown (among the first `shown` kept) stays in `loaded`.
pub(super) fn collapse(
    first: &dyn FirstStage,
    ranked: Vec<Scored>,
    shown: usize,
    loaded: &mut HashMap<DocRef, Stored>,
    copies: &mut Copies,
) -> Result<Vec<Kept>> {
    let mut kept: Vec<Kept> = Vec::new();
    let mut stamps: Vec<Stamp> = Vec::new();
    for Scored { score, doc, .. } in ranked {
        let stamp = first.stamp(doc);
        let mut copy_of = None;
        // Copies rank close to each other (same words, dates within a
        // week): the nearest kept hits are enough, and a long page of
        // templated reports costs linear, not quadratic, time.
        for (i, k) in kept.iter().enumerate().rev().take(NEIGHBOURS) {
            if !may_be_copies(stamps[i], stamp) {
                continue;
            }
            // `doc` would be kept at position `kept.len()`.
            for (a, at) in [(k.doc, i), (doc, kept.len())] {
                if let Entry::Vacant(slot) = copies.shingles.entry(a) {
                    let stored = match loaded.remove(&a) {
                        Some(d) => d,
                        None => first.stored(a)?,
                    };
                    slot.insert(crate::analysis::fingerprint::shingles(&stored.body));
                    copies.ids.insert(a, stored.id.clone());
                    if at < shown {
                        loaded.insert(a, stored);
                    }
                }
            }
            if let (Some(x), Some(y)) = (copies.shingles.get(&k.doc), copies.shingles.get(&doc)) {
                if same_text(x, y) {
                    copy_of = Some(i);
                    break;
                }
            }
        }
        match copy_of {
            Some(i) => kept[i].copies.push(doc),
            None => {
                stamps.push(stamp);
                kept.push(Kept {
                    score,
                    doc,
                    copies: Vec::new(),
                });
            }
        }
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fingerprint::{resemblance, shared, shingles, simhash};

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
        assert!(!copies("短讯", "短讯"));
    }

    /// A short warning, about 50 characters.
    const HEAT: &str = "市气象台今天发布高温橙色预警，预计今天下午城区和东部平原最高气温将升至三十七度以上，请减少户外活动。";

    #[test]
    fn a_short_text_with_a_byline_or_a_note_added_is_a_copy() {
        let byline = format!("{HEAT}（记者 王明 通讯员 李华）");
        // The byline alone takes the resemblance under the threshold.
        assert!(resemblance(&shingles(HEAT), &shingles(&byline)) < MIN_RESEMBLANCE);
        let added = [
            byline,
            format!("本报讯 {HEAT}（责任编辑：李四）"),
            format!("{HEAT}编辑：张三 责任编辑：李四 审核：王五"),
        ];
        for b in &added {
            assert!(copies(HEAT, b), "{b}");
            assert!(copies(b, HEAT), "{b}");
        }
        // Cut differently at both ends: each holds the other all but a
        // few shingles.
        let a = format!("本报讯 {HEAT}（记者 王明）");
        let b = format!("{HEAT}（完）");
        assert!(copies(&a, &b));
    }

    #[test]
    fn a_long_text_with_an_editors_line_added_is_a_copy() {
        let note = "编者按：本报今起推出系列报道，聚焦前三季度经济运行中的亮点与难点，敬请关注。";
        let b = format!("{note}{A}（编辑：张三 责任编辑：李四）");
        assert!(resemblance(&shingles(A), &shingles(&b)) < MIN_RESEMBLANCE);
        assert!(copies(A, &b));
    }

    #[test]
    fn short_texts_that_only_share_a_lead_or_differ_in_a_word_are_not_copies() {
        let other = "市气象台今天发布高温橙色预警，预计明天沿江地区午后有雷阵雨，局地伴有短时大风，请注意防范。";
        let upgraded = HEAT.replace("橙色", "红色");
        let fewer = HEAT.replace("城区和", "");
        for b in [other, upgraded.as_str(), fewer.as_str()] {
            let (x, y) = (shingles(HEAT), shingles(b));
            assert!(!same_text(&x, &y), "{b}");
            assert!(!same_text(&y, &x), "{b}");
        }
    }

    #[test]
    fn a_text_that_adds_another_story_is_not_a_copy() {
        // A digest of two flashes, and a long report that quotes a flash
        // whole: each holds the short text, but adds a story of its own.
        let flash = "长江流域今年首场大范围降雨过程结束，多地水位回落，防汛应急响应已全部解除，各地转入灾后恢复。";
        let digest = format!("{HEAT}{flash}");
        let report = format!("{A}{HEAT}");
        for (small, large) in [(HEAT, digest.as_str()), (HEAT, report.as_str())] {
            let (x, y) = (shingles(small), shingles(large));
            assert_eq!(shared(&x, &y), x.len(), "{large}");
            assert!(!same_text(&x, &y), "{large}");
        }
    }

    #[test]
    fn containment_needs_enough_shared_shingles_and_a_short_addition() {
        let set = |r: std::ops::Range<u64>| -> Vec<u64> { r.collect() };
        // 30 shingles held whole, 10 added: too few to count (resemblance
        // 0.75); 34 held and 10 added are a copy.
        assert!(!same_text(&set(0..30), &set(0..40)));
        assert!(same_text(&set(0..34), &set(0..44)));
        // All but one in 20 held, then one shingle fewer.
        assert!(same_text(&set(0..40), &set(2..60)));
        assert!(!same_text(&set(0..40), &set(3..60)));
        // At most half the shorter added, and at most MAX_ADDED.
        assert!(same_text(&set(0..40), &set(0..60)));
        assert!(!same_text(&set(0..40), &set(0..61)));
        let big = MAX_ADDED as u64 * 4;
        assert!(same_text(&set(0..big), &set(0..big + MAX_ADDED as u64)));
        assert!(!same_text(
            &set(0..big),
            &set(0..big + MAX_ADDED as u64 + 1)
        ));
    }
}
