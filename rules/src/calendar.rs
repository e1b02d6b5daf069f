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

/// The years a calendar may hold (a form's sanity limit, not policy).
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2099;

/// One year's announced calendar as an administrator enters it (or the shipped file holds it):
/// the year, the notice it comes from, its public holidays and its make-up working days.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct YearEntry {
    pub year: i32,
    pub source: String,
    pub holidays: Vec<NaiveDate>,
    pub makeup_workdays: Vec<NaiveDate>,
}

/// The part of a [`YearEntry`] a problem is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryField {
    Year,
    Source,
    Holidays,
    MakeupWorkdays,
}

impl EntryField {
    /// The field's name in a form and in the calendar file.
    pub fn name(self) -> &'static str {
        match self {
            EntryField::Year => "year",
            EntryField::Source => "source",
            EntryField::Holidays => "holidays",
            EntryField::MakeupWorkdays => "makeup_workdays",
        }
    }
}

/// What is wrong with a year's entry; [`YearEntry::problems`] gives every one at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryProblem {
    /// The year is outside [`YEARS`].
    YearOutOfRange,
    /// No notice is named.
    SourceMissing,
    /// No public holiday is listed (every announced year has some).
    NoHolidays,
    /// A day in the list is not in the entry's year.
    NotInYear { field: EntryField, day: NaiveDate },
    /// A day appears twice in the list.
    Twice { field: EntryField, day: NaiveDate },
    /// A day is both a holiday and a make-up working day.
    Both { day: NaiveDate },
    /// A make-up working day falls on a weekday, which is a working day already.
    MakeupOnWeekday { day: NaiveDate },
}

impl EntryProblem {
    /// The field the problem is in.
    pub fn field(&self) -> EntryField {
        match self {
            EntryProblem::YearOutOfRange => EntryField::Year,
            EntryProblem::SourceMissing => EntryField::Source,
            EntryProblem::NoHolidays => EntryField::Holidays,
            EntryProblem::NotInYear { field, .. } | EntryProblem::Twice { field, .. } => *field,
            EntryProblem::Both { .. } | EntryProblem::MakeupOnWeekday { .. } => {
                EntryField::MakeupWorkdays
            }
        }
    }

    /// The day the problem is about, if it is about one.
    pub fn day(&self) -> Option<NaiveDate> {
        match self {
            EntryProblem::NotInYear { day, .. }
            | EntryProblem::Twice { day, .. }
            | EntryProblem::Both { day }
            | EntryProblem::MakeupOnWeekday { day } => Some(*day),
            _ => None,
        }
    }
}

impl std::fmt::Display for EntryProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EntryProblem::YearOutOfRange => write!(f, "the year is outside {YEARS:?}"),
            EntryProblem::SourceMissing => write!(f, "the notice is not named"),
            EntryProblem::NoHolidays => write!(f, "no public holiday is listed"),
            EntryProblem::NotInYear { day, .. } => write!(f, "{day} is not in the year"),
            EntryProblem::Twice { day, .. } => write!(f, "{day} appears twice"),
            EntryProblem::Both { day } => {
                write!(f, "{day} is both a holiday and a make-up working day")
            }
            EntryProblem::MakeupOnWeekday { day } => write!(f, "{day} is a weekday already"),
        }
    }
}

