//! Recognising a file's format from its content and its name.
//!
//! The name gives a first guess ([`format_of`]); the decoded head of
//! the file (its first 64 KiB) confirms or overrides it, so that a `.txt`
//! holding `<doc>` records, a `.dat` Sogou dump or an extension-less JSON
//! Lines file each get the right reader. Content wins over the name where
//! the content is unambiguous (markup, `<doc>` records); otherwise the name
//! decides, and plain text is the fallback.

use std::io::Read;
use std::path::Path;

use super::format::{format_of, Format};
use super::{compress, decode};

/// Extensions that are never articles: media, archives, binaries, code.
const NEVER: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "bmp", "ico", "tif", "tiff", "svg", "psd", "heic", "pdf",
    "zip", "tar", "tgz", "7z", "rar", "xz", "lz4", "exe", "dll", "so", "dylib", "o", "a", "lib",
    "bin", "class", "jar", "pyc", "wasm", "mp3", "mp4", "m4a", "avi", "mkv", "mov", "wav", "flac",
    "ogg", "webm", "woff", "woff2", "ttf", "otf", "eot", "db", "sqlite", "arrow", "npy", "pt",
    "onnx", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "css", "js", "mjs", "ts", "py", "rs", "c",
    "h", "cc", "cpp", "hpp", "java", "go", "rb", "sh", "toml", "yaml", "yml", "ini", "cfg", "conf",
    "lock", "log", "pdb", "idx", "pack",
];

/// Whether a file whose name [`format_of`] does not know is worth
/// reading, judged from its first bytes (decompressed if need be): a
/// structured format ([`format`] says so) or text that is at least a fifth
/// CJK. Media, archives and code are passed over by extension alone.
pub fn looks_readable(path: &Path) -> bool {
    let inner = compress::inner_name(path);
    if let Some(ext) = inner.extension().and_then(|e| e.to_str()) {
        if NEVER.contains(&ext.to_ascii_lowercase().as_str()) {
            return false;
        }
    }
    let Ok(f) = std::fs::File::open(path) else {
        // Unreadable: let the reader report it.
        return true;
    };
    let Ok((magic, _, r)) = super::stream::peek(f, 8) else {
        return true;
    };
    let r = match compress::sniff(&magic) {
        Some(c) => match compress::decompress(c, r) {
            Ok(r) => r,
            Err(_) => return false,
        },
        None => r,
    };
    let mut head = Vec::new();
    if r.take(16 * 1024).read_to_end(&mut head).is_err() && head.is_empty() {
        return false;
    }
    let complete = head.len() < 16 * 1024;
    let Ok(det) = decode::detect(&head, complete) else {
        return false;
    };
    let text = det.encoding.decode_with_bom_removal(&head).0;
    if !matches!(format(&inner, &text), Format::Text | Format::Markdown) {
        return true;
    }
    let (mut cjk, mut visible) = (0usize, 0usize);
    for c in text.chars().filter(|c| !c.is_whitespace()) {
        visible += 1;
        if crate::chars::is_ideograph(c) {
            cjk += 1;
        }
    }
    visible > 0 && cjk * 5 >= visible
}

/// The format of a file named `name` whose decoded text starts with `head`.
pub fn format(name: &Path, head: &str) -> Format {
    let by_name = format_of(name);
    let start = head.trim_start_matches('\u{feff}').trim_start();
    let lower: String = start
        .chars()
        .take(512)
        .collect::<String>()
        .to_ascii_lowercase();
    if is_doc_dump(start) {
        return Format::Trec;
    }
    if let Some(f) = feed_kind(start) {
        return f;
    }
    if matches!(
        by_name,
        Some(Format::Json | Format::JsonLines | Format::Tsv | Format::Csv)
    ) {
        return by_name.unwrap_or(Format::Text);
    }
    if by_name == Some(Format::Html)
        || lower.starts_with("<!doctype html")
        || lower.starts_with("<html")
        || (lower.starts_with('<') && lower.contains("<head") && lower.contains("<body"))
    {
        return Format::Html;
    }
    if matches!(by_name, Some(Format::Markdown | Format::MarkdownDump)) {
        return if is_markdown_dump(head) {
            Format::MarkdownDump
        } else {
            Format::Markdown
        };
    }
    if by_name.is_none() {
        if start.starts_with('[') {
            return Format::Json;
        }
        if start.starts_with('{') {
            let mut lines = start.lines().filter(|l| !l.trim().is_empty());
            let first = lines.next().unwrap_or("");
            let second = lines.next();
            let first_is_object =
                serde_json::from_str::<serde_json::Value>(first).is_ok_and(|v| v.is_object());
            return if first_is_object && second.is_some_and(|l| l.trim_start().starts_with('{')) {
                Format::JsonLines
            } else {
                Format::Json
            };
        }
        if looks_like_tsv(start) {
            return Format::Tsv;
        }
        if is_markdown_dump(head) {
            return Format::MarkdownDump;
        }
    }
    by_name.unwrap_or(Format::Text)
}

