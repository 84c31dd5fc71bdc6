//! Calendar periods of the time buckets: the key of a day (`2024`,
//! `2024-07`, `2024-W07`, `2024-07-13`), where its period starts, and every
//! period between two days, so that a series has no holes.
//!
//! Days are counted from 1970-01-01 (day 0) on the publication's own
//! clock, as the index stores dates ([`crate::dates`]). Weeks are
//! ISO 8601 weeks: they start on Monday, and week 1 of a year is the week
//! with the year's first Thursday, so `2025-W01` starts on 2024-12-30 and
//! 2021-01-03 (a Sunday) is in `2020-W53`.

/// A calendar period a time bucket spans.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// One day: `2024-07-13`.
    Day,
    /// One ISO week: `2024-W07`.
    Week,
    /// One month: `2024-07`.
    Month,
    /// One year: `2024`.
    Year,
}

pub use crate::dates::{civil, days_from_civil};

/// Days since Monday (Monday 0 … Sunday 6); 1970-01-01 was a Thursday.
fn weekday(days: i64) -> i64 {
    (days + 3).rem_euclid(7)
}

/// The ISO year and week of a day.
pub fn iso_week(days: i64) -> (i64, i64) {
    // The week's Thursday decides its year.
    let thursday = days - weekday(days) + 3;
    let (y, _, _) = civil(thursday);
    let week = (thursday - days_from_civil(y, 1, 1)) / 7 + 1;
    (y, week)
}

impl Period {
    /// The key of the period holding `days`.
    pub fn key(self, days: i64) -> String {
        match self {
            Period::Day => {
                let (y, m, d) = civil(days);
                format!("{y:04}-{m:02}-{d:02}")
            }
            Period::Week => {
                let (y, w) = iso_week(days);
                format!("{y:04}-W{w:02}")
            }
            Period::Month => {
                let (y, m, _) = civil(days);
                format!("{y:04}-{m:02}")
            }
            Period::Year => format!("{:04}", civil(days).0),
        }
    }

    /// The first day of the period holding `days`.
    pub fn start(self, days: i64) -> i64 {
        match self {
            Period::Day => days,
            Period::Week => days - weekday(days),
            Period::Month => {
                let (y, m, _) = civil(days);
                days_from_civil(y, m, 1)
            }
            Period::Year => days_from_civil(civil(days).0, 1, 1),
        }
    }

    /// The first day of the period after the one starting on `start`.
    fn next(self, start: i64) -> i64 {
        match self {
            Period::Day => start + 1,
            Period::Week => start + 7,
            Period::Month => {
                let (y, m, _) = civil(start);
                if m == 12 {
                    days_from_civil(y + 1, 1, 1)
                } else {
                    days_from_civil(y, m + 1, 1)
                }
            }
            Period::Year => days_from_civil(civil(start).0 + 1, 1, 1),
        }
    }

    /// How many periods run from the one holding `first` to the one
    /// holding `last` (both included; 0 when `last < first`), without
    /// listing them.
    pub fn span(self, first: i64, last: i64) -> i64 {
        if last < first {
            return 0;
        }
        match self {
            Period::Day => last - first + 1,
            Period::Week => (self.start(last) - self.start(first)) / 7 + 1,
            Period::Month => {
                let ((y1, m1, _), (y2, m2, _)) = (civil(first), civil(last));
                (y2 - y1) * 12 + i64::from(m2) - i64::from(m1) + 1
            }
            Period::Year => civil(last).0 - civil(first).0 + 1,
        }
    }

    /// The key of every period from the one holding `first` to the one
    /// holding `last`, in order.
    pub fn keys(self, first: i64, last: i64) -> Vec<String> {
        let mut out = Vec::new();
        if last < first {
            return out;
        }
        let mut s = self.start(first);
        while s <= last {
            out.push(self.key(s));
            s = self.next(s);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d)
    }

    #[test]
    fn civil_dates_round_trip() {
        for d in [-800_000, -1, 0, 1, 19_000, 20_000, 2_932_896] {
            let (y, m, dd) = civil(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
        assert_eq!(civil(0), (1970, 1, 1));
        assert_eq!(day(2024, 2, 29) + 1, day(2024, 3, 1));
    }

    #[test]
    fn iso_weeks_follow_the_first_thursday() {
        assert_eq!(Period::Week.key(day(2024, 2, 14)), "2024-W07");
        assert_eq!(Period::Week.key(day(2024, 12, 30)), "2025-W01");
        assert_eq!(Period::Week.key(day(2021, 1, 3)), "2020-W53");
        assert_eq!(Period::Week.key(day(2021, 1, 4)), "2021-W01");
        assert_eq!(Period::Week.key(day(2026, 12, 31)), "2026-W53");
        assert_eq!(Period::Week.start(day(2024, 2, 18)), day(2024, 2, 12));
    }

    #[test]
    fn keys_fill_every_period_between() {
        assert_eq!(
            Period::Month.keys(day(2023, 11, 20), day(2024, 2, 1)),
            ["2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(
            Period::Week.keys(day(2024, 12, 25), day(2025, 1, 6)),
            ["2024-W52", "2025-W01", "2025-W02"]
        );
        assert_eq!(
            Period::Day.keys(day(2024, 2, 28), day(2024, 3, 1)),
            ["2024-02-28", "2024-02-29", "2024-03-01"]
        );
        assert_eq!(
            Period::Year.keys(day(2022, 5, 1), day(2024, 1, 1)),
            ["2022", "2023", "2024"]
        );
        assert!(Period::Year.keys(5, 4).is_empty());
        for p in [Period::Day, Period::Week, Period::Month, Period::Year] {
            let (a, b) = (day(2019, 3, 9), day(2024, 8, 30));
            assert_eq!(p.span(a, b), p.keys(a, b).len() as i64, "{p:?}");
        }
    }
}
