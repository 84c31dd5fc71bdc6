//! HTML pages: the main text, via `dom_smoothie` (a port of Mozilla's
//! Readability, the algorithm behind Firefox's reader view) on `dom_query`
//! (html5ever), so scripts, styles, navigation, footers and comment blocks
//! are dropped by a maintained extractor, not by a home-made tag stripper.
//!
//! The title comes from `og:title`, else the first `<h1>`, else `<title>`
//! (with a trailing " - Site" cut). The date comes from the article meta
//! tags (`article:published_time`, `pubdate`, `<time datetime>`, …), else
//! from a date in the first lines of the text. The extracted text then goes
//! through the same chrome rules as scraped text pages ([`super::scraped`]).

use anyhow::{bail, Result};
use dom_query::Document;
use dom_smoothie::{Config, Readability, TextMode};

use super::scraped;
use crate::corpus::article::Article;
use crate::corpus::sink::Sink;
use crate::dates;

const DATE_META: &[&str] = &[
    "meta[property='article:published_time']",
    "meta[name='article:published_time']",
    "meta[itemprop='datePublished']",
    "meta[name='pubdate']",
    "meta[name='PubDate']",
    "meta[name='publishdate']",
    "meta[name='publish_date']",
    "meta[name='publishtime']",
    "meta[property='og:release_date']",
    "meta[name='date']",
    "meta[name='dc.date']",
];

/// Deepest element nesting read as HTML. Real pages stay far below it
/// (a few dozen levels); the extractor recurses over the tree, so a
/// hostile page nested tens of thousands deep would overflow the stack,
/// and thousands deep already take seconds.
pub const MAX_DEPTH: usize = 1000;

/// Elements that never nest: no end tag, or closed by their next sibling.
const FLAT: &[&str] = &[
    "area", "base", "br", "col", "colgroup", "dd", "dt", "embed", "hr", "img", "input", "li",
    "link", "meta", "option", "p", "param", "rp", "rt", "source", "tbody", "td", "tfoot", "th",
    "thead", "tr", "track", "wbr",
];

/// An upper estimate of how deeply the elements of `html` nest: start
/// tags minus end tags, not counting [`FLAT`] elements, self-closing tags,
/// comments and declarations. Stops counting beyond `limit`.
pub fn nesting_depth(html: &str, limit: usize) -> usize {
    let b = html.as_bytes();
    let (mut depth, mut deepest, mut i) = (0usize, 0usize, 0usize);
    while let Some(off) = b[i..].iter().position(|&c| c == b'<') {
        i += off + 1;
        let closing = b.get(i) == Some(&b'/');
        let start = if closing { i + 1 } else { i };
        let name_len = b[start..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric())
            .count();
        if name_len == 0 || !b[start].is_ascii_alphabetic() {
            continue;
        }
        let name = &html[start..start + name_len];
        if FLAT.iter().any(|f| f.eq_ignore_ascii_case(name)) {
            continue;
        }
        if closing {
            depth = depth.saturating_sub(1);
            continue;
        }
        let end = b[start..]
            .iter()
            .position(|&c| c == b'>')
            .map_or(b.len(), |e| start + e);
        if end > start && b[end - 1] == b'/' {
            continue;
        }
        depth += 1;
        deepest = deepest.max(depth);
        if deepest > limit {
            break;
        }
    }
    deepest
}

/// An error when `html` nests deeper than [`MAX_DEPTH`].
fn check_depth(html: &str) -> Result<()> {
    if nesting_depth(html, MAX_DEPTH) > MAX_DEPTH {
        bail!("HTML nested more than {MAX_DEPTH} elements deep, not read");
    }
    Ok(())
}

/// The text of an HTML fragment: block elements become paragraphs (one per
/// line), tags go (scripts and styles with their content), entities are
/// decoded. An error when the fragment nests deeper than [`MAX_DEPTH`].
pub fn fragment_text(html: &str) -> Result<String> {
    check_depth(html)?;
    let doc = Document::fragment(html);
    doc.select("script, style, noscript, template").remove();
    Ok(tidy(&doc.formatted_text()))
}

