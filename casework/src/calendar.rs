//! The working-day calendar in force (POLICY §8): the years shipped in
//! `rules/data/calendar.toml` with the years administrators entered (`store::calendar`) laid
//! over them, held by the RuleBook. A provincial administrator enters a year (the State
//! Council's notice, its holidays and make-up working days) when it is announced, so a new year
//! reaches a deployment without a release; every instance reads the stored years again each
//! minute ([`refresh`]), so one entered on another instance is in force here within a minute.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use rules::{EntryProblem, WorkCalendar, YearEntry};
use store::workflow::Role;

use crate::dossier::Who;
use crate::rulebook::RuleBook;

/// From this month on, the administrators' pages warn while next year's calendar is missing
/// (the State Council announces it in the autumn; a product default, not policy).
pub const WARN_FROM_MONTH: u32 = 11;

/// Where a year of the calendar in force comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The file shipped with the release.
    Shipped,
    /// Entered by an administrator (laid over a shipped year of the same number).
    Entered { by: i64, at: DateTime<Utc> },
}

/// A year of the calendar in force and where it comes from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Year {
    pub entry: YearEntry,
    pub origin: Origin,
}

/// Why a year was not saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    /// Only a provincial administrator enters the calendar.
    #[error("not a provincial administrator")]
    NotAllowed,
    /// Every problem of the entry, at once.
    #[error("the year has {} problems", .0.len())]
    Problems(Vec<EntryProblem>),
    #[error(transparent)]
    Store(#[from] store::StoreError),
}

/// The calendar in force: the shipped years with the stored ones laid over them. A stored year
/// that does not pass its checks (written by hand into the database) is logged and left out.
pub async fn in_force(db: &store::Db) -> Result<(WorkCalendar, Vec<Year>), store::StoreError> {
    let mut calendar = WorkCalendar::builtin().unwrap_or_default();
    let mut years: Vec<Year> = calendar
        .years()
        .filter_map(|y| calendar.entry(y))
        .map(|entry| Year {
            entry,
            origin: Origin::Shipped,
        })
        .collect();
    for stored in store::calendar::all(db).await? {
        let year = stored.entry.year;
        match calendar.insert(stored.entry.clone()) {
            Ok(()) => {
                years.retain(|y| y.entry.year != year);
                years.push(Year {
                    entry: stored.entry,
                    origin: Origin::Entered {
                        by: stored.entered_by,
                        at: stored.entered_at,
                    },
                });
            }
            Err(problems) => {
                tracing::error!(
                    year,
                    ?problems,
                    "a stored calendar year does not pass its checks"
                )
            }
        }
    }
    years.sort_by_key(|y| y.entry.year);
    Ok((calendar, years))
}

/// Reads the stored years again and puts the calendar in force in `book` when it changed;
/// answers whether it did.
pub async fn refresh(book: &RuleBook, db: &store::Db) -> Result<bool, store::StoreError> {
    let (calendar, _) = in_force(db).await?;
    if *book.calendar() == calendar {
        return Ok(false);
    }
    book.set_calendar(calendar);
    Ok(true)
}

/// Enters (or replaces) a year: `who` must be a provincial administrator, the entry must have no
/// problem (all of them are answered at once); the year is stored with its audit entry and is in
/// force in `book` at once.
pub async fn save(
    db: &store::Db,
    book: &RuleBook,
    who: &Who,
    entry: YearEntry,
) -> Result<(), SaveError> {
    if !who
        .grants
        .iter()
        .any(|g| g.role() == Some(Role::ProvincialAdmin))
    {
        return Err(SaveError::NotAllowed);
    }
    let problems = entry.problems();
    if !problems.is_empty() {
        return Err(SaveError::Problems(problems));
    }
    store::calendar::save(db, &entry, who.account_id, &who.label, Utc::now()).await?;
    refresh(book, db).await?;
    Ok(())
}

/// The year whose calendar the administrators must enter now, if any: this year's while it is
/// missing, and from [`WARN_FROM_MONTH`] on next year's.
pub fn missing_year(calendar: &WorkCalendar, today: NaiveDate) -> Option<i32> {
    let year = today.year();
    if !calendar.covers(year) {
        Some(year)
    } else if today.month() >= WARN_FROM_MONTH && !calendar.covers(year + 1) {
        Some(year + 1)
    } else {
        None
    }
}

/// The most days one range of the form (`2027-10-01..2027-10-07`) may span.
const MAX_RANGE_DAYS: i64 = 31;

