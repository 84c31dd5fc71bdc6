//! Output for people: ranked articles with highlighted passages.

use std::io;

use termcolor::{Color, ColorSpec, WriteColor};

use crate::search::{Hit, Hits};

/// Replaces control and bidi characters so article text cannot drive the
/// terminal; line breaks become spaces.
pub fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\n' | '\r' | '\t' => ' ',
            c if c.is_control() => '\u{FFFD}',
            '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' => {
                '\u{FFFD}'
            }
            c => c,
        })
        .collect()
}

/// Writes `text` with `ranges` highlighted: colour when the writer supports
/// it, `[`…`]` markers otherwise.
fn write_highlighted<W: WriteColor>(
    w: &mut W,
    text: &str,
    ranges: &[[usize; 2]],
    base: &ColorSpec,
) -> io::Result<()> {
    let mut hl = base.clone();
    hl.set_fg(Some(Color::Red)).set_bold(true);
    let mut pos = 0;
    for r in ranges {
        let (s, e) = (r[0].min(text.len()), r[1].min(text.len()));
        if s < pos || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        w.set_color(base)?;
        write!(w, "{}", sanitize(&text[pos..s]))?;
        if w.supports_color() {
            w.set_color(&hl)?;
            write!(w, "{}", sanitize(&text[s..e]))?;
        } else {
            write!(w, "[{}]", sanitize(&text[s..e]))?;
        }
        pos = e;
    }
    w.set_color(base)?;
    write!(w, "{}", sanitize(&text[pos..]))?;
    w.reset()
}

/// The colours of a hit's parts.
struct Styles {
    title: ColorSpec,
    meta: ColorSpec,
    path: ColorSpec,
    plain: ColorSpec,
}

impl Styles {
    fn new() -> Self {
        let mut title = ColorSpec::new();
        title.set_bold(true);
        let mut meta = ColorSpec::new();
        meta.set_fg(Some(Color::Cyan));
        let mut path = ColorSpec::new();
        path.set_fg(Some(Color::Magenta));
        Styles {
            title,
            meta,
            path,
            plain: ColorSpec::new(),
        }
    }
}

/// Writes `hits` for a person.
pub fn write_hits<W: WriteColor>(w: &mut W, hits: &Hits, elapsed_ms: f64) -> io::Result<()> {
    let styles = Styles::new();
    let mut apart = false;
    for (i, h) in hits.hits.iter().enumerate() {
        // Hits shown only because the search was relaxed go under a rule
        // of their own once every hit after them is relaxed too.
        if !apart && h.relaxed.is_some() && hits.hits[i..].iter().all(|h| h.relaxed.is_some()) {
            apart = true;
            w.set_color(&styles.meta)?;
            let head = if i == 0 {
                "── no article matches as written; articles with some of the words ──"
            } else {
                "── articles with only some of the words ──"
            };
            writeln!(w, "{head}")?;
            w.reset()?;
            writeln!(w)?;
        }
        write_hit(w, h, &styles)?;
    }
    write_summary(w, hits, elapsed_ms)
}

/// One hit: rank, title, date, source and how it matched; its path and
/// copies; its passages.
fn write_hit<W: WriteColor>(w: &mut W, h: &Hit, styles: &Styles) -> io::Result<()> {
    let Styles {
        title,
        meta,
        path,
        plain,
    } = styles;
    w.set_color(meta)?;
    write!(w, "{:>2}. ", h.rank)?;
    write_highlighted(w, &h.title, &h.title_highlights, title)?;
    let mut bits = Vec::new();
    if let Some(d) = &h.date {
        bits.push(d.clone());
    }
    if let Some(s) = &h.source {
        bits.push(sanitize(s));
    }
    match h.relaxed {
        Some((k, n)) if k == n => bits.push("words apart, not as typed".to_string()),
        Some((k, n)) => bits.push(format!("only {k} of {n} words")),
        None => {}
    }
    if !bits.is_empty() {
        w.set_color(meta)?;
        write!(w, "  {}", bits.join(" · "))?;
    }
    w.reset()?;
    writeln!(w)?;
    w.set_color(path)?;
    write!(w, "    {}", sanitize(&h.path))?;
    if !h.duplicates.is_empty() {
        w.set_color(meta)?;
        write!(
            w,
            "  (+{} near-duplicate{})",
            h.duplicates.len(),
            if h.duplicates.len() == 1 { "" } else { "s" }
        )?;
    }
    w.reset()?;
    writeln!(w)?;
    for p in &h.passages {
        write!(w, "    ")?;
        write_highlighted(w, &p.text, &p.highlights, plain)?;
        writeln!(w)?;
    }
    writeln!(w)
}

