//! Proximity re-ranking: an article whose query words stand close together
//! (in one passage) ranks above one that has them scattered over its
//! length. BM25 sees only how often each word occurs, so a long news
//! article that mentions every word of a question somewhere outranks the
//! short passage that answers it; the best window fixes that.

use crate::analysis::bigram::is_word_char;
use crate::analysis::normalize::Normalized;

/// The query words with their weights (inverse document frequencies).
#[derive(Debug, Clone, Default)]
pub struct Terms {
    words: Vec<String>,
    idf: Vec<f32>,
    total: f32,
}

impl Terms {
    /// Terms from normalised `words` and their document frequencies among
    /// `docs` articles; duplicates and empty words are dropped.
    pub fn new(words: &[String], doc_freq: impl Fn(&str) -> u64, docs: u64) -> Terms {
        let mut t = Terms::default();
        for w in words {
            if w.is_empty() || t.words.contains(w) {
                continue;
            }
            let df = doc_freq(w).min(docs) as f32;
            let n = docs as f32;
            let idf = (1.0 + (n - df + 0.5) / (df + 0.5)).ln();
            t.total += idf;
            t.words.push(w.clone());
            t.idf.push(idf);
        }
        t
    }

    /// Number of distinct words.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// True when there is no word.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The share (0 to 1) of the query's weight that the best window of
    /// `window` characters of `text` holds, each word counted once.
    pub fn best_window(&self, text: &str, window: usize) -> f32 {
        if self.total <= 0.0 {
            return 0.0;
        }
        let norm = Normalized::new(text);
        let t: &str = &norm.text;
        // Character index of every byte offset where a character starts.
        let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
        let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
        let mut occ: Vec<(usize, usize, usize)> = Vec::new(); // (start char, end char, word)
        for (wi, w) in self.words.iter().enumerate() {
            for (i, m) in t.match_indices(w.as_str()) {
                occ.push((char_at(i), char_at(i + m.len()), wi));
            }
        }
        occ.sort_unstable();
        let mut count = vec![0u32; self.words.len()];
        let (mut sum, mut best) = (0.0f32, 0.0f32);
        let mut lo = 0;
        for hi in 0..occ.len() {
            let (_, end, w) = occ[hi];
            if count[w] == 0 {
                sum += self.idf[w];
            }
            count[w] += 1;
            while lo < hi && end - occ[lo].0 > window {
                let lw = occ[lo].2;
                count[lw] -= 1;
                if count[lw] == 0 {
                    sum -= self.idf[lw];
                }
                lo += 1;
            }
            best = best.max(sum);
        }
        (best / self.total).min(1.0)
    }

    /// The share (0 to 1) of the title's letters, digits and ideographs
    /// that query words cover, leaving out bracketed qualifiers such as
    /// "杨昊 (足球运动员)" or "【要闻】": 1 when the query names exactly
    /// what the article is about.
    pub fn title_cover(&self, title: &str) -> f32 {
        let norm = Normalized::new(title);
        let t: &str = &norm.text;
        let mut covered = vec![false; t.len()];
        for w in &self.words {
            for (i, m) in t.match_indices(w.as_str()) {
                covered[i..i + m.len()].iter_mut().for_each(|c| *c = true);
            }
        }
        let (mut depth, mut all, mut hit) = (0u32, 0u32, 0u32);
        for (i, c) in t.char_indices() {
            match c {
                '(' | '（' | '[' | '【' | '〔' => depth += 1,
                ')' | '）' | ']' | '】' | '〕' => depth = depth.saturating_sub(1),
                c if depth == 0 && is_word_char(c) => {
                    all += 1;
                    hit += u32::from(covered[i]);
                }
                _ => {}
            }
        }
        if all == 0 {
            0.0
        } else {
            hit as f32 / all as f32
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(words: &[&str], dfs: &[u64]) -> Terms {
        let words: Vec<String> = words.iter().map(|s| s.to_string()).collect();
        Terms::new(
            &words,
            |w| dfs[words.iter().position(|x| x == w).unwrap_or(0)],
            1000,
        )
    }

    #[test]
    fn close_words_fill_the_window() {
        let t = terms(&["长江", "江豚"], &[10, 10]);
        assert!((t.best_window("长江江豚数量回升", 20) - 1.0).abs() < 1e-6);
        let far = format!("长江{}江豚", "的".repeat(50));
        assert!((t.best_window(&far, 20) - 0.5).abs() < 1e-6);
        assert_eq!(t.best_window("无关的内容", 20), 0.0);
        // A word longer than the window still counts.
        assert!((t.best_window("长江江豚", 1) - 0.5).abs() < 1e-6);
    }

    #[test]
    fn title_cover_ignores_qualifiers() {
        let t = terms(&["杨昊", "效力"], &[5, 50]);
        assert_eq!(t.title_cover("杨昊 (足球运动员)"), 1.0);
        assert_eq!(t.title_cover("杨昊（足球运动员）"), 1.0);
        assert_eq!(t.title_cover("杨昊加盟"), 0.5);
        assert_eq!(t.title_cover(""), 0.0);
    }

    #[test]
    fn rare_words_weigh_more_and_text_is_normalised() {
        let t = terms(&["马斯克", "公司"], &[5, 500]);
        let rare = t.best_window("馬斯克", 20);
        let common = t.best_window("公司", 20);
        assert!(rare > common && (rare + common - 1.0).abs() < 1e-5);
    }
}
