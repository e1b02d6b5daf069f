//! Account administration for provincial administrators: find an account of their province and
//! issue a one-time reset link, shown once (no mail server needed). Accounts of other provinces
//! are neither listed nor reachable (`store::authz::may_administer`); within the province, an
//! administrator's own account and other provincial administrators' get no reset link from here
//! (`store::authz::reset_refusal`), and the page says why.

use axum::{
    extract::{Path, Request, State},
    http::StatusCode,
    response::Response,
};
use chrono::{Duration, Utc};

use app::portal::{AccountsData, P};
use store::accounts::{AccountError, Grant};
use store::authz::{reset_refusal, ResetRefusal};

use super::extract::Admin;
use super::{not_found, render, Authed};
use crate::state::AppState;

/// How long a reset link works.
const RESET_TTL_HOURS: i64 = 24;

/// `?q=`: the text the accounts are searched for.
#[derive(serde::Deserialize)]
struct Search {
    #[serde(default)]
    q: String,
}

async fn page(
    state: &AppState,
    parts: axum::http::request::Parts,
    admin: &Authed,
    issued: Option<(String, String)>,
    refused: Option<P>,
) -> Response {
    let search = serde_urlencoded::from_str::<Search>(parts.uri.query().unwrap_or(""))
        .map(|s| s.q.trim().to_owned())
        .unwrap_or_default();
    match store::accounts::search_administered(&state.db, &admin.grants, &search, 50).await {
        Ok(rows) => {
            let data = AccountsData {
                rows: rows
                    .into_iter()
                    .map(|(a, roles)| {
                        let grants: Vec<Grant> = roles
                            .iter()
                            .map(|role| Grant {
                                role: role.clone(),
                                ..Grant::default()
                            })
                            .collect();
                        let may_reset = reset_refusal(admin.account_id, a.id, &grants).is_none();
                        (a.id, a.username, a.display_name, roles, may_reset)
                    })
                    .collect(),
                search,
                issued,
                refused,
            };
            let status = if refused.is_some() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::OK
            };
            render(state, parts, data, status).await
        }
        Err(e) => super::internal(e),
    }
}

/// `GET /admin/accounts?q=`
pub async fn accounts_page(
    State(state): State<AppState>,
    Admin(admin): Admin,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    page(&state, parts, &admin, None, None).await
}

/// `POST /admin/accounts/{id}/reset`: the link is shown on the page this answers with.
pub async fn issue_reset(
    State(state): State<AppState>,
    Admin(authed): Admin,
    Path(id): Path<String>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let Ok(id) = id.parse::<i64>() else {
        return not_found(&state, parts).await;
    };
    let account = match store::accounts::get(&state.db, id).await {
        Ok(Some(a)) => a,
        Ok(None) => return not_found(&state, parts).await,
        Err(e) => return super::internal(e),
    };
    // Another province's account is answered like one that does not exist.
    match store::accounts::administers(&state.db, &authed.grants, id).await {
        Ok(true) => {}
        Ok(false) => return not_found(&state, parts).await,
        Err(e) => return super::internal(e),
    }
    // Issuing withdraws the account's earlier links and is audited, in one transaction.
    let issued = store::accounts::issue_reset(
        &state.db,
        authed.account_id,
        id,
        Duration::hours(RESET_TTL_HOURS),
        Utc::now(),
    )
    .await;
    let mut parts = parts;
    parts.uri = http::Uri::from_static("/admin/accounts");
    match issued {
        Ok(token) => {
            tracing::info!(admin = authed.account_id, account = id, "reset link issued");
            page(
                &state,
                parts,
                &authed,
                Some((account.username, format!("/reset/{token}"))),
                None,
            )
            .await
        }
        Err(AccountError::ResetRefused(why)) => {
            tracing::warn!(
                admin = authed.account_id,
                account = id,
                ?why,
                "reset link refused"
            );
            let text = match why {
                ResetRefusal::OwnAccount => P::ErrResetOwnAccount,
                ResetRefusal::PeerAdministrator => P::ErrResetPeerAdmin,
            };
            page(&state, parts, &authed, None, Some(text)).await
        }
        Err(AccountError::ResetInvalid) => not_found(&state, parts).await,
        Err(e) => super::internal(e),
    }
}
