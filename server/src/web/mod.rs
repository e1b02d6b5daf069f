//! The application's own routes beside the public API: accounts, dossiers, review queues and
//! account administration. Handlers load what a page needs, check who may see or do it
//! (`store::authz`), and either redirect (after a change) or render the page with its data in
//! context. Every form is a plain HTML form, so all of it works without JavaScript.

mod admin;
mod auth;
pub(crate) mod ballot;
mod calendar;
mod clock;
mod committees;
mod dossiers;
mod expert;
pub mod extract;
mod notice;
mod register;
mod results;
mod review;
pub mod session;
mod sessions;

use app::portal::P;
use axum::{
    body::Body,
    extract::{DefaultBodyLimit, Request},
    http::{header, request::Parts, HeaderMap, HeaderValue, Method, StatusCode},
    middleware::{self, Next},
    response::{IntoResponse, Response},
    routing::{get, post},
    Router,
};
use leptos::prelude::provide_context;

use crate::state::AppState;
pub use session::{Authed, SESSION_COOKIE};

/// Paths whose pages are rendered by the handlers here (excluded from Leptos's own routes).
pub const HANDLED_PAGES: &[&str] = &[
    "/apply",
    "/dossiers",
    "/dossiers/{id}",
    "/review",
    "/admin/accounts",
    "/admin/committees",
    "/admin/results",
    "/admin/calendar",
    "/admin/certificates",
    "/admin/certificates/{id}",
    "/publicity",
    "/certificates/{code}",
    "/dossiers/{id}/certificate",
    "/publicity/{dossier}",
    "/committees/{code}",
    "/account/password",
    "/sessions",
    "/sessions/{id}",
    "/sessions/{id}/record",
    "/expert",
    "/expert/sessions/{session}/dossiers/{dossier}",
    "/expert/sessions/{session}/result",
];

/// The largest form body accepted: an upload of 10 MB plus the rest of the form.
const MAX_FORM_BYTES: usize = store::attachments::MAX_FILE_BYTES as usize + 1024 * 1024;

