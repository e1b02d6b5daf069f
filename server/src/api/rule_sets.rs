//! `GET /api/v1/rule-sets` and `GET /api/v1/rule-sets/{id}`: the rule set versions the server
//! knows, and one set's own data, so callers can see which rules an answer came from.

use axum::{
    extract::{Path, State},
    Json,
};
use rules::{RuleSet, RuleSetSummary, VersionStatus};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ErrorBody};
use crate::state::AppState;

/// Answer of `GET /rule-sets`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSetList {
    /// Every version of every region's rule set, in file order.
    pub rule_sets: Vec<RuleSetVersion>,
}

/// One version and where it stands today (the server's day).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RuleSetVersion {
    #[serde(flatten)]
    pub summary: RuleSetSummary,
    pub status: VersionStatus,
}

/// `GET /api/v1/rule-sets`: every rule set version with its period, content hash and status on
/// the server's day.
#[utoipa::path(
    get,
    path = "/api/v1/rule-sets",
    tag = "rule-sets",
    responses((status = 200, description = "Every rule set version", body = RuleSetList))
)]
pub async fn list(State(state): State<AppState>) -> Json<RuleSetList> {
    Json(RuleSetList {
        rule_sets: state
            .book
            .versions(state.book.today())
            .into_iter()
            .map(|(summary, status)| RuleSetVersion { summary, status })
            .collect(),
    })
}

/// `GET /api/v1/rule-sets/{id}`: one rule set's own data (before its parent is applied).
#[utoipa::path(
    get,
    path = "/api/v1/rule-sets/{id}",
    tag = "rule-sets",
    params(("id" = String, Path, description = "Rule set id, e.g. `yunnan-2021`")),
    responses(
        (status = 200, description = "The rule set as data", body = RuleSet),
        (status = 404, description = "No rule set with this id", body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<RuleSet>, ApiError> {
    state
        .book
        .registry()
        .get(&id)
        .cloned()
        .map(Json)
        .ok_or(ApiError::RuleSetNotFound(id))
}