impl YearEntry {
    /// Every problem of the entry, in the order of its fields: the year within [`YEARS`], a
    /// notice named, at least one holiday, each day inside the year and listed once, no day
    /// both a holiday and a make-up day, make-up days on weekends.
    pub fn problems(&self) -> Vec<EntryProblem> {
        let mut problems = Vec::new();
        if !YEARS.contains(&self.year) {
            problems.push(EntryProblem::YearOutOfRange);
        }
        if self.source.trim().is_empty() {
            problems.push(EntryProblem::SourceMissing);
        }
        if self.holidays.is_empty() {
            problems.push(EntryProblem::NoHolidays);
        }
        for (field, days) in [
            (EntryField::Holidays, &self.holidays),
            (EntryField::MakeupWorkdays, &self.makeup_workdays),
        ] {
            let mut seen = BTreeSet::new();
            for day in days {
                if day.year() != self.year {
                    problems.push(EntryProblem::NotInYear { field, day: *day });
                } else if !seen.insert(*day) {
                    problems.push(EntryProblem::Twice { field, day: *day });
                }
            }
        }
        let holidays: BTreeSet<NaiveDate> = self.holidays.iter().copied().collect();
        let mut reported = BTreeSet::new();
        for day in &self.makeup_workdays {
            if !reported.insert(*day) {
                continue;
            }
            if holidays.contains(day) {
                problems.push(EntryProblem::Both { day: *day });
            } else if !is_weekend(*day) {
                problems.push(EntryProblem::MakeupOnWeekday { day: *day });
            }
        }
        problems
    }
}

impl WorkCalendar {
    /// The calendar shipped in `rules/data/calendar.toml`.
    #[cfg(feature = "toml")]
    pub fn builtin() -> Result<WorkCalendar, CalendarError> {
        WorkCalendar::from_toml("calendar.toml", include_str!("../data/calendar.toml"))
    }

