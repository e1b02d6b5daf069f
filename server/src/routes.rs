//! Plain axum routes beside the Leptos pages: health and the language switch.

use axum::{
    extract::{Path, Query, State},
    http::{header, HeaderValue, StatusCode},
    response::{IntoResponse, Response},
    Json,
};
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use app::i18n::{Lang, LANG_COOKIE};

/// Body of `GET /healthz`.
#[derive(Debug, Serialize, Deserialize)]
pub struct Health {
    pub status: String,
    pub version: String,
    pub database: DatabaseHealth,
}

/// The database part of [`Health`].
#[derive(Debug, Serialize, Deserialize)]
pub struct DatabaseHealth {
    pub backend: String,
    pub reachable: bool,
}

/// `GET /healthz`: 200 when the database answers, 503 (same body) when it does not.
pub async fn healthz(State(state): State<AppState>) -> (StatusCode, Json<Health>) {
    let reachable = store::ping(&state.db).await;
    let body = Health {
        status: if reachable { "ok" } else { "degraded" }.to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        database: DatabaseHealth {
            backend: store::backend_name(&state.db).to_owned(),
            reachable,
        },
    };
    let status = if reachable {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, Json(body))
}

/// Query of `/lang/{code}`.
#[derive(Debug, Deserialize)]
pub struct LangQuery {
    back: Option<String>,
}

/// `GET /lang/{code}?back=/path`: remembers the language in a cookie and goes back.
/// Only same-site paths are accepted as `back` (`crate::web::safe_next`), so the link cannot be
/// used to redirect away.
pub async fn switch_language(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(query): Query<LangQuery>,
) -> Response {
    let Some(lang) = Lang::from_code(&code) else {
        let text = crate::web::both(app::portal::P::ErrUnknownLanguage);
        return (StatusCode::NOT_FOUND, text).into_response();
    };
    let back = crate::web::safe_next(query.back.as_deref().unwrap_or(""), "/");
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        lang.code()
    );
    let mut response = StatusCode::SEE_OTHER.into_response();
    let headers = response.headers_mut();
    if let (Ok(location), Ok(cookie)) =
        (HeaderValue::from_str(&back), HeaderValue::from_str(&cookie))
    {
        headers.insert(header::LOCATION, location);
        headers.insert(header::SET_COOKIE, cookie);
    } else {
        headers.insert(header::LOCATION, HeaderValue::from_static("/"));
    }
    response
}
