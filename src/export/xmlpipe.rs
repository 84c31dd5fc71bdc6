//! One shard's data as Sphinx `xmlpipe2` (what `indexer` loads; Manticore
//! reads the same): the five full-text fields of both views and the
//! article as attributes, its original text among them.
//!
//! XML 1.0 cannot carry the control characters U+0000–U+0008, U+000B,
//! U+000C, U+000E–U+001F (not even as references): each is written as a
//! space, one byte for one, so byte offsets into the stored text stay
//! those of the original. U+FFFE and U+FFFF become U+FFFD (three bytes for
//! three).

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::prepare::Prepared;
use crate::dates::format_ymd;

/// The full-text fields, in schema order.
pub const FIELDS: [&str; 5] = [
    "title_words",
    "body_words",
    "title_bg",
    "body_bg",
    "source_bg",
];

/// The string attributes: the article as stored.
pub const STRINGS: [&str; 7] = ["aid", "title", "body", "source", "author", "url", "path"];

/// A shard's `data.xml` being written.
pub struct XmlShard {
    out: BufWriter<File>,
    path: String,
    /// Documents written.
    pub docs: u64,
}

/// Appends `s` to `out`, escaped for XML text.
pub fn escape_into(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 => out.push(' '),
            '\u{FFFE}' | '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
}

fn schema() -> String {
    let mut s = String::from(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<sphinx:docset>\n<sphinx:schema>\n",
    );
    for f in FIELDS {
        s.push_str(&format!("<sphinx:field name=\"{f}\"/>\n"));
    }
    for a in STRINGS {
        s.push_str(&format!("<sphinx:attr name=\"{a}\" type=\"string\"/>\n"));
    }
    for (a, t) in [
        ("date", "bigint"),
        ("has_date", "bool"),
        ("year", "int"),
        ("month", "int"),
        ("simhash", "bigint"),
    ] {
        s.push_str(&format!("<sphinx:attr name=\"{a}\" type=\"{t}\"/>\n"));
    }
    s.push_str("</sphinx:schema>\n");
    s
}

fn element(name: &str, value: &str, out: &mut String) {
    out.push('<');
    out.push_str(name);
    out.push('>');
    escape_into(value, out);
    out.push_str("</");
    out.push_str(name);
    out.push_str(">\n");
}

/// The `<sphinx:document>` of one prepared article.
pub fn document(p: &Prepared) -> String {
    let a = &p.article;
    let mut out = String::with_capacity(8 * (a.title.len() + a.body.len()) + 512);
    out.push_str(&format!("<sphinx:document id=\"{}\">\n", p.doc_id));
    for (name, v) in FIELDS.iter().zip([
        &p.title_words,
        &p.body_words,
        &p.title_bg,
        &p.body_bg,
        &p.source_bg,
    ]) {
        element(name, v, &mut out);
    }
    let opt = |o: &Option<String>| o.clone().unwrap_or_default();
    let strings = [
        a.id.clone(),
        a.title.clone(),
        a.body.clone(),
        opt(&a.source),
        opt(&a.author),
        opt(&a.url),
        a.path.clone(),
    ];
    for (name, v) in STRINGS.iter().zip(strings.iter()) {
        element(name, v, &mut out);
    }
    let ymd = a.date.map(format_ymd);
    let num = |r: std::ops::Range<usize>| {
        ymd.as_deref()
            .and_then(|d| d.get(r))
            .map(|s| s.replace('-', ""))
            .and_then(|s| s.parse::<i64>().ok())
            .unwrap_or(0)
    };
    let simhash = crate::analysis::fingerprint::simhash(&a.body) as i64;
    for (name, v) in [
        ("date", a.date.unwrap_or(0)),
        ("has_date", a.date.is_some() as i64),
        ("year", num(0..4)),
        ("month", num(0..7)),
        ("simhash", simhash),
    ] {
        out.push_str(&format!("<{name}>{v}</{name}>\n"));
    }
    out.push_str("</sphinx:document>\n");
    out
}

impl XmlShard {
    /// Starts `path`.
    pub fn create(path: &Path) -> Result<XmlShard> {
        let f = File::create(path).with_context(|| format!("{}: cannot write", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, f);
        let shown = path.display().to_string();
        out.write_all(schema().as_bytes())
            .with_context(|| format!("{shown}: cannot write"))?;
        Ok(XmlShard {
            out,
            path: shown,
            docs: 0,
        })
    }

    /// Writes one document.
    pub fn add(&mut self, p: &Prepared) -> Result<()> {
        self.docs += 1;
        self.out
            .write_all(document(p).as_bytes())
            .with_context(|| format!("{}: cannot write", self.path))
    }

    /// Ends the document set.
    pub fn finish(mut self) -> Result<()> {
        self.out
            .write_all(b"</sphinx:docset>\n")
            .and_then(|()| self.out.flush())
            .with_context(|| format!("{}: cannot write", self.path))
    }
}
