//! Choosing the passages of an article that best show why it matched.
//!
//! A passage is one or more whole sentences (cut after 。！？；!?; and at line
//! breaks) of roughly [`MIN_CHARS`]–[`MAX_CHARS`] characters. Sentences longer
//! than that are cut at a comma or, failing that, a character boundary
//! around the first match. Matches are found by exact (normalised) substring
//! search, so every occurrence of every query text is highlighted, whatever
//! the segmentation did. Highlights are UTF-8 byte ranges into the passage.

use serde::Serialize;

use crate::analysis::normalize::Normalized;

/// A passage grows to at least this many characters when it can.
pub const MIN_CHARS: usize = 60;
/// A passage never grows past this many characters (a single sentence may
/// be cut to it).
pub const MAX_CHARS: usize = 160;

/// A passage with highlights as byte ranges into `text`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Passage {
    /// The passage text.
    pub text: String,
    /// `[start, end)` UTF-8 byte ranges of the matches in `text`.
    pub highlights: Vec<[usize; 2]>,
}

/// All matches of `terms` (normalised) in `text`, as original byte ranges,
/// sorted and merged, each with the index of the term it matched.
pub fn find_matches(text: &str, terms: &[String]) -> Vec<(usize, usize, usize)> {
    let norm = Normalized::new(text);
    let mut out: Vec<(usize, usize, usize)> = Vec::new();
    for (ti, t) in terms.iter().enumerate() {
        if t.is_empty() {
            continue;
        }
        // Letters and digits are highlighted as whole words where the text
        // has them ("ai" not inside "said" when "AI" stands alone), and
        // inside words only where it has no whole word, as a substring
        // search finds them there.
        let latin = t.bytes().all(|b| b.is_ascii_alphanumeric());
        let bytes = norm.text.as_bytes();
        let tb = t.as_bytes();
        let mut inner = Vec::new();
        let before = out.len();
        for (i, m) in norm.text.match_indices(t.as_str()) {
            let end = i + m.len();
            let range = (norm.orig(i), norm.orig_end(end), ti);
            if latin
                && (i > 0 && same_class(bytes[i - 1], tb[0])
                    || end < bytes.len() && same_class(bytes[end], tb[tb.len() - 1]))
            {
                inner.push(range);
                continue;
            }
            out.push(range);
        }
        if out.len() == before {
            out.extend(inner);
        }
    }
    out.sort();
    // Merge overlapping ranges (keep the first term index).
    let mut merged: Vec<(usize, usize, usize)> = Vec::with_capacity(out.len());
    for m in out {
        match merged.last_mut() {
            Some(last) if m.0 <= last.1 => last.1 = last.1.max(m.1),
            _ => merged.push(m),
        }
    }
    merged
}

/// True when `a` and `b` are both ASCII letters or both ASCII digits.
fn same_class(a: u8, b: u8) -> bool {
    (a.is_ascii_alphabetic() && b.is_ascii_alphabetic())
        || (a.is_ascii_digit() && b.is_ascii_digit())
}

/// Highlight ranges of `terms` in `text` (e.g. a title).
pub fn highlight(text: &str, terms: &[String]) -> Vec<[usize; 2]> {
    find_matches(text, terms)
        .into_iter()
        .map(|(s, e, _)| [s, e])
        .collect()
}

fn is_break(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '；' | '!' | '?' | ';' | '\n')
}

