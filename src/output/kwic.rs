//! Concordance lines (`newsidx kwic`) for people, as JSON Lines or as CSV.
//!
//! For people, each line is `left [match] right  id  date  source`, the
//! left context right-aligned to the display width `width` characters of
//! CJK text take (two columns each, counted with `unicode-width`), so the
//! matches stand in one column on a terminal; the match is coloured when
//! the writer supports colour, and bracketed otherwise. JSON Lines:
//!
//! ```text
//! {"type":"kwic","id":"a1","date":"2023-07-13","source":"…","left":"…","match":"马斯克","right":"…"}
//! {"type":"summary","occurrences":1,"articles":1,"more":false}
//! ```
//!
//! CSV: a header row `id,date,source,left,match,right`, then one row per
//! line (no summary).

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};
use unicode_width::UnicodeWidthStr;

use super::human::sanitize;
use super::json::write_record;
use super::wire::kwic::Summary;
use crate::search::kwic::{Line, Tally};

/// The output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Aligned lines for a terminal; `width` is the context's characters.
    Human {
        /// Characters of context on each side.
        width: usize,
    },
    /// JSON Lines.
    Json,
    /// CSV with a header row.
    Csv,
}

enum Inner<W: WriteColor> {
    Human(W, usize),
    Json(W),
    Csv(Box<csv::Writer<W>>),
}

/// Writes lines one at a time, in one [`Style`].
pub struct Printer<W: WriteColor> {
    inner: Inner<W>,
}

/// Spaces to pad `s` (sanitised) to `cols` display columns.
fn pad(s: &str, cols: usize) -> String {
    " ".repeat(cols.saturating_sub(s.width()))
}

impl<W: WriteColor> Printer<W> {
    /// A printer over `w`.
    pub fn new(w: W, style: Style) -> Printer<W> {
        let inner = match style {
            Style::Human { width } => Inner::Human(w, width),
            Style::Json => Inner::Json(w),
            Style::Csv => Inner::Csv(Box::new(csv::Writer::from_writer(w))),
        };
        Printer { inner }
    }

    /// Writes one line.
    pub fn line(&mut self, l: &Line) -> io::Result<()> {
        match &mut self.inner {
            Inner::Human(w, width) => human_line(w, l, *width),
            Inner::Json(w) => write_record(w, "kwic", l),
            Inner::Csv(w) => w.serialize(l).map_err(io::Error::other),
        }
    }

    /// Writes the summary (not in CSV) and flushes.
    pub fn finish(self, t: &Tally) -> io::Result<()> {
        match self.inner {
            Inner::Human(mut w, _) => {
                let mut dim = ColorSpec::new();
                dim.set_dimmed(true);
                w.set_color(&dim)?;
                let more = if t.stopped {
                    "; more left out by --limit (--all shows every one)"
                } else {
                    ""
                };
                writeln!(
                    w,
                    "{} occurrence{} in {} article{}{more}",
                    t.occurrences,
                    if t.occurrences == 1 { "" } else { "s" },
                    t.articles,
                    if t.articles == 1 { "" } else { "s" },
                )?;
                w.reset()?;
                w.flush()
            }
            Inner::Json(mut w) => {
                let s = Summary {
                    occurrences: t.occurrences,
                    articles: t.articles,
                    more: t.stopped,
                };
                write_record(&mut w, "summary", &s)?;
                w.flush()
            }
            Inner::Csv(mut w) => w.flush(),
        }
    }
}

/// One aligned line: the left context right-aligned to `2 * width`
/// columns, the match, the right context padded to as many, the article.
fn human_line<W: WriteColor>(w: &mut W, l: &Line, width: usize) -> io::Result<()> {
    let cols = width.saturating_mul(2);
    let (left, matched, right) = (sanitize(&l.left), sanitize(&l.matched), sanitize(&l.right));
    write!(w, "{}{left} ", pad(&left, cols))?;
    if w.supports_color() {
        let mut hl = ColorSpec::new();
        hl.set_fg(Some(Color::Red)).set_bold(true);
        w.set_color(&hl)?;
        write!(w, "{matched}")?;
        w.reset()?;
    } else {
        write!(w, "[{matched}]")?;
    }
    write!(w, " {right}{}  ", pad(&right, cols))?;
    let mut meta = ColorSpec::new();
    meta.set_fg(Some(Color::Cyan));
    w.set_color(&meta)?;
    write!(
        w,
        "{}  {}  {}",
        sanitize(&l.id),
        l.date.as_deref().unwrap_or("-"),
        sanitize(l.source.as_deref().unwrap_or("-"))
    )?;
    w.reset()?;
    writeln!(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use termcolor::{Ansi, NoColor};

    fn line() -> Line {
        Line {
            id: "a1".into(),
            date: Some("2023-07-13".into()),
            source: Some("蓝字".into()),
            left: "ab伊隆·".into(),
            matched: "马斯克".into(),
            right: "宣布\u{1b}[31m".into(),
        }
    }

    #[test]
    fn human_lines_align_the_match_by_display_width() {
        let mut w = NoColor::new(Vec::new());
        human_line(&mut w, &line(), 4).unwrap();
        let s = String::from_utf8(w.into_inner()).unwrap();
        // "ab伊隆·" takes 2 + 4 + 1 = 7 columns of 8.
        assert!(s.starts_with(" ab伊隆· [马斯克] 宣布"), "{s:?}");
        assert!(!s.contains('\u{1b}'), "{s:?}");
        assert!(s.ends_with("a1  2023-07-13  蓝字\n"), "{s:?}");
    }

    #[test]
    fn colour_marks_the_match() {
        let mut w = Ansi::new(Vec::new());
        human_line(&mut w, &line(), 4).unwrap();
        let s = String::from_utf8(w.into_inner()).unwrap();
        assert!(
            s.contains("\u{1b}[31m马斯克") || s.contains("m马斯克\u{1b}[0m"),
            "{s:?}"
        );
        assert!(!s.contains("[马斯克]"), "{s:?}");
    }
}
