//! The expert's workspace (`/expert`): the dossiers of the groups they were drawn into, less
//! those they step out of; one dossier to read (every read audited) and score per evaluation
//! method of its route, with a written opinion; and stepping out of a review. Anything else, a
//! reserve's or a recused expert's request included, answers the same 404 as a dossier that
//! does not exist.

use axum::{
    extract::{Path, Request, State},
    http::{request::Parts, StatusCode},
    response::Response,
};
use casework::committee::Ground;
use casework::sessions::{self, AssessError, DeclareRecusal, ScoreProblem, Scores, Seat};

use app::portal::sessions::{ReviewDossierData, SeatRow, WorkspaceData};
use app::portal::{Bi, FieldProblem, P};

use super::dossiers::{row_of, TargetNames};
use super::extract::{ExpertRole, TypedForm, WebError};
use super::notice::Said;
use super::{render, Authed};
use crate::state::AppState;

const FORM_BYTES: usize = 64 * 1024;

/// `GET /expert`
pub async fn workspace(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let names = TargetNames::new(&state);
    let seats = sessions::seats(&state.db, &expert.who())
        .await?
        .into_iter()
        .map(|s| SeatRow {
            session_id: s.session_id,
            session: s.session_name,
            sits_on: s.sits_on.to_string(),
            dossier_id: s.dossier_id,
            applicant: s.full_name,
            target: s
                .target
                .as_deref()
                .map(|key| names.label(key))
                .unwrap_or_default(),
            assessed: s.assessed_by.is_some(),
        })
        .collect();
    let to_sign = super::ballot::to_sign(&state, &expert).await?;
    let data = WorkspaceData {
        seats,
        to_sign,
        notice: Said::from_query(parts.uri.query()),
    };
    Ok(render(&state, parts, data, StatusCode::OK).await)
}

/// The expert's seat at the address's session and dossier, or the 404.
pub(super) async fn seat_of(
    state: &AppState,
    expert: &Authed,
    ids: &(String, String),
) -> Result<Seat, WebError> {
    let (Ok(session), Ok(dossier)) = (ids.0.parse::<i64>(), ids.1.parse::<i64>()) else {
        return Err(WebError::NotFound);
    };
    sessions::seat(&state.db, &expert.who(), session, dossier)
        .await?
        .ok_or(WebError::NotFound)
}

/// `GET /expert/sessions/{session}/dossiers/{dossier}`
pub async fn dossier_page(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(ids): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let seat = seat_of(&state, &expert, &ids).await?;
    store::dossiers::record_read(&state.db, seat.dossier.id, &expert.label()).await?;
    let typed: Option<Scores> = seat.assessment.as_ref().map(|a| Scores {
        scores: serde_json::from_str(&a.scores).unwrap_or_default(),
        opinion: a.opinion.clone(),
    });
    let typed = typed.map(|s| {
        let scores = s
            .scores
            .into_iter()
            .map(|(k, v)| (k, v.to_string()))
            .collect();
        (scores, s.opinion)
    });
    let notice = Said::from_query(parts.uri.query());
    show(
        &state,
        parts,
        &seat,
        typed,
        Vec::new(),
        notice,
        StatusCode::OK,
    )
    .await
}

