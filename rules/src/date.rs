//! Calendar arithmetic for the readings of POLICY §8: "N years after a date".

use chrono::{Datelike, Months, NaiveDate};

/// The day on which `years` full years after `start` are complete: the same
/// calendar day `years` later, or the last day of that month where the day does
/// not exist (29 February → 28 February), as 民法典 第二百零三条 reads.
/// chrono's month arithmetic clamps to the month's end, which is exactly that rule.
/// Saturates at the far end of the calendar instead of failing, because a date
/// that far away means "not in any lifetime" either way.
pub fn add_years(start: NaiveDate, years: u32) -> NaiveDate {
    start
        .checked_add_months(Months::new(years.saturating_mul(12)))
        .unwrap_or(NaiveDate::MAX)
}

/// Whole years completed between `start` and `end` (0 when `end` is earlier).
pub fn full_years_between(start: NaiveDate, end: NaiveDate) -> u32 {
    if end < start {
        return 0;
    }
    let mut years = (end.year() - start.year()).max(0) as u32;
    while years > 0 && add_years(start, years) > end {
        years -= 1;
    }
    years
}

/// Parses an ISO `YYYY-MM-DD` date, strictly (no time, no other format).
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    // By hand rather than with chrono's format parser, which would add its whole strftime
    // engine to the browser bundle for this one format.
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        bytes[range].iter().try_fold(0u32, |n, b| {
            b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
        })
    };
    NaiveDate::from_ymd_opt(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_iso(s).unwrap()
    }

    #[test]
    fn two_years_complete_on_the_same_calendar_day() {
        assert_eq!(add_years(d("2024-01-15"), 2), d("2026-01-15"));
    }

    #[test]
    fn leap_day_anniversary_falls_on_the_last_day_of_february() {
        assert_eq!(add_years(d("2024-02-29"), 1), d("2025-02-28"));
        assert_eq!(add_years(d("2024-02-29"), 4), d("2028-02-29"));
    }

    #[test]
    fn full_years_count_the_anniversary_itself() {
        assert_eq!(full_years_between(d("2020-03-01"), d("2023-03-01")), 3);
        assert_eq!(full_years_between(d("2020-03-01"), d("2023-02-28")), 2);
        assert_eq!(full_years_between(d("2023-03-01"), d("2020-02-28")), 0);
    }

    #[test]
    fn only_strict_iso_dates_parse() {
        assert!(parse_iso("2024-1-05").is_none());
        assert!(parse_iso("2024-02-30").is_none());
        assert!(parse_iso("2024/01/05").is_none());
        assert!(parse_iso("2024-01-05").is_some());
    }
}
