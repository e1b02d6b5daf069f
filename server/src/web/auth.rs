//! Sign in, register, sign out, change one's password, and set a password with an
//! administrator's reset link. A refused form goes back to its page with the problem's code and
//! what was typed (never the password) in the query string, so nothing is lost and nothing secret
//! lands in a URL.
//!
//! What the answers reveal about which usernames exist: a sign-in to a locked account is answered
//! exactly like a wrong password (the lock is logged and audited, and the password check runs
//! either way, so the time taken is the same too); a registration whose username is taken is
//! answered like one whose username is reserved ("this username cannot be used"), after the same
//! password hashing, and such refusals count against the per-address limit of sign-in attempts.

use std::net::SocketAddr;

use app::portal::P;
use axum::{
    body::Bytes,
    extract::{ConnectInfo, Path, Request, State},
    http::{header, HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    Extension,
};
use chrono::Utc;
use serde::Deserialize;
use store::accounts::{self, AccountError, Grant};

use super::extract::WebError;
use super::{cookie, safe_next, see_other, session_cookie, Authed, SESSION_COOKIE};
use crate::state::AppState;

use app::components::layout::encode_component as enc;

/// Where someone lands after signing in, by their roles.
fn home_for(grants: &[Grant]) -> &'static str {
    use store::workflow::Role;
    let has = |r: Role| grants.iter().any(|g| g.role() == Some(r));
    if has(Role::EmployerHr) || has(Role::CommitteeOffice) {
        "/review"
    } else if has(Role::ProvincialAdmin) {
        "/admin/accounts"
    } else {
        "/dossiers"
    }
}

/// The client's address, for the per-address limit.
pub(super) fn client_ip(connect: Option<Extension<ConnectInfo<SocketAddr>>>) -> std::net::IpAddr {
    connect
        .map(|Extension(ConnectInfo(addr))| addr.ip())
        .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into())
}

/// Ends the session the browser presents, if any: signing in or registering always starts a
/// new session (a new id), and the old one must not live on beside it.
pub(super) async fn end_presented_session(state: &AppState, headers: &HeaderMap) {
    if let Some(old) = cookie(headers, SESSION_COOKIE) {
        if let Err(e) = accounts::logout(&state.db, &old).await {
            tracing::error!(error = %e, "ending the session held before signing in");
        }
    }
}

pub(super) fn signed_in(state: &AppState, token: &str, location: &str) -> Response {
    let max_age = state.login_policy.session_ttl.num_seconds();
    let mut response = see_other(location);
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(token, max_age, state.secure_cookies),
    );
    response
}

/// The account forms, as typed. Passwords are kept as sent (a space in one is part of it); the
/// other fields are trimmed where they are read.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct AccountForm {
    pub(super) username: String,
    pub(super) display_name: String,
    current: String,
    pub(super) password: String,
    pub(super) confirm: String,
    pub(super) next: String,
    /// The tick agreeing to the privacy notice at registration (`yes`).
    pub(super) consent: String,
}

impl AccountForm {
    /// Decodes a posted account form; one that does not decode is answered 400, in both
    /// languages, and changes nothing.
    pub(super) fn read(body: &[u8]) -> Result<AccountForm, WebError> {
        serde_urlencoded::from_bytes(body).map_err(|e| {
            tracing::warn!(error = %e, "an account form did not decode");
            WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable)
        })
    }
}

/// `POST /login`
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let form = match AccountForm::read(&body) {
        Ok(form) => form,
        Err(refused) => return refused.into_response(),
    };
    let username = form.username.trim().to_lowercase();
    let password = form.password.as_str();
    // An unsafe `next` is dropped here, so it is not carried back to the form either.
    let next = safe_next(form.next.trim(), "");
    let next = next.as_str();
    let back = |code: &str| {
        let mut url = format!("/login?error={code}&username={}", enc(&username));
        if !next.is_empty() {
            url.push_str(&format!("&next={}", enc(next)));
        }
        see_other(&url)
    };
    let ip = client_ip(connect);
    if !state.login_limiter.allow(ip).await {
        tracing::warn!(%ip, "sign-in attempts over the limit");
        return back("rate");
    }
    match accounts::login(
        &state.db,
        &username,
        password,
        state.login_policy,
        Utc::now(),
    )
    .await
    {
        Ok((account, token)) => {
            end_presented_session(&state, &headers).await;
            let grants = accounts::grants(&state.db, account.id)
                .await
                .unwrap_or_default();
            let location = safe_next(next, home_for(&grants));
            signed_in(&state, &token, &location)
        }
        Err(AccountError::InvalidCredentials) => back("invalid"),
        // Answered like a wrong password, so the answer does not tell that the account exists.
        Err(AccountError::Locked { until }) => {
            tracing::warn!(%ip, username = %username, %until, "sign-in to a locked account refused");
            back("invalid")
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            back("invalid")
        }
    }
}

/// A 303 back to `page` naming each problem (`?error=code&…`), opening at `anchor`.
fn back_to(page: &str, errors: &[&str], anchor: &str) -> Response {
    let query: Vec<String> = errors.iter().map(|e| format!("error={e}")).collect();
    see_other(&format!("{page}?{}{anchor}", query.join("&")))
}

