//! Dates as Chinese news writes them, kept as the publication's wall-clock
//! time (seconds since the epoch of that clock, so the calendar day is
//! exactly the one the article states).
//!
//! Accepted: `2023-07-13`, `2023-07-13 20:18[:05]`, `2023/7/13`, `2023.07.13`,
//! `2023年7月13日[ 20:18]`, `20230713`, ISO 8601 (`2023-07-13T01:00:05+08:00`
//! stays 2023-07-13 01:00: the stated local time is kept and the offset
//! ignored), and Unix timestamps in seconds or milliseconds, which name an
//! instant and are read as China Standard Time (UTC+8), the clock of Chinese
//! news. Only the date part matters for filtering; times are kept when
//! present.

/// Earliest date the index stores (1678-01-01): tantivy keeps dates as
/// nanoseconds in an `i64`, which reach from 1677-09-21 to 2262-04-11.
pub const FIRST_STORABLE: i64 = -9_214_560_000;

/// Last second the index stores (2261-12-31 23:59:59).
pub const LAST_STORABLE: i64 = 9_214_646_399;

/// True when the index can store `secs` (see [`FIRST_STORABLE`]).
pub fn storable(secs: i64) -> bool {
    (FIRST_STORABLE..=LAST_STORABLE).contains(&secs)
}

/// Seconds since the Unix epoch for a civil date-time in UTC.
pub fn civil_to_unix(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) || hh > 23 || mm > 59 || ss > 60
    {
        return None;
    }
    let days = days_from_civil(y, m, d);
    Some(days * 86400 + hh as i64 * 3600 + mm as i64 * 60 + ss as i64)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// `YYYY-MM-DD` for Unix seconds.
pub fn format_ymd(secs: i64) -> String {
    let (y, m, d) = civil(secs.div_euclid(86400));
    format!("{y:04}-{m:02}-{d:02}")
}

/// The civil date (year, month, day) of a day number counted from
/// 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// The day number (from 1970-01-01) of a civil date (Howard Hinnant's
/// `days_from_civil`); `m` in 1..=12.
pub fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y2 = if m <= 2 { y - 1 } else { y };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let mp = (i64::from(m) + 9) % 12;
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Parses a date string; `None` when it is not a date we understand.
pub fn parse_date(s: &str) -> Option<i64> {
    let s: String = s
        .trim()
        .chars()
        .map(crate::chars::fold_digit_width)
        .collect();
    let s = s.as_str();
    if s.is_empty() {
        return None;
    }
    if s.bytes().all(|b| b.is_ascii_digit()) {
        return parse_digits(s);
    }
    let mut nums: Vec<(i64, usize)> = Vec::new(); // (value, digit count)
    let mut seps: Vec<char> = Vec::new();
    let mut cur = String::new();
    for c in s.chars() {
        if c.is_ascii_digit() {
            cur.push(c);
            continue;
        }
        if !cur.is_empty() {
            nums.push((cur.parse().ok()?, cur.len()));
            cur.clear();
        }
        // A time-zone suffix after a time (Z, +08:00, +0800, -05:00) ends
        // the date: the stated local time is the article's day, and the
        // offset is not applied.
        let zone = c == 'Z' || c == 'z' || c == '+' || (c == '-' && seps.contains(&':'));
        if nums.len() >= 5 && zone {
            break;
        }
        seps.push(c);
        if nums.len() >= 6 {
            break;
        }
    }
    if !cur.is_empty() {
        nums.push((cur.parse().ok()?, cur.len()));
    }
    if nums.len() < 3 || nums[0].1 != 4 {
        return None;
    }
    // The date separators must be one of - / . 年
    let first_sep = *seps.first()?;
    if !matches!(first_sep, '-' | '/' | '.' | '年') {
        return None;
    }
    let (y, m, d) = (nums[0].0, nums[1].0 as u32, nums[2].0 as u32);
    let hh = nums.get(3).map(|n| n.0 as u32).unwrap_or(0);
    let mm = nums.get(4).map(|n| n.0 as u32).unwrap_or(0);
    let ss = nums.get(5).map(|n| n.0 as u32).unwrap_or(0);
    let (hh, mm, ss) = if nums.len() >= 5 {
        (hh, mm, ss)
    } else {
        (0, 0, 0)
    };
    civil_to_unix(y, m, d, hh, mm, ss)
}

fn parse_digits(s: &str) -> Option<i64> {
    match s.len() {
        8 => civil_to_unix(
            s[..4].parse().ok()?,
            s[4..6].parse().ok()?,
            s[6..8].parse().ok()?,
            0,
            0,
            0,
        ),
        9..=11 => s.parse::<i64>().ok().map(|t| t + CST_OFFSET),
        13 => s.parse::<i64>().ok().map(|ms| ms / 1000 + CST_OFFSET),
        _ => None,
    }
}

