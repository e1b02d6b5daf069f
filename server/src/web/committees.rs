//! The committee pages: `/admin/committees` (a provincial admin's committees of their region:
//! the list with each filing's status, the create form, a filing form per committee) and
//! `/committees/{code}` (the committee's record and its expert pool for its office — add, edit,
//! deactivate, import a CSV or XLSX with a per-row report, export both — and read-only for its
//! region's admin). Each request becomes one `casework::pool` command; its refusals are worded
//! here, in both languages, naming the field or the row. Someone the committee is not theirs
//! gets the site's 404, as for a committee that does not exist.

use axum::{
    extract::{FromRequest, Multipart, Path, Request, State},
    http::{header, request::Parts, StatusCode},
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;

use app::portal::committees::{
    duty_text, tier_text, CommitteeForm, CommitteePageData, CommitteeView, CommitteesData,
    ExpertForm, ExpertView, FilingForm, FilingView, ImportView,
};
use app::portal::{Bi, Choice, FieldProblem, P};
use casework::committee::{
    Committee, EntryProblem, ExpertEntry, Filing, FilingEntryProblem, RecordEntry, RecordProblem,
    Tier,
};
use casework::dossier::Who;
use casework::pool::{self, ExportFormat, PoolError, Reach, RowProblem};
use casework::pool_file::{self, CellProblem, FileError};
use store::committees::Named;

use super::extract::{Admin, SignedIn, TypedForm, WebError};
use super::notice::Said;
use super::{field, render, see_other};
use crate::state::AppState;

/// The largest committee, filing or expert form (they are a few short fields).
const FORM_BYTES: usize = 16 * 1024;

type Pairs = Vec<(String, String)>;

/// A problem of `field` worded by `msg` with each `{name}` filled in.
fn problem(field: &str, msg: P, values: &[(&str, &str)]) -> FieldProblem {
    FieldProblem::new(field, msg).with(values)
}

fn notice_of(parts: &Parts) -> Option<app::portal::Notice> {
    let query = parts.uri.query().unwrap_or("");
    let pairs: Pairs = serde_urlencoded::from_str(query).unwrap_or_default();
    app::check::get(&pairs, "notice")
        .and_then(Said::parse)
        .map(Said::notice)
}

fn date_text(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// What the pages name from the rules in force in a region today: the series and title levels.
struct Names {
    series: Vec<Choice>,
    titles: Vec<Choice>,
    max_years: String,
}

impl Names {
    fn of(state: &AppState, region: &str) -> Names {
        let book = &state.book;
        match book.in_force(region, book.today()) {
            Some(in_force) => {
                let c = in_force.rules.catalogue();
                Names {
                    series: c
                        .series
                        .into_iter()
                        .map(|s| Choice {
                            code: s.code,
                            label: Bi::new(s.zh, s.en),
                        })
                        .collect(),
                    titles: c
                        .title_levels
                        .into_iter()
                        .map(|t| Choice {
                            code: t.code,
                            label: Bi::new(t.zh, t.en),
                        })
                        .collect(),
                    max_years: casework::committee::term_max_years(&in_force.rules)
                        .map(|y| y.to_string())
                        .unwrap_or_default(),
                }
            }
            None => Names {
                series: vec![],
                titles: vec![],
                max_years: String::new(),
            },
        }
    }

    fn label(choices: &[Choice], code: &str) -> Bi {
        choices
            .iter()
            .find(|c| c.code == code)
            .map(|c| c.label.clone())
            .unwrap_or_else(|| Bi::new(code, code))
    }

    fn title(&self, code: &str) -> Bi {
        Names::label(&self.titles, code)
    }

    fn series(&self, code: &str) -> Bi {
        Names::label(&self.series, code)
    }
}

fn committee_view(state: &AppState, named: &Named, names: &Names) -> CommitteeView {
    let c = Committee::from(&named.row);
    let filing = match (&c.filing, c.filing_on(state.book.today())) {
        (None, _) => FilingView::NotFiled,
        (Some(f), Ok(_)) => FilingView::InForce {
            number: f.number.clone(),
            until: date_text(f.expires_on),
        },
        (Some(f), Err(casework::committee::FilingProblem::NotYetFiled { filed_on })) => {
            FilingView::NotYet {
                number: f.number.clone(),
                from: date_text(filed_on),
            }
        }
        (Some(f), Err(_)) => FilingView::Lapsed {
            number: f.number.clone(),
            on: date_text(f.expires_on),
        },
    };
    CommitteeView {
        code: c.code.clone(),
        name: named.name.clone(),
        region: c.region.clone(),
        organiser: c.organiser.clone(),
        series: names.series(&c.series),
        tiers: c.tiers.iter().map(|t| tier_text(t.code())).collect(),
        specialty: c.specialty.clone().unwrap_or_default(),
        self_review: c.self_review,
        entrusting: c.entrusting.join(", "),
        filing,
    }
}

// ---------------------------------------------------------------- the wording of refusals

fn record_problem(p: &RecordProblem) -> FieldProblem {
    match p {
        RecordProblem::CodeInvalid => problem("code", P::ErrCommitteeCode, &[]),
        RecordProblem::NameMissing => problem("name", P::ErrCommitteeName, &[]),
        RecordProblem::UnknownOrganiser(v) => {
            problem("organiser", P::ErrOrganiserUnknown, &[("value", v)])
        }
        RecordProblem::UnknownSeries(v) => problem("series", P::ErrUnknownSeries, &[("value", v)]),
        RecordProblem::NoTiers => problem("tiers", P::ErrTiersNone, &[]),
        RecordProblem::UnknownEntrusting(v) => {
            problem("entrusting", P::ErrEntrustingUnknown, &[("value", v)])
        }
    }
}

fn filing_problem(p: &FilingEntryProblem) -> FieldProblem {
    match p {
        FilingEntryProblem::NumberMissing => problem("number", P::ErrFilingNumber, &[]),
        FilingEntryProblem::ExpiresBeforeFiled => problem("expires_on", P::ErrFilingOrder, &[]),
        FilingEntryProblem::TooLong { max_years, latest } => problem(
            "expires_on",
            P::ErrFilingTooLong,
            &[
                ("max", &max_years.to_string()),
                ("latest", &date_text(*latest)),
            ],
        ),
    }
}

/// An entry's problem, with the title levels named from the rules.
fn entry_problem(p: &EntryProblem, names: &Names) -> FieldProblem {
    let field = p.field();
    match p {
        EntryProblem::NameMissing => problem(field, P::ErrExpertName, &[]),
        EntryProblem::UnknownAccount(v) => problem(field, P::ErrUnknownAccount, &[("value", v)]),
        EntryProblem::UnknownUnit(v) => problem(field, P::ErrUnknownUnit, &[("value", v)]),
        EntryProblem::UnknownSeries(v) => problem(field, P::ErrUnknownSeries, &[("value", v)]),
        EntryProblem::OtherSeries { series, committee } => problem(
            field,
            P::ErrOtherSeries,
            &[("value", series), ("committee", committee)],
        ),
        EntryProblem::UnknownTitleLevel(v) => problem(field, P::ErrUnknownTitle, &[("value", v)]),
        EntryProblem::TitleBelow { held, needed } => {
            let (held, needed) = (names.title(held.code()), names.title(needed.code()));
            FieldProblem {
                field: field.to_owned(),
                zh: P::ErrTitleBelow
                    .zh()
                    .replace("{held}", &held.zh)
                    .replace("{needed}", &needed.zh),
                en: P::ErrTitleBelow
                    .en()
                    .replace("{held}", &held.en)
                    .replace("{needed}", &needed.en),
            }
        }
        EntryProblem::UnknownDuty(v) => problem(field, P::ErrUnknownDuty, &[("value", v)]),
        EntryProblem::TermEndsBeforeStart => problem(field, P::ErrTermOrder, &[]),
        EntryProblem::TermTooLong { max_years, latest } => problem(
            field,
            P::ErrTermTooLong,
            &[
                ("max", &max_years.to_string()),
                ("latest", &date_text(*latest)),
            ],
        ),
    }
}

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

fn internal(e: PoolError) -> WebError {
    match e {
        PoolError::NotFound => WebError::NotFound,
        PoolError::Case(e) => e.into(),
        e => WebError::Internal(e.to_string()),
    }
}

// ---------------------------------------------------------------- /admin/committees

fn committee_form(pairs: &Pairs) -> CommitteeForm {
    CommitteeForm {
        region: field(pairs, "region").to_owned(),
        code: field(pairs, "code").to_owned(),
        name: field(pairs, "name").to_owned(),
        organiser: field(pairs, "organiser").to_owned(),
        series: field(pairs, "series").to_owned(),
        tiers: pairs
            .iter()
            .filter(|(k, _)| k == "tiers")
            .map(|(_, v)| v.trim().to_owned())
            .collect(),
        specialty: field(pairs, "specialty").to_owned(),
        self_review: !field(pairs, "self_review").is_empty(),
        entrusting: field(pairs, "entrusting").to_owned(),
    }
}

fn record_entry(form: &CommitteeForm) -> RecordEntry {
    RecordEntry {
        name: form.name.clone(),
        organiser: form.organiser.clone(),
        series: form.series.clone(),
        tiers: Tier::list(&form.tiers.join(",")),
        specialty: form.specialty.clone(),
        self_review: form.self_review,
        entrusting: form
            .entrusting
            .split([',', '，', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect(),
    }
}

/// The admin's page: `form` and `filing` are what was typed in a refused form.
async fn committees_page(
    state: &AppState,
    mut parts: Parts,
    who: &Who,
    refused: Option<(CommitteesData, StatusCode)>,
) -> Result<Response, WebError> {
    let desk = state.desk();
    let regions = pool::admin_regions(who);
    let names = Names::of(state, regions.first().map(String::as_str).unwrap_or(""));
    let rows = pool::committees_of(&desk, who).await.map_err(internal)?;
    let (mut data, status) = refused.unwrap_or_else(|| {
        let mut data = CommitteesData::default();
        data.create.region = regions.first().cloned().unwrap_or_default();
        (data, StatusCode::OK)
    });
    data.rows = rows
        .iter()
        .map(|n| committee_view(state, n, &Names::of(state, &n.row.region)))
        .collect();
    data.regions = regions;
    data.series = names.series.clone();
    data.max_years = names.max_years.clone();
    if data.notice.is_none() {
        data.notice = notice_of(&parts);
    }
    parts.uri = http::Uri::from_static("/admin/committees");
    Ok(render(state, parts, data, status).await)
}

/// `GET /admin/committees`
pub async fn admin_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    committees_page(&state, parts, &admin.who(), None).await
}

/// `POST /admin/committees`: create a committee of one of the admin's regions.
pub async fn create(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = committee_form(&pairs);
    let who = admin.who();
    let desk = state.desk();
    let problems = if !pool::admin_regions(&who).contains(&form.region) {
        vec![problem("region", P::ErrRegion, &[])]
    } else {
        match pool::create(&desk, &who, &form.region, &form.code, &record_entry(&form)).await {
            Ok(row) => {
                tracing::info!(committee = %row.code, "committee created");
                return Ok(see_other(&format!(
                    "/admin/committees?notice={}",
                    Said::CommitteeCreated.code()
                )));
            }
            Err(PoolError::Record(problems)) => problems.iter().map(record_problem).collect(),
            Err(PoolError::CodeTaken) => vec![problem(
                "code",
                P::ErrCommitteeCodeTaken,
                &[("value", &form.code)],
            )],
            Err(e) => return Err(internal(e)),
        }
    };
    let data = CommitteesData {
        create: form,
        create_problems: problems,
        ..CommitteesData::default()
    };
    committees_page(
        &state,
        parts,
        &who,
        Some((data, StatusCode::UNPROCESSABLE_ENTITY)),
    )
    .await
}

/// `POST /admin/committees/{code}`: change a committee's record (its region's admin).
pub async fn update_record(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = admin.who();
    match pool::open(&state.desk(), &who, &code).await {
        Ok(o) if o.reach == Reach::Admin => {}
        Ok(_) | Err(PoolError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(internal(e)),
    }
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = committee_form(&pairs);
    let problems = match pool::update(&state.desk(), &who, &code, &record_entry(&form)).await {
        Ok(_) => {
            return Ok(see_other(&format!(
                "/committees/{code}?notice={}",
                Said::CommitteeUpdated.code()
            )))
        }
        Err(PoolError::Record(problems)) => problems.iter().map(record_problem).collect(),
        Err(e) => return Err(internal(e)),
    };
    let shown = Shown {
        record: Some(form),
        problems,
        ..Shown::default()
    };
    committee_page(
        &state,
        parts,
        &who,
        &code,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

/// `POST /admin/committees/{code}/filing`: record a committee's filing.
pub async fn file(
    State(state): State<AppState>,
    Admin(admin): Admin,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = admin.who();
    let desk = state.desk();
    // Not theirs: "not found" before the form is even read.
    match pool::open(&desk, &who, &code).await {
        Ok(o) if o.reach == Reach::Admin => {}
        Ok(_) | Err(PoolError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(internal(e)),
    }
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let form = FilingForm {
        code: code.clone(),
        number: field(&pairs, "number").to_owned(),
        filed_on: field(&pairs, "filed_on").to_owned(),
        expires_on: field(&pairs, "expires_on").to_owned(),
    };
    let (filed_on, expires_on) = (parse_date(&form.filed_on), parse_date(&form.expires_on));
    let problems = match (filed_on, expires_on) {
        (Some(filed_on), Some(expires_on)) => {
            let filing = Filing {
                number: form.number.clone(),
                filed_on,
                expires_on,
            };
            match pool::file(&desk, &who, &code, &filing).await {
                Ok(_) => {
                    return Ok(see_other(&format!(
                        "/admin/committees?notice={}",
                        Said::Filed.code()
                    )))
                }
                Err(PoolError::Filing(problems)) => problems.iter().map(filing_problem).collect(),
                Err(e) => return Err(internal(e)),
            }
        }
        _ => {
            let mut problems = Vec::new();
            if form.number.is_empty() {
                problems.push(problem("number", P::ErrFilingNumber, &[]));
            }
            if filed_on.is_none() {
                problems.push(problem("filed_on", P::ErrDateFormat, &[]));
            }
            if expires_on.is_none() {
                problems.push(problem("expires_on", P::ErrDateFormat, &[]));
            }
            problems
        }
    };
    let mut data = CommitteesData {
        filing: form,
        filing_problems: problems,
        ..CommitteesData::default()
    };
    data.create.region = pool::admin_regions(&who)
        .first()
        .cloned()
        .unwrap_or_default();
    committees_page(
        &state,
        parts,
        &who,
        Some((data, StatusCode::UNPROCESSABLE_ENTITY)),
    )
    .await
}

// ---------------------------------------------------------------- /committees/{code}

/// What a committee page shows besides its record and pool.
#[derive(Default)]
struct Shown {
    form: Option<ExpertForm>,
    problems: Vec<FieldProblem>,
    import: Option<ImportView>,
    import_problem: Option<FieldProblem>,
    /// The record form as typed, when it was refused.
    record: Option<CommitteeForm>,
}

/// The record form filled from the committee.
fn record_form(named: &Named) -> CommitteeForm {
    let c = Committee::from(&named.row);
    CommitteeForm {
        region: c.region.clone(),
        code: c.code.clone(),
        name: named.name.clone(),
        organiser: c.organiser.clone(),
        series: c.series.clone(),
        tiers: c.tiers.iter().map(|t| t.code().to_owned()).collect(),
        specialty: c.specialty.clone().unwrap_or_default(),
        self_review: c.self_review,
        entrusting: c.entrusting.join(", "),
    }
}

async fn committee_page(
    state: &AppState,
    mut parts: Parts,
    who: &Who,
    code: &str,
    shown: Shown,
    status: StatusCode,
) -> Result<Response, WebError> {
    let desk = state.desk();
    let opened = pool::open(&desk, who, code).await.map_err(internal)?;
    let names = Names::of(state, &opened.row().region);
    let experts = pool::pool(&desk, who, code).await.map_err(internal)?;
    let may_edit = opened.reach == Reach::Office;
    let query: Pairs =
        serde_urlencoded::from_str(parts.uri.query().unwrap_or("")).unwrap_or_default();
    // `?edit={id}`: the form filled with that expert.
    let form = match shown.form {
        Some(form) => form,
        None => match app::check::get(&query, "edit").and_then(|id| id.parse::<i64>().ok()) {
            Some(id) if may_edit => match experts.iter().find(|(row, _)| row.id == id) {
                Some((row, entry)) => form_of(Some(row.id), entry),
                None => return Err(WebError::NotFound),
            },
            _ => ExpertForm {
                active: true,
                ..ExpertForm::default()
            },
        },
    };
    let data = CommitteePageData {
        committee: Some(committee_view(state, &opened.committee, &names)),
        may_edit,
        experts: experts
            .iter()
            .map(|(row, e)| ExpertView {
                id: row.id,
                username: e.username.clone(),
                name: e.name.clone(),
                unit: e.unit.clone(),
                specialty: e.specialty.clone(),
                title: names.title(&e.title_level),
                high_skill: e.high_skill,
                duty: duty_text(&e.duty),
                term_from: date_text(e.term_from),
                term_to: date_text(e.term_to),
                active: e.active,
            })
            .collect(),
        form,
        problems: shown.problems,
        import: shown.import,
        import_problem: shown.import_problem,
        titles: names.titles.clone(),
        max_years: names.max_years.clone(),
        max_size: app::portal::megabytes(pool_file::MAX_FILE_BYTES as u64),
        max_rows: pool_file::MAX_ROWS.to_string(),
        columns: pool_file::COLUMNS
            .iter()
            .map(|(k, zh)| pool_file::header(k, zh))
            .collect(),
        notice: notice_of(&parts),
        record: (opened.reach == Reach::Admin).then(|| {
            shown
                .record
                .unwrap_or_else(|| record_form(&opened.committee))
        }),
        series: names.series.clone(),
    };
    parts.uri = format!("/committees/{code}")
        .parse()
        .map_err(|_| WebError::NotFound)?;
    Ok(render(state, parts, data, status).await)
}

fn form_of(id: Option<i64>, e: &ExpertEntry) -> ExpertForm {
    ExpertForm {
        id,
        username: e.username.clone(),
        name: e.name.clone(),
        unit: e.unit.clone(),
        specialty: e.specialty.clone(),
        title_level: e.title_level.clone(),
        high_skill: e.high_skill,
        duty: e.duty.clone(),
        term_from: date_text(e.term_from),
        term_to: date_text(e.term_to),
        active: e.active,
    }
}

/// `GET /committees/{code}`
pub async fn page(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    committee_page(
        &state,
        parts,
        &authed.who(),
        &code,
        Shown::default(),
        StatusCode::OK,
    )
    .await
}

/// The expert form as typed, and the entry it makes (or the problems with its dates).
fn expert_form(
    pairs: &Pairs,
    id: Option<i64>,
    series: &str,
) -> (ExpertForm, Result<ExpertEntry, Vec<FieldProblem>>) {
    let form = ExpertForm {
        id,
        username: field(pairs, "username").to_owned(),
        name: field(pairs, "name").to_owned(),
        unit: field(pairs, "unit").to_owned(),
        specialty: field(pairs, "specialty").to_owned(),
        title_level: field(pairs, "title_level").to_owned(),
        high_skill: !field(pairs, "high_skill").is_empty(),
        duty: field(pairs, "duty").to_owned(),
        term_from: field(pairs, "term_from").to_owned(),
        term_to: field(pairs, "term_to").to_owned(),
        active: !field(pairs, "active").is_empty(),
    };
    let (from, to) = (parse_date(&form.term_from), parse_date(&form.term_to));
    let entry = match (from, to) {
        (Some(term_from), Some(term_to)) => Ok(ExpertEntry {
            username: form.username.clone(),
            name: form.name.clone(),
            unit: form.unit.clone(),
            // The form adds to the committee's own series (the file may name another, and is
            // told so).
            series: series.to_owned(),
            specialty: form.specialty.clone(),
            title_level: form.title_level.clone(),
            high_skill: form.high_skill,
            duty: form.duty.clone(),
            term_from,
            term_to,
            active: form.active,
        }),
        _ => Err([("term_from", from), ("term_to", to)]
            .into_iter()
            .filter(|(_, d)| d.is_none())
            .map(|(f, _)| problem(f, P::ErrDateFormat, &[]))
            .collect()),
    };
    (form, entry)
}

/// Adds (`id` is `None`) or edits an expert from the posted form.
async fn save_expert(
    state: AppState,
    authed: super::Authed,
    code: String,
    id: Option<i64>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = authed.who();
    let desk = state.desk();
    let opened = match pool::open(&desk, &who, &code).await {
        Ok(o) if o.reach == Reach::Office => o,
        Ok(_) | Err(PoolError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(internal(e)),
    };
    let TypedForm(pairs) = TypedForm::<Pairs>::read(body, FORM_BYTES).await?;
    let (mut form, entry) = expert_form(&pairs, id, &opened.row().series);
    let names = Names::of(&state, &opened.row().region);
    let problems = match entry {
        Err(problems) => problems,
        Ok(entry) => {
            let done = match id {
                None => pool::add_expert(&desk, &who, &code, &entry).await,
                Some(id) => pool::edit_expert(&desk, &who, &code, id, &entry).await,
            };
            match done {
                Ok(_) => {
                    let said = if id.is_some() {
                        Said::ExpertUpdated
                    } else {
                        Said::ExpertAdded
                    };
                    return Ok(see_other(&format!(
                        "/committees/{code}?notice={}#pool-heading",
                        said.code()
                    )));
                }
                Err(PoolError::Entry(problems)) => {
                    problems.iter().map(|p| entry_problem(p, &names)).collect()
                }
                Err(PoolError::AlreadyInPool) => {
                    vec![problem("username", P::ErrAlreadyInPool, &[])]
                }
                Err(e) => return Err(internal(e)),
            }
        }
    };
    if let Some(id) = id {
        // The username shown is the expert's, whatever was posted.
        let (_, current) = pool::expert_entry(&desk, &who, &code, id)
            .await
            .map_err(internal)?;
        form.username = current.username;
    }
    let shown = Shown {
        form: Some(form),
        problems,
        ..Shown::default()
    };
    committee_page(
        &state,
        parts,
        &who,
        &code,
        shown,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await
}

/// `POST /committees/{code}/experts`: add an expert.
pub async fn add_expert(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path(code): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    save_expert(state, authed, code, None, request).await
}

/// `POST /committees/{code}/experts/{id}`: edit an expert.
pub async fn edit_expert(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path((code, id)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    save_expert(state, authed, code, Some(id), request).await
}

/// `POST /committees/{code}/experts/{id}/deactivate`
pub async fn deactivate_expert(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, WebError> {
    let id = id.parse::<i64>().map_err(|_| WebError::NotFound)?;
    pool::deactivate_expert(&state.desk(), &authed.who(), &code, id)
        .await
        .map_err(internal)?;
    Ok(see_other(&format!(
        "/committees/{code}?notice={}#pool-heading",
        Said::ExpertDeactivated.code()
    )))
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
    let opened = match pool::open(&desk, &who, &code).await {
        Ok(o) if o.reach == Reach::Office => o,
        Ok(_) | Err(PoolError::NotFound) => return Err(WebError::NotFound),
        Err(e) => return Err(internal(e)),
    };
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
    authed: &super::Authed,
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
