//! Where a format reader sends its articles and warnings.

use super::article::Article;
use super::fields::FieldUse;
use super::stream;
use crate::dates;

/// At most this many warnings are kept per file; the rest are counted.
pub const MAX_WARNINGS: usize = 20;

/// Where a format reader sends its articles and warnings.
pub struct Sink<'s> {
    /// The file as shown to the user.
    pub display: &'s str,
    sink: &'s mut dyn FnMut(Article),
    /// Warnings so far (at most [`MAX_WARNINGS`]).
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
    /// A new collector for the file `display`.
    pub fn new(display: &'s str, sink: &'s mut dyn FnMut(Article), file_date: Option<i64>) -> Self {
        Sink {
            display,
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

    /// Hands an article to the sink (filling in path and file date).
    pub fn emit(&mut self, mut a: Article) {
        if a.path.is_empty() {
            a.path = self.display.to_string();
        }
        if a.id.is_empty() {
            a.id = format!("{}#{}", self.display, self.count + 1);
        }
        if let Some(t) = a.date.filter(|&t| !dates::storable(t)) {
            self.warn(format!(
                "{}: {}: date {} is outside 1678–2261, left out",
                self.display,
                a.id,
                dates::format_ymd(t)
            ));
            a.date = None;
        } else if a.date.is_none() {
            a.date = self.file_date;
        }
        self.count += 1;
        let size = a.title.len() + a.body.len();
        if size > stream::MAX_ARTICLE {
            let at = match self.line {
                Some(l) => format!("{}:{l}", self.display),
                None => self.display.to_string(),
            };
            self.warn(format!(
                "{at}: article {} holds {:.1} MB of text, more than the {} MB one article may hold; skipped",
                a.id,
                size as f64 / 1e6,
                stream::MAX_ARTICLE >> 20
            ));
            self.too_large += 1;
            return;
        }
        (self.sink)(a)
    }

    /// Records a warning (beyond [`MAX_WARNINGS`], only counts it).
    pub fn warn(&mut self, w: String) {
        if self.warnings.len() < MAX_WARNINGS {
            self.warnings.push(w);
        } else {
            self.suppressed += 1;
        }
    }

    /// The articles kept, the warnings (with a line for those not
    /// kept) and the field uses.
    pub(super) fn finish(mut self) -> (usize, Vec<String>, Vec<FieldUse>) {
        if self.suppressed > 0 {
            self.warnings.push(format!(
                "{}: {} more warnings like these not shown",
                self.display, self.suppressed
            ));
        }
        (self.count - self.too_large, self.warnings, self.fields)
    }
}