/// A plausible Unix timestamp from a JSON number (seconds or milliseconds).
pub fn from_timestamp(n: f64) -> Option<i64> {
    if !n.is_finite() || n <= 0.0 {
        return None;
    }
    let secs = if n > 1e11 { n / 1000.0 } else { n };
    (secs < 4.1e9).then_some(secs as i64 + CST_OFFSET)
}

/// China Standard Time, UTC+8, in seconds: the clock Unix timestamps are
/// read on.
pub const CST_OFFSET: i64 = 8 * 3600;

/// Date patterns found inside running text, most specific first.
static TEXT_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"((?:19|20)\d{2})\s*(?:年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日|[-/.](\d{1,2})[-/.](\d{1,2}))(?:\D{0,3}?(\d{1,2}):(\d{2})(?::(\d{2}))?)?",
    )
    .expect("static regex")
});

/// The first full date (year, month, day; a time if it follows) in `text`.
pub fn find_in_text(text: &str) -> Option<i64> {
    for c in TEXT_DATE.captures_iter(text) {
        let num = |i: usize| c.get(i).and_then(|m| m.as_str().parse::<u32>().ok());
        let y: i64 = c.get(1)?.as_str().parse().ok()?;
        let (m, d) = match (num(2), num(3)) {
            (Some(m), Some(d)) => (m, d),
            _ => (num(4)?, num(5)?),
        };
        let (hh, mm, ss) = (
            num(6).unwrap_or(0),
            num(7).unwrap_or(0),
            num(8).unwrap_or(0),
        );
        if let Some(t) =
            civil_to_unix(y, m, d, hh, mm, ss).or_else(|| civil_to_unix(y, m, d, 0, 0, 0))
        {
            return Some(t);
        }
    }
    None
}

/// A date in a URL path: `/20120612/`, `/2012-06-12/`, `/2012/06/12/`.
pub fn from_url(url: &str) -> Option<i64> {
    static URL_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"/((?:19|20)\d{2})[-/_]?(\d{2})[-/_]?(\d{2})(?:/|[^\d])")
            .expect("static regex")
    });
    let c = URL_DATE.captures(url)?;
    civil_to_unix(
        c[1].parse().ok()?,
        c[2].parse().ok()?,
        c[3].parse().ok()?,
        0,
        0,
        0,
    )
}

/// A date in a file name: `20260424.md`, `news-2023-07-13.jsonl`.
pub fn from_file_name(path: &std::path::Path) -> Option<i64> {
    static NAME_DATE: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:^|\D)((?:19|20)\d{2})[-_.]?(\d{2})[-_.]?(\d{2})(?:\D|$)")
            .expect("static regex")
    });
    let stem = path.file_name()?.to_str()?;
    let c = NAME_DATE.captures(stem)?;
    civil_to_unix(
        c[1].parse().ok()?,
        c[2].parse().ok()?,
        c[3].parse().ok()?,
        0,
        0,
        0,
    )
}

/// Byte offset of a dateline that opens a news lead (`2009年`, `10月26日`,
/// `北京时间`) in `s`, used to cut a glued headline from its body.
pub fn lead_dateline(s: &str) -> Option<usize> {
    static LEAD: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r"(?:19|20)\d{2}年|\d{1,2}月\d{1,2}日").expect("static regex")
    });
    LEAD.find(s).map(|m| m.start())
}

/// Parses a `--since`/`--until` value; `end_of_day` moves it to 23:59:59.
/// A date beyond what the index stores is taken as its first or last day
/// (`--until 9999-12-31` means no end).
pub fn parse_bound(flag: &str, s: &str, end_of_day: bool) -> anyhow::Result<i64> {
    let t = match parse_date(s) {
        Some(t) if end_of_day && t % 86400 == 0 => t + 86399,
        Some(t) => t,
        None => anyhow::bail!("{flag} {s:?}: not a date (use e.g. 2023-07-13 or 2023年7月13日)"),
    };
    Ok(t.clamp(FIRST_STORABLE, LAST_STORABLE))
}

/// A feed date: RFC 3339 and the other forms [`parse_date`] reads,
/// or RFC 822 (`Wed, 01 May 2024 08:30:00 +0800`; the stated local time is
/// kept, as everywhere in newsidx).
pub fn parse_feed_date(s: &str) -> Option<i64> {
    parse_date(s).or_else(|| rfc822(s))
}