/// The routes of this module.
pub fn router(state: &AppState) -> Router<AppState> {
    let mut router = Router::new()
        .route("/login", post(auth::login))
        .route("/register", post(register::register))
        .route("/logout", post(auth::logout))
        .route("/account/delete", post(auth::delete_account))
        .route("/reset/{token}", post(auth::reset))
        .route(
            "/account/password",
            get(auth::password_page).post(auth::change_password),
        )
        .route("/apply", get(dossiers::apply_page))
        .route(
            "/dossiers",
            get(dossiers::my_dossiers).post(dossiers::create),
        )
        .route("/dossiers/{id}", get(dossiers::page).post(dossiers::save))
        .route("/dossiers/{id}/decision", post(dossiers::decide))
        .route("/dossiers/{id}/delete", post(dossiers::delete_draft))
        .route("/dossiers/{id}/withdraw", post(dossiers::withdraw))
        .route("/account/data", get(dossiers::my_data))
        .route("/sessions", get(sessions::list_page).post(sessions::open))
        .route("/sessions/{id}", get(sessions::page))
        .route("/sessions/{id}/draw", post(sessions::draw))
        .route("/sessions/{id}/recusals", post(sessions::declare))
        .route("/sessions/{id}/recusals/{recusal}", post(sessions::decide))
        .route(
            "/sessions/{id}/ballot/attendance",
            post(sessions::attendance),
        )
        .route("/sessions/{id}/ballot/open", post(sessions::open_ballot))
        .route("/sessions/{id}/ballot/close", post(sessions::close_ballot))
        .route("/sessions/{id}/record", get(sessions::record))
        .route("/sessions/{id}/results/publicity", post(results::start))
        .route(
            "/sessions/{id}/objections/{objection}",
            post(results::decide),
        )
        .route(
            "/sessions/{id}/results/{dossier}/reinstate",
            post(results::reinstate),
        )
        .route("/publicity", get(results::publicity))
        .route("/certificates/{code}", get(results::verify_certificate))
        .route("/dossiers/{id}/certificate", get(dossiers::certificate))
        .route("/dossiers/{id}/appeal", post(dossiers::appeal))
        .route(
            "/sessions/{id}/appeals/{dossier}",
            post(results::decide_appeal),
        )
        .route(
            "/publicity/{dossier}",
            get(results::objection_form).post(results::lodge),
        )
        .route("/admin/results", get(results::confirm_list))
        .route("/admin/results/{session}/confirm", post(results::confirm))
        .route(
            "/admin/calendar",
            get(calendar::calendar_page).post(calendar::save),
        )
        .route("/admin/calendar/import", post(calendar::import))
        .route("/admin/calendar/export", get(calendar::export))
        .route("/admin/certificates", get(results::certificates_page))
        .route("/admin/certificates/{id}", get(results::certificate_page))
        .route(
            "/admin/certificates/{id}/revoke",
            post(results::revoke_certificate),
        )
        .route("/expert", get(expert::workspace))
        .route(
            "/expert/sessions/{session}/dossiers/{dossier}",
            get(expert::dossier_page).post(expert::assess),
        )
        .route(
            "/expert/sessions/{session}/dossiers/{dossier}/recusal",
            post(expert::step_out),
        )
        .route(
            "/expert/sessions/{session}/dossiers/{dossier}/ballot",
            post(ballot::vote),
        )
        .route(
            "/expert/sessions/{session}/result",
            get(ballot::sign_page).post(ballot::sign),
        )
        .route(
            "/expert/sessions/{session}/dossiers/{dossier}/attachments/{attachment}",
            get(expert::download),
        )
        .route("/dossiers/{id}/answers", post(dossiers::update_answers))
        .route(
            "/dossiers/{id}/attachments/{attachment}",
            get(dossiers::download),
        )
        .route("/review", get(review::queue_page))
        .route("/review.csv", get(review::queue_csv))
        .route("/admin/accounts", get(admin::accounts_page))
        .route("/admin/accounts/{id}/reset", post(admin::issue_reset))
        .route(
            "/admin/committees",
            get(committees::admin_page).post(committees::create),
        )
        .route("/admin/committees/{code}", post(committees::update_record))
        .route("/admin/committees/{code}/filing", post(committees::file))
        .route("/committees/{code}", get(committees::page))
        .route("/committees/{code}/experts", post(committees::add_expert))
        .route(
            "/committees/{code}/experts/{id}",
            post(committees::edit_expert),
        )
        .route(
            "/committees/{code}/experts/{id}/deactivate",
            post(committees::deactivate_expert),
        )
        .route("/committees/{code}/import", post(committees::import))
        .route(
            "/committees/{code}/experts.csv",
            get(committees::export_csv),
        )
        .route(
            "/committees/{code}/experts.xlsx",
            get(committees::export_xlsx),
        );
    if state.test_clock {
        router = router.route("/test/clock", post(clock::advance_clock));
    }
    router
        .layer(middleware::from_fn_with_state(
            state.clone(),
            extract::not_found_pages,
        ))
        .layer(DefaultBodyLimit::max(MAX_FORM_BYTES))
        .layer(middleware::from_fn(same_origin_posts))
}

/// Refuses a form post that another site made the browser send (the `SameSite=Lax` cookie
/// already stops most; this closes the rest). Requests without an `Origin` header (old browsers,
/// scripts) pass: without the session cookie they can do nothing anyway.
async fn same_origin_posts(request: Request, next: Next) -> Response {
    if request.method() == Method::POST {
        if let Some(origin) = request.headers().get(header::ORIGIN) {
            let host = request
                .headers()
                .get(header::HOST)
                .and_then(|h| h.to_str().ok())
                .unwrap_or_default();
            let origin = origin.to_str().unwrap_or_default();
            let origin_host = origin
                .split_once("://")
                .map(|(_, rest)| rest)
                .unwrap_or_default();
            if origin_host != host {
                return (StatusCode::FORBIDDEN, both(P::ErrCrossSite)).into_response();
            }
        }
    }
    next.run(request).await
}

/// Renders the page at the request's path with `data` in context, with `status`.
pub async fn render<T: Clone + Send + Sync + 'static>(
    state: &AppState,
    parts: Parts,
    data: T,
    status: StatusCode,
) -> Response {
    let source = state.rule_source();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(source.clone());
            provide_context(data.clone());
        },
        move || app::shell(options.clone()),
    );
    let mut response = handler(Request::from_parts(parts, Body::empty())).await;
    *response.status_mut() = status;
    response
}

