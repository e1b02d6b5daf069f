//! What a person may do with their own information (个人信息保护法 Art. 45 and 47): delete a
//! draft they never submitted (its attachments with it), withdraw a submission the employer has
//! not decided on, and download everything the account holds about them as one JSON file.

use axum::{
    extract::{Request, State},
    http::{header, StatusCode},
    response::{IntoResponse, Response},
};
use casework::commands::SaveError;
use serde::Deserialize;
use store::dossiers::DossierError;

use app::portal::{FieldProblem, P};

use super::{show, Opens, ToEdit, ToRead};
use crate::state::AppState;
use crate::web::extract::{SignedIn, TypedForm, WebError};
use crate::web::notice::Said;

#[derive(Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    version: String,
    /// The tick confirming the deletion (`yes`).
    #[serde(default)]
    confirm_delete: String,
}

/// `POST /dossiers/{id}/delete`: the owner deletes a draft, after ticking that they mean it.
pub async fn delete(
    State(state): State<AppState>,
    Opens { authed, opened }: ToEdit,
    request: Request,
) -> Result<Response, WebError> {
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<DeleteForm>::read(body, 4 * 1024).await?;
    let id = opened.dossier.id();
    if form.confirm_delete.trim() != "yes" {
        let problem = FieldProblem::new("confirm_delete", P::ErrConfirmDelete);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&state, parts, &opened, None, None, vec![problem], status).await;
    }
    let version = form.version.trim().parse().unwrap_or(-1);
    let deleted =
        casework::commands::delete_draft(&state.desk(), &opened, version, &authed.label()).await;
    match deleted {
        Ok(()) => {
            tracing::info!(dossier = id, "draft deleted by its owner");
            Ok(crate::web::see_other(&format!(
                "/dossiers?notice={}",
                Said::Deleted.code()
            )))
        }
        Err(SaveError::NotEditable) => Ok(Said::NotAllowed.on_dossier(id, "")),
        Err(SaveError::Conflict { .. }) => Ok(Said::Conflict.on_dossier(id, "")),
        // Deleted meanwhile (another tab): gone, as for anything that does not exist.
        Err(SaveError::Case(casework::CaseError::Dossier(DossierError::NotFound))) => {
            Err(WebError::NotFound)
        }
        Err(SaveError::Case(e)) => Err(e.into()),
    }
}

#[derive(Deserialize)]
pub struct WithdrawForm {
    #[serde(default)]
    version: String,
    /// The tick confirming the withdrawal (`yes`).
    #[serde(default)]
    confirm_withdraw: String,
}

/// `POST /dossiers/{id}/withdraw`: the owner takes a submitted dossier back before the
/// employer decides, after ticking that they mean it; it is a draft again.
pub async fn withdraw(
    State(state): State<AppState>,
    Opens { authed, opened }: ToRead,
    request: Request,
) -> Result<Response, WebError> {
    use casework::commands::WithdrawError;
    let (parts, body) = request.into_parts();
    let TypedForm(form) = TypedForm::<WithdrawForm>::read(body, 4 * 1024).await?;
    let id = opened.dossier.id();
    if opened.actor != Some(store::workflow::Actor::Applicant) {
        return Err(WebError::NotFound);
    }
    if form.confirm_withdraw.trim() != "yes" {
        let problem = FieldProblem::new("confirm_withdraw", P::ErrConfirmWithdraw);
        let status = StatusCode::UNPROCESSABLE_ENTITY;
        return show(&state, parts, &opened, None, None, vec![problem], status).await;
    }
    let version = form.version.trim().parse().unwrap_or(-1);
    match casework::commands::withdraw(&state.desk(), &authed.who(), &opened, version).await {
        Ok(()) => Ok(Said::Withdrawn.on_dossier(id, "")),
        Err(WithdrawError::NotAllowed) => Ok(Said::NotAllowed.on_dossier(id, "")),
        Err(WithdrawError::Conflict) => Ok(Said::Conflict.on_dossier(id, "")),
        Err(WithdrawError::Case(e)) => Err(e.into()),
    }
}

/// `GET /account/data`: everything the account holds about the signed-in person — the account,
/// its roles, every dossier in full (the ID number in clear: it is theirs), each attachment's
/// name, type and size, and each dossier's history — as a JSON download.
pub async fn download(
    State(state): State<AppState>,
    SignedIn(authed): SignedIn,
) -> Result<Response, WebError> {
    let account = store::accounts::get(&state.db, authed.account_id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?
        .ok_or(WebError::NotFound)?;
    let mut dossiers = Vec::new();
    for d in store::dossiers::list_for_owner(&state.db, authed.account_id).await? {
        let attachments: Vec<serde_json::Value> = store::attachments::list(&state.db, d.id)
            .await
            .map_err(|e| WebError::Internal(e.to_string()))?
            .into_iter()
            .map(|a| {
                serde_json::json!({
                    "name": a.original_name,
                    "content_type": a.content_type,
                    "bytes": a.size,
                    "uploaded_at": a.created_at,
                })
            })
            .collect();
        let history: Vec<serde_json::Value> = store::dossiers::history(&state.db, d.id)
            .await?
            .into_iter()
            .map(|h| {
                serde_json::json!({
                    "at": h.at,
                    "action": h.action,
                    "from": h.from_state,
                    "to": h.to_state,
                })
            })
            .collect();
        let json = |text: &str| serde_json::from_str::<serde_json::Value>(text).ok();
        dossiers.push(serde_json::json!({
            "id": d.id,
            "state": d.state,
            "version": d.version,
            "full_name": d.full_name,
            "id_number": d.id_number,
            "employer": d.org,
            "committee": d.committee,
            "occupation": d.occupation,
            "current_post": d.current_post,
            "target": d.target,
            "answers": d.answers,
            "achievements": json(&d.achievements),
            "receipt": d.receipt.as_deref().and_then(json),
            "created_at": d.created_at,
            "updated_at": d.updated_at,
            "attachments": attachments,
            "history": history,
        }));
    }
    let grants = store::accounts::grants(&state.db, authed.account_id)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    let body = serde_json::json!({
        "exported_at": chrono::Utc::now(),
        "privacy_notice": "/privacy",
        "account": {
            "id": account.id,
            "username": account.username,
            "display_name": account.display_name,
            "created_at": account.created_at,
            "roles": grants.iter().map(|g| serde_json::json!({
                "role": g.role,
                "organisation": g.scope_org,
                "committee": g.scope_committee,
                "region": g.scope_region,
                "sector": g.scope_sector,
            })).collect::<Vec<_>>(),
        },
        "dossiers": dossiers,
    });
    let name = format!(
        "attachment; filename=\"guantong-my-data-{}.json\"",
        state.book.today()
    );
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/json; charset=utf-8".to_owned(),
            ),
            (header::CONTENT_DISPOSITION, name),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        serde_json::to_string_pretty(&body).unwrap_or_default(),
    )
        .into_response())
}
