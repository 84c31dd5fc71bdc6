//! Rows without a header, in TSV or CSV dumps: the first column is a
//! category label (not indexed as text); of three or more columns the
//! second is the title and the rest the text, of two the second is the
//! text. THUCNews glues the headline to the body (`标题新浪体育讯　正文…`);
//! [`split_title`] cuts it where a news lead begins (an agency or "本报讯"
//! mark, a dateline, `【`, …), and otherwise takes the first clause as the
//! title and keeps the whole text as the body.

use crate::corpus::article::Article;
use crate::dates;

/// A line of a headerless dump: `label, text` or `label, title, text…`.
pub(crate) fn from_plain(cols: &[&str]) -> Option<Article> {
    // label, title, text…: the columns between the title and the last
    // are text too, so nothing on the line goes unindexed.
    if let [_, title, rest @ ..] = cols {
        let title = title.trim();
        let body = rest
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect::<Vec<_>>()
            .join("\n");
        if !rest.is_empty() && !title.is_empty() && !body.is_empty() {
            return Some(Article {
                title: title.to_string(),
                body,
                ..Article::default()
            });
        }
    }
    let content = cols.last()?.trim();
    if content.is_empty() {
        return None;
    }
    let (title, body) = split_title(content);
    Some(Article {
        title,
        body,
        ..Article::default()
    })
}

/// Where a news lead starts after a glued-on headline: agency and
/// newspaper marks, bylines, section marks.
const LEADS: &[&str] = &[
    "晚报讯",
    "日报讯",
    "商报讯",
    "时报讯",
    "早报讯",
    "晨报讯",
    "青年报讯",
    "本报讯",
    "报讯",
    "网讯",
    "本报记者",
    "本报",
    "新华网",
    "新华社",
    "中新网",
    "中新社",
    "人民网",
    "中广网",
    "央视网",
    "新浪",
    "腾讯",
    "搜狐",
    "网易",
    "证券时报",
    "每经",
    "投资者报",
    "中国证券报",
    "上海证券报",
    "经济观察",
    "第一财经",
    "北京时间",
    "导语：",
    "导语:",
    "摘要：",
    "主持人：",
    "【",
    "（记者",
    "(记者",
    "记者",
    "实习生",
    "文/",
    "□",
    "⊙",
    "■",
    "●",
    "日前，",
    "近日，",
    "随着",
];

/// Marks that end a headline: the lead starts right after them.
const TITLE_ENDS: &[&str] = &[
    "(组图)",
    "（组图）",
    "(图)",
    "（图）",
    "(附图)",
    "（附图）",
    "(视频)",
    "（视频）",
];

/// Splits a THUCNews-style glued headline from its body.
pub fn split_title(content: &str) -> (String, String) {
    let chars: Vec<(usize, char)> = content.char_indices().collect();
    // Headlines are short: a lead is looked for within the first 40 characters.
    let window_end = chars.get(40).map(|c| c.0).unwrap_or(content.len());
    let min_start = chars.get(6).map(|c| c.0).unwrap_or(content.len());
    let mut cut: Option<usize> = None;
    let mut earliest = |at: usize| cut = Some(cut.map_or(at, |c: usize| c.min(at)));
    for lead in LEADS {
        if let Some(i) = content[min_start..window_end].find(lead) {
            earliest(min_start + i);
        }
    }
    for end in TITLE_ENDS {
        if let Some(i) = content[min_start..window_end].find(end) {
            earliest(min_start + i + end.len());
        }
    }
    // A dateline such as 2009年 or 10月 starting the lead.
    if let Some(m) = dates::lead_dateline(&content[min_start..window_end]) {
        earliest(min_start + m);
    }
    if let Some(at) = cut {
        let title = content[..at].trim();
        let body = content[at..].trim();
        if !title.is_empty() && !body.is_empty() {
            return (title.to_string(), body.to_string());
        }
    }
    // No lead mark: the first clause (at most 30 characters) is the title and
    // the whole text stays the body, so nothing is lost.
    let first: String = content
        .chars()
        .take_while(|c| !matches!(c, '，' | '。' | '！' | '？' | '；' | ',' | '\n'))
        .take(30)
        .collect();
    (first.trim().to_string(), content.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_lead_keeps_whole_text() {
        let (t, b) = split_title("今天天气很好，我们去公园散步");
        assert_eq!(t, "今天天气很好");
        assert_eq!(b, "今天天气很好，我们去公园散步");
    }
}
