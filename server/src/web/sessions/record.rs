//! `GET /sessions/{id}/record`: the meeting record of a closed session, for the committee's
//! office and the provincial administrator of its region (it names the experts, 40号令 Art. 24);
//! anyone else, and any session not closed yet, gets the same 404 as a session that does not
//! exist.

use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
};
use casework::ballot::BallotError;

use app::portal::sessions::{RecordApplicantRow, RecordData, ResultRow};

use super::name_of;
use crate::state::AppState;
use crate::web::dossiers::TargetNames;
use crate::web::extract::{SignedIn, WebError};
use crate::web::render;

pub async fn record(
    State(state): State<AppState>,
    SignedIn(reader): SignedIn,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, _) = request.into_parts();
    let id: i64 = id.parse().map_err(|_| WebError::NotFound)?;
    let (session, record, archived) =
        match casework::record::for_reader(&state.db, &reader.who(), id).await {
            Ok(found) => found,
            Err(BallotError::NotYours | BallotError::NotClosed) => return Err(WebError::NotFound),
            Err(BallotError::Case(e)) => return Err(e.into()),
            Err(e) => return Err(WebError::Internal(e.to_string())),
        };
    let orgs = super::org_names(&state).await?;
    let names = TargetNames::new(&state);
    let data = RecordData {
        session_id: session.id,
        session: record.session.clone(),
        sits_on: record.sits_on.to_string(),
        committee_name: name_of(&orgs, &record.committee),
        archived,
        sealed: crate::web::ballot::sealed_line(&state, &session).await?,
        members: record
            .members
            .iter()
            .map(|m| {
                (
                    m.name.clone(),
                    name_of(&orgs, &m.unit),
                    m.group.clone(),
                    m.duty.clone(),
                    m.high_skill,
                    m.attended,
                )
            })
            .collect(),
        applicants: record
            .applicants
            .iter()
            .map(|a| RecordApplicantRow {
                count: ResultRow {
                    dossier_id: a.dossier_id,
                    applicant: a.name.clone(),
                    group: a.group.clone(),
                    members: a.members,
                    recused: a.recused_count,
                    base: a.base,
                    agree: a.agree,
                    disagree: a.disagree,
                    abstain: a.abstain,
                    pass_needed: a.pass_needed,
                    outcome: a.outcome.clone(),
                },
                org: name_of(&orgs, &a.org),
                target: names.label(&a.target),
                recused: a.recused.clone(),
                opinions: a.opinions.clone(),
            })
            .collect(),
    };
    Ok(render(&state, parts, data, StatusCode::OK).await)
}
