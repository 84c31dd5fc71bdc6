//! RSS 2.0 (and RSS 1.0/RDF) and Atom feeds saved to disk: one article per
//! `<item>` or `<entry>`.
//!
//! The XML is read as a stream of events by `quick-xml`, item by item, so a
//! feed of any length is never held whole; an item larger than
//! [`crate::corpus::stream::MAX_RECORD`] stops the file with a warning. Fields:
//!
//! | article | RSS | Atom |
//! |---|---|---|
//! | title | `title` | `title` |
//! | body | `content:encoded`, else `description` | `content`, else `summary` |
//! | date | `pubDate` (RFC 822), `dc:date` | `published`, else `updated` (RFC 3339) |
//! | url | `link`, else a `guid` that is an address | `link` (`rel="alternate"`) |
//! | author | `author`, `dc:creator` | `author/name` |
//! | source | the item's `source`, else the channel's `title` | the feed's `title` |
//!
//! HTML inside (escaped or in CDATA, or Atom's `type="xhtml"`) goes through
//! the same fragment-to-text conversion as the rest of newsidx
//! ([`super::html::fragment_text`]).

use std::io::BufRead;

use anyhow::{bail, Result};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::{headerless, html};
use crate::corpus::article::Article;
use crate::corpus::fields::{self, FieldUse};
use crate::corpus::guard::{self, Guard, Mark};
use crate::corpus::sink::Sink;
use crate::dates;

/// An item's elements as read.
#[derive(Debug, Default)]
struct Item {
    title: Option<String>,
    content: Option<String>,
    description: Option<String>,
    published: Option<String>,
    updated: Option<String>,
    link: Option<String>,
    guid: Option<String>,
    author: Option<String>,
    source: Option<String>,
    /// Element names seen, for `inspect`.
    seen: Vec<&'static str>,
}

/// Which item field an element fills, by its qualified name.
fn slot(name: &str) -> Option<&'static str> {
    Some(match name.to_ascii_lowercase().as_str() {
        "title" => "title",
        "content:encoded" | "content" => "content",
        "description" | "summary" => "description",
        "pubdate" | "published" | "dc:date" | "issued" => "published",
        "updated" | "modified" | "dc:modified" => "updated",
        "link" => "link",
        "guid" | "id" => "guid",
        "author" | "dc:creator" | "creator" => "author",
        "source" => "source",
        _ => return None,
    })
}

impl Item {
    fn set(&mut self, slot: &'static str, name: &str, value: String) {
        let value = value.trim().to_string();
        if value.is_empty() {
            return;
        }
        let target = match slot {
            "title" => &mut self.title,
            "content" => &mut self.content,
            "description" => &mut self.description,
            "published" => &mut self.published,
            "updated" => &mut self.updated,
            "link" => &mut self.link,
            "guid" => &mut self.guid,
            "author" => &mut self.author,
            "source" => &mut self.source,
            _ => return,
        };
        if target.is_none() {
            *target = Some(value);
            if let Some(n) = NAMES.iter().find(|n| n.eq_ignore_ascii_case(name)) {
                if !self.seen.contains(n) {
                    self.seen.push(n);
                }
            }
        }
    }
}

/// Element names as `inspect` shows them.
const NAMES: &[&str] = &[
    "title",
    "content:encoded",
    "content",
    "description",
    "summary",
    "pubDate",
    "published",
    "dc:date",
    "issued",
    "updated",
    "modified",
    "dc:modified",
    "link",
    "guid",
    "id",
    "author",
    "dc:creator",
    "creator",
    "source",
];

/// The element being read inside an item.
struct Capture {
    slot: &'static str,
    name: String,
    depth: usize,
    text: String,
    /// Depth of a nested element whose text is not wanted (`author/email`).
    skip: Option<usize>,
}

/// What the reader holds between two events: the open elements, the item
/// being read, the element of it being captured, the channel's title and
/// how many items were read (and emitted).
struct Walk {
    stack: Vec<String>,
    item: Option<(usize, Item)>,
    capture: Option<Capture>,
    channel_title: Option<String>,
    channel_capture: Option<String>,
    channel_label: &'static str,
    n: usize,
    good: usize,
}