pub(super) async fn show(
    state: &AppState,
    parts: Parts,
    seat: &Seat,
    typed: Option<(Vec<(String, String)>, String)>,
    problems: Vec<FieldProblem>,
    notice: Option<app::portal::Notice>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let dossier = casework::dossier::Dossier::try_from(seat.dossier.clone())
        .map_err(casework::CaseError::from)?;
    // The step-out form posts to `/recusal`, which is no page: the page is the dossier's.
    let mut parts = parts;
    let page = format!(
        "/expert/sessions/{}/dossiers/{}",
        seat.session.id, seat.dossier.id
    );
    if let Ok(uri) = page.parse() {
        parts.uri = uri;
    }
    let names = TargetNames::new(state);
    let row = row_of(&seat.dossier, &names);
    let region = seat.region.clone();
    let rules = state.book.in_force(&region, seat.session.sits_on);
    let catalogue = rules.as_ref().map(|r| r.rules.catalogue());
    let method_name = method_names(state, seat);
    let kind_name = |code: &str| {
        catalogue
            .as_ref()
            .and_then(|c| c.achievement_kinds.iter().find(|m| m.code == code))
            .map(|m| Bi::new(m.zh.clone(), m.en.clone()))
            .unwrap_or_else(|| Bi::new(code, code))
    };
    let (typed_scores, opinion) = typed.unwrap_or_default();
    let methods = sessions::methods(&state.desk(), seat, &region)
        .into_iter()
        .map(|m| {
            let value = typed_scores
                .iter()
                .find(|(k, _)| *k == m)
                .map(|(_, v)| v.clone())
                .unwrap_or_default();
            let name = method_name(&m);
            (m, name, value)
        })
        .collect();
    let attachments = store::attachments::list(&state.db, seat.dossier.id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .into_iter()
        .map(|a| {
            (
                a.id,
                store::attachments::download_name(&a.original_name, &a.content_type),
            )
        })
        .collect();
    // The self-check answers the submission was decided on (the receipt keeps them), named
    // by the rules of the day they were given.
    let (asked, asked_on) = match &dossier.receipt {
        Some(r) => (r.inputs.answers.as_str(), r.submitted_on),
        None => (dossier.answers.as_str(), seat.session.sits_on),
    };
    let asked_region = app::check::Answers::from_pairs(&app::check::parse_query(asked))
        .region_code()
        .to_owned();
    let answers = state
        .book
        .in_force(&asked_region, asked_on)
        .map(|r| app::pages::check::answers_summary(asked, &r.rules, asked_on))
        .unwrap_or_default();
    let data = ReviewDossierData {
        session_id: seat.session.id,
        session: seat.session.name.clone(),
        dossier_id: seat.dossier.id,
        applicant: row.full_name,
        org: row.org,
        occupation: dossier.draft.occupation.clone(),
        current_post: dossier.draft.current_post.clone(),
        target: row.target_label,
        achievements: dossier
            .draft
            .achievements
            .iter()
            .filter(|a| !a.is_blank())
            .map(|a| {
                (
                    kind_name(&a.kind),
                    a.title.clone(),
                    a.date.clone(),
                    a.role.clone(),
                    a.description.clone(),
                )
            })
            .collect(),
        attachments,
        answers,
        submitted_on: dossier
            .receipt
            .as_ref()
            .map(|r| r.submitted_on.to_string())
            .unwrap_or_default(),
        receipt: dossier.receipt.as_ref().map(|r| {
            (
                format!("{} {}", r.rule_set.id, r.rule_set.version),
                r.rule_set.content_hash.clone(),
            )
        }),
        methods,
        opinion,
        max_score: sessions::MAX_SCORE,
        problems,
        notice,
        turn: super::ballot::turn_code(state, seat).await?.into(),
    };
    Ok(render(state, parts, data, status).await)
}

/// `POST /expert/sessions/{session}/dossiers/{dossier}`: the assessment (`score_{method}`,
/// `opinion`).
pub async fn assess(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(ids): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let seat = seat_of(&state, &expert, &ids).await?;
    let TypedForm(pairs) = TypedForm::<Vec<(String, String)>>::read(body, FORM_BYTES).await?;
    let typed: Vec<(String, String)> = pairs
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("score_")?.to_owned(), v.trim().to_owned())))
        .collect();
    let opinion = super::field(&pairs, "opinion").to_owned();
    let names = method_names(&state, &seat);
    let mut problems = Vec::new();
    let mut scores = Scores {
        opinion: opinion.clone(),
        ..Scores::default()
    };
    for (method, value) in &typed {
        match value.parse::<u32>() {
            Ok(v) => {
                scores.scores.insert(method.clone(), v);
            }
            Err(_) if value.is_empty() => {}
            Err(_) => problems.push(score_problem(
                &ScoreProblem::OutOfRange {
                    method: method.clone(),
                    max: sessions::MAX_SCORE,
                },
                &names,
            )),
        }
    }
    if problems.is_empty() {
        let (s, d) = (seat.session.id, seat.dossier.id);
        match sessions::assess(&state.desk(), &expert.who(), s, d, scores).await {
            Ok(()) => {
                return Ok(Said::AssessmentSaved.on(&format!("/expert/sessions/{s}/dossiers/{d}")))
            }
            Err(AssessError::NotYours) => return Err(WebError::NotFound),
            Err(AssessError::Case(e)) => return Err(e.into()),
            Err(AssessError::Problems(found)) => {
                problems = found.iter().map(|p| score_problem(p, &names)).collect()
            }
        }
    }
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(
        &state,
        parts,
        &seat,
        Some((typed, opinion)),
        problems,
        None,
        status,
    )
    .await
}