/// An RSS (`<rss>`, RSS 1.0 `<rdf:RDF>`) or Atom (`<feed>`) document: the
/// first element after the XML declaration, comments and doctype.
fn feed_kind(start: &str) -> Option<Format> {
    let mut rest = start;
    loop {
        rest = rest.trim_start();
        if rest.starts_with("<?") {
            rest = &rest[rest.find("?>")? + 2..];
        } else if rest.starts_with("<!--") {
            rest = &rest[rest.find("-->")? + 3..];
        } else if rest.starts_with("<!") {
            rest = &rest[rest.find('>')? + 1..];
        } else {
            break;
        }
    }
    let name: String = rest
        .strip_prefix('<')?
        .chars()
        .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "rss" | "rdf:rdf" => Some(Format::Rss),
        "feed" => Some(Format::Atom),
        _ => None,
    }
}

/// Pseudo-XML `<doc>` records (Sogou, TREC, LCSTS): a `<doc>` element with
/// a known child tag near the start.
fn is_doc_dump(start: &str) -> bool {
    let window: String = start.chars().take(4096).collect();
    let lower = window.to_ascii_lowercase();
    let opens = lower.starts_with("<doc")
        || lower.starts_with("<docs>")
        || lower.starts_with("<doclist")
        || lower.contains("\n<doc>")
        || lower.contains("\n<doc ");
    let fields = [
        "<docno>",
        "<contenttitle>",
        "<content>",
        "<short_text>",
        "<summary>",
        "<text>",
        "<headline>",
    ];
    opens && fields.iter().any(|f| lower.contains(f))
}

/// Markdown holding several articles: two or more `###` (or `##`) sections
/// with HTML paragraphs or "original" links inside.
pub fn is_markdown_dump(text: &str) -> bool {
    let h3 = text.lines().filter(|l| l.starts_with("### ")).count();
    let h2 = text.lines().filter(|l| l.starts_with("## ")).count();
    let markup = text.contains("<p>")
        || text.contains("<p ")
        || text.contains("<br")
        || text.contains("](http");
    markup && (h3 >= 2 || h2 >= 3)
}

/// Tab-separated lines: most lines hold a tab after a short first field.
fn looks_like_tsv(start: &str) -> bool {
    let lines: Vec<&str> = start
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(20)
        .collect();
    if lines.len() < 2 {
        return false;
    }
    let tabbed = lines
        .iter()
        .filter(|l| {
            l.split('\t')
                .next()
                .is_some_and(|f| f.chars().count() <= 40)
                && l.contains('\t')
        })
        .count();
    tabbed * 10 >= lines.len() * 9
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: &str, head: &str) -> Format {
        format(Path::new(name), head)
    }

    #[test]
    fn content_decides_over_name() {
        assert_eq!(
            f("PART_III.txt", "<doc id=0>\n  <summary>\n标题\n</summary>"),
            Format::Trec
        );
        assert_eq!(
            f(
                "dump.dat",
                "<docs>\r\n<doc>\r\n<url>u</url>\r\n<contenttitle>t</contenttitle>"
            ),
            Format::Trec
        );
        assert_eq!(f("page.txt", "标题\n\n正文"), Format::Text);
        assert_eq!(f("noext", "<!DOCTYPE html><html>"), Format::Html);
    }

    #[test]
    fn unknown_names_are_sniffed() {
        assert_eq!(
            f("a.dat", "{\"title\":\"一\"}\n{\"title\":\"二\"}\n"),
            Format::JsonLines
        );
        assert_eq!(f("a", "[{\"title\":\"一\"}]"), Format::Json);
        assert_eq!(f("a.csv2", "体育\t正文一\n财经\t正文二\n"), Format::Tsv);
        assert_eq!(f("a.log", "第一行\n第二行"), Format::Text);
    }

    #[test]
    fn feeds_by_their_root_element() {
        let decl = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- saved -->\n";
        assert_eq!(
            f("a.xml", &format!("{decl}<rss version=\"2.0\">")),
            Format::Rss
        );
        assert_eq!(f("noext", "<rdf:RDF xmlns:rdf=\"x\">"), Format::Rss);
        assert_eq!(
            f("a.xml", "<feed xmlns=\"http://www.w3.org/2005/Atom\">"),
            Format::Atom
        );
        assert_eq!(f("a.xml", "<urlset>"), Format::Text);
    }

    #[test]
    fn markdown_dumps() {
        let dump = "# 日报\n\n### 甲\n\n<p>一</p>\n\n### 乙\n\n<p>二</p>\n";
        assert_eq!(f("20240101.md", dump), Format::MarkdownDump);
        assert_eq!(
            f("a.md", "# 标题\n\n### 小节\n正文\n### 小节二\n正文"),
            Format::Markdown
        );
    }
}
