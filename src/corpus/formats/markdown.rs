//! Markdown articles: title from the first line (heading marks stripped),
//! the rest is the body, read as text: the marks of headings (`## `,
//! setext underlines), quotes (`> `), bullets (`- `, `* `, `+ `), rules,
//! code fences, emphasis (`**`, a line in `*…*`) and links
//! (`[text](url)`, `![alt](url)`) are left out, their text kept. (Plain
//! text goes through [`super::scraped`].)

use std::sync::LazyLock;

use anyhow::{bail, Result};
use regex::Regex;

use crate::corpus::article::Article;
use crate::corpus::sink::Sink;

/// One article from a text file (its id `id`); `None` when the file
/// holds no text.
pub fn parse(text: &str, id: String, markdown: bool) -> Option<Article> {
    let mut lines = text.lines();
    let title = lines.by_ref().map(str::trim).find(|l| !l.is_empty())?;
    let title = if markdown {
        title.trim_start_matches('#').trim()
    } else {
        title
    };
    let body: Vec<String> = if markdown {
        body_text(lines)
    } else {
        lines.map(|l| l.trim_end().to_string()).collect()
    };
    let body = body.join("\n").trim().to_string();
    Some(Article {
        id,
        title: title.to_string(),
        body,
        ..Article::default()
    })
}

static LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"!?\[([^\]\n]*)\]\([^)\s]*(?:\s+"[^"]*")?\)"#).expect("static regex")
});

/// A line without its block marks: the `#`s of an ATX heading (and its
/// closing ones), `>` of quotes and a bullet, at any depth. Ordered list
/// numbers stay (`1. ` is text in Chinese news).
pub fn strip_block_marks(line: &str) -> &str {
    let mut s = line.trim_start();
    loop {
        if let Some(rest) = s.strip_prefix('>') {
            s = rest.trim_start();
            continue;
        }
        let hashes = s.bytes().take_while(|&b| b == b'#').count();
        if (1..=6).contains(&hashes) && s[hashes..].chars().next().is_none_or(char::is_whitespace) {
            let rest = s[hashes..].trim();
            let closed = rest.trim_end_matches('#');
            // `## 标题 ##`: the closing run goes only after a space.
            return if closed.len() < rest.len() && (closed.is_empty() || closed.ends_with(' ')) {
                closed.trim_end()
            } else {
                rest
            };
        }
        for bullet in ["- ", "* ", "+ "] {
            if let Some(rest) = s.strip_prefix(bullet) {
                return rest.trim_start();
            }
        }
        return s;
    }
}

/// True for a setext underline or a thematic break (`===`, `---`, `***`,
/// `___`, spaces allowed).
fn is_rule(line: &str) -> bool {
    let t: String = line.chars().filter(|c| !c.is_whitespace()).collect();
    let first = t.chars().next();
    matches!(first, Some('=' | '-' | '*' | '_'))
        && t.chars().all(|c| Some(c) == first)
        && (t.len() >= 3 || (first == Some('=') && !t.is_empty()))
}

/// Inline marks out: links and images keep their text, `**`/`__` go, and
/// a line wholly in `*…*` or `_…_` loses the pair.
fn strip_inline_marks(line: &str) -> String {
    let s = LINK.replace_all(line, "$1");
    let s = s.replace("**", "").replace("__", "");
    for m in ['*', '_'] {
        if let Some(inner) = s.strip_prefix(m).and_then(|r| r.strip_suffix(m)) {
            if !inner.is_empty() {
                return inner.to_string();
            }
        }
    }
    s
}

/// The body's lines as text (see the module's note).
fn body_text<'a>(lines: impl Iterator<Item = &'a str>) -> Vec<String> {
    let mut out = Vec::new();
    for line in lines {
        let t = line.trim();
        if t.starts_with("```") || t.starts_with("~~~") || is_rule(t) {
            // Fences, setext underlines and rules carry no text.
            continue;
        }
        out.push(strip_inline_marks(strip_block_marks(line.trim_end())));
    }
    out
}

/// A Markdown file as one article.
pub fn parse_markdown(text: &str, out: &mut Sink) -> Result<()> {
    match parse(text, out.file_id(), true) {
        Some(a) => {
            out.emit(a);
            Ok(())
        }
        None => bail!("no text"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_non_empty_line() {
        let a = parse(
            "\n\n  长江新闻  \n\n第一段。\n第二段。\n",
            "a.txt".into(),
            false,
        )
        .unwrap();
        assert_eq!(a.title, "长江新闻");
        assert_eq!(a.body, "第一段。\n第二段。");
        assert_eq!(a.id, "a.txt");
    }

    #[test]
    fn markdown_heading_marks_are_stripped() {
        let a = parse("# 标题\n正文", "a.md".into(), true).unwrap();
        assert_eq!(a.title, "标题");
    }

    #[test]
    fn block_marks_do_not_leak_into_the_body() {
        let text = "# 标题\n\n*2022年8月15日 · 康宁健康网*\n\n第一段。\n\n## 最终诊断仍由医生负责 ##\n\n> 引用的话。\n- 要点一\n* **要点二**\n1. 第一条\n\n小标题\n------\n\n---\n见[原文](https://example.com/a)。![图](a.png)\n```\n代码\n```\n#话题#不是标题";
        let a = parse(text, "a.md".into(), true).unwrap();
        assert_eq!(
            a.body,
            "2022年8月15日 · 康宁健康网\n\n第一段。\n\n最终诊断仍由医生负责\n\n引用的话。\n要点一\n要点二\n1. 第一条\n\n小标题\n\n见原文。图\n代码\n#话题#不是标题"
        );
        assert!(!a.body.contains('#') || a.body.ends_with("#话题#不是标题"));
    }

    #[test]
    fn heading_marks_need_a_space_or_an_end() {
        assert_eq!(strip_block_marks("### 三级"), "三级");
        assert_eq!(strip_block_marks("###"), "");
        assert_eq!(strip_block_marks("####### 七个"), "####### 七个");
        assert_eq!(strip_block_marks("#标签"), "#标签");
        assert_eq!(strip_block_marks("## C# 语言"), "C# 语言");
        assert_eq!(strip_block_marks(">> 嵌套"), "嵌套");
        assert_eq!(strip_block_marks("-5 度"), "-5 度");
    }

    #[test]
    fn plain_text_keeps_its_marks() {
        let a = parse("标题\n## 不是 Markdown\n- 一\n", "a.txt".into(), false).unwrap();
        assert_eq!(a.body, "## 不是 Markdown\n- 一");
    }

    #[test]
    fn blank_file_has_no_article() {
        assert!(parse(" \n\n", "a.txt".into(), false).is_none());
    }
}