/// A moment as the pages show it with its zone: Beijing time, as the committees and offices read
/// their clocks (`2026-12-03 14:05 (UTC+8)`).
pub(crate) fn beijing_time(at: chrono::DateTime<chrono::Utc>) -> String {
    format!("{} (UTC+8)", dossiers::view::beijing(at))
}

/// The site's "not found" page with a 404: what anyone gets for something that is not theirs.
pub async fn not_found(state: &AppState, mut parts: Parts) -> Response {
    parts.uri = http::Uri::from_static("/404");
    render(state, parts, (), StatusCode::NOT_FOUND).await
}

/// A 403 page: the account is signed in but its roles do not reach this place at all.
pub fn forbidden() -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        both(P::ErrForbidden),
    )
        .into_response()
}

/// A 303 redirect (after a post, the browser follows it with a GET). A location that cannot be
/// a header value (it never should: callers pass [`safe_next`] paths or encoded queries) goes
/// to the home page instead of failing the request.
pub fn see_other(location: &str) -> Response {
    let location = HeaderValue::from_str(location).unwrap_or_else(|_| {
        tracing::warn!("redirect to a location that is not a header value; sent home instead");
        HeaderValue::from_static("/")
    });
    (StatusCode::SEE_OTHER, [(header::LOCATION, location)]).into_response()
}

/// Sends someone who is not signed in to the sign-in page, to come back here afterwards.
pub fn sign_in_first(parts: &Parts) -> Response {
    let back = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str())
        .unwrap_or("/");
    see_other(&format!(
        "/login?next={}",
        app::components::layout::encode_component(back)
    ))
}

/// A message in both languages, for a plain-text answer (`中文 / English`).
pub fn both(text: P) -> String {
    format!("{} / {}", text.zh(), text.en())
}

/// A 500 whose cause goes to the log, never to the user.
pub fn internal(e: impl std::fmt::Display) -> Response {
    tracing::error!(error = %e, "request failed");
    (StatusCode::INTERNAL_SERVER_ERROR, both(P::ErrInternal)).into_response()
}

/// The value of a cookie.
pub fn cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim().to_owned())
}

/// A `Set-Cookie` header value for the session (HttpOnly, SameSite=Lax, Secure behind TLS).
pub fn session_cookie(token: &str, max_age_secs: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; Max-Age={max_age_secs}; HttpOnly; SameSite=Lax{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("gt_session=; Path=/; Max-Age=0"))
}

/// First value of a form field, trimmed.
pub fn field<'a>(pairs: &'a [(String, String)], key: &str) -> &'a str {
    app::check::get(pairs, key).map(str::trim).unwrap_or("")
}

/// A same-site path to go back to (after signing in, registering or switching the language);
/// anything else becomes `fallback`. The one check for every redirect target a visitor chooses.
///
/// Accepted: a path that starts with exactly one `/` and holds only visible ASCII other than `\`.
/// So control characters (browsers drop tab, CR and LF from URLs, which turns `/\t/host` into
/// `//host`, another site), whitespace, backslashes (read as `/` by browsers), `//` and anything
/// not ASCII (which cannot go into a `Location` header as it is) are all refused.
pub fn safe_next(next: &str, fallback: &str) -> String {
    if is_safe_path(next) {
        next.to_owned()
    } else {
        fallback.to_owned()
    }
}

fn is_safe_path(path: &str) -> bool {
    path.starts_with('/')
        && !path.starts_with("//")
        && path.bytes().all(|b| b.is_ascii_graphic() && b != b'\\')
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_plain_same_site_paths_are_kept() {
        for kept in ["/", "/dossiers?x=1", "/check?step=2#top", "/dossiers/12"] {
            assert_eq!(safe_next(kept, "/home"), kept);
        }
        for refused in [
            "",
            "dossiers",
            "//evil.example",
            "/\\evil.example",
            "\\\\evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "\t//evil.example",
            "/ /evil.example",
            "/\u{a0}/evil.example",
            "/\u{3000}/evil.example",
            "/dossiers\u{7f}",
            "/x\u{0}",
            "https://evil.example/",
            "/王",
        ] {
            assert_eq!(safe_next(refused, "/home"), "/home", "{refused:?}");
        }
    }
}
