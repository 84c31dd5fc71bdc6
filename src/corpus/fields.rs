//! The one table of field names that every structured reader uses: JSON and
//! JSON Lines keys, `<doc>` tags, CSV/TSV headers and Parquet columns.
//!
//! A name is compared after folding ASCII case and dropping `_`, `-`, `.`
//! and spaces, so `pub_date`, `PubDate` and `pub-date` are one name, as are
//! `source_domain` (news-please) and `source-domain`. Each field lists its
//! names in order of preference: when a record has several (`text` and
//! `raw_text`, `date_publish` and `date_modify`), the first one that holds
//! a value wins, so an empty or `null` preferred field falls back to the
//! next.
//!
//! [`Record`] collects one record's values through the table and turns them
//! into an [`Article`], so the rules below are the same for every format:
//!
//! * **summary** (`summary`, `description`, `abstract`, `摘要`, …) is the
//!   title of a record that has no title field (LCSTS: `<summary>` and
//!   `<short_text>`), else the body of a record that has no body field, else
//!   not indexed (news-please's `description` repeats the lead of
//!   `maintext`);
//! * a **source** that is a web address (trafilatura's `source`) is the URL
//!   when the record has no URL field, and the next source name is used;
//! * lists (`authors: ["甲", "乙"]`) are joined: authors with `, `, text
//!   with line breaks.

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::Serialize;

use crate::dates;

use super::article::Article;

/// A field of an [`Article`] that a record can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    /// The record's own id.
    Id,
    /// Headline.
    Title,
    /// Main text.
    Body,
    /// A summary or description: title or body when the record lacks one.
    Summary,
    /// Publication date.
    Date,
    /// Publishing site or outlet.
    Source,
    /// Original address.
    Url,
    /// Author(s).
    Author,
}

impl Field {
    /// The name `inspect` shows.
    pub fn name(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Title => "title",
            Field::Body => "body",
            Field::Summary => "summary",
            Field::Date => "date",
            Field::Source => "source",
            Field::Url => "url",
            Field::Author => "author",
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

const SLOTS: usize = 8;

/// Every name of every field, best first.
pub const ALIASES: &[(Field, &[&str])] = &[
    (Field::Id, &["id", "_id", "docno", "doc_id", "uuid", "编号"]),
    (
        Field::Title,
        &[
            "title",
            "headline",
            "contenttitle",
            "标题",
            "新闻标题",
            "题目",
            "head",
            "name",
        ],
    ),
    (
        Field::Body,
        &[
            "body",
            "content",
            "text",
            "article",
            "maintext",
            "raw_text",
            "articlebody",
            "fulltext",
            "short_text",
            "正文",
            "内容",
            "新闻内容",
            "文章内容",
            "全文",
        ],
    ),
    (
        Field::Summary,
        &[
            "summary",
            "description",
            "abstract",
            "excerpt",
            "摘要",
            "导语",
            "简介",
        ],
    ),
    (
        Field::Date,
        &[
            "date",
            "date_publish",
            "time",
            "published",
            "pub_date",
            "publish_time",
            "publish_date",
            "published_at",
            "datetime",
            "timestamp",
            "dateline",
            "日期",
            "时间",
            "发布时间",
            "发布日期",
            "发表时间",
            "date_modify",
            "updated",
        ],
    ),
    (
        Field::Source,
        &[
            "source",
            "site",
            "media",
            "publisher",
            "outlet",
            "sitename",
            "source_domain",
            "source-hostname",
            "hostname",
            "来源",
            "媒体",
            "出处",
            "网站",
        ],
    ),
    (
        Field::Url,
        &[
            "url",
            "link",
            "href",
            "source_url",
            "链接",
            "网址",
            "原文链接",
            "原文地址",
        ],
    ),
    (
        Field::Author,
        &["author", "authors", "byline", "writer", "作者", "记者"],
    ),
];

/// A name as compared: ASCII lower case without `_`, `-`, `.` and spaces.
fn fold(name: &str) -> String {
    name.trim()
        .trim_start_matches('\u{feff}')
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '.' | ' ' | '\u{3000}'))
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

static TABLE: LazyLock<HashMap<String, (Field, usize)>> = LazyLock::new(|| {
    let mut m = HashMap::new();
    for (field, names) in ALIASES {
        for (rank, n) in names.iter().enumerate() {
            m.entry(fold(n)).or_insert((*field, rank));
        }
    }
    m
});

/// The field a record's key, tag or column named `name` fills, and its
/// rank among that field's names (0 is preferred).
pub fn lookup(name: &str) -> Option<(Field, usize)> {
    TABLE.get(&fold(name)).copied()
}

/// The names of `field`, best first (for readers that search by name, such
/// as `<doc>` tags).
pub fn names(field: Field) -> &'static [&'static str] {
    ALIASES
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, n)| *n)
        .unwrap_or(&[])
}

