//! A committee office's review sessions: the list and the form that opens one (`/sessions`,
//! here), and a session (`/sessions/{id}`, in [`session`]): its groups and their draws, its
//! recusals and the experts' progress. Each handler decodes the request, calls one `casework::sessions` command or query,
//! and redirects with a notice or renders with the problems beside their fields. A session of
//! another committee answers the same 404 as one that does not exist.

mod ballot;
mod record;
mod session;

pub use ballot::{attendance, close as close_ballot, open as open_ballot, result_rows};
pub use record::record;

/// A session's page for its office with `problems` from a form of another module (422).
pub(crate) async fn show_with(
    state: &AppState,
    parts: Parts,
    office: &Authed,
    id: i64,
    problems: Vec<FieldProblem>,
) -> Result<Response, WebError> {
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    session::show(
        state,
        parts,
        office,
        id,
        None,
        problems,
        String::new(),
        status,
    )
    .await
}
pub use session::{decide, declare, draw, page};

use axum::{
    extract::{Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::committee::{GroupAsk, GroupKind, SizeProblem, Tier};
use casework::sessions::{self, OpenSession, SessionError};
use chrono::NaiveDate;

use app::portal::sessions::{Candidate, OpenForm, SessionsData};
use app::portal::{FieldProblem, P};

use super::dossiers::{row_of, TargetNames};
use super::extract::{Office, TypedForm, WebError};
use super::notice::Said;
use super::{render, Authed};
use crate::state::AppState;

/// The most a session form weighs (hundreds of dossier boxes fit well inside).
const FORM_BYTES: usize = 256 * 1024;

/// The committee whose office the account runs (the first such grant).
fn committee_of(authed: &Authed) -> Option<String> {
    authed.grants.iter().find_map(|g| {
        (g.role() == Some(store::workflow::Role::CommitteeOffice))
            .then(|| g.scope_committee.clone())
            .flatten()
    })
}

async fn org_names(state: &AppState) -> Result<Vec<(String, String)>, WebError> {
    Ok(store::organisations::names(&state.db).await?)
}

pub(crate) fn name_of(orgs: &[(String, String)], code: &str) -> String {
    orgs.iter()
        .find(|(c, _)| c == code)
        .map(|(_, n)| n.clone())
        .unwrap_or_else(|| code.to_owned())
}

/// `GET /sessions`
pub async fn list_page(
    State(state): State<AppState>,
    Office(office): Office,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    list(
        &state,
        parts,
        &office,
        OpenForm::default(),
        Vec::new(),
        &[],
        StatusCode::OK,
    )
    .await
}

async fn list(
    state: &AppState,
    parts: Parts,
    office: &Authed,
    form: OpenForm,
    problems: Vec<FieldProblem>,
    checked: &[i64],
    status: StatusCode,
) -> Result<Response, WebError> {
    let code = committee_of(office).ok_or(WebError::NotFound)?;
    let orgs = org_names(state).await?;
    let mut sessions_rows = Vec::new();
    for s in store::sessions::sessions_of(&state.db, &code).await? {
        let applicants = store::sessions::session_dossiers(&state.db, s.id)
            .await?
            .len();
        let groups = store::sessions::groups(&state.db, s.id).await?;
        let drawn = !groups.is_empty() && groups.iter().all(|g| g.drawn.is_some());
        sessions_rows.push((s.id, s.name, s.sits_on.to_string(), applicants, drawn));
    }
    let names = TargetNames::new(state);
    let accepted = store::sessions::waiting(&state.db, &code).await?;
    let candidates = accepted
        .iter()
        .map(|m| {
            let row = row_of(m, &names);
            Candidate {
                id: m.id,
                name: row.full_name,
                org: name_of(&orgs, &m.org),
                target: row.target_label,
                checked: checked.contains(&m.id),
            }
        })
        .collect();
    let data = SessionsData {
        committee: code.clone(),
        committee_name: name_of(&orgs, &code),
        sessions: sessions_rows,
        candidates,
        form,
        problems,
    };
    Ok(render(state, parts, data, status).await)
}

/// `POST /sessions`: opens a session (the form's fields and a `dossier` box per dossier).
pub async fn open(
    State(state): State<AppState>,
    Office(office): Office,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(pairs) = TypedForm::<Vec<(String, String)>>::read(body, FORM_BYTES).await?;
    let get = |k: &str| super::field(&pairs, k).trim().to_owned();
    let form = OpenForm {
        name: get("name"),
        sits_on: get("sits_on"),
        members: get("members"),
        reserves: get("reserves"),
        hs_members: get("hs_members"),
        hs_reserves: get("hs_reserves"),
    };
    let checked: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "dossier")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    let code = committee_of(&office).ok_or(WebError::NotFound)?;
    let (cmd, mut problems) = read_open(&form, code, &checked);
    if let (Some(cmd), true) = (cmd, problems.is_empty()) {
        match sessions::open(&state.desk(), &office.who(), cmd).await {
            Ok(id) => return Ok(Said::SessionOpened.on(&format!("/sessions/{id}"))),
            Err(SessionError::NotYours) => return Err(WebError::NotFound),
            Err(SessionError::Case(e)) => return Err(e.into()),
            Err(e) => problems = session_problems(&e),
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    list(&state, parts, &office, form, problems, &checked, status).await
}

/// The command the form asks for, and what is wrong with its fields.
fn read_open(
    form: &OpenForm,
    committee: String,
    dossiers: &[i64],
) -> (Option<OpenSession>, Vec<FieldProblem>) {
    let mut problems = Vec::new();
    if form.name.is_empty() {
        problems.push(FieldProblem::new("name", P::ErrSessionName));
    }
    let day = NaiveDate::parse_from_str(&form.sits_on, "%Y-%m-%d").ok();
    if day.is_none() {
        problems.push(FieldProblem::new("sits_on", P::ErrSessionDay));
    }
    let mut number = |field: &str, value: &str| match value.parse::<u32>() {
        Ok(n) if n <= 999 => n,
        _ => {
            problems.push(FieldProblem::new(field, P::ErrGroupSize));
            0
        }
    };
    let general = GroupAsk {
        members: number("members", &form.members),
        reserves: number("reserves", &form.reserves),
    };
    let high_skill = GroupAsk {
        members: number("hs_members", &form.hs_members),
        reserves: number("hs_reserves", &form.hs_reserves),
    };
    if dossiers.is_empty() {
        problems.push(FieldProblem::new("dossiers", P::ErrNoDossiers));
    }
    let cmd = day.map(|sits_on| OpenSession {
        committee,
        name: form.name.clone(),
        sits_on,
        tiers: vec![Tier::Senior],
        dossiers: dossiers.to_vec(),
        general,
        high_skill,
    });
    (cmd, problems)
}

pub(super) fn group_name(kind: GroupKind) -> P {
    match kind {
        GroupKind::General => P::GroupGeneral,
        GroupKind::HighSkill => P::GroupHighSkill,
    }
}

/// A refused session in the person's words, beside its field.
fn session_problems(e: &SessionError) -> Vec<FieldProblem> {
    use casework::committee::FilingProblem as F;
    use casework::sessions::DossierProblem as D;
    let one = |p: FieldProblem| vec![p];
    match e {
        SessionError::Filing(F::NotFiled) => {
            one(FieldProblem::new("sits_on", P::ErrFilingNotFiled))
        }
        SessionError::Filing(F::Lapsed { expired_on }) => {
            one(FieldProblem::new("sits_on", P::ErrFilingLapsed)
                .with(&[("day", &expired_on.to_string())]))
        }
        SessionError::Filing(F::NotYetFiled { filed_on }) => {
            one(FieldProblem::new("sits_on", P::ErrFilingNotYet)
                .with(&[("day", &filed_on.to_string())]))
        }
        SessionError::NameMissing => one(FieldProblem::new("name", P::ErrSessionName)),
        SessionError::Tiers => one(FieldProblem::new("dossiers", P::ErrTiers)),
        SessionError::Dossier { id, why } => {
            let text = match why {
                D::NotAccepted => P::ErrDossierNotAccepted,
                D::OtherSeries { .. } => P::ErrDossierSeries,
                D::OtherTier { .. } => P::ErrDossierTier,
            };
            one(FieldProblem::new("dossiers", text).with(&[("id", &id.to_string())]))
        }
        SessionError::Size(found) => found
            .iter()
            .map(|p| match p {
                SizeProblem::NotOdd { kind, members } => {
                    size_problem(*kind, P::ErrNotOdd).with(&[("n", &members.to_string())])
                }
                SizeProblem::TooFew { kind, members, min } => size_problem(*kind, P::ErrTooFew)
                    .with(&[
                        ("n", &members.to_string()),
                        ("min", &min.to_string()),
                        ("short", &(min - members).to_string()),
                    ]),
                SizeProblem::NoApplicants => FieldProblem::new("dossiers", P::ErrNoDossiers),
            })
            .collect(),
        SessionError::Rules(missing) => {
            one(FieldProblem::new("sits_on", P::ErrRulesMissing).with(&[("key", missing.0)]))
        }
        SessionError::NoRules | SessionError::NotYours | SessionError::Case(_) => {
            one(FieldProblem::new("sits_on", P::ErrInternal))
        }
    }
}

/// A size problem beside its group's field, naming the group in both languages.
fn size_problem(kind: GroupKind, text: P) -> FieldProblem {
    let field = match kind {
        GroupKind::General => "members",
        GroupKind::HighSkill => "hs_members",
    };
    let name = group_name(kind);
    let mut p = FieldProblem::new(field, text);
    p.zh = p.zh.replace("{group}", name.zh());
    p.en = p.en.replace("{group}", name.en());
    p
}
