//! The human table of `newsidx count` series: one row per bucket, one
//! column per query (and, normalised, the index's count and each query's
//! share), aligned for a terminal where Chinese characters take two
//! columns.

use std::io::Write;

use anyhow::Result;

use crate::search::series::{Point, Series};

/// Columns a string takes on a terminal: East Asian wide and full-width
/// characters two, the rest one.
pub fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = c as u32;
            let wide = matches!(u,
                0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
            if wide {
                2
            } else {
                1
            }
        })
        .sum()
}

fn percent(p: &Point) -> String {
    p.share()
        .map(|s| format!("{:.2}%", s * 100.0))
        .unwrap_or_default()
}

/// The cells of one row: key, `of` (normalised), then per query its count
/// and, normalised, its share.
fn row(key: &str, points: &[&Point]) -> Vec<String> {
    let mut cells = vec![key.to_string()];
    if let Some(of) = points.first().and_then(|p| p.of) {
        cells.push(of.to_string());
    }
    for p in points {
        cells.push(p.count.to_string());
        if p.of.is_some() {
            cells.push(percent(p));
        }
    }
    cells
}

/// Writes the table: a header row when several queries are counted or
/// the counts are normalised, the buckets (when counted by something),
/// then `total`.
pub fn write<W: Write>(
    w: &mut W,
    series: &[(&str, &Series)],
    by: bool,
    labelled: bool,
) -> Result<()> {
    let normalized = series.iter().any(|(_, s)| s.of_total.is_some());
    let mut rows: Vec<Vec<String>> = Vec::new();
    if labelled || normalized {
        let mut head = vec!["key".to_string()];
        if normalized {
            head.push("of".to_string());
        }
        for (q, _) in series {
            head.push(q.to_string());
            if normalized {
                head.push("%".to_string());
            }
        }
        rows.push(head);
    }
    let n = series.first().map_or(0, |(_, s)| s.buckets.len());
    if by {
        for i in 0..n {
            let points: Vec<&Point> = series
                .iter()
                .filter_map(|(_, s)| s.buckets.get(i))
                .collect();
            let key = points
                .first()
                .and_then(|p| p.key.as_deref())
                .unwrap_or("(none)");
            rows.push(row(key, &points));
        }
    }
    let totals: Vec<Point> = series
        .iter()
        .map(|(_, s)| Point {
            key: None,
            count: s.total,
            of: s.of_total,
        })
        .collect();
    rows.push(row("total", &totals.iter().collect::<Vec<_>>()));
    let cols = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|s| display_width(s))
                .max()
                .unwrap_or(0)
        })
        .collect();
    for r in &rows {
        let mut line = String::new();
        for (c, cell) in r.iter().enumerate() {
            let pad = widths[c].saturating_sub(display_width(cell));
            if c == 0 {
                line.push_str(cell);
                line.push_str(&" ".repeat(pad));
            } else {
                line.push_str("  ");
                line.push_str(&" ".repeat(pad));
                line.push_str(cell);
            }
        }
        writeln!(w, "{}", line.trim_end())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_takes_two_columns() {
        assert_eq!(display_width("江豚"), 4);
        assert_eq!(display_width("2024-W07"), 8);
        assert_eq!(display_width("（无）a"), 7);
    }

    #[test]
    fn columns_line_up_under_chinese_headers() {
        let s = |counts: &[u64]| Series {
            total: counts.iter().sum(),
            of_total: None,
            buckets: counts
                .iter()
                .enumerate()
                .map(|(i, &c)| Point {
                    key: Some(format!("2024-0{}", i + 1)),
                    count: c,
                    of: None,
                })
                .collect(),
        };
        let (a, b) = (s(&[1, 20]), s(&[300, 0]));
        let mut out = Vec::new();
        write(&mut out, &[("江豚", &a), ("长江禁渔", &b)], true, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "key      江豚  长江禁渔");
        assert_eq!(lines[1], "2024-01     1       300");
        assert_eq!(lines[3], "total      21       300");
        let w: Vec<usize> = lines.iter().map(|l| display_width(l)).collect();
        assert!(w.iter().all(|&x| x == w[0]), "{text}");
    }
}
