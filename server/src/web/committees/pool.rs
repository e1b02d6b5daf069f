//! `/committees/{code}`: the committee's record and its expert pool — for its office to add,
//! edit and deactivate experts, read-only for its region's admin (who may change the record).

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};

use app::portal::committees::{
    duty_text, CommitteeForm, CommitteePageData, ExpertForm, ExpertView, ImportView,
};
use app::portal::{FieldProblem, P};
use casework::committee::{Committee, ExpertEntry};
use casework::dossier::Who;
use casework::pool::{self, PoolError, Reach};
use casework::pool_file;
use store::committees::Named;

use super::{
    committee_view, date_text, entry_problem, internal, notice_of, opened_as, parse_date, problem,
    Names, Pairs, FORM_BYTES,
};
use crate::state::AppState;
use crate::web::extract::{SignedIn, TypedForm, WebError};
use crate::web::notice::Said;
use crate::web::{field, render, see_other};

/// What a committee page shows besides its record and pool.
#[derive(Default)]
pub(super) struct Shown {
    pub form: Option<ExpertForm>,
    pub problems: Vec<FieldProblem>,
    pub import: Option<ImportView>,
    pub import_problem: Option<FieldProblem>,
    /// The record form as typed, when it was refused.
    pub record: Option<CommitteeForm>,
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

pub(super) async fn committee_page(
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
    authed: crate::web::Authed,
    code: String,
    id: Option<i64>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let who = authed.who();
    let desk = state.desk();
    let opened = opened_as(&desk, &who, &code, Reach::Office).await?;
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
