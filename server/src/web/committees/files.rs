//! The pool's files: import a CSV or XLSX with a report per row (the good rows stored, the bad
//! ones listed by row and column), export both.

use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};

use app::portal::committees::ImportView;
use app::portal::{Bi, FieldProblem, P};
use casework::pool::{self, ExportFormat, PoolError, Reach, RowProblem};
use casework::pool_file::{self, CellProblem, FileError};

use super::pool::{committee_page, Shown};
use super::{entry_problem, internal, opened_as, problem, Names};
use crate::state::AppState;
use crate::web::extract::{SignedIn, WebError};

/// A column as a message names it: its Chinese name, or its English key.
fn column_names(key: &str) -> (String, String) {
    let zh = pool_file::COLUMNS
        .iter()
        .find(|(k, _)| *k == key)
        .map(|(_, zh)| (*zh).to_owned())
        .unwrap_or_else(|| key.to_owned());
    (zh, key.to_owned())
}

fn cell_problem(p: &CellProblem) -> (String, String) {
    let fill = |msg: P, column: &str, value: &str, first: &str| {
        let (zh_col, en_col) = column_names(column);
        let f = |text: &str, col: &str| {
            text.replace("{column}", col)
                .replace("{value}", value)
                .replace("{first}", first)
        };
        (f(msg.zh(), &zh_col), f(msg.en(), &en_col))
    };
    match p {
        CellProblem::NotADate { column, value } => fill(P::ErrCellDate, column, value, ""),
        CellProblem::NotYesNo { column, value } => fill(P::ErrCellYesNo, column, value, ""),
        CellProblem::Empty { column } => fill(P::ErrCellEmpty, column, "", ""),
        CellProblem::DuplicateUsername {
            username,
            first_row,
        } => fill(
            P::ErrCellDuplicate,
            "username",
            username,
            &first_row.to_string(),
        ),
    }
}

/// One line per problem of a refused row: "第17行：未知系列 enginering" / "row 17: unknown
/// series enginering".
fn row_lines(row: usize, problems: &[RowProblem], names: &Names) -> Vec<Bi> {
    problems
        .iter()
        .map(|p| {
            let (zh, en) = match p {
                RowProblem::Cell(c) => cell_problem(c),
                RowProblem::Entry(e) => {
                    let f = entry_problem(e, names);
                    (f.zh, f.en)
                }
            };
            let row = row.to_string();
            Bi::new(
                P::RowProblem
                    .zh()
                    .replace("{row}", &row)
                    .replace("{problem}", &zh),
                P::RowProblem
                    .en()
                    .replace("{row}", &row)
                    .replace("{problem}", &en),
            )
        })
        .collect()
}

fn file_problem(e: &FileError) -> FieldProblem {
    match e {
        FileError::TooLarge { max_bytes } => problem(
            "file",
            P::ErrImportTooLarge,
            &[("max", &app::portal::megabytes(*max_bytes as u64))],
        ),
        FileError::TooManyRows { max } => problem(
            "file",
            P::ErrImportTooManyRows,
            &[("max", &max.to_string())],
        ),
        FileError::Unreadable => problem("file", P::ErrImportUnreadable, &[]),
        FileError::Empty => problem("file", P::ErrImportEmpty, &[]),
        FileError::UnknownColumn(v) => problem("file", P::ErrImportUnknownColumn, &[("value", v)]),
        FileError::MissingColumn(k) => problem(
            "file",
            P::ErrImportMissingColumn,
            &[("value", &header_of(k))],
        ),
        FileError::DuplicateColumn(k) => problem(
            "file",
            P::ErrImportDuplicateColumn,
            &[("value", &header_of(k))],
        ),
    }
}

fn header_of(key: &str) -> String {
    let (zh, en) = column_names(key);
    pool_file::header(&en, &zh)
}
/// The uploaded file of the import form: its name and at most one byte more than the limit
/// (enough to tell it is too large), or `None` when no file was chosen.
async fn uploaded(mut multipart: Multipart) -> Result<Option<(String, Vec<u8>)>, WebError> {
    let cut = |_| WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormIncomplete);
    while let Some(mut part) = multipart.next_field().await.map_err(cut)? {
        if part.name() != Some("file") {
            continue;
        }
        let name = part.file_name().unwrap_or_default().to_owned();
        let mut bytes = Vec::new();
        while let Some(chunk) = part.chunk().await.map_err(cut)? {
            bytes.extend_from_slice(&chunk);
            if bytes.len() > pool_file::MAX_FILE_BYTES {
                break;
            }
        }
        if name.is_empty() && bytes.is_empty() {
            return Ok(None);
        }
        return Ok(Some((name, bytes)));
    }
    Ok(None)
}