/// The days a form's list names, and the pieces that are not days. Days are ISO dates separated
/// by spaces, new lines, commas or 、; a range `2027-10-01..2027-10-07` (or `~`, or `至`) names
/// each day from the first to the last (at most [`MAX_RANGE_DAYS`]).
pub fn parse_days(text: &str) -> (Vec<NaiveDate>, Vec<String>) {
    let mut days = Vec::new();
    let mut bad = Vec::new();
    let pieces = text
        .split(|c: char| c.is_whitespace() || matches!(c, ',' | '，' | '、' | ';' | '；'))
        .filter(|p| !p.is_empty());
    for piece in pieces {
        let range = ["..", "~", "～", "至"]
            .iter()
            .find_map(|sep| piece.split_once(sep));
        match range {
            None => match rules::parse_date(piece) {
                Some(day) => days.push(day),
                None => bad.push(piece.to_owned()),
            },
            Some((from, to)) => match (rules::parse_date(from), rules::parse_date(to)) {
                (Some(from), Some(to)) if from <= to && (to - from).num_days() < MAX_RANGE_DAYS => {
                    days.extend(from.iter_days().take_while(|d| *d <= to));
                }
                _ => bad.push(piece.to_owned()),
            },
        }
    }
    (days, bad)
}

/// The kind of day a row of a calendar file names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayKind {
    Holiday,
    MakeupWorkday,
}

impl DayKind {
    fn of(cell: &str) -> Option<DayKind> {
        let cell = cell.trim();
        let any = |names: &[&str]| names.iter().any(|n| cell.eq_ignore_ascii_case(n));
        if any(&["放假", "休", "holiday"]) {
            Some(DayKind::Holiday)
        } else if any(&[
            "调休上班",
            "上班",
            "班",
            "makeup_workday",
            "makeup",
            "workday",
        ]) {
            Some(DayKind::MakeupWorkday)
        } else {
            None
        }
    }

    /// The cell written for the kind.
    fn cell(self) -> &'static str {
        match self {
            DayKind::Holiday => "放假",
            DayKind::MakeupWorkday => "调休上班",
        }
    }
}

/// The columns of a calendar file: (key, Chinese name); each header cell `{zh} {key}`, or
/// either half alone.
pub const COLUMNS: [(&str, &str); 2] = [("date", "日期"), ("kind", "类别")];

/// What is wrong with a row of a calendar file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RowProblem {
    /// The date cell is not an ISO date (its text).
    NotADate(String),
    /// The kind is neither a holiday nor a make-up working day (its text).
    UnknownKind(String),
}

/// A calendar file read: the days of its good rows, and its bad rows with their numbers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRead {
    pub holidays: Vec<NaiveDate>,
    pub makeup_workdays: Vec<NaiveDate>,
    pub refused: Vec<(usize, Vec<RowProblem>)>,
}

impl FileRead {
    /// The year most of its days are in (the one the form is filled for).
    pub fn year(&self) -> Option<i32> {
        let mut counts = std::collections::BTreeMap::new();
        for day in self.holidays.iter().chain(&self.makeup_workdays) {
            *counts.entry(day.year()).or_insert(0) += 1;
        }
        counts.into_iter().max_by_key(|(_, n)| *n).map(|(y, _)| y)
    }
}

fn column_of(cell: &str) -> Option<&'static str> {
    let cell = cell.trim().trim_start_matches('\u{feff}').trim();
    COLUMNS.iter().find_map(|(key, zh)| {
        let matches = cell.eq_ignore_ascii_case(key)
            || cell == *zh
            || cell
                .split_once(char::is_whitespace)
                .is_some_and(|(a, b)| a == *zh && b.trim().eq_ignore_ascii_case(key));
        matches.then_some(*key)
    })
}

/// Reads a calendar file (CSV in UTF-8 or XLSX, the pool files' limits): a header naming the
/// columns `date` and `kind`, then one day a row. Bad rows are listed and never stop the good.
pub fn read_file(bytes: &[u8]) -> Result<FileRead, crate::pool_file::FileError> {
    use crate::pool_file::{FileError, MAX_ROWS};
    let rows = crate::pool_file::text_rows(bytes)?;
    let mut rows = rows
        .into_iter()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()));
    let (_, header) = rows.next().ok_or(FileError::Empty)?;
    let mut at: [Option<usize>; 2] = [None, None];
    for (i, cell) in header.iter().enumerate() {
        if cell.trim().is_empty() {
            continue;
        }
        let key = column_of(cell).ok_or_else(|| FileError::UnknownColumn(cell.trim().into()))?;
        let slot = if key == "date" { 0 } else { 1 };
        if at[slot].replace(i).is_some() {
            return Err(FileError::DuplicateColumn(key));
        }
    }
    let [Some(date_at), Some(kind_at)] = at else {
        return Err(FileError::MissingColumn(if at[0].is_none() {
            "date"
        } else {
            "kind"
        }));
    };
    let mut read = FileRead::default();
    for (count, (row, cells)) in rows.enumerate() {
        if count >= MAX_ROWS {
            return Err(FileError::TooManyRows { max: MAX_ROWS });
        }
        let cell = |i: usize| cells.get(i).map(|c| c.trim()).unwrap_or("");
        let day = rules::parse_date(cell(date_at));
        let kind = DayKind::of(cell(kind_at));
        let mut problems = Vec::new();
        if day.is_none() {
            problems.push(RowProblem::NotADate(cell(date_at).to_owned()));
        }
        if kind.is_none() {
            problems.push(RowProblem::UnknownKind(cell(kind_at).to_owned()));
        }
        match (day, kind) {
            (Some(day), Some(DayKind::Holiday)) => read.holidays.push(day),
            (Some(day), Some(DayKind::MakeupWorkday)) => read.makeup_workdays.push(day),
            _ => read.refused.push((row, problems)),
        }
    }
    Ok(read)
}