/// `GET /account/password`: the form to change one's own password.
pub async fn password_page(
    State(state): State<AppState>,
    _: super::extract::SignedIn,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    super::render(&state, parts, (), StatusCode::OK).await
}

/// `POST /account/password`: checks the current password, sets the new one, ends every other
/// session of the account and gives this browser a new session.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Response {
    const PAGE: &str = "/account/password";
    let Some(Extension(authed)) = authed else {
        return see_other(&format!("/login?next={}", enc(PAGE)));
    };
    let form = match AccountForm::read(&body) {
        Ok(form) => form,
        Err(refused) => return refused.into_response(),
    };
    let (current, password) = (form.current.as_str(), form.password.as_str());
    let confirm = form.confirm.as_str();
    let back = |errors: &[&str]| back_to(PAGE, errors, "");
    let mut errors = Vec::new();
    if current.is_empty() {
        errors.push("current");
    }
    if password.chars().count() < rules::limits::MIN_PASSWORD_CHARS {
        errors.push("password");
    } else if password != confirm {
        errors.push("confirm");
    } else if password == current {
        errors.push("password_same");
    }
    if !errors.is_empty() {
        return back(&errors);
    }
    // Guessing the current password from a session left open is limited like signing in.
    if !state.login_limiter.allow(client_ip(connect)).await {
        return back(&["rate"]);
    }
    match accounts::change_password(
        &state.db,
        &authed.token,
        current,
        password,
        state.login_policy,
        Utc::now(),
    )
    .await
    {
        Ok(token) => {
            tracing::info!(account = authed.account_id, "password changed");
            signed_in(&state, &token, &format!("{PAGE}?notice=changed"))
        }
        Err(AccountError::InvalidCredentials) => back(&["current"]),
        Err(AccountError::SessionEnded) => see_other(&format!("/login?next={}", enc(PAGE))),
        Err(e) => super::internal(e),
    }
}

#[derive(serde::Deserialize)]
struct DeleteAccountForm {
    #[serde(default)]
    delete_password: String,
    #[serde(default)]
    confirm_account_delete: String,
}

/// `POST /account/delete` (`delete_password`, `confirm_account_delete=yes`): the holder deletes
/// an account that has applied nowhere, with its drafts; the browser is signed out.
#[tracing::instrument(skip_all)]
pub async fn delete_account(
    State(state): State<AppState>,
    authed: Option<Extension<Authed>>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Response {
    const PAGE: &str = "/account/password";
    let Some(Extension(authed)) = authed else {
        return see_other(&format!("/login?next={}", enc(PAGE)));
    };
    let Ok(form) = serde_urlencoded::from_bytes::<DeleteAccountForm>(&body) else {
        return WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable).into_response();
    };
    let back = |errors: &[&str]| back_to(PAGE, errors, "#delete-account");
    let mut errors = Vec::new();
    if form.delete_password.is_empty() {
        errors.push("delete_password");
    }
    if form.confirm_account_delete.trim() != "yes" {
        errors.push("delete_confirm");
    }
    if !errors.is_empty() {
        return back(&errors);
    }
    // A guessed password is limited like signing in.
    if !state.login_limiter.allow(client_ip(connect)).await {
        return back(&["rate"]);
    }
    let dir = state.upload_dir.as_path();
    match accounts::delete_account(&state.db, &authed.token, &form.delete_password, dir).await {
        Ok(()) => {
            tracing::info!(account = authed.account_id, "account deleted by its holder");
            let mut response = see_other("/login?notice=account_deleted");
            response.headers_mut().insert(
                header::SET_COOKIE,
                session_cookie("", 0, state.secure_cookies),
            );
            response
        }
        Err(AccountError::InvalidCredentials) => back(&["delete_password"]),
        Err(AccountError::NotDeletable) => back(&["not_deletable"]),
        Err(AccountError::SessionEnded) => see_other(&format!("/login?next={}", enc(PAGE))),
        Err(e) => super::internal(e),
    }
}

/// `POST /logout`
pub async fn logout(State(state): State<AppState>, authed: Option<Extension<Authed>>) -> Response {
    if let Some(Extension(a)) = authed {
        if let Err(e) = accounts::logout(&state.db, &a.token).await {
            tracing::error!(error = %e, "ending a session");
        }
    }
    let mut response = see_other("/");
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie("", 0, state.secure_cookies),
    );
    response
}

/// `POST /reset/{token}`
pub async fn reset(
    State(state): State<AppState>,
    Path(token): Path<String>,
    body: Bytes,
) -> Response {
    let form = match AccountForm::read(&body) {
        Ok(form) => form,
        Err(refused) => return refused.into_response(),
    };
    let (password, confirm) = (form.password.as_str(), form.confirm.as_str());
    let back = |code: &str| see_other(&format!("/reset/{}?error={code}", enc(&token)));
    if password.chars().count() < rules::limits::MIN_PASSWORD_CHARS {
        return back("password");
    }
    if password != confirm {
        return back("confirm");
    }
    match accounts::reset_password(&state.db, &token, password, Utc::now()).await {
        Ok(()) => see_other("/login?reset=done"),
        Err(AccountError::ResetInvalid) => back("reset_invalid"),
        Err(e) => {
            tracing::error!(error = %e, "password reset failed");
            back("reset_invalid").into_response()
        }
    }
}