/// The relaxed hits as counted: the number, or the cap with thousands
/// separators and a plus (`1,000+`) when counting stopped there.
fn relaxed_count(hits: &Hits) -> String {
    if hits.relaxed_hits_exact {
        return hits.relaxed_hits.to_string();
    }
    let digits = hits.relaxed_hits.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out + "+"
}

/// The closing line: how many matched, how many are shown, the relaxed
/// ones apart, the time taken.
fn write_summary<W: WriteColor>(w: &mut W, hits: &Hits, elapsed_ms: f64) -> io::Result<()> {
    let shown = hits.hits.len();
    let relaxed_shown = hits.hits.iter().filter(|h| h.relaxed.is_some()).count();
    let mut dim = ColorSpec::new();
    dim.set_dimmed(true);
    w.set_color(&dim)?;
    let relaxed = match hits.relaxed {
        Some((k, n)) if hits.relaxed_hits > 0 => format!(
            "; {} more with only some of the words (at least {k} of {n}), not counted, {relaxed_shown} of them shown",
            relaxed_count(hits),
        ),
        _ => String::new(),
    };
    writeln!(
        w,
        "{} matching article{}, showing {}{}, {:.1} ms",
        hits.total_hits,
        if hits.total_hits == 1 { "" } else { "s" },
        shown - relaxed_shown,
        relaxed,
        elapsed_ms
    )?;
    w.reset()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::{Hit, Passage};
    use termcolor::{Ansi, NoColor};

    fn hits() -> Hits {
        Hits {
            partial: None,
            hits: vec![Hit {
                rank: 1,
                score: Some(1.0),
                id: "a".into(),
                title: "马斯克新公司".into(),
                title_highlights: vec![[0, 9]],
                date: Some("2023-07-13".into()),
                source: Some("蓝字计划".into()),
                author: None,
                url: None,
                path: "corpus/a.txt".into(),
                passages: vec![Passage {
                    text: "伊隆·马斯克宣布\u{1b}[31m成立".into(),
                    highlights: vec![[8, 17]],
                }],
                duplicates: vec![],
                relaxed: None,
            }],
            total_hits: 1,
            relaxed_hits: 0,
            relaxed_hits_exact: true,
            relaxed: None,
            scored: 0,
        }
    }

    #[test]
    fn plain_output_marks_matches_and_escapes_controls() {
        let mut w = NoColor::new(Vec::new());
        write_hits(&mut w, &hits(), 1.0).unwrap();
        let s = String::from_utf8(w.into_inner()).unwrap();
        assert!(s.contains("[马斯克]新公司"), "{s}");
        assert!(s.contains("伊隆·[马斯克]宣布"), "{s}");
        assert!(!s.contains('\u{1b}'), "{s}");
    }

    #[test]
    fn colour_output_uses_ansi() {
        let mut w = Ansi::new(Vec::new());
        write_hits(&mut w, &hits(), 1.0).unwrap();
        let s = String::from_utf8(w.into_inner()).unwrap();
        assert!(
            s.contains("\u{1b}[1m\u{1b}[31m马斯克") || s.contains("\u{1b}[31m"),
            "{s:?}"
        );
        assert!(!s.contains("[马斯克]"));
    }
}
