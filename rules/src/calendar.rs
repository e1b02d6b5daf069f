//! Working days (POLICY §8): weekends and public holidays are not working days, make-up working
//! days (调休) are. The calendar is data, one table per year (`rules/data/calendar.toml`); a day
//! in a year the calendar does not cover is an error, never a guess. Publicity periods (公示,
//! "不少于5个工作日") are counted with it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Datelike, NaiveDate, Weekday};
#[cfg(feature = "toml")]
use serde::Deserialize;

/// One year's announced holidays and make-up working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Year {
    holidays: BTreeSet<NaiveDate>,
    makeup_workdays: BTreeSet<NaiveDate>,
    source: String,
}

/// The working-day calendar.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct WorkCalendar {
    years: BTreeMap<i32, Year>,
}

/// Why a calendar file was refused or a day could not be classified.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{file}: {path}: {problem}")]
    Invalid {
        file: String,
        path: String,
        problem: String,
    },
    #[error("the working-day calendar has no data for {0}")]
    YearNotConfigured(i32),
}

#[cfg(feature = "toml")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileData {
    year: Vec<YearData>,
}

#[cfg(feature = "toml")]
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct YearData {
    year: i32,
    source: String,
    holidays: Vec<String>,
    makeup_workdays: Vec<String>,
}

fn is_weekend(day: NaiveDate) -> bool {
    matches!(day.weekday(), Weekday::Sat | Weekday::Sun)
}

impl WorkCalendar {
    /// The calendar shipped in `rules/data/calendar.toml`.
    #[cfg(feature = "toml")]
    pub fn builtin() -> Result<WorkCalendar, CalendarError> {
        WorkCalendar::from_toml("calendar.toml", include_str!("../data/calendar.toml"))
    }

    /// Parses and checks a calendar file: dates are ISO dates inside their year, a day is not
    /// both a holiday and a make-up day, make-up days fall on weekends, each year appears once.
    #[cfg(feature = "toml")]
    pub fn from_toml(file: &str, text: &str) -> Result<WorkCalendar, CalendarError> {
        let invalid = |path: String, problem: String| CalendarError::Invalid {
            file: file.to_owned(),
            path,
            problem,
        };
        let data: FileData =
            toml::from_str(text).map_err(|e| invalid(String::new(), e.to_string()))?;
        let mut calendar = WorkCalendar::default();
        for (i, entry) in data.year.into_iter().enumerate() {
            let mut year = Year {
                source: entry.source,
                ..Year::default()
            };
            let days = |list: Vec<String>,
                        field: &str|
             -> Result<BTreeSet<NaiveDate>, CalendarError> {
                let mut set = BTreeSet::new();
                for (j, text) in list.into_iter().enumerate() {
                    let path = format!("year[{i}].{field}[{j}]");
                    let day = crate::parse_date(&text)
                        .ok_or_else(|| invalid(path.clone(), format!("{text:?} is not a date")))?;
                    if day.year() != entry.year {
                        return Err(invalid(path, format!("{day} is not in {}", entry.year)));
                    }
                    set.insert(day);
                }
                Ok(set)
            };
            year.holidays = days(entry.holidays, "holidays")?;
            year.makeup_workdays = days(entry.makeup_workdays, "makeup_workdays")?;
            if let Some(both) = year.holidays.intersection(&year.makeup_workdays).next() {
                return Err(invalid(
                    format!("year[{i}]"),
                    format!("{both} is both a holiday and a make-up working day"),
                ));
            }
            if let Some(weekday) = year.makeup_workdays.iter().find(|d| !is_weekend(**d)) {
                return Err(invalid(
                    format!("year[{i}].makeup_workdays"),
                    format!("{weekday} is a weekday already"),
                ));
            }
            if calendar.years.insert(entry.year, year).is_some() {
                return Err(invalid(
                    format!("year[{i}].year"),
                    format!("{} appears twice", entry.year),
                ));
            }
        }
        Ok(calendar)
    }

