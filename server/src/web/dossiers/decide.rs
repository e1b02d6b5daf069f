//! A reviewer's decision on a dossier: the employer's HR or the committee office approves,
//! accepts, ends the publicity or returns it with reasons per field.

use axum::{
    extract::{Request, State},
    http::StatusCode,
    response::Response,
};
use casework::commands::{self, Decide, DecideError};
use serde::Deserialize;
use store::workflow::{Decision, FieldReason, Step};

use app::portal::{FieldProblem, P, REASON_FIELDS};

use super::{show, Opens, ToRead};
use crate::state::AppState;
use crate::web::extract::{TypedForm, WebError};
use crate::web::notice::Said;

/// The form of a decision: which one, on which version, and a return's reasons per field.
#[derive(Deserialize)]
pub struct DecisionForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    version: String,
    /// The tick that confirms an approval (`yes`).
    #[serde(default)]
    confirm: String,
    /// `reason_{field}` for each field of [`REASON_FIELDS`].
    #[serde(flatten)]
    reasons: std::collections::HashMap<String, String>,
}

/// The most a decision form may weigh (ten reasons of 1,000 characters fit well inside).
const DECISION_FORM_BYTES: usize = 256 * 1024;

/// The most characters a reason keeps.
const MAX_REASON_CHARS: usize = rules::limits::MAX_REASON_CHARS;

/// `POST /dossiers/{id}/decision`: the employer's or the committee office's decision.
#[tracing::instrument(skip_all, fields(id = %opened.dossier.id()))]
pub async fn decide(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    // Someone who may read the dossier but decides nothing on it is told "not found".
    commands::reviewer(&opened).ok_or(WebError::NotFound)?;
    let TypedForm(form) = TypedForm::<DecisionForm>::read(body, DECISION_FORM_BYTES).await?;
    let dossier_id = opened.dossier.id();
    let Some(decision) = Decision::parse(form.action.trim()) else {
        return Ok(Said::NotAllowed.on_dossier(dossier_id, ""));
    };
    if decision == Decision::Approve && form.confirm.trim() != "yes" {
        // Back on the dossier's page, with the problem beside the tick.
        let problem = FieldProblem::new("confirm", P::ErrConfirmApprove);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&state, parts, &opened, None, None, vec![problem], status).await;
    }
    let reasons = REASON_FIELDS
        .iter()
        .filter_map(|f| {
            let text = form.reasons.get(&format!("reason_{f}"))?.trim();
            (!text.is_empty()).then(|| FieldReason {
                field: (*f).to_owned(),
                reason: text.chars().take(MAX_REASON_CHARS).collect(),
            })
        })
        .collect();
    let command = Decide {
        version: form.version.trim().parse().unwrap_or(-1),
        decision,
        reasons,
    };
    match commands::decide(&state.desk(), &authed.who(), &opened, command).await {
        Ok(step) => Ok(done(step).on_dossier(dossier_id, "")),
        Err(DecideError::NotYours) => Err(WebError::NotFound),
        Err(DecideError::ReasonsRequired) => {
            // Back on the dossier's page, with the problem beside the first reason field.
            let problem = FieldProblem::new("reason_full_name", P::ErrReasonsRequired);
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            show(&state, parts, &opened, None, None, vec![problem], status).await
        }
        Err(DecideError::PublicityNotOver { .. }) => {
            Ok(Said::PublicityNotOver.on_dossier(dossier_id, ""))
        }
        Err(DecideError::Calendar) => Ok(Said::Calendar.on_dossier(dossier_id, "")),
        Err(DecideError::NotAllowed) => Ok(Said::NotAllowed.on_dossier(dossier_id, "")),
        Err(DecideError::Conflict) => Ok(Said::Conflict.on_dossier(dossier_id, "")),
        Err(DecideError::Case(e)) => Err(e.into()),
    }
}

/// The notice a decision leaves.
fn done(step: Step) -> Said {
    match step {
        Step::EmployerApprove => Said::Approved,
        // A session assignment is no decision of this form; it is named like the acceptance.
        Step::CommitteeAccept | Step::AssignToSession => Said::Accepted,
        Step::EndPublicity => Said::PublicityEnded,
        Step::EmployerReturn | Step::CommitteeReturn | Step::Submit => Said::Returned,
        Step::Withdraw => Said::Withdrawn,
        // The chair's steps are taken on the signed count, never through this form.
        Step::RecordPass | Step::RecordFail | Step::Requeue => Said::Signed,
        // So are the result's steps, on the session's and the administrator's pages.
        Step::StartResultPublicity
        | Step::SuspendResult
        | Step::ReinstateResult
        | Step::RevokeResult
        | Step::ConfirmResult
        | Step::FileResult
        | Step::IssueCertificate
        | Step::RevokeCertificate
        | Step::Appeal
        | Step::UpholdAppeal
        | Step::DismissAppeal => Said::Signed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_step_leaves_its_notice() {
        for step in [
            Step::EmployerApprove,
            Step::CommitteeAccept,
            Step::EndPublicity,
        ] {
            assert!(done(step).notice().ok, "{step:?}");
        }
        assert_eq!(done(Step::EmployerReturn), Said::Returned);
    }
}
