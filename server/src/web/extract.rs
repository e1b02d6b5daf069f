//! What a handler takes from a request before it runs, and the one error type handlers answer
//! with: the signed-in account (per role), and [`WebError`], which maps the domain's refusals to
//! what the visitor gets (the site's 404 page, sign in first, 403, a refused form, or
//! the 500 whose cause goes to the log).

use app::portal::P;
use axum::{
    body::Body,
    extract::{FromRequestParts, Request, State},
    http::{header, request::Parts, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use store::workflow::Role;

use super::{forbidden, internal, sign_in_first, Authed};
use crate::state::AppState;

/// The signed-in account; someone not signed in is sent to sign in and brought back.
pub struct SignedIn(pub Authed);

impl<S: Send + Sync> FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<SignedIn, Response> {
        match parts.extensions.get::<Authed>() {
            Some(authed) => Ok(SignedIn(authed.clone())),
            None => Err(sign_in_first(parts)),
        }
    }
}

/// The signed-in account if it holds `role`; otherwise sign in first, or 403.
async fn holding(parts: &mut Parts, role: Role) -> Result<Authed, Response> {
    let SignedIn(authed) = SignedIn::from_request_parts(parts, &()).await?;
    if authed.has(role) {
        Ok(authed)
    } else {
        Err(forbidden())
    }
}

/// A signed-in account holding the applicant role (403 for one that does not).
pub struct Applicant(pub Authed);

impl<S: Send + Sync> FromRequestParts<S> for Applicant {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Applicant, Response> {
        holding(parts, Role::Applicant).await.map(Applicant)
    }
}

/// A signed-in provincial administrator (403 for an account without the role).
pub struct Admin(pub Authed);

impl<S: Send + Sync> FromRequestParts<S> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Admin, Response> {
        holding(parts, Role::ProvincialAdmin).await.map(Admin)
    }
}

/// A signed-in committee office (403 for an account without the role).
pub struct Office(pub Authed);

impl<S: Send + Sync> FromRequestParts<S> for Office {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Office, Response> {
        holding(parts, Role::CommitteeOffice).await.map(Office)
    }
}

/// A signed-in expert (403 for an account without the role).
pub struct ExpertRole(pub Authed);

impl<S: Send + Sync> FromRequestParts<S> for ExpertRole {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<ExpertRole, Response> {
        holding(parts, Role::Expert).await.map(ExpertRole)
    }
}

impl Authed {
    /// The account as the domain knows an actor.
    pub fn who(&self) -> casework::dossier::Who {
        casework::dossier::Who {
            account_id: self.account_id,
            grants: self.grants.clone(),
            label: self.label(),
        }
    }
}

/// A urlencoded form decoded into `T` (serde): read whole, at most a given size.
pub struct TypedForm<T>(pub T);

impl<T: serde::de::DeserializeOwned> TypedForm<T> {
    /// Reads `body` (at most `limit` bytes: 413 beyond) and decodes it (400 when it does not
    /// decode). A form refused here changes nothing.
    pub async fn read(body: Body, limit: usize) -> Result<TypedForm<T>, WebError> {
        let bytes = axum::body::to_bytes(body, limit).await.map_err(|e| {
            let too_large = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if too_large {
                WebError::Form(StatusCode::PAYLOAD_TOO_LARGE, P::ErrFormTooLargeSmall)
            } else {
                WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormIncomplete)
            }
        })?;
        serde_urlencoded::from_bytes(&bytes)
            .map(TypedForm)
            .map_err(|e| {
                tracing::warn!(error = %e, "a form did not decode");
                WebError::Form(StatusCode::BAD_REQUEST, P::ErrFormUnreadable)
            })
    }
}

/// What a handler answers instead of its page.
#[derive(Debug)]
pub enum WebError {
    /// The site's "not found" page: for what does not exist *and* for what is not the
    /// visitor's, alike.
    NotFound,
    /// A form refused whole (too large, cut short, unreadable): `status`, and the message in
    /// both languages.
    Form(StatusCode, P),
    /// A stored dossier that does not read: logged, and answered with a 500 naming it.
    Unreadable { id: i64, why: String },
    /// Something that is nobody's mistake: logged, and answered with a 500 that says so.
    Internal(String),
}

/// Marks a 404 whose page [`not_found_pages`] renders (rendering needs the request and the
/// state, which `IntoResponse` does not have).
#[derive(Clone, Copy)]
struct RenderNotFound;

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        match self {
            WebError::NotFound => {
                let mut response = StatusCode::NOT_FOUND.into_response();
                response.extensions_mut().insert(RenderNotFound);
                response
            }
            WebError::Form(status, text) => (
                status,
                [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                format!("{} / {}", text.zh(), text.en()),
            )
                .into_response(),
            WebError::Unreadable { id, why } => {
                tracing::error!(dossier = id, error = %why, "a stored dossier does not read");
                let id = id.to_string();
                let text = |lang| P::ErrDossierUnreadable.text(lang).replace("{id}", &id);
                (
                    StatusCode::INTERNAL_SERVER_ERROR,
                    [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
                    format!(
                        "{} / {}",
                        text(app::i18n::Lang::Zh),
                        text(app::i18n::Lang::En)
                    ),
                )
                    .into_response()
            }
            WebError::Internal(why) => internal(why),
        }
    }
}

impl From<casework::CaseError> for WebError {
    fn from(e: casework::CaseError) -> WebError {
        match e {
            casework::CaseError::Row(row) => WebError::Unreadable {
                id: row.id,
                why: row.to_string(),
            },
            e => WebError::Internal(e.to_string()),
        }
    }
}

impl From<store::dossiers::DossierError> for WebError {
    fn from(e: store::dossiers::DossierError) -> WebError {
        WebError::Internal(e.to_string())
    }
}

impl From<store::StoreError> for WebError {
    fn from(e: store::StoreError) -> WebError {
        WebError::Internal(e.to_string())
    }
}

/// Renders the site's 404 page for a handler's [`WebError::NotFound`].
pub async fn not_found_pages(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let (parts, body) = request.into_parts();
    let response = next.run(Request::from_parts(parts.clone(), body)).await;
    if response.extensions().get::<RenderNotFound>().is_some() {
        return super::not_found(&state, parts).await;
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn text(e: WebError) -> (StatusCode, String) {
        let response = e.into_response();
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 16)
            .await
            .unwrap();
        (status, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn an_unreadable_dossier_is_named_in_both_languages() {
        let row = casework::dossier::RowError {
            id: 42,
            column: "achievements",
            why: "expected value".into(),
        };
        let (status, body) = text(casework::CaseError::Row(row).into()).await;
        assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
        assert!(
            body.contains("编号42的申报材料") && body.contains("application no. 42"),
            "{body}"
        );
        assert!(
            !body.contains("expected value"),
            "the cause stays in the log"
        );
    }

    #[tokio::test]
    async fn a_refused_form_says_why_in_both_languages() {
        let (status, body) = text(WebError::Form(
            StatusCode::PAYLOAD_TOO_LARGE,
            P::ErrFormTooLargeSmall,
        ))
        .await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        assert_eq!(body, "表单过大 / The form is too large");
        let not_found = WebError::NotFound.into_response();
        assert_eq!(not_found.status(), StatusCode::NOT_FOUND);
        assert!(not_found.extensions().get::<RenderNotFound>().is_some());
    }
}