    /// Parses and checks a calendar file with [`YearEntry::problems`] (the first problem is the
    /// error, with its path); each year appears once.
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
            let days = |list: &[String], field: &str| -> Result<Vec<NaiveDate>, CalendarError> {
                list.iter()
                    .enumerate()
                    .map(|(j, text)| {
                        crate::parse_date(text).ok_or_else(|| {
                            invalid(
                                format!("year[{i}].{field}[{j}]"),
                                format!("{text:?} is not a date"),
                            )
                        })
                    })
                    .collect()
            };
            let year = YearEntry {
                year: entry.year,
                source: entry.source,
                holidays: days(&entry.holidays, "holidays")?,
                makeup_workdays: days(&entry.makeup_workdays, "makeup_workdays")?,
            };
            if let Some(problem) = year.problems().first() {
                let field = problem.field();
                let list = match field {
                    EntryField::Holidays => &year.holidays,
                    EntryField::MakeupWorkdays => &year.makeup_workdays,
                    _ => &Vec::new(),
                };
                let path = match problem
                    .day()
                    .and_then(|d| list.iter().rposition(|x| *x == d))
                {
                    Some(j) => format!("year[{i}].{}[{j}]", field.name()),
                    None => format!("year[{i}].{}", field.name()),
                };
                return Err(invalid(path, problem.to_string()));
            }
            if calendar.years.contains_key(&year.year) {
                return Err(invalid(
                    format!("year[{i}].year"),
                    format!("{} appears twice", year.year),
                ));
            }
            calendar.put(year);
        }
        Ok(calendar)
    }

    /// Adds `entry`'s year, or replaces the year it names, once it has no problem; else every
    /// problem it has, and the calendar is left as it was.
    pub fn insert(&mut self, entry: YearEntry) -> Result<(), Vec<EntryProblem>> {
        let problems = entry.problems();
        if !problems.is_empty() {
            return Err(problems);
        }
        self.put(entry);
        Ok(())
    }

    fn put(&mut self, entry: YearEntry) {
        self.years.insert(
            entry.year,
            Year {
                holidays: entry.holidays.into_iter().collect(),
                makeup_workdays: entry.makeup_workdays.into_iter().collect(),
                source: entry.source,
            },
        );
    }

    /// A year as entered: its notice, its holidays and make-up days in order.
    pub fn entry(&self, year: i32) -> Option<YearEntry> {
        self.years.get(&year).map(|y| YearEntry {
            year,
            source: y.source.clone(),
            holidays: y.holidays.iter().copied().collect(),
            makeup_workdays: y.makeup_workdays.iter().copied().collect(),
        })
    }

    /// Whether the calendar covers `year`.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
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
            matches!(WorkCalendar::from_toml("c.toml", both), Err(CalendarError::Invalid { path, .. }) if path == "year[0].makeup_workdays[0]")
        );
        let wrong_year = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2025-10-01\"]\nmakeup_workdays = []\n";
        assert!(
            matches!(WorkCalendar::from_toml("c.toml", wrong_year), Err(CalendarError::Invalid { path, .. }) if path == "year[0].holidays[0]")
        );
        let weekday = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = []\nmakeup_workdays = [\"2026-11-23\"]\n";
        assert!(WorkCalendar::from_toml("c.toml", weekday).is_err());
        let not_a_date = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2026-02-30\"]\nmakeup_workdays = []\n";
        assert!(WorkCalendar::from_toml("c.toml", not_a_date).is_err());
        let twice = "[[year]]\nyear = 2026\nsource = \"x\"\nholidays = [\"2026-10-01\", \"2026-10-01\"]\nmakeup_workdays = []\n";
        assert!(
            matches!(WorkCalendar::from_toml("c.toml", twice), Err(CalendarError::Invalid { path, .. }) if path == "year[0].holidays[1]")
        );
    }

    fn entry(holidays: &[&str], makeup: &[&str]) -> YearEntry {
        YearEntry {
            year: 2027,
            source: "国务院办公厅关于2027年部分节假日安排的通知".into(),
            holidays: holidays.iter().map(|t| d(t)).collect(),
            makeup_workdays: makeup.iter().map(|t| d(t)).collect(),
        }
    }

    #[test]
    fn an_entry_reports_every_problem_at_once_with_its_field() {
        let mut bad = entry(
            &["2027-01-01", "2027-01-01", "2026-12-31", "2027-02-06"],
            &["2027-02-06", "2027-02-08", "2027-02-20"],
        );
        bad.source = "  ".into();
        let problems = bad.problems();
        assert_eq!(
            problems,
            vec![
                EntryProblem::SourceMissing,
                EntryProblem::Twice {
                    field: EntryField::Holidays,
                    day: d("2027-01-01")
                },
                EntryProblem::NotInYear {
                    field: EntryField::Holidays,
                    day: d("2026-12-31")
                },
                EntryProblem::Both {
                    day: d("2027-02-06")
                },
                // Mon 8 Feb 2027 is a working day already.
                EntryProblem::MakeupOnWeekday {
                    day: d("2027-02-08")
                },
            ]
        );
        assert_eq!(problems[3].field(), EntryField::MakeupWorkdays);
        let empty = YearEntry {
            year: 1999,
            ..YearEntry::default()
        };
        assert_eq!(
            empty.problems(),
            vec![
                EntryProblem::YearOutOfRange,
                EntryProblem::SourceMissing,
                EntryProblem::NoHolidays
            ]
        );
    }

    #[test]
    fn an_entered_year_extends_the_calendar_and_a_bad_one_changes_nothing() {
        let mut c = WorkCalendar::builtin().unwrap();
        assert!(!c.covers(2027));
        assert!(c.insert(entry(&["2027-01-01"], &["2027-01-04"])).is_err());
        assert!(!c.covers(2027), "a refused entry adds nothing");
        // Sat 9 Jan 2027 as a make-up day, Fri 1 Jan as a holiday.
        c.insert(entry(&["2027-01-01"], &["2027-01-09"])).unwrap();
        assert!(c.covers(2027));
        assert!(!c.is_working_day(d("2027-01-01")).unwrap());
        assert!(c.is_working_day(d("2027-01-09")).unwrap());
        // The period that ran into 2027 now counts: ten working days from Mon 28 Dec 2026,
        // with 1 Jan off, are 28–31 Dec, 4–8 Jan and the make-up Saturday 9 Jan.
        assert_eq!(
            c.nth_working_day_from(d("2026-12-28"), 10).unwrap(),
            d("2027-01-09")
        );
        assert_eq!(
            c.entry(2027).unwrap().makeup_workdays,
            vec![d("2027-01-09")]
        );
    }
}
