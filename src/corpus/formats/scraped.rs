//! Plain text and scraped web pages: the article without the site chrome.
//!
//! A page saved as text keeps everything the site wrapped around the
//! article: reading counters, share and QR-code prompts, "Read More",
//! "正文完", calendars, lists of other articles ("热门文章"), comment
//! sections full of spam. [`clean`] keeps the article only, with general
//! rules rather than any one page's strings:
//!
//! * **end markers**: a line that is exactly a section heading sites put
//!   after the article ("正文完", "Read More", "相关文章", "最新评论",
//!   "热门文章", "评论(…)", …) ends the body, once some article text was seen;
//! * **chrome lines** are dropped wherever they are: reading counters, image
//!   credits, share/QR/follow-us prompts, copyright lines, lines without a
//!   letter or CJK character (calendar rows, counters), repeats of the title;
//! * **site evidence**: lines that recur across many files of the same
//!   folder ([`crate::corpus::boilerplate`]) are dropped (never the title);
//! * **tail**: trailing lines that do not read like prose are trimmed.
//!
//! Metadata is read where the page states it, in the lines before the
//! article text: `作者 | 名字` (author), `文 | 媒体` or `来源：媒体`
//! (source), and a date such as `发布时间：2023年7月13日` (date).

use std::sync::LazyLock;

use anyhow::{bail, Result};
use regex::Regex;

use crate::corpus::article::Article;
use crate::corpus::boilerplate::SiteLines;
use crate::corpus::sink::Sink;
use crate::dates;

/// The article part of a page.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Page {
    /// Headline (first non-empty line).
    pub title: String,
    /// Article text, paragraphs separated by newlines.
    pub body: String,
    /// Author, where the page names one.
    pub author: Option<String>,
    /// Source (outlet), where the page names one.
    pub source: Option<String>,
    /// Date stated before the article text.
    pub date: Option<i64>,
}

/// A text file as one article.
pub fn parse(text: &str, site: Option<&SiteLines>, out: &mut Sink) -> Result<()> {
    let p = clean(text, site);
    if p.title.is_empty() && p.body.is_empty() {
        bail!("no text");
    }
    out.emit(Article {
        id: out.file_id(),
        title: p.title,
        body: p.body,
        date: p.date,
        source: p.source,
        author: p.author,
        url: None,
        path: String::new(),
    });
    Ok(())
}

static END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^(?:正文完|全文完|read more|阅读全文|热门文章|热评文章|热门推荐|最新文章|最新评论|热门评论|精彩评论|网友评论|全部评论|评论列表|发表评论|我要评论|相关文章|相关阅读|相关新闻|相关推荐|推荐阅读|猜你喜欢|延伸阅读|文章搜索|文章归档|标签云|友情链接|(?:评论|留言)\s*[(（].*[)）]|\d+\s*条评论|(?:上一篇|下一篇)(?:[:：].*)?)$",
    )
    .expect("static regex")
});

static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?ix)^(?:
            [\d,，.\s]+\s*(?:次阅读|次浏览|人阅读|人浏览|阅读|浏览|views?)
          | (?:阅读|浏览|阅读量|浏览量)\s*[:：]?\s*[\d,]+
          | 没有评论|暂无评论|评论已关闭|\d+\s*条?评论
          | (?:图片来源|图片来自|图源|题图|封面图|图片)\s*[@:：|｜/].*
          | (?:分享到|分享至|点赞|收藏|打赏|举报|返回顶部|返回首页|责任编辑|编辑\s*[:：]).*
          | (?:copyright|版权所有|©).*
        )$",
    )
    .expect("static regex")
});

/// Follow-us, download-our-app and QR-code prompts.
static PROMPT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)关注.{0,30}(?:微信|公众号|微博|App|客户端)|下载.{0,20}(?:App|客户端)|扫码|二维码|扫一扫|qrcode",
    )
    .expect("static regex")
});

static AUTHOR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:作者|撰文|记者|编译)\s*[|｜:：/]\s*([^\s，,|｜;；/]{1,20})")
        .expect("static regex")
});

static SOURCE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:^|[，,\s])(?:文|来源|出处|稿源|本文来源)\s*[|｜:：/]\s*([^\s，,|｜;；/]{1,30})")
        .expect("static regex")
});

static DATE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:发布时间|发布日期|发表时间|发表于|更新时间|时间|日期)\s*[:：]?")
        .expect("static regex")
});

/// A whole-line marker after which the rest of the page is site chrome.
pub fn is_end_marker(line: &str) -> bool {
    END.is_match(line)
}

/// A line that is site chrome wherever it occurs.
pub fn is_chrome(line: &str) -> bool {
    !line.chars().any(|c| c.is_alphabetic())
        || CHROME.is_match(line)
        || (line.chars().count() < 100
            && !line.ends_with(['。', '！', '？'])
            && PROMPT.is_match(line))
}

