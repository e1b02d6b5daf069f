//! `/admin/calendar`: a provincial administrator enters or changes a year of the working-day
//! calendar (`casework::calendar`), typed in the form or read from a CSV or XLSX file into it
//! first, and downloads a year as CSV. Every problem of the form is shown at once, beside its
//! field, with what was typed kept.

use axum::{
    extract::{FromRequest, Multipart, Request, State},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use rules::{EntryProblem, YearEntry};

use app::portal::calendar::{CalendarData, CalendarForm, CalendarYearRow};
use app::portal::{Bi, FieldProblem, P};
use casework::calendar::{self as cal, Origin, RowProblem, SaveError};
use casework::pool_file::FileError;

use super::extract::{Admin, TypedForm, WebError};
use super::notice::Said;
use super::{beijing_time, render};
use crate::state::AppState;

/// The form's largest body: a year's days are a few hundred bytes.
const FORM_BYTES: usize = 64 * 1024;

#[derive(serde::Deserialize, Default)]
pub struct Posted {
    #[serde(default)]
    year: String,
    #[serde(default)]
    source: String,
    #[serde(default)]
    holidays: String,
    #[serde(default)]
    makeup_workdays: String,
}

/// What the page shows beside the years: the form and what came of the last post.
#[derive(Default)]
struct Shown {
    form: CalendarForm,
    problems: Vec<FieldProblem>,
    imported: Option<usize>,
    import_rows: Vec<Bi>,
    import_problem: Option<FieldProblem>,
}

fn lines(days: &[rules::NaiveDate]) -> String {
    days.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

fn form_of(entry: &YearEntry) -> CalendarForm {
    CalendarForm {
        year: entry.year.to_string(),
        source: entry.source.clone(),
        holidays: lines(&entry.holidays),
        makeup_workdays: lines(&entry.makeup_workdays),
    }
}

async fn page(
    state: &AppState,
    mut parts: Parts,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, WebError> {
    let (_, years) = cal::in_force(&state.db).await?;
    let mut rows = Vec::with_capacity(years.len());
    for y in years {
        let (entered_at, entered_by) = match y.origin {
            Origin::Shipped => (String::new(), String::new()),
            Origin::Entered { by, at } => {
                let name = store::accounts::get(&state.db, by)
                    .await
                    .map_err(|e| WebError::Internal(e.to_string()))?
                    .map(|a| a.display_name)
                    .unwrap_or_else(|| format!("#{by}"));
                (beijing_time(at), name)
            }
        };
        rows.push(CalendarYearRow {
            year: y.entry.year,
            source: y.entry.source,
            holidays: y.entry.holidays.len(),
            makeup_workdays: y.entry.makeup_workdays.len(),
            entered_at,
            entered_by,
        });
    }
    let data = CalendarData {
        years: rows,
        missing: cal::missing_year(&state.book.calendar(), state.book.today()),
        form: shown.form,
        problems: shown.problems,
        imported: shown.imported,
        import_rows: shown.import_rows,
        import_problem: shown.import_problem,
        notice: Said::from_query(parts.uri.query()),
    };
    // A file read (`/admin/calendar/import`) shows the calendar's page.
    if parts.uri.path() != "/admin/calendar" {
        parts.uri = http::Uri::from_static("/admin/calendar");
    }
    Ok(render(state, parts, data, status).await)
}

/// `?year=`: the year the form opens on.
#[derive(serde::Deserialize, Default)]
struct Query {
    #[serde(default)]
    year: String,
}

fn query(parts: &Parts) -> Query {
    serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default()
}

/// `GET /admin/calendar?year=`: the years in force and the form, filled with the year asked for
/// when the calendar has it (else empty, with that year typed in).
pub async fn calendar_page(
    State(state): State<AppState>,
    Admin(_): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let asked = query(&parts).year.trim().to_owned();
    let form = match asked
        .parse::<i32>()
        .ok()
        .and_then(|y| state.book.calendar().entry(y))
    {
        Some(entry) => form_of(&entry),
        None => CalendarForm {
            year: asked.chars().filter(char::is_ascii_digit).take(4).collect(),
            ..CalendarForm::default()
        },
    };
    let shown = Shown {
        form,
        ..Shown::default()
    };
    page(&state, parts, shown, StatusCode::OK).await
}

fn entry_problem(p: &EntryProblem, year: i32) -> FieldProblem {
    let field = p.field().name();
    let day = p.day().map(|d| d.to_string()).unwrap_or_default();
    let year = year.to_string();
    let message = match p {
        EntryProblem::YearOutOfRange => {
            let (min, max) = (rules::CALENDAR_YEARS.start(), rules::CALENDAR_YEARS.end());
            return FieldProblem::new(field, P::ErrCalendarYear)
                .with(&[("min", &min.to_string()), ("max", &max.to_string())]);
        }
        EntryProblem::SourceMissing => P::ErrCalendarSource,
        EntryProblem::NoHolidays => P::ErrCalendarNoHolidays,
        EntryProblem::NotInYear { .. } => P::ErrCalendarNotInYear,
        EntryProblem::Twice { .. } => P::ErrCalendarTwice,
        EntryProblem::Both { .. } => P::ErrCalendarBoth,
        EntryProblem::MakeupOnWeekday { .. } => P::ErrCalendarWeekday,
    };
    FieldProblem::new(field, message).with(&[("day", &day), ("year", &year)])
}

/// The form read into an entry, and every problem it has: the pieces that are not dates first,
/// then what `rules` finds wrong with the year.
fn read_form(posted: &Posted) -> (YearEntry, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    let year_text = posted.year.trim();
    let year = year_text.parse::<i32>().ok();
    let mut days = |field: &str, text: &str| {
        let (days, bad) = cal::parse_days(text);
        for piece in bad {
            let piece: String = piece.chars().take(40).collect();
            problems
                .push(FieldProblem::new(field, P::ErrCalendarNotADate).with(&[("value", &piece)]));
        }
        days
    };
    let holidays = days("holidays", &posted.holidays);
    let makeup_workdays = days("makeup_workdays", &posted.makeup_workdays);
    let entry = YearEntry {
        year: year.unwrap_or(0),
        source: posted.source.trim().to_owned(),
        holidays,
        makeup_workdays,
    };
    let mut checked: Vec<FieldProblem> = entry
        .problems()
        .iter()
        // Without a year, the days cannot be placed in it: the year's own problem says enough.
        .filter(|p| year.is_some() || !matches!(p, EntryProblem::NotInYear { .. }))
        .map(|p| entry_problem(p, entry.year))
        .collect();
    checked.extend(problems);
    // In the order of the form's fields, so the summary reads top to bottom.
    let order = ["year", "source", "holidays", "makeup_workdays"];
    checked.sort_by_key(|p| order.iter().position(|f| *f == p.field));
    (entry, checked)
}

/// `POST /admin/calendar` (`year`, `source`, `holidays`, `makeup_workdays`): the year saved and
/// in force at once, or the form again with every problem.
pub async fn save(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(posted) = TypedForm::<Posted>::read(body, FORM_BYTES).await?;
    let (entry, mut problems) = read_form(&posted);
    if problems.is_empty() {
        match cal::save(&state.db, &state.book, &admin.who(), entry).await {
            Ok(()) => return Ok(Said::CalendarSaved.on("/admin/calendar")),
            Err(SaveError::Problems(found)) => {
                let year = posted.year.trim().parse().unwrap_or(0);
                problems = found.iter().map(|p| entry_problem(p, year)).collect();
            }
            Err(SaveError::NotAllowed) => return Err(WebError::NotFound),
            Err(SaveError::Store(e)) => return Err(e.into()),
        }
    }
    let shown = Shown {
        form: CalendarForm {
            year: posted.year,
            source: posted.source,
            holidays: posted.holidays,
            makeup_workdays: posted.makeup_workdays,
        },
        problems,
        ..Shown::default()
    };
    page(&state, parts, shown, StatusCode::UNPROCESSABLE_ENTITY).await
}

fn file_problem(e: &FileError) -> FieldProblem {
    let problem = |msg: P, value: String| FieldProblem::new("file", msg).with(&[("value", &value)]);
    let header = |key: &str| {
        cal::COLUMNS
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(k, zh)| casework::pool_file::header(k, zh))
            .unwrap_or_else(|| key.to_owned())
    };
    match e {
        FileError::TooLarge { max_bytes } => FieldProblem::new("file", P::ErrImportTooLarge)
            .with(&[("max", &app::portal::megabytes(*max_bytes as u64))]),
        FileError::TooManyRows { max } => {
            FieldProblem::new("file", P::ErrImportTooManyRows).with(&[("max", &max.to_string())])
        }
        FileError::Unreadable => FieldProblem::new("file", P::ErrImportUnreadable),
        FileError::Empty => FieldProblem::new("file", P::ErrImportEmpty),
        FileError::UnknownColumn(v) => problem(P::ErrImportUnknownColumn, v.clone()),
        FileError::MissingColumn(k) => problem(P::ErrImportMissingColumn, header(k)),
        FileError::DuplicateColumn(k) => problem(P::ErrImportDuplicateColumn, header(k)),
    }
}

/// A bad row as the page lists it: "第4行：“2027-02-30”不是日期…".
fn row_line(row: usize, problems: &[RowProblem]) -> Bi {
    let texts: Vec<FieldProblem> = problems
        .iter()
        .map(|p| match p {
            RowProblem::NotADate(v) => {
                FieldProblem::new("file", P::ErrCalendarNotADate).with(&[("value", v)])
            }
            RowProblem::UnknownKind(v) => {
                FieldProblem::new("file", P::ErrCalendarKind).with(&[("value", v)])
            }
        })
        .collect();
    let join = |zh: bool| {
        texts
            .iter()
            .map(|t| if zh { t.zh.as_str() } else { t.en.as_str() })
            .collect::<Vec<_>>()
            .join(if zh { "；" } else { "; " })
    };
    let row = row.to_string();
    let fill =
        |template: &str, text: String| template.replace("{row}", &row).replace("{problem}", &text);
    Bi::new(
        fill(P::RowProblem.zh(), join(true)),
        fill(P::RowProblem.en(), join(false)),
    )
}

/// The uploaded file (at most one byte past the pool files' limit), or `None` when none was
/// chosen; a form cut short is refused whole.
async fn uploaded(mut multipart: Multipart) -> Result<Option<Vec<u8>>, WebError> {
    let cut = |_| WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormIncomplete);
    let mut file = None;
    while let Some(mut part) = multipart.next_field().await.map_err(cut)? {
        if part.name() != Some("file") {
            continue;
        }
        let named = part.file_name().is_some_and(|n| !n.is_empty());
        let mut bytes = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(cut)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > casework::pool_file::MAX_FILE_BYTES {
                break;
            }
        }
        if named || !bytes.is_empty() {
            file = Some(bytes);
        }
    }
    Ok(file)
}