/// Reads every item or entry of an RSS or Atom feed.
pub fn parse(r: &mut dyn BufRead, out: &mut Sink) -> Result<()> {
    let mark = Mark::default();
    let mut xml = Reader::from_reader(Guard::new(r, mark.clone()));
    let cfg = xml.config_mut();
    cfg.check_end_names = false;
    cfg.allow_unmatched_ends = true;
    let mut buf = Vec::new();
    let mut walk = Walk {
        stack: Vec::new(),
        item: None,
        capture: None,
        channel_title: None,
        channel_capture: None,
        channel_label: "channel title",
        n: 0,
        good: 0,
    };
    let mut broken = None;
    loop {
        buf.clear();
        let ev = match xml.read_event_into(&mut buf) {
            Ok(ev) => ev,
            Err(e) => {
                broken = Some(format!("byte {}: {}", xml.error_position(), read_error(&e)));
                break;
            }
        };
        match ev {
            Event::Eof => break,
            Event::Start(e) => walk.start(&e),
            Event::Empty(e) => walk.empty(&e),
            Event::End(_) => walk.end(&mark, out),
            Event::Text(t) => walk.push(&t.xml10_content()),
            Event::CData(t) => walk.push(&t.into_inner()),
            Event::GeneralRef(r) => walk.push(&resolve_ref(r)),
            _ => {}
        }
    }
    walk.finish(broken, out)
}

/// Why reading the XML failed.
fn read_error(e: &quick_xml::Error) -> String {
    match e {
        quick_xml::Error::Io(io) if guard::is_too_large(io) => {
            format!(
                "an item larger than {} MB",
                crate::corpus::stream::MAX_RECORD >> 20
            )
        }
        e => format!("{e}"),
    }
}

/// The text of a character or entity reference (`&#20013;`, `&amp;`,
/// `&nbsp;`); an unknown entity stays as written.
fn resolve_ref(r: quick_xml::events::BytesRef) -> String {
    match r.resolve_char_ref() {
        Ok(Some(c)) => c.to_string(),
        _ => {
            let name = r.into_inner();
            match quick_xml::escape::resolve_predefined_entity(&name) {
                Some(s) => s.to_string(),
                None if name == "nbsp" => " ".to_string(),
                None => format!("&{name};"),
            }
        }
    }
}

impl Walk {
    /// An element opens: an item, the channel's title, a field of the
    /// item to capture, or markup inside a captured field.
    fn start(&mut self, e: &BytesStart) {
        let name = e.name().into_inner().to_string();
        let local = e.local_name().into_inner().to_ascii_lowercase();
        self.stack.push(name.clone());
        let depth = self.stack.len();
        if let Some(c) = self.capture.as_mut() {
            if c.skip.is_none() && matches!(local.as_str(), "email" | "uri") {
                c.skip = Some(depth);
            }
            if is_block(&local) && !c.text.ends_with('\n') {
                c.text.push('\n');
            }
            return;
        }
        let stack = &self.stack;
        match &mut self.item {
            None if matches!(local.as_str(), "item" | "entry") => {
                self.item = Some((depth, Item::default()));
            }
            None if local == "title"
                && self.channel_title.is_none()
                && depth >= 2
                && matches!(
                    stack[depth - 2].to_ascii_lowercase().as_str(),
                    "channel" | "feed"
                ) =>
            {
                if stack[depth - 2].eq_ignore_ascii_case("feed") {
                    self.channel_label = "feed title";
                }
                self.channel_capture = Some(String::new());
            }
            Some((d, it)) if depth == *d + 1 => {
                if local == "link" {
                    if let Some(href) = link_href(e) {
                        it.set("link", "link", href);
                    }
                }
                if let Some(slot) = slot(&name) {
                    self.capture = Some(Capture {
                        slot,
                        name,
                        depth,
                        text: String::new(),
                        skip: None,
                    });
                }
            }
            _ => {}
        }
    }

    /// An empty element: an Atom `<link href=…/>` of the item, or a line
    /// break inside a captured field.
    fn empty(&mut self, e: &BytesStart) {
        if let Some((d, it)) = &mut self.item {
            let local = e.local_name().into_inner().to_ascii_lowercase();
            if local == "link" && self.stack.len() == *d {
                if let Some(href) = link_href(e) {
                    it.set("link", "link", href);
                }
            }
        }
        if let Some(c) = self.capture.as_mut() {
            let local = e.local_name().into_inner().to_ascii_lowercase();
            if local == "br" || is_block(&local) {
                c.text.push('\n');
            }
        }
    }

