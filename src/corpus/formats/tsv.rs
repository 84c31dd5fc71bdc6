//! Tab-separated dumps: THUCNews-style `label\tcontent` lines, or any TSV
//! whose first line names its columns (`title`, `content`, `date`, …; read
//! by [`delimited`] with the same alias table as CSV and JSON).
//!
//! Without a header, each line is read by [`from_plain`]
//! (a category label, then the title and text, or text with the headline
//! glued on). Lines are streamed; a line longer than [`MAX_RECORD`] is
//! skipped with a warning.

use std::io::BufRead;

use anyhow::Result;

use super::delimited;
use super::headerless::from_plain;
use crate::corpus::fields::{self, Field};
use crate::corpus::sink::{At, Sink};
use crate::corpus::stream::{read_line, Line, MAX_RECORD};

/// Whether a first line names columns: one of them is a title or text
/// field of the alias table.
fn is_header(cols: &[&str]) -> bool {
    cols.iter().any(|c| {
        fields::lookup(c)
            .is_some_and(|(f, _)| matches!(f, Field::Title | Field::Body | Field::Summary))
    })
}

/// Reads every line of `r`.
pub fn parse(r: &mut dyn BufRead, out: &mut Sink) -> Result<()> {
    let mut line = Vec::new();
    let mut lineno = 0usize;
    let mut good = 0usize;
    loop {
        lineno += 1;
        match read_line(r, &mut line, MAX_RECORD)? {
            Line::Eof => break,
            Line::TooLong(len) => {
                let what = format!("line of {len} bytes is too long, skipped");
                out.warn_at(At::Line(lineno), what);
                continue;
            }
            Line::Ok => {}
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_start_matches('\u{feff}');
        if text.trim().is_empty() {
            continue;
        }
        let cols: Vec<&str> = text.split('\t').collect();
        if lineno == 1 && is_header(&cols) {
            let header = cols.iter().map(|c| c.to_string()).collect();
            return delimited::parse_after_header(r, b'\t', header, out);
        }
        let art = from_plain(&cols);
        match art {
            Some(mut a) => {
                a.id = out.record_id(lineno);
                good += 1;
                out.line = Some(lineno);
                out.emit(a);
            }
            None => out.warn_at(At::Line(lineno), "no text in this line, skipped"),
        }
    }
    if good == 0 && lineno > 1 {
        anyhow::bail!("no usable tab-separated line");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::formats::testing::{read_as, ymd};

    read_as!("t.tsv", |r, out| parse(r, out));

    #[test]
    fn thucnews_lines() {
        let (a, w) = read(
            "体育\t小城球队夺冠 全城欢庆本报讯 （记者 王明）昨晚，小城球队赢得冠军。\n财经\t菜价回落两成新华网北京3月2日电 本周蔬菜价格回落。\n\n科技\t\n",
        );
        assert_eq!(a.len(), 2);
        assert_eq!(a[0].title, "小城球队夺冠 全城欢庆");
        assert!(a[0].body.starts_with("本报讯"));
        assert_eq!(a[0].id, "t.tsv#1");
        assert_eq!(a[1].title, "菜价回落两成");
        assert_eq!(w.len(), 1, "{w:?}");
    }

    #[test]
    fn label_title_and_text_columns() {
        let (a, _) = read("体育\t湖人队夺冠獓狠\t本报讯 昨晚比赛结束。\t记者 王明\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "湖人队夺冠獓狠");
        assert_eq!(a[0].body, "本报讯 昨晚比赛结束。\n记者 王明");
    }

    #[test]
    fn header_names_columns() {
        let (a, _) = read("id\ttitle\tdate\tcontent\n7\t标题\t2023年7月13日\t正文\n");
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].title, "标题");
        assert_eq!(a[0].body, "正文");
        assert_eq!(ymd(&a[0]).as_deref(), Some("2023-07-13"));
    }
}
