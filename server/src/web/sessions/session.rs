//! One review session (`/sessions/{id}`): its groups and their draws, its recusals and the
//! experts' progress, and the forms that draw a group, record a recusal and decide a request.

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::committee::{Ground, GroupKind};
use casework::sessions::{self, DeclareRecusal, DrawRunError, RecusalError};
use serde::Deserialize;

use app::portal::sessions::{DrawnExpert, GroupData, RecusalRow, SessionData};
use app::portal::{Bi, FieldProblem, P};

use super::{name_of, org_names, FORM_BYTES};
use crate::state::AppState;
use crate::web::dossiers::{row_of, TargetNames};
use crate::web::extract::{Office, TypedForm, WebError};
use crate::web::notice::Said;
use crate::web::{render, Authed};

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
pub(super) async fn show(
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
    let titles = title_names(state, &view.committee.region);
    let progress_rows = sessions::progress(&state.db, &view).await?;
    // Per expert (two experts of one name stay two rows) and per dossier: (done, of).
    let mut progress: Vec<(i64, String, usize, usize)> = Vec::new();
    for (e, _, done) in &progress_rows {
        match progress.iter_mut().find(|(id, ..)| *id == e.id) {
            Some(p) => {
                p.2 += usize::from(*done);
                p.3 += 1;
            }
            None => progress.push((e.id, e.name.clone(), usize::from(*done), 1)),
        }
    }
    let progress = progress
        .into_iter()
        .map(|(_, name, done, of)| (name, done, of))
        .collect();
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
    let ballot = super::ballot::data(state, office, &view, &applicant_name).await?;
    let results = crate::web::results::section(state, office, &view, &applicant_name).await?;
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
        ballot,
        results,
    };
    Ok(render(state, parts, data, status).await)
}

/// The names of title levels in both languages, from the rules in force in the committee's
/// region.
fn title_names(state: &AppState, region: &str) -> impl Fn(&str) -> Bi {
    let catalogue = state
        .book
        .in_force(region, state.book.today())
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
    let (expert_id, dossier_id, ground) = (
        form.expert.parse::<i64>().ok(),
        form.dossier.parse::<i64>().ok(),
        Ground::parse(&form.ground),
    );
    let (Some(expert_id), Some(dossier_id), Some(ground)) = (expert_id, dossier_id, ground) else {
        // Every choice not made, each beside its own field.
        let problems = [
            ("recusal_expert", expert_id.is_none(), P::ErrChooseExpert),
            (
                "recusal_dossier",
                dossier_id.is_none(),
                P::ErrChooseApplicant,
            ),
            ("recusal_ground", ground.is_none(), P::ErrChooseGround),
        ]
        .into_iter()
        .filter(|(_, missing, _)| *missing)
        .map(|(field, _, msg)| FieldProblem::new(field, msg))
        .collect();
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(
            &state,
            parts,
            &office,
            id,
            None,
            problems,
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