    /// An element closes: a captured field is set on its item, the
    /// channel's title kept, a finished item emitted.
    fn end(&mut self, mark: &Mark, out: &mut Sink) {
        let depth = self.stack.len();
        self.stack.pop();
        if let Some(c) = self.capture.as_mut() {
            if c.skip == Some(depth) {
                c.skip = None;
            }
            if depth == c.depth {
                if let (Some(c), Some((_, it))) = (self.capture.take(), self.item.as_mut()) {
                    it.set(c.slot, &c.name, c.text);
                }
            } else if !c.text.ends_with('\n') {
                c.text.push('\n');
            }
            return;
        }
        if let Some(t) = self.channel_capture.take() {
            let t = t.trim();
            if !t.is_empty() {
                self.channel_title = Some(t.to_string());
            }
        }
        if self.item.as_ref().is_some_and(|(d, _)| *d == depth) {
            if let Some((_, it)) = self.item.take() {
                self.n += 1;
                if self.n <= 3 {
                    let label = self.channel_title.is_some().then_some(self.channel_label);
                    fields::merge_uses(&mut out.fields, uses(&it, label), 24);
                }
                let good = emit(it, self.n, self.channel_title.as_deref(), out);
                self.good += usize::from(good);
            }
            mark.record_ended();
        }
    }

    /// Text goes to the field being captured, or to the channel's title.
    fn push(&mut self, s: &str) {
        if let Some(c) = &mut self.capture {
            if c.skip.is_none() {
                c.text.push_str(s);
            }
        } else if let Some(t) = &mut self.channel_capture {
            t.push_str(s);
        }
    }

    /// The end of the file or an XML error (`broken`): an item cut short
    /// is kept with what it holds; a feed with no item, or broken before
    /// its first good one, is an error.
    fn finish(mut self, mut broken: Option<String>, out: &mut Sink) -> Result<()> {
        if let Some((_, mut it)) = self.item.take() {
            if let Some(c) = self.capture.take() {
                it.set(c.slot, &c.name, c.text);
            }
            self.n += 1;
            let n = self.n;
            let why = broken
                .take()
                .unwrap_or_else(|| "file cut short?".to_string());
            out.warn(format!(
                "item {n} is not closed ({why}); kept what it holds"
            ));
            self.good += usize::from(emit(it, n, self.channel_title.as_deref(), out));
        }
        let good = self.good;
        if let Some(why) = broken {
            if good == 0 {
                bail!("not a readable feed ({why})");
            }
            out.warn(format!(
                "{why}; reading stopped, kept the {good} articles before it"
            ));
        }
        if self.n == 0 {
            bail!("no <item> or <entry> in this feed");
        }
        Ok(())
    }
}

/// XHTML elements that start a new line of text.
fn is_block(local: &str) -> bool {
    matches!(
        local,
        "p" | "div" | "br" | "li" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "tr" | "blockquote"
    )
}

/// The address of an Atom `<link href=… rel=…>` that points to the article
/// (no `rel`, or `rel="alternate"`).
fn link_href(e: &BytesStart) -> Option<String> {
    let mut href = None;
    let mut alternate = true;
    for a in e.attributes().with_checks(false).flatten() {
        let value = a
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()?
            .to_string();
        match a.key.into_inner() {
            "href" => href = Some(value),
            "rel" => alternate = value == "alternate",
            _ => {}
        }
    }
    href.filter(|_| alternate)
}

/// What `inspect` shows for a feed.
fn uses(it: &Item, channel_title: Option<&str>) -> Vec<FieldUse> {
    let mut v = Vec::new();
    for name in &it.seen {
        let to = match slot(name).unwrap_or("") {
            "title" => "title",
            "content" => "body",
            "description" if it.content.is_none() => "body",
            "description" => "-",
            "published" => "date",
            "updated" if it.published.is_none() => "date",
            "link" => "url",
            "guid" if it.link.is_none() && it.guid.as_deref().is_some_and(is_address) => "url",
            "author" => "author",
            "source" => "source",
            _ => "-",
        };
        v.push(FieldUse {
            from: name.to_string(),
            to,
        });
    }
    if let (Some(label), None) = (channel_title, &it.source) {
        v.push(FieldUse {
            from: label.to_string(),
            to: "source",
        });
    }
    v
}

fn is_address(s: &str) -> bool {
    s.starts_with("http://") || s.starts_with("https://")
}

/// Text of a field that may hold HTML.
fn text_of(s: &str, what: &str, out: &mut Sink) -> String {
    if !s.contains('<') && !s.contains('&') {
        return s.trim().to_string();
    }
    match html::fragment_text(s) {
        Ok(t) => t,
        Err(e) => {
            out.warn(format!("{what}: {e}; kept as written"));
            s.trim().to_string()
        }
    }
}

