//! Sessions: the cookie names a session stored in the database (only its hash is kept); a layer
//! in front of every route turns it into the signed-in account and its roles. Also the
//! per-address limit on sign-in attempts (counted in the database), beside the per-account
//! lockout of `store::accounts`.

use std::net::IpAddr;
use std::time::Duration;

use axum::{
    extract::{Request, State},
    http::{header, HeaderValue},
    middleware::Next,
    response::Response,
};
use chrono::Utc;
use store::accounts::{self, Grant};
use store::workflow::Role;

use crate::state::AppState;

/// Name of the session cookie.
pub const SESSION_COOKIE: &str = "gt_session";

/// The signed-in account as handlers need it: its id, roles with scopes, and session token.
#[derive(Clone, Debug)]
pub struct Authed {
    pub account_id: i64,
    pub username: String,
    pub display_name: String,
    pub grants: Vec<Grant>,
    pub token: String,
}

impl Authed {
    /// The label written into the audit log.
    pub fn label(&self) -> String {
        format!("account:{}:{}", self.account_id, self.username)
    }

    /// The scope values of a role this account holds.
    pub fn scopes<'a>(
        &'a self,
        role: Role,
        pick: fn(&Grant) -> Option<&String>,
    ) -> impl Iterator<Item = &'a String> + 'a {
        self.grants
            .iter()
            .filter(move |g| g.role() == Some(role))
            .filter_map(pick)
    }

    pub fn has(&self, role: Role) -> bool {
        self.grants.iter().any(|g| g.role() == Some(role))
    }
}

/// Paths whose responses are personal whoever asks (the page itself, or a redirect to sign in).
const PRIVATE_PREFIXES: &[&str] = &[
    "/dossiers",
    "/review",
    "/admin",
    "/account",
    "/apply",
    "/reset/",
];

/// The pages that tell a signed-in applicant of a bar on applying for a title (after a
/// revocation for fraud): the self-check and its result, and the start of an application. Only
/// these pay for the lookup; the dossier page finds its own (`web::dossiers::view`).
const BAR_PAGES: &[&str] = &["/check", "/check/result", "/apply"];

/// Whether the response to a request for `path` must not be stored by any cache: every response
/// to a signed-in request except the hashed public assets (`/pkg/`, the same bytes for everyone),
/// and every response under [`PRIVATE_PREFIXES`].
fn no_store(path: &str, signed_in: bool) -> bool {
    (signed_in && !path.starts_with("/pkg/"))
        || PRIVATE_PREFIXES.iter().any(|p| path.starts_with(p))
}

/// Looks up the session cookie and, when it names a live session, puts [`Authed`] and the
/// pages' [`app::portal::Viewer`] into the request. Marks the response `Cache-Control:
/// no-store` where [`no_store`] says so, replacing the `no-cache` pages get by default.
pub async fn resolve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let (request, signed_in) = with_session(&state, request).await;
    let mut response = next.run(request).await;
    if no_store(&path, signed_in) {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

async fn with_session(state: &AppState, mut request: Request) -> (Request, bool) {
    let mut signed_in = false;
    if let Some(token) = super::cookie(request.headers(), SESSION_COOKIE) {
        let idle = state.login_policy.idle_timeout;
        match accounts::session_account(&state.db, &token, Utc::now(), idle).await {
            Ok(Some(account)) => match accounts::grants(&state.db, account.id).await {
                Ok(grants) => {
                    let viewer = app::portal::Viewer {
                        id: account.id,
                        username: account.username.clone(),
                        display_name: account.display_name.clone(),
                        roles: grants.iter().map(|g| g.role.clone()).collect(),
                        committee: grants
                            .iter()
                            .find(|g| g.role() == Some(store::workflow::Role::CommitteeOffice))
                            .and_then(|g| g.scope_committee.clone()),
                    };
                    let applicant = viewer.has("applicant");
                    request.extensions_mut().insert(viewer);
                    let path = request.uri().path();
                    if path.starts_with("/admin/") && path != "/admin/calendar" {
                        if let Some(gap) = super::calendar::gap(state, &grants) {
                            request.extensions_mut().insert(gap);
                        }
                    }
                    if applicant && BAR_PAGES.contains(&request.uri().path()) {
                        let today = state.book.today();
                        match casework::revocation::bar_of_account(&state.db, account.id, today)
                            .await
                        {
                            Ok(Some(bar)) => {
                                let bar = super::results::bar_view(bar);
                                request.extensions_mut().insert(bar);
                            }
                            Ok(None) => {}
                            Err(e) => tracing::error!(error = %e, "reading a bar on applying"),
                        }
                    }
                    request.extensions_mut().insert(Authed {
                        account_id: account.id,
                        username: account.username,
                        display_name: account.display_name,
                        grants,
                        token,
                    });
                    signed_in = true;
                }
                Err(e) => tracing::error!(error = %e, "reading roles"),
            },
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "reading session"),
        }
    }
    (request, signed_in)
}

/// At most `max` sign-in attempts per address in a `window`, counted in the database
/// (`store::shared::count_attempt`), so every instance serving the same database shares the
/// count. A window opens at an address's first attempt.
#[derive(Clone, Debug)]
pub struct LoginLimiter {
    db: store::Db,
    max: u32,
    window: Duration,
}

impl LoginLimiter {
    pub fn new(db: store::Db, max: u32, window: Duration) -> LoginLimiter {
        LoginLimiter { db, max, window }
    }

    /// The window of an address's attempts.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// Counts an attempt from `ip`; `false` when it is over the limit. When the count cannot
    /// be written the attempt is let through (and logged): the sign-in it guards needs the same
    /// database and fails there.
    pub async fn allow(&self, ip: IpAddr) -> bool {
        let now = Utc::now().timestamp();
        let window = i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX);
        match store::shared::count_attempt(&self.db, &ip.to_string(), now, window).await {
            Ok(attempts) => attempts <= self.max,
            Err(e) => {
                tracing::error!(error = %e, "counting a sign-in attempt");
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_responses_are_never_stored() {
        for path in [
            "/",
            "/check",
            "/dossiers/3",
            "/lang/en",
            "/api/v1/rule-sets",
        ] {
            assert!(no_store(path, true), "{path} signed in");
        }
        for path in [
            "/dossiers",
            "/review.csv",
            "/admin/accounts",
            "/account/password",
        ] {
            assert!(no_store(path, false), "{path} anonymous");
        }
        assert!(!no_store("/check", false));
        assert!(!no_store("/", false));
        assert!(
            !no_store("/pkg/guantong.0123abcd.css", true),
            "public assets stay cacheable"
        );
    }
}