/// `POST /committees/{code}/import` (multipart): the good rows are stored, the bad ones listed.
pub async fn import(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let who = authed.who();
    let desk = state.desk();
    let opened = opened_as(&desk, &who, &code, Reach::Office).await?;
    let (parts, body) = request.into_parts();
    let multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &state)
        .await
        .map_err(|_| WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable))?;
    let names = Names::of(&state, &opened.row().region);
    let shown = match uploaded(multipart).await? {
        None => Shown {
            import_problem: Some(problem("file", P::ErrImportNoFile, &[])),
            ..Shown::default()
        },
        Some((name, bytes)) => match pool::import(&desk, &who, &code, &name, &bytes).await {
            Ok(report) => {
                tracing::info!(
                    committee = %code,
                    added = report.added,
                    updated = report.updated,
                    refused = report.refused.len(),
                    "experts imported"
                );
                Shown {
                    import: Some(ImportView {
                        added: report.added,
                        updated: report.updated,
                        refused_rows: report.refused.len(),
                        refused: report
                            .refused
                            .iter()
                            .flat_map(|(row, p)| row_lines(*row, p, &names))
                            .collect(),
                    }),
                    ..Shown::default()
                }
            }
            Err(PoolError::File(e)) => Shown {
                import_problem: Some(file_problem(&e)),
                ..Shown::default()
            },
            Err(e) => return Err(internal(e)),
        },
    };
    let status = if shown.import_problem.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    committee_page(&state, parts, &who, &code, shown, status).await
}

async fn export(
    state: &AppState,
    authed: &crate::web::Authed,
    code: &str,
    format: ExportFormat,
) -> Result<Response, WebError> {
    let bytes = pool::export(&state.desk(), &authed.who(), code, format)
        .await
        .map_err(internal)?;
    let (kind, ext) = match format {
        ExportFormat::Csv => ("text/csv; charset=utf-8", "csv"),
        ExportFormat::Xlsx => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "xlsx",
        ),
    };
    let disposition = format!("attachment; filename=\"{code}-experts.{ext}\"");
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}

/// `GET /committees/{code}/experts.csv`
pub async fn export_csv(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    export(&state, &authed, &code, ExportFormat::Csv).await
}

/// `GET /committees/{code}/experts.xlsx`
pub async fn export_xlsx(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path(code): Path<String>,
) -> Result<Response, WebError> {
    export(&state, &authed, &code, ExportFormat::Xlsx).await
}
#[cfg(test)]
mod tests {
    use super::*;
    use casework::committee::EntryProblem;

    #[test]
    fn a_row_problem_names_the_row_and_the_value_in_both_languages() {
        let names = Names {
            series: vec![],
            titles: vec![],
            max_years: "3".into(),
        };
        let lines = row_lines(
            17,
            &[RowProblem::Entry(EntryProblem::UnknownSeries(
                "enginering".into(),
            ))],
            &names,
        );
        assert_eq!(
            lines,
            vec![Bi::new(
                "第17行：未知系列 enginering",
                "row 17: unknown series enginering"
            )]
        );
        let cell = row_lines(
            4,
            &[RowProblem::Cell(CellProblem::NotADate {
                column: "term_to",
                value: "2026-13-01".into(),
            })],
            &names,
        );
        assert_eq!(
            cell[0].zh,
            "第4行：任期结束不是有效日期：2026-13-01（格式：年-月-日）"
        );
        assert_eq!(
            cell[0].en,
            "row 4: term_to is not a date: 2026-13-01 (year-month-day)"
        );
    }

    #[test]
    fn the_file_limits_are_quoted_from_their_constants() {
        let p = file_problem(&FileError::TooLarge {
            max_bytes: pool_file::MAX_FILE_BYTES,
        });
        assert!(p.zh.contains("2 MB") && p.en.contains("2 MB"), "{p:?}");
        let p = file_problem(&FileError::TooManyRows {
            max: pool_file::MAX_ROWS,
        });
        assert!(
            p.zh.contains("5000行") && p.en.contains("5000 rows"),
            "{p:?}"
        );
        let p = file_problem(&FileError::MissingColumn("term_to"));
        assert!(p.zh.contains("任期结束 term_to"), "{p:?}");
    }
}