/// A year as a CSV file [`read_file`] reads back: a UTF-8 BOM, the header, a row per day (the
/// holidays, then the make-up working days).
pub fn write_csv(entry: Option<&YearEntry>) -> Vec<u8> {
    let mut out = String::from("\u{feff}");
    let head: Vec<String> = COLUMNS
        .iter()
        .map(|(key, zh)| crate::pool_file::header(key, zh))
        .collect();
    out.push_str(&head.join(","));
    out.push_str("\r\n");
    if let Some(entry) = entry {
        for (kind, days) in [
            (DayKind::Holiday, &entry.holidays),
            (DayKind::MakeupWorkday, &entry.makeup_workdays),
        ] {
            for day in days {
                out.push_str(&format!("{day},{}\r\n", kind.cell()));
            }
        }
    }
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_missing_year_is_named_from_november_on() {
        let shipped = WorkCalendar::builtin().unwrap();
        assert_eq!(missing_year(&shipped, d("2026-10-31")), None);
        assert_eq!(missing_year(&shipped, d("2026-11-01")), Some(2027));
        assert_eq!(missing_year(&shipped, d("2026-12-31")), Some(2027));
        assert_eq!(missing_year(&shipped, d("2025-11-30")), None);
        assert_eq!(missing_year(&shipped, d("2027-03-01")), Some(2027));
        let mut with_2027 = shipped.clone();
        with_2027
            .insert(YearEntry {
                year: 2027,
                source: "通知".into(),
                holidays: vec![d("2027-01-01")],
                makeup_workdays: vec![],
            })
            .unwrap();
        assert_eq!(missing_year(&with_2027, d("2026-12-01")), None);
        assert_eq!(missing_year(&with_2027, d("2027-11-01")), Some(2028));
    }

    #[test]
    fn a_list_reads_days_and_ranges_and_names_what_is_not_a_day() {
        let (days, bad) = parse_days("2027-01-01\n2027-02-05..2027-02-07，2027-10-01至2027-10-02 2027-02-30 x 2027-03-09..2027-03-01");
        assert_eq!(
            days,
            [
                "2027-01-01",
                "2027-02-05",
                "2027-02-06",
                "2027-02-07",
                "2027-10-01",
                "2027-10-02"
            ]
            .map(d)
            .to_vec()
        );
        assert_eq!(bad, vec!["2027-02-30", "x", "2027-03-09..2027-03-01"]);
        let (_, bad) = parse_days("2027-01-01..2027-03-01");
        assert_eq!(bad.len(), 1, "a range longer than a month is refused");
    }

    #[test]
    fn a_file_round_trips_and_its_bad_rows_are_listed_with_their_numbers() {
        let entry = YearEntry {
            year: 2026,
            source: "通知".into(),
            holidays: vec![d("2026-01-01"), d("2026-01-02")],
            makeup_workdays: vec![d("2026-01-04")],
        };
        let bytes = write_csv(Some(&entry));
        assert!(bytes.starts_with(b"\xef\xbb\xbf"));
        let read = read_file(&bytes).unwrap();
        assert_eq!(read.holidays, entry.holidays);
        assert_eq!(read.makeup_workdays, entry.makeup_workdays);
        assert!(read.refused.is_empty());
        assert_eq!(read.year(), Some(2026));

        let file =
            "kind,date\nholiday,2027-01-01\n\n休,2027-02-30\nwork,2027-02-20\n班,2027-02-20\n";
        let read = read_file(file.as_bytes()).unwrap();
        assert_eq!(read.holidays, vec![d("2027-01-01")]);
        assert_eq!(read.makeup_workdays, vec![d("2027-02-20")]);
        assert_eq!(
            read.refused,
            vec![
                (4, vec![RowProblem::NotADate("2027-02-30".into())]),
                (5, vec![RowProblem::UnknownKind("work".into())]),
            ]
        );
        use crate::pool_file::FileError;
        assert_eq!(
            read_file(b"date\n2027-01-01\n"),
            Err(FileError::MissingColumn("kind"))
        );
        assert_eq!(
            read_file(b"date,kind,when\n"),
            Err(FileError::UnknownColumn("when".into()))
        );
        assert_eq!(read_file(b""), Err(FileError::Empty));
    }
}