fn rfc822(s: &str) -> Option<i64> {
    let s = s.trim();
    let s = match s.find(',') {
        Some(i) => &s[i + 1..],
        None => s,
    };
    let mut parts = s.split_whitespace();
    let day: u32 = parts.next()?.parse().ok()?;
    let month = parts.next()?.to_ascii_lowercase();
    let month = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]
    .iter()
    .position(|m| month.starts_with(m))? as u32
        + 1;
    let year: i64 = parts.next()?.parse().ok()?;
    let year = match year {
        0..=49 => 2000 + year,
        50..=99 => 1900 + year,
        y => y,
    };
    let mut hms = parts
        .next()
        .unwrap_or("0:0:0")
        .split(':')
        .map(|x| x.parse::<u32>().unwrap_or(0));
    let (hh, mm, ss) = (
        hms.next().unwrap_or(0),
        hms.next().unwrap_or(0),
        hms.next().unwrap_or(0),
    );
    civil_to_unix(year, month, day, hh, mm, ss)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> Option<String> {
        parse_date(s).map(format_ymd)
    }

    #[test]
    fn storable_range_is_what_tantivy_keeps() {
        assert_eq!(civil_to_unix(1678, 1, 1, 0, 0, 0), Some(FIRST_STORABLE));
        assert_eq!(civil_to_unix(2261, 12, 31, 23, 59, 59), Some(LAST_STORABLE));
        for secs in [FIRST_STORABLE, 0, LAST_STORABLE] {
            let d = tantivy::DateTime::from_timestamp_secs(secs);
            assert_eq!(d.into_timestamp_secs(), secs);
        }
        assert!(!storable(civil_to_unix(3023, 7, 13, 0, 0, 0).unwrap_or(0)));
        assert!(!storable(civil_to_unix(1000, 1, 1, 0, 0, 0).unwrap_or(0)));
    }

    #[test]
    fn chinese_news_forms() {
        for s in [
            "2023-07-13",
            "2023-07-13 20:18",
            "2023/7/13",
            "2023.07.13",
            "2023年7月13日",
            "2023年07月13日 08:00",
            "20230713",
            "２０２３年７月１３日",
            "2023-07-13T20:18:05Z",
        ] {
            assert_eq!(ymd(s).as_deref(), Some("2023-07-13"), "{s}");
        }
    }

    #[test]
    fn the_stated_local_day_is_kept() {
        assert_eq!(
            ymd("2023-07-13T01:00:00+08:00").as_deref(),
            Some("2023-07-13")
        );
        assert_eq!(
            ymd("2023-07-13T23:30:00-05:00").as_deref(),
            Some("2023-07-13")
        );
        // 2023-07-12 17:00 UTC is 2023-07-13 01:00 in Beijing.
        assert_eq!(ymd("1689181200").as_deref(), Some("2023-07-13"));
        assert_eq!(
            from_timestamp(1689181200000.0).map(format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }

    #[test]
    fn timestamps() {
        assert_eq!(ymd("1689206400").as_deref(), Some("2023-07-13"));
        assert_eq!(
            from_timestamp(1689206400000.0).map(format_ymd).as_deref(),
            Some("2023-07-13")
        );
    }

    #[test]
    fn dates_in_text_urls_and_names() {
        let f = |t: Option<i64>| t.map(format_ymd);
        assert_eq!(
            f(find_in_text("发布时间：2023年7月13日 20:18 来源")).as_deref(),
            Some("2023-07-13")
        );
        assert_eq!(
            f(find_in_text("更新于 2023-07-13 08:00:01")).as_deref(),
            Some("2023-07-13")
        );
        assert_eq!(f(find_in_text("共 2023 人阅读")), None);
        assert_eq!(
            f(from_url("http://news.example.com/20120612/n1.shtml")).as_deref(),
            Some("2012-06-12")
        );
        assert_eq!(
            f(from_url("https://x.cn/2026/04/24/VIDE.shtml")).as_deref(),
            Some("2026-04-24")
        );
        assert_eq!(
            f(from_file_name(std::path::Path::new("d/20260424.md"))).as_deref(),
            Some("2026-04-24")
        );
        assert_eq!(
            from_file_name(std::path::Path::new("SogouCS.GB18030.dat")),
            None
        );
    }

    #[test]
    fn rejects_non_dates() {
        for s in [
            "",
            "yesterday",
            "2023-13-01",
            "2023-02-30",
            "12/07/2023",
            "abc 2023",
        ] {
            assert_eq!(parse_date(s), None, "{s}");
        }
    }

    #[test]
    fn rfc822_dates() {
        let ymd = |s| parse_feed_date(s).map(format_ymd);
        assert_eq!(
            ymd("Tue, 30 Apr 2024 23:59:00 GMT").as_deref(),
            Some("2024-04-30")
        );
        assert_eq!(ymd("1 Jan 24 00:00 +0000").as_deref(), Some("2024-01-01"));
        assert_eq!(ymd("Mon, 99 Foo 2024"), None);
    }
}