/// Sentence byte spans of `text`, trimmed, empty ones dropped.
fn sentences(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut push = |s: usize, e: usize| {
        let piece = &text[s..e];
        let lead = piece.len() - piece.trim_start().len();
        let trail = piece.len() - piece.trim_end().len();
        if s + lead < e - trail {
            out.push((s + lead, e - trail));
        }
    };
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if is_break(c) {
            // Keep closing quotes with their sentence: 。”
            let mut end = i + c.len_utf8();
            while let Some(&(j, n)) = it.peek() {
                if matches!(n, '”' | '’' | '」' | '』' | ')' | '）') {
                    end = j + n.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            push(start, end);
            start = end;
        }
    }
    push(start, text.len());
    out
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Cuts the long span `(s, e)` of `text` to at most `MAX_CHARS` characters
/// around byte `focus`, preferring to start after a comma.
fn cut_span(text: &str, s: usize, e: usize, focus: usize) -> (usize, usize) {
    let span = &text[s..e];
    let idx: Vec<usize> = span
        .char_indices()
        .map(|(i, _)| s + i)
        .chain(std::iter::once(e))
        .collect();
    let n = idx.len() - 1;
    if n <= MAX_CHARS {
        return (s, e);
    }
    let f = idx.iter().position(|&b| b >= focus).unwrap_or(0);
    // Start up to a third of the window before the focus.
    let mut a = f.saturating_sub(MAX_CHARS / 3);
    // Prefer to start right after a comma within the 30 characters before a.
    let lo = a.saturating_sub(30);
    for k in (lo..=a).rev() {
        if k > 0 && k <= n {
            let prev = &text[idx[k - 1]..idx[k]];
            if matches!(prev, "，" | "," | "、" | "：" | ":") {
                a = k;
                break;
            }
        }
    }
    if a > f {
        a = f;
    }
    let b = (a + MAX_CHARS).min(n);
    let a = if b - a < MAX_CHARS {
        b.saturating_sub(MAX_CHARS)
    } else {
        a
    };
    (idx[a], idx[b])
}

/// Up to `max` best passages of `body` for the normalised `terms`, best first.
/// Each passage is scored by the distinct terms it holds and then by its
/// number of matches. With no match at all, the opening sentences make one
/// passage.
pub fn best_passages(body: &str, terms: &[String], max: usize) -> Vec<Passage> {
    let matches = find_matches(body, terms);
    let sents = sentences(body);
    if sents.is_empty() {
        return Vec::new();
    }
    if matches.is_empty() {
        let (s, e) = grow(body, &sents, 0);
        let (s, e) = cut_span(body, s, e, s);
        return vec![Passage {
            text: body[s..e].to_string(),
            highlights: Vec::new(),
        }];
    }
    // Candidate windows: one per sentence that holds a match.
    let mut cands: Vec<(f32, usize, usize, usize)> = Vec::new(); // (score, start, end, first sentence)
    let mut mi = 0;
    for (si, &(s, e)) in sents.iter().enumerate() {
        while mi < matches.len() && matches[mi].1 <= s {
            mi += 1;
        }
        if mi >= matches.len() || matches[mi].0 >= e {
            continue;
        }
        let (ws, we) = grow(body, &sents, si);
        let (ws, we) = cut_span(body, ws, we, matches[mi].0);
        let mut seen = vec![false; terms.len()];
        let mut count = 0usize;
        for m in matches.iter().filter(|m| m.0 >= ws && m.1 <= we) {
            seen[m.2] = true;
            count += 1;
        }
        let distinct = seen.iter().filter(|&&x| x).count() as f32;
        let score = distinct * 10.0 + (count as f32).ln_1p();
        cands.push((score, ws, we, si));
    }
    cands.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut chosen: Vec<(usize, usize)> = Vec::new();
    let best = cands.first().map(|c| c.0).unwrap_or(0.0);
    for (score, s, e, _) in cands {
        if chosen.len() >= max {
            break;
        }
        if score < best * 0.3 {
            break;
        }
        if chosen.iter().any(|&(cs, ce)| s < ce && cs < e) {
            continue;
        }
        chosen.push((s, e));
    }
    chosen
        .into_iter()
        .map(|(s, e)| {
            let highlights = matches
                .iter()
                .filter(|m| m.0 < e && m.1 > s)
                .map(|m| [m.0.max(s) - s, m.1.min(e) - s])
                .collect();
            Passage {
                text: body[s..e].to_string(),
                highlights,
            }
        })
        .collect()
}

/// Grows a window from sentence `si` forward (then backward) until it has
/// at least `MIN_CHARS` characters, never past `MAX_CHARS`.
fn grow(text: &str, sents: &[(usize, usize)], si: usize) -> (usize, usize) {
    let (mut s, mut e) = sents[si];
    let mut len = char_len(&text[s..e]);
    let (mut lo, mut hi) = (si, si);
    while len < MIN_CHARS {
        if hi + 1 < sents.len() {
            let n = char_len(&text[sents[hi + 1].0..sents[hi + 1].1]);
            if len + n > MAX_CHARS {
                break;
            }
            hi += 1;
            e = sents[hi].1;
            len = char_len(&text[s..e]);
        } else if lo > 0 {
            let n = char_len(&text[sents[lo - 1].0..sents[lo - 1].1]);
            if len + n > MAX_CHARS {
                break;
            }
            lo -= 1;
            s = sents[lo].0;
            len = char_len(&text[s..e]);
        } else {
            break;
        }
    }
    (s, e)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn highlights_slice_to_matches() {
        let body = "第一句没有关键词，只是铺垫。马斯克宣布成立xAI公司，巴布什金加入。第三句。\n最后一段谈到马斯克。";
        let ps = best_passages(body, &t(&["马斯克", "巴布什金"]), 3);
        assert!(!ps.is_empty());
        for p in &ps {
            for h in &p.highlights {
                let s = &p.text[h[0]..h[1]];
                assert!(s == "马斯克" || s == "巴布什金", "{s}");
            }
        }
        assert!(ps[0].text.contains("巴布什金"), "{:?}", ps[0]);
    }

    #[test]
    fn passages_are_whole_sentences_within_bounds() {
        let sentence = "这是一个用来测试的句子，内容关于长江经济带的发展。";
        let body = sentence.repeat(20);
        let ps = best_passages(&body, &t(&["长江"]), 3);
        for p in &ps {
            let n = p.text.chars().count();
            assert!((MIN_CHARS..=MAX_CHARS).contains(&n), "{n}: {}", p.text);
            assert!(p.text.ends_with('。'));
        }
    }

    #[test]
    fn long_sentence_is_cut_around_the_match() {
        let body = format!("{}关键词{}。", "很".repeat(300), "长".repeat(300));
        let ps = best_passages(&body, &t(&["关键词"]), 1);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].text.chars().count() <= MAX_CHARS);
        let h = ps[0].highlights[0];
        assert_eq!(&ps[0].text[h[0]..h[1]], "关键词");
    }

    #[test]
    fn full_width_text_highlights_original_characters() {
        let body = "公司发布了ＡＩ大模型。";
        let ps = best_passages(body, &t(&["ai"]), 1);
        let h = ps[0].highlights[0];
        assert_eq!(&ps[0].text[h[0]..h[1]], "ＡＩ");
    }

    #[test]
    fn latin_terms_match_whole_words_only() {
        let ps = best_passages("Taiwan said AI chips are scarce.", &t(&["ai"]), 1);
        assert_eq!(ps[0].highlights, vec![[12, 14]]);
        let ps = best_passages("新款iPhone15发布。", &t(&["iphone"]), 1);
        assert_eq!(ps[0].highlights, vec![[6, 12]]);
        // Inside a word only where there is no whole word.
        let ps = best_passages("He said so, in 2016年.", &t(&["ai", "16"]), 1);
        assert_eq!(ps[0].highlights, vec![[4, 6], [17, 19]]);
    }

    #[test]
    fn no_match_gives_the_lead() {
        let ps = best_passages("第一句。第二句。", &t(&["无关"]), 3);
        assert_eq!(ps.len(), 1);
        assert!(ps[0].highlights.is_empty());
        assert!(ps[0].text.starts_with("第一句"));
    }

    #[test]
    fn highlights_land_on_traditional_characters() {
        let text = "特斯拉執行長馬斯克訪問臺灣。";
        let hl = highlight(text, &["马斯克".to_string(), "台湾".to_string()]);
        let got: Vec<&str> = hl.iter().map(|r| &text[r[0]..r[1]]).collect();
        assert_eq!(got, ["馬斯克", "臺灣"]);
    }
}
