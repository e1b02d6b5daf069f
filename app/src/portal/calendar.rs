//! The data of `/admin/calendar`, the working-day calendar an administrator enters a year of,
//! and of the warning the administrators' pages show while a year is missing.

use super::{Bi, FieldProblem, Notice};

/// A year of the calendar in force, as the list shows it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarYearRow {
    pub year: i32,
    pub source: String,
    pub holidays: usize,
    pub makeup_workdays: usize,
    /// Empty when shipped with the release; else when it was entered (Beijing time).
    pub entered_at: String,
    /// Who entered it (display name), when entered.
    pub entered_by: String,
}

/// What the form holds: as typed, or a year's days one per line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarForm {
    pub year: String,
    pub source: String,
    pub holidays: String,
    pub makeup_workdays: String,
}

/// `/admin/calendar`
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CalendarData {
    pub years: Vec<CalendarYearRow>,
    /// The year the administrators must enter now, if any.
    pub missing: Option<i32>,
    pub form: CalendarForm,
    /// The form's problems, every one at once.
    pub problems: Vec<FieldProblem>,
    /// A file read into the form: how many days it gave.
    pub imported: Option<usize>,
    /// The file's bad rows, one line each (`第4行：…`).
    pub import_rows: Vec<Bi>,
    /// Why the file was refused whole.
    pub import_problem: Option<FieldProblem>,
    pub notice: Option<Notice>,
}

/// The year whose holiday calendar is missing, put in the request of an administrator's page
/// (`server::web::session`) for the warning above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalendarGap(pub i32);

/// The missing year of this request, if the server found one.
pub fn use_calendar_gap() -> Option<CalendarGap> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<CalendarGap>().copied())
    }
    #[cfg(not(feature = "ssr"))]
    {
        None
    }
}