/// Trims lines and drops empty ones.
fn tidy(text: &str) -> String {
    text.lines()
        .map(|l| l.trim().trim_matches('\u{a0}').trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join("\n")
}

fn meta(doc: &Document, selectors: &[&str]) -> Option<String> {
    selectors.iter().find_map(|sel| {
        let v = doc.select(sel).first().attr("content")?;
        let v = v.trim();
        (!v.is_empty()).then(|| v.to_string())
    })
}

fn first_text(doc: &Document, sel: &str) -> Option<String> {
    let t = doc.select(sel).first().text();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// `<title>` text without a trailing site name ("标题_新浪网", "Title - Site").
fn strip_site_suffix(t: &str) -> String {
    for sep in [" - ", " | ", "_", " — ", "－", "｜"] {
        if let Some(i) = t.rfind(sep) {
            let head = t[..i].trim();
            if head.chars().count() >= 4 {
                return head.to_string();
            }
        }
    }
    t.to_string()
}

/// An HTML page as one article.
pub fn parse(html: &str, out: &mut Sink) -> Result<()> {
    check_depth(html)?;
    let doc = Document::from(html);
    let title = meta(
        &doc,
        &["meta[property='og:title']", "meta[name='twitter:title']"],
    )
    .or_else(|| first_text(&doc, "h1"))
    .or_else(|| first_text(&doc, "title").map(|t| strip_site_suffix(&t)))
    .unwrap_or_default();
    let mut published = meta(&doc, DATE_META).or_else(|| {
        let t = doc.select("time[datetime]").first().attr("datetime")?;
        Some(t.to_string())
    });
    let source = meta(
        &doc,
        &["meta[property='og:site_name']", "meta[name='source']"],
    );
    let author = meta(
        &doc,
        &["meta[name='author']", "meta[property='article:author']"],
    );
    let url = meta(&doc, &["meta[property='og:url']"]).or_else(|| {
        doc.select("link[rel='canonical']")
            .first()
            .attr("href")
            .map(|h| h.to_string())
    });

    let text = main_text(html, &doc, &mut published);
    let text = tidy(&text);
    let page = scraped::clean(&format!("{title}\n{text}"), None);
    if page.title.is_empty() && page.body.is_empty() {
        bail!("no text in this HTML page");
    }
    let d = date_of(published.as_deref(), page.date, &text, out);
    out.emit(Article {
        id: out.file_id(),
        title: page.title,
        body: page.body,
        date: d,
        source: source.or(page.source),
        author: author.or(page.author),
        url,
        path: String::new(),
    });
    Ok(())
}

/// The main text of the page: what readability extracts (and the
/// publication time it finds, when the page's metadata gave none), else
/// the body without the parts that are never content.
fn main_text(html: &str, doc: &Document, published: &mut Option<String>) -> String {
    let cfg = Config {
        text_mode: TextMode::Formatted,
        ..Default::default()
    };
    match Readability::new(html, None, Some(cfg)).and_then(|mut r| r.parse()) {
        Ok(a) => {
            if published.is_none() {
                *published = a.published_time.clone();
            }
            a.text_content.to_string()
        }
        Err(_) => {
            // Not article-shaped (too short, no candidate): the body text
            // without the parts that are never content.
            doc.select(
                "script, style, noscript, template, nav, header, footer, aside, form, iframe, svg",
            )
            .remove();
            let body = doc.select("body");
            if body.exists() {
                body.formatted_text().to_string()
            } else {
                doc.formatted_text().to_string()
            }
        }
    }
}

/// The article's date: the publication time of the page (a warning when it
/// does not parse), else a date in the cleaned page, else one in the first
/// lines of the text.
fn date_of(
    published: Option<&str>,
    page_date: Option<i64>,
    text: &str,
    out: &mut Sink,
) -> Option<i64> {
    let mut d = None;
    if let Some(p) = published {
        d = dates::parse_date(p).or_else(|| dates::find_in_text(p));
        if d.is_none() {
            out.warn(format!("unparseable date {p:?}"));
        }
    }
    if d.is_none() {
        d = page_date;
    }
    if d.is_none() {
        let lead: String = text.lines().take(8).collect::<Vec<_>>().join("\n");
        d = dates::find_in_text(&lead);
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(html: &str) -> Article {
        let mut arts = Vec::new();
        let mut sink = |a: Article| arts.push(a);
        let mut out = Sink::new("p.html", &mut sink, None);
        parse(html, &mut out).unwrap();
        drop(out);
        arts.remove(0)
    }

    const PAGE: &str = r#"<!DOCTYPE html><html><head><title>山城夜景升级_本地网</title>
<meta property="og:title" content="山城夜景灯光全面升级">
<meta property="article:published_time" content="2024-05-01T20:00:00+08:00">
<style>.x{color:red}</style><script>var tracker = "脚本内容";</script></head>
<body><nav><a href="/">首页</a><a href="/n">导航新闻</a></nav>
<article><h1>山城夜景灯光全面升级</h1>
<p>五一假期前夕，山城两江四岸的夜景灯光完成升级改造，新增灯具两万余套，覆盖沿江三十公里。</p>
<p>市民王女士说，升级后的灯光更柔和，拍照效果比以前好了很多，晚上带孩子来江边散步的人明显多了。</p>
<p>据介绍，新灯具全部采用节能光源，整体能耗比改造前下降约四成，夜间还会根据人流自动调节亮度。</p>
</article>
<div class="comments"><h3>网友评论</h3><p>沙发！</p></div>
<footer>版权所有 本地网 联系我们</footer></body></html>"#;

    #[test]
    fn main_text_title_and_date() {
        let a = read(PAGE);
        assert_eq!(a.title, "山城夜景灯光全面升级");
        assert_eq!(a.date.map(dates::format_ymd).as_deref(), Some("2024-05-01"));
        assert!(a.body.contains("新增灯具两万余套"), "{}", a.body);
        assert!(a.body.contains("自动调节亮度"), "{}", a.body);
        for junk in ["脚本内容", "color", "导航新闻", "版权所有", "沙发"] {
            assert!(!a.body.contains(junk), "{junk} in {}", a.body);
        }
    }

    #[test]
    fn nesting_depth_counts_open_elements() {
        assert_eq!(
            nesting_depth("<html><body><div><p>甲<p>乙</div></body></html>", 99),
            3
        );
        // Void, self-closing and sibling-closed elements, comments and
        // declarations do not nest.
        let flat = "<!DOCTYPE html><br><img src=x/><li>一<li>二<!-- c --><span/>";
        assert_eq!(nesting_depth(flat, 99), 0);
        let deep = "<div>".repeat(5000);
        assert_eq!(
            nesting_depth(&deep, 10),
            11,
            "stops counting past the limit"
        );
        assert!(fragment_text(&deep).is_err());
        assert!(fragment_text(&"<div>".repeat(MAX_DEPTH)).is_ok());
    }

    #[test]
    fn fragments_become_paragraphs() {
        assert_eq!(
            fragment_text("<p><strong>甲</strong>乙&amp;丙</p><p>丁&nbsp;</p>").unwrap_or_default(),
            "甲乙&丙\n丁"
        );
    }

    #[test]
    fn title_tag_fallback_cuts_site_name() {
        assert_eq!(strip_site_suffix("山城夜景升级_本地网"), "山城夜景升级");
        assert_eq!(strip_site_suffix("短_站"), "短_站");
    }
}