    /// The years the calendar covers.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.keys().copied()
    }

    /// Whether `day` is a working day.
    pub fn is_working_day(&self, day: NaiveDate) -> Result<bool, CalendarError> {
        let year = self
            .years
            .get(&day.year())
            .ok_or(CalendarError::YearNotConfigured(day.year()))?;
        Ok(if year.holidays.contains(&day) {
            false
        } else if year.makeup_workdays.contains(&day) {
            true
        } else {
            !is_weekend(day)
        })
    }

    /// The `n`-th working day counting from `start` (which counts itself when it is a working
    /// day): the last day of a period of `n` working days that begins on `start`.
    pub fn nth_working_day_from(
        &self,
        start: NaiveDate,
        n: u32,
    ) -> Result<NaiveDate, CalendarError> {
        let mut day = start;
        let mut counted = 0;
        loop {
            if self.is_working_day(day)? {
                counted += 1;
                if counted >= n.max(1) {
                    return Ok(day);
                }
            }
            day = day
                .succ_opt()
                .ok_or(CalendarError::YearNotConfigured(day.year() + 1))?;
        }
    }

    /// Working days from `start` to `end`, both included (0 when `end` is earlier).
    pub fn working_days_between(
        &self,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<u32, CalendarError> {
        let mut count = 0;
        let mut day = start;
        while day <= end {
            count += u32::from(self.is_working_day(day)?);
            day = match day.succ_opt() {
                Some(next) => next,
                None => break,
            };
        }
        Ok(count)
    }
}

#[cfg(all(test, feature = "toml"))]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        crate::parse_date(text).unwrap()
    }

    #[test]
    fn shipped_calendar_loads_and_covers_2025_and_2026() {
        let calendar = WorkCalendar::builtin().unwrap();
        assert_eq!(calendar.years().collect::<Vec<_>>(), vec![2025, 2026]);
    }

    #[test]
    fn holidays_weekends_and_makeup_days_are_classified() {
        let c = WorkCalendar::builtin().unwrap();
        assert!(
            !c.is_working_day(d("2026-10-05")).unwrap(),
            "National Day holiday, a Monday"
        );
        assert!(
            c.is_working_day(d("2026-10-10")).unwrap(),
            "make-up working Saturday"
        );
        assert!(
            !c.is_working_day(d("2026-11-21")).unwrap(),
            "an ordinary Saturday"
        );
        assert!(
            c.is_working_day(d("2026-11-23")).unwrap(),
            "an ordinary Monday"
        );
        assert_eq!(
            c.is_working_day(d("2031-01-06")),
            Err(CalendarError::YearNotConfigured(2031))
        );
    }

    #[test]
    fn five_working_days_of_publicity_skip_the_national_day_week() {
        let c = WorkCalendar::builtin().unwrap();
        // Starts Tue 29 Sep 2026: 29 and 30 Sep, the holiday 1–7 Oct, then Thu 8, Fri 9 and the
        // make-up Saturday 10 Oct.
        assert_eq!(
            c.nth_working_day_from(d("2026-09-29"), 5).unwrap(),
            d("2026-10-10")
        );
        // Starting Mon 28 Sep 2026, the fourth working day is Thu 8 Oct.
        assert_eq!(
            c.nth_working_day_from(d("2026-09-28"), 4).unwrap(),
            d("2026-10-08")
        );
        // A period starting on a Saturday begins counting on Monday.
        assert_eq!(
            c.nth_working_day_from(d("2026-11-21"), 5).unwrap(),
            d("2026-11-27")
        );
        assert_eq!(
            c.working_days_between(d("2026-11-23"), d("2026-11-27"))
                .unwrap(),
            5
        );
        assert_eq!(
            c.working_days_between(d("2026-11-27"), d("2026-11-23"))
                .unwrap(),
            0
        );
    }

    #[test]
    fn a_period_running_into_an_unannounced_year_is_an_error() {
        let c = WorkCalendar::builtin().unwrap();
        assert_eq!(
            c.nth_working_day_from(d("2026-12-28"), 10),
            Err(CalendarError::YearNotConfigured(2027))
        );
    }

    #[test]
    fn broken_calendars_are_refused_with_the_path() {
        let both = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2026-10-10\"]\nmakeup_workdays = [\"2026-10-10\"]\n";
        assert!(
            matches!(WorkCalendar::from_toml("c.toml", both), Err(CalendarError::Invalid { path, .. }) if path == "year[0]")
        );
        let wrong_year = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2025-10-01\"]\nmakeup_workdays = []\n";
        assert!(
            matches!(WorkCalendar::from_toml("c.toml", wrong_year), Err(CalendarError::Invalid { path, .. }) if path == "year[0].holidays[0]")
        );
        let weekday = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = []\nmakeup_workdays = [\"2026-11-23\"]\n";
        assert!(WorkCalendar::from_toml("c.toml", weekday).is_err());
        let not_a_date = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2026-02-30\"]\nmakeup_workdays = []\n";
        assert!(WorkCalendar::from_toml("c.toml", not_a_date).is_err());
    }
}
