//! The public REST API, `/api/v1` (contract: ../shared/API.md): eligibility checks for one
//! person or a batch, the rule sets in force, and the OpenAPI document generated from the types.

pub mod cli;
pub mod eligibility;
pub mod error;
pub mod json;
pub mod openapi;
pub mod rule_sets;

use axum::{
    extract::OriginalUri,
    routing::{get, post},
    Router,
};

use crate::state::AppState;

pub use error::{ApiError, ErrorBody, ErrorDetail};

/// Routes under `/api/v1`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/eligibility", post(eligibility::eligibility))
        .route("/eligibility/batch", post(eligibility::eligibility_batch))
        .route("/rule-sets", get(rule_sets::list))
        .route("/rule-sets/{id}", get(rule_sets::get))
        .route("/openapi.json", get(openapi::openapi_json))
        .fallback(no_such_endpoint)
        .method_not_allowed_fallback(method_not_allowed)
}

/// Unknown paths under `/api/v1` answer in JSON, not with the site's HTML 404 page.
async fn no_such_endpoint(OriginalUri(uri): OriginalUri) -> ApiError {
    ApiError::NoSuchEndpoint(uri.path().to_owned())
}

async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}
