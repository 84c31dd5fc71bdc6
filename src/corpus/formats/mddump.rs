//! Markdown daily dumps: several articles per file, one per `###` section
//! (`##` when the file has no `###`), with HTML paragraphs inside, as in
//! the 新闻联播 transcripts.
//!
//! The text before the first section is the file's header: it is not an
//! article, but a date in it (`(20260424)`, `2026年4月24日`) dates every
//! article; else the file name does (`20260424.md`). A link whose text is
//! "查看原文"/"原文"/"阅读原文"/"source" becomes the article's URL; a
//! horizontal rule (`---`) ends a section (what follows is the footer).

use std::sync::LazyLock;

use anyhow::{bail, Result};
use regex::Regex;

use super::html;
use crate::corpus::article::Article;
use crate::corpus::sink::Sink;
use crate::dates;

static SOURCE_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\[(?:查看原文|原文链接|阅读原文|原文|source|Source|原始链接)\]\(([^)\s]+)\)")
        .expect("static regex")
});

static HEADER_DATE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[(（]((?:19|20)\d{6})[)）]").expect("static regex"));

fn header_date(header: &str) -> Option<i64> {
    if let Some(c) = HEADER_DATE.captures(header) {
        if let Some(d) = dates::parse_date(&c[1]) {
            return Some(d);
        }
    }
    dates::find_in_text(header)
}

/// Reads every section of a Markdown dump.
pub fn parse(text: &str, out: &mut Sink) -> Result<()> {
    let marker = if text.lines().any(|l| l.starts_with("### ")) {
        "### "
    } else {
        "## "
    };
    let level = marker.len() - 1;
    let mut header = String::new();
    let mut current: Option<(String, String)> = None;
    let mut sections: Vec<(String, String)> = Vec::new();
    let mut closed = false;
    for line in text.lines() {
        let hashes = line.chars().take_while(|&c| c == '#').count();
        let is_heading = hashes > 0 && line[hashes..].starts_with(' ');
        if let Some(heading) = line.strip_prefix(marker) {
            if let Some(s) = current.take() {
                sections.push(s);
            }
            let title = heading.trim().trim_end_matches('#').trim();
            current = Some((title.to_string(), String::new()));
            closed = false;
        } else if is_heading && hashes < level {
            // A higher-level heading ends the section.
            match current.take() {
                Some(s) => sections.push(s),
                None => {
                    header.push_str(line);
                    header.push('\n');
                }
            }
        } else if matches!(line.trim(), "---" | "***" | "___") {
            closed = true;
        } else if let Some((_, body)) = current.as_mut() {
            if !closed {
                // A deeper heading, a quote or a bullet: its text only.
                body.push_str(super::markdown::strip_block_marks(line));
                body.push('\n');
            }
        } else {
            header.push_str(line);
            header.push('\n');
        }
    }
    if let Some(s) = current.take() {
        sections.push(s);
    }
    if sections.is_empty() {
        bail!("no `{}` sections", marker.trim());
    }
    let file_date = header_date(&header).or(out.file_date);
    for (n, (title, raw)) in sections.into_iter().enumerate() {
        let url = SOURCE_LINK.captures(&raw).map(|c| c[1].to_string());
        let raw = SOURCE_LINK.replace_all(&raw, "");
        let body = match html::fragment_text(&raw) {
            Ok(body) => body,
            Err(e) => {
                out.warn(format!("section {}: {e}", n + 1));
                continue;
            }
        };
        if title.is_empty() && body.is_empty() {
            out.warn(format!("section {} is empty, skipped", n + 1));
            continue;
        }
        out.emit(Article {
            id: out.record_id(n + 1),
            title,
            body,
            date: file_date,
            url,
            ..Article::default()
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_article_per_section() {
        let text = "# 《晚间新闻》 (20240315)\n\n## 摘要\n\n1.春耕；\n2.雨水\n\n## 详细新闻\n\n### 各地春耕生产有序展开\n\n<p><strong>本台消息</strong>：各地抓住晴好天气开展春耕。</p><p>农机手忙个不停。</p>\n\n[查看原文](https://example.com/a.shtml)\n\n### 南方迎来新一轮降雨\n\n<p>气象台预计，未来三天南方有中到大雨。</p>\n\n---\n\n(更新时间戳: 1710500000000)\n";
        let mut arts = Vec::new();
        let mut sink = |a: Article| arts.push(a);
        let mut out = Sink::new("20240315.md", &mut sink, None);
        parse(text, &mut out).unwrap();
        drop(out);
        assert_eq!(arts.len(), 2);
        assert_eq!(arts[0].title, "各地春耕生产有序展开");
        assert_eq!(
            arts[0].body,
            "本台消息：各地抓住晴好天气开展春耕。\n农机手忙个不停。"
        );
        assert_eq!(arts[0].url.as_deref(), Some("https://example.com/a.shtml"));
        assert_eq!(arts[1].id, "20240315.md#2");
        assert_eq!(arts[1].body, "气象台预计，未来三天南方有中到大雨。");
        assert_eq!(
            arts[1].date.map(dates::format_ymd).as_deref(),
            Some("2024-03-15")
        );
    }
}
