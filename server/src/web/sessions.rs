//! A committee office's review sessions: the list and the form that opens one (`/sessions`),
//! and a session (`/sessions/{id}`): its groups and their draws, its recusals and the experts'
//! progress. Each handler decodes the request, calls one `casework::sessions` command or query,
//! and redirects with a notice or renders with the problems beside their fields. A session of
//! another committee answers the same 404 as one that does not exist.

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::committee::{Ground, GroupAsk, GroupKind, SizeProblem, Tier};
use casework::sessions::{
    self, DeclareRecusal, DrawRunError, OpenSession, RecusalError, SessionError,
};
use chrono::NaiveDate;
use serde::Deserialize;

use app::portal::sessions::{
    Candidate, DrawnExpert, GroupData, OpenForm, RecusalRow, SessionData, SessionsData,
};
use app::portal::{Bi, FieldProblem, P};

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
    Ok(store::sessions::organisation_names(&state.db).await?)
}

fn name_of(orgs: &[(String, String)], code: &str) -> String {
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

fn group_name(kind: GroupKind) -> P {
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

/// `GET /sessions/{id}`
pub async fn page(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let notice = Said::from_query(parts.uri.query());
    let id = id.parse().map_err(|_| WebError::NotFound)?;
    show(
        &state,
        parts,
        &office,
        id,
        notice,
        Vec::new(),
        String::new(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn show(
    state: &AppState,
    parts: Parts,
    office: &Authed,
    id: i64,
    notice: Option<app::portal::Notice>,
    problems: Vec<FieldProblem>,
    witness: String,
    status: StatusCode,
) -> Result<Response, WebError> {
    let view = sessions::view(&state.db, &office.who(), id)
        .await?
        .ok_or(WebError::NotFound)?;
    // A form may have posted to `/draw` or `/recusals`, which are no pages: the page is the
    // session's.
    let mut parts = parts;
    if let Ok(uri) = format!("/sessions/{id}").parse() {
        parts.uri = uri;
    }
    let orgs = org_names(state).await?;
    let names = TargetNames::new(state);
    let titles = title_names(state);
    let progress_rows = sessions::progress(&state.db, &view).await?;
    let mut progress: Vec<(String, usize, usize)> = Vec::new();
    for (e, _, done) in &progress_rows {
        match progress.iter_mut().find(|(n, _, _)| *n == e.name) {
            Some(p) => {
                p.1 += usize::from(*done);
                p.2 += 1;
            }
            None => progress.push((e.name.clone(), usize::from(*done), 1)),
        }
    }
    let mut applicants = Vec::new();
    let groups = view
        .groups
        .iter()
        .map(|g| {
            let listed: Vec<(i64, String, String, Bi)> = g
                .applicants
                .iter()
                .map(|d| {
                    let row = row_of(d, &names);
                    (
                        d.id,
                        row.full_name,
                        name_of(&orgs, &d.org),
                        row.target_label,
                    )
                })
                .collect();
            applicants.extend(listed.iter().map(|(id, n, _, _)| (*id, n.clone())));
            GroupData {
                kind: g.kind.code().into(),
                members: g.group.members,
                min_high_skill: g.group.min_high_skill,
                reserves: g.group.reserves,
                applicants: listed,
                drawn: g
                    .experts
                    .iter()
                    .map(|(e, reserve)| DrawnExpert {
                        id: e.id,
                        name: e.name.clone(),
                        unit: name_of(&orgs, &e.unit),
                        title: titles(&e.title_level),
                        high_skill: e.high_skill,
                        reserve: *reserve,
                    })
                    .collect(),
                seed: g.drawn.as_ref().map(|d| d.seed.clone()),
                pool_hash: g.drawn.as_ref().map(|d| d.pool_hash.clone()),
                drawn_by: g.group.drawn_by.clone(),
                witness: g.group.witness.clone(),
            }
        })
        .collect();
    let pool = store::sessions::pool(&state.db, &view.committee.code).await?;
    let expert_name = |id: i64| {
        pool.iter()
            .find(|e| e.id == id)
            .map(|e| e.name.clone())
            .unwrap_or_default()
    };
    let applicant_name = |id: i64| {
        applicants
            .iter()
            .find(|(a, _)| *a == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let mut dossier_progress: Vec<(i64, String, usize, usize)> = Vec::new();
    for (_, dossier_id, done) in &progress_rows {
        match dossier_progress
            .iter_mut()
            .find(|(id, ..)| id == dossier_id)
        {
            Some(p) => {
                p.2 += usize::from(*done);
                p.3 += 1;
            }
            None => dossier_progress.push((
                *dossier_id,
                applicant_name(*dossier_id),
                usize::from(*done),
                1,
            )),
        }
    }
    let recusals = view
        .recusals
        .iter()
        .map(|r| RecusalRow {
            id: r.id,
            expert: expert_name(r.expert_id),
            dossier_id: r.dossier_id,
            applicant: applicant_name(r.dossier_id),
            ground: r.ground.clone(),
            source: r.source.clone(),
            reason: r.reason.clone(),
            status: r.status.clone(),
        })
        .collect();
    let data = SessionData {
        id,
        name: view.session.name.clone(),
        sits_on: view.session.sits_on.to_string(),
        committee_name: name_of(&orgs, &view.committee.code),
        groups,
        recusals,
        progress,
        dossier_progress,
        pool: pool
            .iter()
            .filter(|e| e.active)
            .map(|e| (e.id, e.name.clone()))
            .collect(),
        applicants,
        notice,
        problems,
        witness,
    };
    Ok(render(state, parts, data, status).await)
}

/// The names of title levels in both languages, from the rules in force.
fn title_names(state: &AppState) -> impl Fn(&str) -> Bi {
    let catalogue = state
        .book
        .in_force("53", state.book.today())
        .map(|r| r.rules.catalogue().title_levels);
    move |code: &str| {
        catalogue
            .as_ref()
            .and_then(|list| list.iter().find(|t| t.code == code))
            .map(|t| Bi::new(t.zh.clone(), t.en.clone()))
            .unwrap_or_else(|| Bi::new(code, code))
    }
}

#[derive(Deserialize)]
pub struct DrawForm {
    #[serde(default)]
    group: String,
    #[serde(default)]
    witness: String,
}

/// `POST /sessions/{id}/draw`
pub async fn draw(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let TypedForm(form) = TypedForm::<DrawForm>::read(body, FORM_BYTES).await?;
    let kind = GroupKind::parse(&form.group).ok_or(WebError::NotFound)?;
    let witness = form.witness.trim().to_owned();
    let problem =
        match sessions::run_draw(&state.desk(), &office.who(), id, kind, &witness, None).await {
            Ok(_) => return Ok(Said::DrawDone.on(&format!("/sessions/{id}"))),
            Err(DrawRunError::NotYours) => return Err(WebError::NotFound),
            Err(DrawRunError::Case(e)) => return Err(e.into()),
            Err(DrawRunError::WitnessMissing) => FieldProblem::new("witness", P::ErrWitness),
            Err(DrawRunError::AlreadyDrawn) => FieldProblem::new("witness", P::ErrAlreadyDrawn),
            Err(DrawRunError::Rules(missing)) => {
                FieldProblem::new("witness", P::ErrRulesMissing).with(&[("key", missing.0)])
            }
            Err(DrawRunError::NotEnough(casework::draw::DrawError::NotEnough {
                needed,
                high_skill_needed,
                eligible,
                high_skill_eligible,
            })) => FieldProblem::new("witness", P::ErrNotEnough).with(&[
                ("needed", &needed.to_string()),
                ("hs_needed", &high_skill_needed.to_string()),
                ("eligible", &eligible.to_string()),
                ("hs_eligible", &high_skill_eligible.to_string()),
            ]),
            Err(DrawRunError::NotEnough(e)) => {
                tracing::warn!(error = %e, "a draw was refused");
                FieldProblem::new("witness", P::ErrInternal)
            }
        };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(
        &state,
        parts,
        &office,
        id,
        None,
        vec![problem],
        witness,
        status,
    )
    .await
}

#[derive(Deserialize)]
pub struct RecusalForm {
    #[serde(default, rename = "recusal_expert")]
    expert: String,
    #[serde(default, rename = "recusal_dossier")]
    dossier: String,
    #[serde(default, rename = "recusal_ground")]
    ground: String,
    #[serde(default, rename = "recusal_reason")]
    reason: String,
}

/// `POST /sessions/{id}/recusals`: the office records a recusal.
pub async fn declare(
    State(state): State<AppState>,
    Office(office): Office,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let TypedForm(form) = TypedForm::<RecusalForm>::read(body, FORM_BYTES).await?;
    let (Ok(expert_id), Ok(dossier_id), Some(ground)) = (
        form.expert.parse(),
        form.dossier.parse(),
        Ground::parse(&form.ground),
    ) else {
        let problem = FieldProblem::new("recusal_expert", P::ErrFormUnreadable);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(
            &state,
            parts,
            &office,
            id,
            None,
            vec![problem],
            String::new(),
            status,
        )
        .await;
    };
    let cmd = DeclareRecusal {
        session_id: id,
        expert_id,
        dossier_id,
        ground,
        reason: form.reason,
    };
    let problem = match sessions::declare(&state.desk(), &office.who(), cmd).await {
        Ok(_) => return Ok(Said::RecusalDeclared.on(&format!("/sessions/{id}"))),
        Err(RecusalError::NotYours) => return Err(WebError::NotFound),
        Err(RecusalError::Case(e)) => return Err(e.into()),
        Err(RecusalError::ReasonRequired) => {
            FieldProblem::new("recusal_reason", P::ErrReasonRequired)
        }
        Err(RecusalError::AlreadyRecused) => {
            FieldProblem::new("recusal_expert", P::ErrAlreadyRecused)
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(
        &state,
        parts,
        &office,
        id,
        None,
        vec![problem],
        String::new(),
        status,
    )
    .await
}

#[derive(Deserialize)]
pub struct DecideForm {
    #[serde(default)]
    uphold: String,
}

/// `POST /sessions/{id}/recusals/{recusal}`: the office decides an applicant's request.
pub async fn decide(
    State(state): State<AppState>,
    Office(office): Office,
    Path((id, recusal)): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (_, body) = request.into_parts();
    let (Ok(id), Ok(recusal)) = (id.parse::<i64>(), recusal.parse::<i64>()) else {
        return Err(WebError::NotFound);
    };
    let TypedForm(form) = TypedForm::<DecideForm>::read(body, FORM_BYTES).await?;
    let uphold = form.uphold == "yes";
    match sessions::decide_request(&state.desk(), &office.who(), id, recusal, uphold).await {
        Ok(_) => Ok(Said::RecusalDecided.on(&format!("/sessions/{id}"))),
        Err(RecusalError::Case(e)) => Err(e.into()),
        Err(_) => Err(WebError::NotFound),
    }
}
