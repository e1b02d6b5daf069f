//! `POST /dossiers/{id}/appeal` (`appeal_reason`): the owner asks for a review (复查) of a
//! result that did not pass, while the time runs; a missing reason or a late request comes back
//! as the dossier's page with the problem beside the field.

use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};
use casework::appeals::{self, AppealError};

use app::portal::{FieldProblem, P};

use super::{show, Opens, ToRead};
use crate::state::AppState;
use crate::web::extract::{TypedForm, WebError};
use crate::web::notice::Said;

#[derive(serde::Deserialize)]
pub struct AppealForm {
    #[serde(default)]
    appeal_reason: String,
}

pub async fn appeal(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<AppealForm>::read(body, 16 * 1024).await?;
    let id = opened.dossier.id();
    let problem = match appeals::appeal(&state.desk(), &authed.who(), id, &form.appeal_reason).await
    {
        Ok(()) => return Ok(Said::AppealLodged.on_dossier(id, "")),
        Err(AppealError::ReasonMissing) => FieldProblem::new("appeal_reason", P::ErrAppealReason),
        Err(AppealError::TooLate(day)) => {
            FieldProblem::new("appeal_reason", P::ErrAppealLate).with(&[("date", &day.to_string())])
        }
        Err(AppealError::NotYours) => return Err(WebError::NotFound),
        Err(AppealError::Case(e)) => return Err(e.into()),
        Err(e) => return Err(WebError::Internal(e.to_string())),
    };
    let status = StatusCode::UNPROCESSABLE_ENTITY;
    show(&state, parts, &opened, None, None, vec![problem], status).await
}