/// A line that reads like article prose.
fn is_prose(line: &str) -> bool {
    let n = line.chars().count();
    let ends = line.ends_with([
        '。', '！', '？', '…', '”', '」', '.', '!', '?', '"', '）', ')',
    ]);
    (n >= 2 && ends) || (n >= 20 && line.contains(['，', '。', ',']))
}

/// Metadata stated on `line`: author, source, date. True when the line is
/// nothing but metadata (so it is not article text).
fn metadata(line: &str, p: &mut Page) -> bool {
    let mut hit = false;
    if let Some(c) = AUTHOR.captures(line) {
        p.author.get_or_insert_with(|| c[1].to_string());
        hit = true;
    }
    if let Some(c) = SOURCE.captures(line) {
        p.source.get_or_insert_with(|| c[1].to_string());
        hit = true;
    }
    let short = line.chars().count() <= 60;
    if short && (DATE_LABEL.is_match(line) || hit || !is_prose(line)) {
        if let Some(d) = dates::find_in_text(line) {
            p.date.get_or_insert(d);
            hit = true;
        }
    }
    hit && short
}

/// The article of a scraped page (see the module docs).
pub fn clean(text: &str, site: Option<&SiteLines>) -> Page {
    let mut p = Page::default();
    let mut lines = text.lines().map(str::trim);
    let Some(title) = lines.by_ref().find(|l| !l.is_empty()) else {
        return p;
    };
    p.title = title.trim_start_matches('#').trim().to_string();
    let mut body: Vec<&str> = Vec::new();
    let mut seen_prose = false;
    for line in lines {
        if line.is_empty() {
            continue;
        }
        if is_end_marker(line) {
            if seen_prose {
                break;
            }
            continue;
        }
        if !seen_prose && metadata(line, &mut p) {
            continue;
        }
        if line == p.title || is_chrome(line) || site.is_some_and(|s| s.contains(line)) {
            continue;
        }
        if is_prose(line) {
            seen_prose = true;
        }
        body.push(line);
    }
    while body.last().is_some_and(|l| !is_prose(l)) && body.len() > 1 {
        body.pop();
    }
    p.body = body.join("\n");
    p
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "江边新建湿地公园开放\n\n2,031次阅读\n没有评论\n\n江边新建湿地公园开放\n\n图片来源@本地图库\n\n文 | 江城晚报，作者 | 林小雨\n\n发布时间：2024年3月2日 09:30\n\n周六上午，江边湿地公园正式向市民开放，首日迎来上万名游客。\n\n设计亮点\n\n公园保留了原有的芦苇荡，新建栈道三公里。\n\n更多精彩内容，关注江城晚报微信公众号\n\nRead More\n\n正文完\n可以使用微信扫码关注公众号\n 0\n评论(没有评论)\n\n2024 年 3 月\n 12\n3456789\n热门文章\n城东新开一家书店，周末人气爆棚\n最新评论\ncheap watches cheap watches Great post, thanks for sharing.\n";

    #[test]
    fn scraped_page_keeps_the_article_only() {
        let p = clean(PAGE, None);
        assert_eq!(p.title, "江边新建湿地公园开放");
        assert_eq!(p.author.as_deref(), Some("林小雨"));
        assert_eq!(p.source.as_deref(), Some("江城晚报"));
        assert_eq!(p.date.map(dates::format_ymd).as_deref(), Some("2024-03-02"));
        assert!(p.body.starts_with("周六上午"), "{}", p.body);
        assert!(p.body.ends_with("新建栈道三公里。"), "{}", p.body);
        assert!(p.body.contains("设计亮点"));
        for chrome in [
            "阅读",
            "图片来源",
            "书店",
            "watches",
            "扫码",
            "Read More",
            "关注",
        ] {
            assert!(!p.body.contains(chrome), "{chrome} in {}", p.body);
        }
    }

    #[test]
    fn prose_mentioning_qr_codes_is_kept() {
        let p = clean(
            "图书馆开放\n市民可扫描二维码预约入馆，也可关注图书馆微信公众号。\n",
            None,
        );
        assert_eq!(
            p.body,
            "市民可扫描二维码预约入馆，也可关注图书馆微信公众号。"
        );
    }

    #[test]
    fn plain_text_is_untouched() {
        let p = clean("长江新闻\n\n第一段。\n第二段。\n", None);
        assert_eq!(p.title, "长江新闻");
        assert_eq!(p.body, "第一段。\n第二段。");
    }

    #[test]
    fn site_lines_are_dropped_but_not_the_title() {
        let site = SiteLines::from_lines(["本站导航 首页 新闻 体育", "江边新建湿地公园开放"]);
        let p = clean(
            "江边新建湿地公园开放\n本站导航 首页 新闻 体育\n正文第一段。\n",
            Some(&site),
        );
        assert_eq!(p.title, "江边新建湿地公园开放");
        assert_eq!(p.body, "正文第一段。");
    }
}