/// `POST /admin/calendar/import` (multipart, `file`): the file's days read into the form for
/// the administrator to check, name the notice and save; its bad rows listed. Nothing is saved.
pub async fn import(
    State(state): State<AppState>,
    Admin(_): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
        .map_err(|_| WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable))?;
    let read = match uploaded(multipart).await? {
        None => Err(FieldProblem::new("file", P::ErrImportNoFile)),
        Some(bytes) => cal::read_file(&bytes).map_err(|e| file_problem(&e)),
    };
    let (shown, status) = match read {
        Err(problem) => (
            Shown {
                import_problem: Some(problem),
                ..Shown::default()
            },
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        Ok(read) => {
            let year = read.year();
            // A year already in force keeps its notice, so a corrected file needs no retyping.
            let source = year
                .and_then(|y| state.book.calendar().entry(y))
                .map(|e| e.source)
                .unwrap_or_default();
            let shown = Shown {
                form: CalendarForm {
                    year: year.map(|y| y.to_string()).unwrap_or_default(),
                    source,
                    holidays: lines(&read.holidays),
                    makeup_workdays: lines(&read.makeup_workdays),
                },
                imported: Some(read.holidays.len() + read.makeup_workdays.len()),
                import_rows: read
                    .refused
                    .iter()
                    .map(|(row, problems)| row_line(*row, problems))
                    .collect(),
                ..Shown::default()
            };
            let status = if shown.import_rows.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            (shown, status)
        }
    };
    page(&state, parts, shown, status).await
}

/// `GET /admin/calendar/export?year=`: the year in force as CSV; without a year (or for one
/// the calendar lacks), the template: the header alone.
pub async fn export(
    State(state): State<AppState>,
    Admin(_): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let year = query(&parts).year.trim().parse::<i32>().ok();
    let entry = year.and_then(|y| state.book.calendar().entry(y));
    let name = match &entry {
        Some(e) => format!("calendar-{}.csv", e.year),
        None => "calendar-template.csv".to_owned(),
    };
    Ok((
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        cal::write_csv(entry.as_ref()),
    )
        .into_response())
}

/// The year a provincial administrator must enter now, for the warning above their pages.
pub(crate) fn gap(
    state: &AppState,
    grants: &[store::accounts::Grant],
) -> Option<app::portal::calendar::CalendarGap> {
    let admin = grants
        .iter()
        .any(|g| g.role() == Some(store::workflow::Role::ProvincialAdmin));
    if !admin {
        return None;
    }
    cal::missing_year(&state.book.calendar(), state.book.today())
        .map(app::portal::calendar::CalendarGap)
}
