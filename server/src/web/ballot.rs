//! The experts' part of the secret ballot: an attending expert's ballot on a dossier of their
//! group (`POST /expert/sessions/{session}/dossiers/{dossier}/ballot`, `choice`), and the chair's
//! page where a closed session's count is checked and signed (`/expert/sessions/{id}/result`).
//! Anything not theirs answers the same 404 as what does not exist.

use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
};
use casework::ballot::{self, BallotError, Choice, Turn};
use casework::sessions::Seat;

use app::portal::sessions::SignData;
use app::portal::{FieldProblem, P};

use super::expert::{seat_of, show};
use super::extract::{ExpertRole, TypedForm, WebError};
use super::notice::Said;
use super::{render, Authed};
use crate::state::AppState;

const FORM_BYTES: usize = 16 * 1024;

fn case(e: BallotError) -> WebError {
    match e {
        BallotError::NotYours => WebError::NotFound,
        BallotError::Case(e) => e.into(),
        e => WebError::Internal(e.to_string()),
    }
}

/// The expert's turn on a seat, as the page's code.
pub(super) async fn turn_code(state: &AppState, seat: &Seat) -> Result<&'static str, WebError> {
    Ok(match ballot::turn(&state.db, seat).await.map_err(case)? {
        Turn::NotOpen => "not_open",
        Turn::NotAttending => "not_attending",
        Turn::Open => "open",
        Turn::Voted => "voted",
        Turn::Closed => "closed",
    })
}

/// Who signed a session's count (by name), when, and its hash; `None` before the signature.
pub(crate) async fn sealed_line(
    state: &AppState,
    session: &store::entities::review_session::Model,
) -> Result<Option<(String, String, String)>, WebError> {
    let (Some(by), Some(at), Some(hash)) =
        (&session.sealed_by, session.sealed_at, &session.sealed_hash)
    else {
        return Ok(None);
    };
    let name = match super::dossiers::account_of(by) {
        Some(id) => store::accounts::get(&state.db, id)
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?
            .map(|a| a.display_name),
        None => None,
    };
    Ok(Some((
        name.unwrap_or_else(|| by.clone()),
        super::beijing_time(at),
        hash.clone(),
    )))
}

/// The counts waiting for this expert's signature as chair or vice-chair.
pub(super) async fn to_sign(
    state: &AppState,
    expert: &Authed,
) -> Result<Vec<(i64, String, String)>, WebError> {
    Ok(ballot::awaiting_signature(&state.db, &expert.who())
        .await
        .map_err(case)?
        .into_iter()
        .map(|s| (s.id, s.name, s.sits_on.to_string()))
        .collect())
}

#[derive(serde::Deserialize)]
pub struct VoteForm {
    #[serde(default)]
    choice: String,
}

/// `POST /expert/sessions/{session}/dossiers/{dossier}/ballot`
pub async fn vote(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(ids): Path<(String, String)>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let seat = seat_of(&state, &expert, &ids).await?;
    let TypedForm(form) = TypedForm::<VoteForm>::read(body, FORM_BYTES).await?;
    let (s, d) = (seat.session.id, seat.dossier.id);
    let problem = match Choice::parse(&form.choice) {
        None => FieldProblem::new("choice", P::ErrChooseVote),
        Some(choice) => match ballot::cast(&state.desk(), &expert.who(), s, d, choice).await {
            Ok(()) => return Ok(Said::VoteCast.on(&format!("/expert/sessions/{s}/dossiers/{d}"))),
            Err(BallotError::NotOpen) => FieldProblem::new("choice", P::ErrBallotNotOpen),
            Err(BallotError::Closed) => FieldProblem::new("choice", P::ErrBallotClosed),
            Err(BallotError::AlreadyVoted) => FieldProblem::new("choice", P::ErrAlreadyVoted),
            Err(BallotError::NotAttending) => FieldProblem::new("choice", P::ErrNotAttending),
            Err(e) => return Err(case(e)),
        },
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(&state, parts, &seat, None, vec![problem], None, status).await
}

async fn sign_view(
    state: &AppState,
    parts: axum::http::request::Parts,
    expert: &Authed,
    id: &str,
    problems: Vec<FieldProblem>,
    status: StatusCode,
) -> Result<Response, WebError> {
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let (session, results) = match ballot::result_for_chair(&state.db, &expert.who(), id).await {
        Ok(found) => found,
        // Before the close there is no count: nothing to show, as for any other address.
        Err(BallotError::NotClosed) => return Err(WebError::NotFound),
        Err(e) => return Err(case(e)),
    };
    let ids: Vec<i64> = results.iter().map(|r| r.dossier_id).collect();
    let names = store::dossiers::full_names(&state.db, &ids).await?;
    let name = |id: i64| {
        names
            .iter()
            .find(|(d, _)| *d == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default()
    };
    let data = SignData {
        session_id: session.id,
        session: session.name.clone(),
        sits_on: session.sits_on.to_string(),
        results: super::sessions::result_rows(&results, &name),
        sealed: sealed_line(state, &session).await?,
        problems,
        notice: Said::from_query(parts.uri.query()),
    };
    let mut parts = parts;
    if let Ok(uri) = format!("/expert/sessions/{id}/result").parse() {
        parts.uri = uri;
    }
    Ok(render(state, parts, data, status).await)
}

/// `GET /expert/sessions/{id}/result`
pub async fn sign_page(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    sign_view(&state, parts, &expert, &id, Vec::new(), StatusCode::OK).await
}

#[derive(serde::Deserialize)]
pub struct SignForm {
    #[serde(default)]
    confirm: String,
}

/// `POST /expert/sessions/{id}/result` (`confirm=yes`)
pub async fn sign(
    State(state): State<AppState>,
    ExpertRole(expert): ExpertRole,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<SignForm>::read(body, FORM_BYTES).await?;
    let problem = if form.confirm != "yes" {
        FieldProblem::new("confirm", P::ErrConfirmSeal)
    } else {
        let session: i64 = id.parse().map_err(|_| WebError::NotFound)?;
        match ballot::seal(&state.desk(), &expert.who(), session).await {
            Ok(_) => return Ok(Said::Signed.on(&format!("/expert/sessions/{session}/result"))),
            Err(BallotError::AlreadySealed) => FieldProblem::new("confirm", P::ErrAlreadySealed),
            Err(BallotError::NotClosed) => return Err(WebError::NotFound),
            Err(e) => return Err(case(e)),
        }
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    sign_view(&state, parts, &expert, &id, vec![problem], status).await
}
