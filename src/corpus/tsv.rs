//! Tab-separated dumps: THUCNews-style `label\tcontent` lines, or any TSV
//! whose first line names its columns (`title`, `content`, `date`, …; read
//! by [`delimited`] with the same alias table as CSV and JSON).
//!
//! Without a header, the first column is a category label (not indexed
//! as text); of three or more columns the second is the title and the rest
//! the text, of two the second is the text. THUCNews glues the headline
//! to the body (`标题新浪体育讯　正文…`); [`split_title`] cuts it where a
//! news lead begins (an agency or "本报讯" mark, a dateline, `【`, …), and
//! otherwise takes the first clause as the title and keeps the whole text as
//! the body. Lines are streamed; a line longer than [`MAX_RECORD`] is
//! skipped with a warning.

use std::io::BufRead;

use anyhow::Result;

use super::fields::{self, Field};
use super::stream::{read_line, Line, MAX_RECORD};
use super::{date, delimited, Article, Sink};

/// Whether a first line names columns: one of them is a title or text
/// field of the alias table.
fn is_header(cols: &[&str]) -> bool {
    cols.iter().any(|c| {
        fields::lookup(c)
            .is_some_and(|(f, _)| matches!(f, Field::Title | Field::Body | Field::Summary))
    })
}

/// Reads every line of `r`.
pub fn parse(r: &mut dyn BufRead, out: &mut Sink) -> Result<()> {
    let mut line = Vec::new();
    let mut lineno = 0usize;
    let mut good = 0usize;
    loop {
        lineno += 1;
        match read_line(r, &mut line, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                out.warn(format!(
                    "{}:{lineno}: line of {len} bytes is too long, skipped",
                    out.display
                ));
                continue;
            }
            Line::Ok => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = text.split('\t').collect();
        if lineno == 1 && is_header(&cols) {
            let header = cols.iter().map(|c| c.to_string()).collect();
            return delimited::parse_after_header(r, b'\t', header, out);
        }
        let art = from_plain(&cols);
        match art {
            Some(mut a) => {
                a.id = format!("{}#{lineno}", out.display);
                a.path = out.display.to_string();
                good += 1;
                out.line = Some(lineno);
                out.emit(a);
            }
            None => out.warn(format!(
                "{}:{lineno}: no text in this line, skipped",
                out.display
            )),
        }
    }
    if good == 0 && lineno > 1 {
        anyhow::bail!("{}: no usable tab-separated line", out.display);
    }
    Ok(())
}

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
    if let Some(m) = date::lead_dateline(&content[min_start..window_end]) {
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

    fn read(text: &str) -> (Vec<Article>, Vec<String>) {
        crate::corpus::read_with("t.tsv", text, |r, out| parse(r, out))
    }

    #[test]
    fn thucnews_lines() {
        let (a, w) = read(
            "体育\t小城球队夺冠 全城欢庆本报讯 （记者 王明）昨晚，小城球队赢得冠军。\n财经\t菜价回落两成新华网北京3月2日电 本周蔬菜价格回落。\n\n科技\t\n",
        );
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "小城球队夺冠 全城欢庆");
        assert!(a[0].body.starts_with("本报讯"));
        assert_eq!(a[0].id, "t.tsv#1");
        assert_eq!(a[1].title, "菜价回落两成");
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn label_title_and_text_columns() {
        let (a, _) = read("体育\t湖人队夺冠獓狠\t本报讯 昨晚比赛结束。\t记者 王明\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "湖人队夺冠獓狠");
        assert_eq!(a[0].body, "本报讯 昨晚比赛结束。\n记者 王明");
    }

    #[test]
    fn header_names_columns() {
        let (a, _) = read("id\ttitle\tdate\tcontent\n7\t标题\t2023年7月13日\t正文\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "标题");
        assert_eq!(a[0].body, "正文");
        assert_eq!(
            a[0].date.map(date::format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }

    #[test]
    fn no_lead_keeps_whole_text() {
        let (t, b) = split_title("今天天气很好，我们去公园散步");
        assert_eq!(t, "今天天气很好");
        assert_eq!(b, "今天天气很好，我们去公园散步");
    }
}