fn emit(it: Item, n: usize, channel_title: Option<&str>, out: &mut Sink) -> bool {
    let item = format!("item {n}");
    let body_html = it.content.as_deref().or(it.description.as_deref());
    let body = body_html
        .map(|b| text_of(b, &item, out))
        .unwrap_or_default();
    let mut title = it
        .title
        .as_deref()
        .map(|t| text_of(t, &item, out).replace('\n', " "))
        .unwrap_or_default();
    if title.is_empty() && body.is_empty() {
        out.warn(format!("{item} has no title or text, skipped"));
        return false;
    }
    if title.is_empty() {
        title = headerless::split_title(&body).0;
    }
    let stated = it.published.as_deref().or(it.updated.as_deref());
    let date = stated.and_then(|s| {
        let d = dates::parse_feed_date(s);
        if d.is_none() {
            out.warn(format!("{item}: unparseable date {s:?}"));
        }
        d
    });
    let url = it.link.or_else(|| it.guid.filter(|g| is_address(g)));
    let date = date.or_else(|| url.as_deref().and_then(dates::from_url));
    out.emit(Article {
        id: out.record_id(n),
        title,
        body,
        date,
        source: it.source.or_else(|| channel_title.map(str::to_string)),
        author: it.author.map(|a| clean_author(&a)),
        url,
        path: String::new(),
    });
    true
}

/// RSS authors are often `mail@example.com (Name)`: the name.
fn clean_author(a: &str) -> String {
    let a = a.trim();
    if let (Some(open), true) = (a.find('('), a.ends_with(')')) {
        if a[..open].contains('@') {
            let name = a[open + 1..a.len() - 1].trim();
            if !name.is_empty() {
                return name.to_string();
            }
        }
    }
    a.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::formats::testing::{read_as, ymd};

    read_as!("f.xml", |r, out| parse(r, out));

    #[test]
    fn rss_items_with_html_inside() {
        let (a, w) = read(concat!(
            "<?xml version=\"1.0\"?>\n<rss version=\"2.0\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\">",
            "<channel><title>江城日报</title><link>http://x</link>",
            "<item><title>地铁 &amp; 公交</title><link>http://x/1</link>",
            "<description>&lt;p&gt;摘要&lt;/p&gt;</description>",
            "<content:encoded><![CDATA[<p>第一段<b>加粗</b></p><p>第二段</p>]]></content:encoded>",
            "<pubDate>Wed, 01 May 2024 08:30:00 +0800</pubDate><dc:creator>王明</dc:creator></item>",
            "<item><title>二</title><description>&lt;p&gt;只有摘要&lt;/p&gt;</description><guid>http://x/2</guid></item>",
            "</channel></rss>"
        ));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "地铁 & 公交");
        assert_eq!(a[0].body, "第一段加粗\n第二段");
        assert_eq!(a[0].source.as_deref(), Some("江城日报"));
        assert_eq!(a[0].author.as_deref(), Some("王明"));
        assert_eq!(a[0].url.as_deref(), Some("http://x/1"));
        assert_eq!(ymd(&a[0]).as_deref(), Some("2024-05-01"));
        assert_eq!(a[1].body, "只有摘要");
        assert_eq!(a[1].url.as_deref(), Some("http://x/2"));
    }

    #[test]
    fn atom_entries() {
        let (a, w) = read(concat!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>示例网</title>",
            "<entry><title type=\"html\">标题&lt;em&gt;一&lt;/em&gt;</title>",
            "<link rel=\"self\" href=\"http://x/self\"/><link href=\"http://x/a\"/>",
            "<author><name>李华</name><email>l@x</email></author>",
            "<updated>2024-05-03T00:00:00Z</updated><published>2024-05-02T10:00:00+08:00</published>",
            "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/xhtml\"><p>正文一</p><p>正文二</p></div></content>",
            "</entry></feed>"
        ));
        assert!(w.is_empty(), "{w:?}");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "标题一");
        assert_eq!(a[0].url.as_deref(), Some("http://x/a"));
        assert_eq!(a[0].author.as_deref(), Some("李华"));
        assert_eq!(a[0].source.as_deref(), Some("示例网"));
        assert_eq!(ymd(&a[0]).as_deref(), Some("2024-05-02"));
        assert_eq!(a[0].body, "正文一\n正文二");
    }

    #[test]
    fn a_broken_feed_keeps_the_items_before_the_break() {
        let (a, w) =
            read("<rss><channel><item><title>一</title></item><item><title>二</title></ite");
        assert_eq!(a.len(), 2);
        assert_eq!(a[1].title, "二");
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].contains("item 2 is not closed"), "{w:?}");
    }
}
