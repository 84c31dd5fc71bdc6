//! Markdown articles: title from the first line (heading marks stripped),
//! the rest is the body. (Plain text goes through [`super::scraped`].)

use anyhow::{bail, Result};

use super::article::Article;

use super::sink::Sink;

/// One article from a text file; `None` when the file holds no text.
pub fn parse(text: &str, display: &str, markdown: bool) -> Option<Article> {
    let mut lines = text.lines();
    let title = lines.by_ref().map(str::trim).find(|l| !l.is_empty())?;
    let title = if markdown {
        title.trim_start_matches('#').trim()
    } else {
        title
    };
    let body: Vec<&str> = lines.map(str::trim_end).collect();
    let body = body.join("\n").trim().to_string();
    Some(Article {
        id: display.to_string(),
        title: title.to_string(),
        body,
        path: display.to_string(),
        ..Article::default()
    })
}

/// A Markdown file as one article.
pub fn parse_markdown(text: &str, out: &mut Sink) -> Result<()> {
    match parse(text, out.display, true) {
        Some(a) => {
            out.emit(a);
            Ok(())
        }
        None => bail!("{}: no text", out.display),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_is_first_non_empty_line() {
        let a = parse("\n\n  长江新闻  \n\n第一段。\n第二段。\n", "a.txt", false).unwrap();
        assert_eq!(a.title, "长江新闻");
        assert_eq!(a.body, "第一段。\n第二段。");
        assert_eq!(a.id, "a.txt");
    }

    #[test]
    fn markdown_heading_marks_are_stripped() {
        let a = parse("# 标题\n正文", "a.md", true).unwrap();
        assert_eq!(a.title, "标题");
    }

    #[test]
    fn blank_file_has_no_article() {
        assert!(parse(" \n\n", "a.txt", false).is_none());
    }
}