/// A date as a record holds it.
#[derive(Debug, Clone)]
pub enum DateValue {
    /// Text to parse (`2024-05-01 08:30:00`, `2023年7月13日`, digits).
    Text(String),
    /// A number: Unix seconds or milliseconds.
    Number(f64),
}

#[derive(Debug, Clone)]
struct Slot {
    rank: usize,
    name: String,
    value: String,
}

/// One record's values, gathered through the table.
#[derive(Debug, Default, Clone)]
pub struct Record {
    slots: [Option<Slot>; SLOTS],
    date: Option<(usize, String, DateValue)>,
    url_from_source: Option<(String, String)>,
}

/// Which source name became which field, for `inspect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldUse {
    /// The key, tag, column or element as the file names it.
    pub from: String,
    /// The article field it became (`title`, `body`, …), or `-` when it is
    /// not read.
    pub to: &'static str,
}

impl Record {
    /// A new empty record.
    pub fn new() -> Self {
        Record::default()
    }

    /// Offers the value of the key `name`; returns the field it names (the
    /// value is kept only if it is not empty and no better-ranked name of
    /// that field has a value yet).
    pub fn offer(&mut self, name: &str, value: &str) -> Option<Field> {
        let (field, rank) = lookup(name)?;
        self.offer_as(field, rank, name, value);
        Some(field)
    }

    /// Offers `value` as `field` with `rank` (see [`lookup`]).
    pub fn offer_as(&mut self, field: Field, rank: usize, name: &str, value: &str) {
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if field == Field::Date {
            self.offer_date(rank, name, DateValue::Text(value.to_string()));
            return;
        }
        if field == Field::Source && looks_like_url(value) {
            if self.url_from_source.is_none() {
                self.url_from_source = Some((name.to_string(), value.to_string()));
            }
            return;
        }
        let slot = &mut self.slots[field.slot()];
        if slot.as_ref().is_none_or(|s| rank < s.rank) {
            *slot = Some(Slot {
                rank,
                name: name.to_string(),
                value: value.to_string(),
            });
        }
    }

    /// Offers a date under the key `name`.
    pub fn offer_date(&mut self, rank: usize, name: &str, value: DateValue) {
        if self.date.as_ref().is_none_or(|(r, _, _)| rank < *r) {
            self.date = Some((rank, name.to_string(), value));
        }
    }

    /// Whether the record has a title, body or summary.
    pub fn has_text(&self) -> bool {
        [Field::Title, Field::Body, Field::Summary]
            .iter()
            .any(|f| self.slots[f.slot()].is_some())
    }

    /// The names that gave the article's fields, in field order.
    pub fn uses(&self) -> Vec<FieldUse> {
        let has = |f: Field| self.slots[f.slot()].is_some();
        let mut v = Vec::new();
        for f in ALL {
            let (name, to) = match f {
                Field::Date => match &self.date {
                    Some((_, name, _)) => (name, "date"),
                    None => continue,
                },
                _ => match &self.slots[f.slot()] {
                    Some(s) => (&s.name, f.name()),
                    None => continue,
                },
            };
            let to = match f {
                Field::Summary if !has(Field::Title) => "title",
                Field::Summary if !has(Field::Body) => "body",
                Field::Summary => "-",
                _ => to,
            };
            v.push(FieldUse {
                from: name.clone(),
                to,
            });
        }
        if let Some((name, _)) = &self.url_from_source {
            let to = if has(Field::Url) { "-" } else { "url" };
            v.push(FieldUse {
                from: name.clone(),
                to,
            });
        }
        v
    }

    fn take(&mut self, f: Field) -> Option<String> {
        self.slots[f.slot()].take().map(|s| s.value)
    }