/// An assessment's problem in the expert's words, beside its field, naming the method as the
/// form does.
fn score_problem(p: &ScoreProblem, name: &dyn Fn(&str) -> Bi) -> FieldProblem {
    let named = |method: &str, text: P, max: &str| {
        let n = name(method);
        let mut p = FieldProblem::new(&format!("score_{method}"), text).with(&[("max", max)]);
        p.zh = p.zh.replace("{method}", &n.zh);
        p.en = p.en.replace("{method}", &n.en);
        p
    };
    let max = sessions::MAX_SCORE.to_string();
    match p {
        ScoreProblem::Missing(m) => named(m, P::ErrScoreMissing, &max),
        ScoreProblem::OutOfRange { method, .. } => named(method, P::ErrScoreRange, &max),
        ScoreProblem::Unknown(m) => named(m, P::ErrScoreRange, "0"),
        ScoreProblem::OpinionMissing => FieldProblem::new("opinion", P::ErrOpinion),
    }
}

/// The names of the evaluation methods in force for a seat.
fn method_names(state: &AppState, seat: &Seat) -> impl Fn(&str) -> Bi {
    let catalogue = state
        .book
        .in_force(&seat.region, seat.session.sits_on)
        .map(|r| r.rules.catalogue().evaluation_methods);
    move |code: &str| {
        catalogue
            .as_ref()
            .and_then(|c| c.iter().find(|m| m.code == code))
            .map(|m| Bi::new(m.zh.clone(), m.en.clone()))
            .unwrap_or_else(|| Bi::new(code, code))
    }
}

#[derive(serde::Deserialize)]
pub struct StepOutForm {
    #[serde(default)]
    ground: String,
    #[serde(default, rename = "recusal_reason")]
    reason: String,
}

/// `POST /expert/sessions/{session}/dossiers/{dossier}/recusal`: the expert steps out.
pub async fn step_out(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(ids): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let seat = seat_of(&state, &expert, &ids).await?;
    let TypedForm(form) = TypedForm::<StepOutForm>::read(body, FORM_BYTES).await?;
    let ground = Ground::parse(&form.ground).unwrap_or(Ground::Other);
    let cmd = DeclareRecusal {
        session_id: seat.session.id,
        expert_id: seat.expert.id,
        dossier_id: seat.dossier.id,
        ground,
        reason: form.reason,
    };
    let problem = match sessions::declare(&state.desk(), &expert.who(), cmd).await {
        Ok(_) => return Ok(Said::RecusalDeclared.on("/expert")),
        Err(sessions::RecusalError::ReasonRequired) => {
            FieldProblem::new("recusal_reason", P::ErrReasonRequired)
        }
        Err(sessions::RecusalError::Case(e)) => return Err(e.into()),
        Err(_) => return Err(WebError::NotFound),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(&state, parts, &seat, None, vec![problem], None, status).await
}

/// `GET /expert/sessions/{session}/dossiers/{dossier}/attachments/{attachment}`
pub async fn download(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path((session, dossier, attachment)): Path<(String, String, String)>,
) -> Result<Response, WebError> {
    let seat = seat_of(&state, &expert, &(session, dossier)).await?;
    super::dossiers::send(&state, seat.dossier.id, &attachment, Some(&expert.label())).await
}
