//! Where a format reader sends its articles and warnings, and the one
//! place that names the file in them: a reader says what went wrong and
//! where in the file ([`At`]), the sink puts the file's name in front.

use std::fmt::Display;

use super::article::Article;
use super::fields::FieldUse;
use super::stream;
use crate::dates;

/// At most this many warnings are kept per file; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

/// Where in its file a problem is; the file's name goes in front of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum At {
    /// The file (or a part the message names itself: `item 3: …`): `name: …`.
    File,
    /// A line of a line or record format: `name:12: …`.
    Line(usize),
    /// An element of a JSON array, counted from 0: `name[3]: …`.
    Element(usize),
}

/// `what` about the file shown as `name`, at `at`: the one form every
/// warning and error of a file takes.
pub fn named(name: &str, at: At, what: impl Display) -> String {
    match at {
        At::File => format!("{name}: {what}"),
        At::Line(l) => format!("{name}:{l}: {what}"),
        At::Element(i) => format!("{name}[{i}]: {what}"),
    }
}

/// Where a format reader sends its articles and warnings.
pub struct Sink<'s> {
    /// The file as shown to the user (only the sink writes it).
    name: &'s str,
    sink: &'s mut dyn FnMut(Article),
    /// Warnings so far (at most [`MAX_WARNINGS`]), the file named in each.
    pub warnings: Vec<String>,
    suppressed: usize,
    /// Articles emitted so far.
    pub count: usize,
    /// Date taken from the file name, for records that have none.
    pub file_date: Option<i64>,
    /// Which key, column or element became which field (for `inspect`).
    pub fields: Vec<FieldUse>,
    /// The line the current record starts on, for warnings (line formats).
    pub line: Option<usize>,
    /// Articles refused for their size.
    too_large: usize,
}

impl<'s> Sink<'s> {
    /// A new collector for the file shown as `name`.
    pub fn new(name: &'s str, sink: &'s mut dyn FnMut(Article), file_date: Option<i64>) -> Self {
        Sink {
            name,
            sink,
            warnings: Vec::new(),
            suppressed: 0,
            count: 0,
            file_date,
            fields: Vec::new(),
            line: None,
            too_large: 0,
        }
    }

    /// The id of the `n`th record of the file (`name#n`).
    pub fn record_id(&self, n: usize) -> String {
        format!("{}#{n}", self.name)
    }

    /// The id of the article of a one-article file: its name.
    pub fn file_id(&self) -> String {
        self.name.to_string()
    }

    /// The name of a part of this file (`name: what`), for a sink of its
    /// own (a record read through another reader) whose warnings come back
    /// through [`Sink::adopt`].
    pub fn part_name(&self, what: &str) -> String {
        named(self.name, At::File, what)
    }

    /// Hands an article to the sink (filling in path and file date).
    pub fn emit(&mut self, mut a: Article) {
        if a.path.is_empty() {
            a.path = self.name.to_string();
        }
        if a.id.is_empty() {
            a.id = self.record_id(self.count + 1);
        }
        if let Some(t) = a.date.filter(|&t| !dates::storable(t)) {
            let what = format!(
                "{}: date {} is outside 1678–2261, left out",
                a.id,
                dates::format_ymd(t)
            );
            self.warn(what);
            a.date = None;
        } else if a.date.is_none() {
            a.date = self.file_date;
        }
        self.count += 1;
        let size = a.title.len() + a.body.len();
        if size > stream::MAX_ARTICLE {
            let at = self.line.map_or(At::File, At::Line);
            let what = format!(
                "article {} holds {:.1} MB of text, more than the {} MB one article may hold; skipped",
                a.id,
                size as f64 / 1e6,
                stream::MAX_ARTICLE >> 20
            );
            self.warn_at(at, what);
            self.too_large += 1;
            return;
        }
        (self.sink)(a)
    }

    /// Records a warning about the file (beyond [`MAX_WARNINGS`], only
    /// counts it).
    pub fn warn(&mut self, what: impl Display) {
        self.warn_at(At::File, what);
    }

    /// Records a warning about a place in the file.
    pub fn warn_at(&mut self, at: At, what: impl Display) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(named(self.name, at, what));
        } else {
            self.suppressed += 1;
        }
    }

    /// Takes on the warnings of a part's sink ([`Sink::part`]), which
    /// name the file already.
    pub fn adopt(&mut self, warnings: Vec<String>) {
        for w in warnings {
            if self.warnings.len() < MAX_WARNINGS {
                self.warnings.push(w);
            } else {
                self.suppressed += 1;
            }
        }
    }

    /// The articles kept, the warnings (with a line for those not
    /// kept) and the field uses.
    pub(super) fn finish(mut self) -> (usize, Vec<String>, Vec<FieldUse>) {
        if self.suppressed > 0 {
            let what = format!("{} more warnings like these not shown", self.suppressed);
            self.warnings.push(named(self.name, At::File, what));
        }
        (self.count - self.too_large, self.warnings, self.fields)
    }
}