    /// The article, or `None` when the record has no title, body or summary.
    /// Its problems (an unparseable date) go to `warn`, which says where
    /// the record is.
    pub fn into_article(mut self, warn: &mut dyn FnMut(String)) -> Option<Article> {
        if !self.has_text() {
            return None;
        }
        let summary = self.take(Field::Summary);
        let mut title = self.take(Field::Title);
        let mut body = self.take(Field::Body);
        if title.is_none() {
            title = summary;
        } else if body.is_none() {
            body = summary;
        }
        let date = match self.date.take() {
            None => None,
            Some((_, _, DateValue::Number(n))) => {
                let d = dates::from_timestamp(n);
                if d.is_none() {
                    warn(format!("unparseable date {n}"));
                }
                d
            }
            Some((_, _, DateValue::Text(s))) => {
                let d = dates::parse_date(&s);
                if d.is_none() {
                    warn(format!("unparseable date {s:?}"));
                }
                d
            }
        };
        let url = self
            .take(Field::Url)
            .or_else(|| self.url_from_source.take().map(|(_, u)| u));
        Some(Article {
            id: self.take(Field::Id).unwrap_or_default(),
            title: title.unwrap_or_default(),
            body: body.unwrap_or_default(),
            date,
            source: self.take(Field::Source),
            author: self.take(Field::Author),
            url,
            path: String::new(),
        })
    }
}

const ALL: [Field; SLOTS] = [
    Field::Id,
    Field::Title,
    Field::Body,
    Field::Summary,
    Field::Date,
    Field::Source,
    Field::Url,
    Field::Author,
];

fn looks_like_url(s: &str) -> bool {
    let l = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    l.starts_with("http://") || l.starts_with("https://")
}

/// Adds `uses` to `into`, keeping each (name, field) pair once and at most
/// `max` pairs.
pub fn merge_uses(into: &mut Vec<FieldUse>, uses: Vec<FieldUse>, max: usize) {
    for u in uses {
        if into.len() >= max {
            return;
        }
        if !into.contains(&u) {
            into.push(u);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_case_and_separators() {
        assert_eq!(lookup("PubDate"), lookup("pub_date"));
        assert_eq!(lookup("date_publish").map(|f| f.0), Some(Field::Date));
        assert_eq!(lookup("source-domain").map(|f| f.0), Some(Field::Source));
        assert_eq!(lookup(" 标题 ").map(|f| f.0), Some(Field::Title));
        assert_eq!(lookup("_id").map(|f| f.0), Some(Field::Id));
        assert_eq!(lookup("阅读量"), None);
    }

    #[test]
    fn every_name_is_listed_once() {
        let mut seen = HashMap::new();
        for (f, names) in ALIASES {
            for n in *names {
                if let Some(other) = seen.insert(fold(n), *f) {
                    // `_id` folds to `id`: the same field, allowed.
                    assert_eq!(other, *f, "{n} names two fields");
                }
            }
        }
    }

    fn article(pairs: &[(&str, &str)]) -> (Option<Article>, Vec<String>) {
        let mut r = Record::new();
        for (k, v) in pairs {
            r.offer(k, v);
        }
        let mut w = Vec::new();
        let a = r.into_article(&mut |s| w.push(s));
        (a, w)
    }

    #[test]
    fn preferred_names_win_and_empty_ones_fall_back() {
        let (a, _) = article(&[
            ("raw_text", "平文"),
            ("text", "正文"),
            ("date_modify", "2024-05-02"),
            ("date_publish", ""),
            ("hostname", "example.com"),
            ("sitename", "示例新闻"),
        ]);
        let a = a.unwrap();
        assert_eq!(a.body, "正文");
        assert_eq!(a.date.map(dates::format_ymd).as_deref(), Some("2024-05-02"));
        assert_eq!(a.source.as_deref(), Some("示例新闻"));
    }

    #[test]
    fn summary_is_title_or_body_where_missing() {
        let (a, _) = article(&[("summary", "湖面结冰"), ("short_text", "寒潮过后")]);
        let a = a.unwrap();
        assert_eq!(
            (a.title.as_str(), a.body.as_str()),
            ("湖面结冰", "寒潮过后")
        );
        let (a, _) = article(&[("title", "标题"), ("description", "导语")]);
        assert_eq!(a.unwrap().body, "导语");
        let (a, _) = article(&[
            ("title", "标题"),
            ("description", "导语"),
            ("maintext", "正文"),
        ]);
        assert_eq!(a.unwrap().body, "正文");
    }

    #[test]
    fn a_source_that_is_an_address_is_the_url() {
        let (a, _) = article(&[
            ("title", "t"),
            ("source", "https://news.example.com/a"),
            ("source-hostname", "示例网"),
        ]);
        let a = a.unwrap();
        assert_eq!(a.url.as_deref(), Some("https://news.example.com/a"));
        assert_eq!(a.source.as_deref(), Some("示例网"));
    }

    #[test]
    fn no_text_is_no_article_and_bad_dates_warn() {
        assert!(article(&[("date", "2024-01-01")]).0.is_none());
        let (a, w) = article(&[("title", "t"), ("日期", "昨天")]);
        assert!(a.unwrap().date.is_none());
        assert_eq!(w.len(), 1);
    }
}
