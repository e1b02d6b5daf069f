//! Sign in, register, sign out, and setting a password with an administrator's reset link.
//! A refused form goes back to its page with the problem's code and what was typed (never the
//! password) in the query string, so nothing is lost and nothing secret lands in a URL.

use std::net::SocketAddr;
use std::time::Instant;

use axum::{
    body::Bytes,
    extract::{ConnectInfo, Path, State},
    http::header,
    response::{IntoResponse, Response},
    Extension,
};
use chrono::Utc;
use store::accounts::{self, AccountError, Grant};

use super::{field, form_pairs, safe_next, see_other, session_cookie, Authed};
use crate::startup::AppState;

use app::components::layout::encode_component as enc;

/// Where someone lands after signing in, by their roles.
fn home_for(grants: &[Grant]) -> &'static str {
    let has = |r: &str| grants.iter().any(|g| g.role == r);
    if has("employer_hr") || has("committee_office") {
        "/review"
    } else if has("provincial_admin") {
        "/admin/accounts"
    } else {
        "/dossiers"
    }
}

fn signed_in(state: &AppState, token: &str, location: &str) -> Response {
    let max_age = state.login_policy.session_ttl.num_seconds();
    let mut response = see_other(location);
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(token, max_age, state.secure_cookies),
    );
    response
}

/// `POST /login`
#[tracing::instrument(skip_all)]
pub async fn login(
    State(state): State<AppState>,
    connect: Option<Extension<ConnectInfo<SocketAddr>>>,
    body: Bytes,
) -> Response {
    let pairs = form_pairs(&body);
    let username = field(&pairs, "username").to_lowercase();
    let password = app::check::get(&pairs, "password").unwrap_or("");
    // An unsafe `next` is dropped here, so it is not carried back to the form either.
    let next = safe_next(field(&pairs, "next"), "");
    let next = next.as_str();
    let back = |code: &str| {
        let mut url = format!("/login?error={code}&username={}", enc(&username));
        if !next.is_empty() {
            url.push_str(&format!("&next={}", enc(next)));
        }
        see_other(&url)
    };
    let ip = connect
        .map(|Extension(ConnectInfo(addr))| addr.ip())
        .unwrap_or(std::net::Ipv4Addr::UNSPECIFIED.into());
    if !state.login_limiter.allow(ip, Instant::now()) {
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
            let grants = accounts::grants(&state.db, account.id)
                .await
                .unwrap_or_default();
            let location = safe_next(next, home_for(&grants));
            signed_in(&state, &token, &location)
        }
        Err(AccountError::InvalidCredentials) => back("invalid"),
        Err(AccountError::Locked { .. }) => back("locked"),
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            back("invalid")
        }
    }
}

/// The username rule: 3–32 of `a-z 0-9 . _ -`.
pub fn username_ok(u: &str) -> bool {
    (3..=32).contains(&u.len())
        && u.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b))
}

/// `POST /register`: a new applicant account, signed in at once.
#[tracing::instrument(skip_all)]
pub async fn register(State(state): State<AppState>, body: Bytes) -> Response {
    let pairs = form_pairs(&body);
    let username = field(&pairs, "username").to_lowercase();
    let display_name = field(&pairs, "display_name").to_owned();
    let password = app::check::get(&pairs, "password").unwrap_or("");
    let confirm = app::check::get(&pairs, "confirm").unwrap_or("");
    let next = safe_next(field(&pairs, "next"), "");
    let next = next.as_str();
    let mut errors = Vec::new();
    if !username_ok(&username) {
        errors.push("username");
    }
    if display_name.is_empty() || display_name.chars().count() > 50 {
        errors.push("display_name");
    }
    if password.chars().count() < 10 {
        errors.push("password");
    } else if password != confirm {
        errors.push("confirm");
    }
    let back = |errors: &[&str]| {
        let mut url = format!(
            "/register?username={}&display_name={}",
            enc(&username),
            enc(&display_name)
        );
        for e in errors {
            url.push_str(&format!("&error={e}"));
        }
        if !next.is_empty() {
            url.push_str(&format!("&next={}", enc(next)));
        }
        see_other(&url)
    };
    if !errors.is_empty() {
        return back(&errors);
    }
    let account = match accounts::register(&state.db, &username, &display_name, password).await {
        Ok(a) => a,
        Err(AccountError::UsernameTaken) => return back(&["taken"]),
        Err(e) => {
            tracing::error!(error = %e, "registration failed");
            return super::see_other("/register?error=username");
        }
    };
    let grant = Grant {
        role: "applicant".into(),
        ..Grant::default()
    };
    if let Err(e) = accounts::grant(&state.db, account.id, grant).await {
        tracing::error!(error = %e, "granting the applicant role");
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
        Ok((_, token)) => signed_in(&state, &token, &safe_next(next, "/dossiers")),
        Err(_) => see_other("/login"),
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
    let pairs = form_pairs(&body);
    let password = app::check::get(&pairs, "password").unwrap_or("");
    let confirm = app::check::get(&pairs, "confirm").unwrap_or("");
    let back = |code: &str| see_other(&format!("/reset/{}?error={code}", enc(&token)));
    if password.chars().count() < 10 {
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

#[cfg(test)]
mod tests {
    use super::username_ok;

    #[test]
    fn usernames_are_short_plain_and_lower_case() {
        assert!(username_ok("wang.jianguo_1"));
        assert!(!username_ok("ab"));
        assert!(!username_ok("Wang"));
        assert!(!username_ok("王建国"));
        assert!(!username_ok(&"a".repeat(33)));
    }
}
