//! The API's error type and its wire form `{"error": {"code", "message": {"zh", "en"}, "field"}}`.
//! Every variant documents its status; internal causes go to the log, never to the caller.

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
    Json,
};
use rules::{Bilingual, InputError, ResolveError};
use serde::{Deserialize, Serialize};

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for people (bilingual `message`) and programs (`code`, `field`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine code, e.g. `invalid_date`, `unknown_code`, `malformed_json`.
    pub code: String,
    pub message: Bilingual,
    /// JSON path of the offending field (`person.skill_levels[0].obtained_on`), `body` for
    /// the body as a whole, or `null` when no single field is to blame.
    pub field: Option<String>,
}

/// Why a request to `/api/v1` failed.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 415: the body is not declared as `application/json`.
    #[error("unsupported content type {0:?}")]
    UnsupportedMediaType(Option<String>),
    /// 413: the body is larger than the endpoint accepts.
    #[error("body larger than {limit} bytes")]
    BodyTooLarge { limit: usize },
    /// 400: the body could not be read from the connection.
    #[error("cannot read the body: {0}")]
    BodyUnreadable(String),
    /// 400: not JSON (syntax error, truncated, trailing characters, bad UTF-8).
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// 400: nested deeper than the decoder's recursion limit.
    #[error("JSON nested too deeply")]
    TooDeep,
    /// 422: a value of the wrong JSON type (or shape) at `field`.
    #[error("{field}: wrong type: {detail}")]
    WrongType { field: String, detail: String },
    /// 422: a required field is absent.
    #[error("{0}: missing")]
    MissingField(String),
    /// 422: `as_of` is not an ISO date.
    #[error("as_of: not a date: {0}")]
    InvalidAsOf(String),
    /// 422: a person's fact the engine refuses; `field` is already the full path.
    #[error(transparent)]
    Input(InputError),
    /// 422 (`unknown_region`, `not_in_force`) or 500 (`invalid_rule_set`).
    #[error(transparent)]
    Resolve(ResolveError),
    /// 422: a batch with more people than allowed.
    #[error("{count} people in one batch, at most {max}")]
    TooManyPeople { count: usize, max: usize },
    /// 404: no rule set with this id.
    #[error("no rule set `{0}`")]
    RuleSetNotFound(String),
    /// 404: no such endpoint under `/api/v1`.
    #[error("no endpoint {0}")]
    NoSuchEndpoint(String),
    /// 405: the endpoint exists but not for this method.
    #[error("method not allowed")]
    MethodNotAllowed,
    /// 500: a fault of ours (logged, not shown).
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status of this error.
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::BodyTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::BodyUnreadable(_) | ApiError::MalformedJson(_) | ApiError::TooDeep => {
                StatusCode::BAD_REQUEST
            }
            ApiError::WrongType { .. }
            | ApiError::MissingField(_)
            | ApiError::InvalidAsOf(_)
            | ApiError::Input(_)
            | ApiError::TooManyPeople { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Resolve(ResolveError::Invalid(_)) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Resolve(_) => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::RuleSetNotFound(_) | ApiError::NoSuchEndpoint(_) => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable code, message and field shown to the caller.
    pub fn detail(&self) -> ErrorDetail {
        let (code, zh, en, field): (&str, String, String, Option<String>) = match self {
            ApiError::UnsupportedMediaType(got) => (
                "unsupported_media_type",
                format!(
                    "请求体须为 JSON（Content-Type: application/json），收到的是“{}”",
                    got.as_deref().unwrap_or("无")
                ),
                format!(
                    "The body must be JSON (Content-Type: application/json), got `{}`",
                    got.as_deref().unwrap_or("none")
                ),
                None,
            ),
            ApiError::BodyTooLarge { limit } => (
                "body_too_large",
                format!("请求体超过 {} KiB 上限", limit / 1024),
                format!("The body is larger than the {} KiB limit", limit / 1024),
                Some("body".to_owned()),
            ),
            ApiError::BodyUnreadable(_) => (
                "unreadable_body",
                "无法读取请求体".to_owned(),
                "The body could not be read".to_owned(),
                Some("body".to_owned()),
            ),
            ApiError::MalformedJson(detail) => (
                "malformed_json",
                format!("请求体不是有效的 JSON：{detail}"),
                format!("The body is not valid JSON: {detail}"),
                None,
            ),
            ApiError::TooDeep => (
                "too_deep",
                "JSON 嵌套层数过多".to_owned(),
                "The JSON is nested too deeply".to_owned(),
                None,
            ),
            ApiError::WrongType { field, detail } => (
                "invalid_type",
                format!("“{field}”的值类型不对：{detail}"),
                format!("`{field}` has the wrong type: {detail}"),
                Some(field.clone()),
            ),
            ApiError::MissingField(field) => (
                "missing_field",
                format!("缺少必填项“{field}”"),
                format!("`{field}` is required"),
                Some(field.clone()),
            ),
            ApiError::InvalidAsOf(text) => (
                "invalid_date",
                format!("“{text}”不是有效日期（格式 YYYY-MM-DD）"),
                format!("`{text}` is not a valid date (YYYY-MM-DD)"),
                Some("as_of".to_owned()),
            ),
            ApiError::Input(e) => (
                e.code,
                e.message.zh.clone(),
                e.message.en.clone(),
                Some(e.field.clone()),
            ),
            ApiError::Resolve(e @ ResolveError::Invalid(_)) => {
                tracing::error!(error = %e, "rule set cannot be resolved");
                (
                    "internal",
                    "服务器内部错误，请稍后再试".to_owned(),
                    "Internal server error, please try again later".to_owned(),
                    None,
                )
            }
            ApiError::Resolve(e) => {
                let message = e.message();
                let field = match e {
                    ResolveError::UnknownRegion(_) => "region",
                    _ => "as_of",
                };
                (e.code(), message.zh, message.en, Some(field.to_owned()))
            }
            ApiError::TooManyPeople { count, max } => (
                "too_many_people",
                format!("一次最多筛查 {max} 人，收到 {count} 人"),
                format!("At most {max} people per batch, got {count}"),
                Some("people".to_owned()),
            ),
            ApiError::RuleSetNotFound(id) => (
                "not_found",
                format!("没有编号为“{id}”的规则集"),
                format!("No rule set with id `{id}`"),
                None,
            ),
            ApiError::NoSuchEndpoint(path) => (
                "not_found",
                format!("没有这个接口：{path}"),
                format!("No such endpoint: {path}"),
                None,
            ),
            ApiError::MethodNotAllowed => (
                "method_not_allowed",
                "此接口不支持该请求方法".to_owned(),
                "This endpoint does not accept this method".to_owned(),
                None,
            ),
            ApiError::Internal(cause) => {
                tracing::error!(%cause, "internal error");
                (
                    "internal",
                    "服务器内部错误，请稍后再试".to_owned(),
                    "Internal server error, please try again later".to_owned(),
                    None,
                )
            }
        };
        ErrorDetail {
            code: code.to_owned(),
            message: Bilingual::new(zh, en),
            field,
        }
    }

    /// The same error with its field moved under `prefix` (`person.x` → `people[3].x`).
    pub fn in_batch(self, index: usize) -> ApiError {
        match self {
            ApiError::Input(mut e) => {
                e.field = rebase(&e.field, index);
                ApiError::Input(e)
            }
            ApiError::WrongType { field, detail } => ApiError::WrongType {
                field: rebase(&field, index),
                detail,
            },
            ApiError::MissingField(field) => ApiError::MissingField(rebase(&field, index)),
            other => other,
        }
    }
}

/// `person.skill_levels[0]` → `people[3].skill_levels[0]`.
fn rebase(field: &str, index: usize) -> String {
    let rest = field.strip_prefix("person").unwrap_or(field);
    if rest.is_empty() || rest.starts_with('.') || rest.starts_with('[') {
        format!("people[{index}]{rest}")
    } else {
        format!("people[{index}].{rest}")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_client_error() {
            tracing::debug!(error = %self, %status, "request refused");
        }
        (
            status,
            Json(ErrorBody {
                error: self.detail(),
            }),
        )
            .into_response()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_errors_name_the_person_by_index() {
        let e = ApiError::Input(InputError {
            code: "unknown_code",
            field: "person.skill_levels[0].level".to_owned(),
            message: Bilingual::new("未知", "Unknown"),
        })
        .in_batch(3);
        assert_eq!(
            e.detail().field.as_deref(),
            Some("people[3].skill_levels[0].level")
        );
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn unknown_region_names_the_region_field() {
        let e = ApiError::Resolve(ResolveError::UnknownRegion("99".to_owned()));
        let d = e.detail();
        assert_eq!(d.code, "unknown_region");
        assert_eq!(d.field.as_deref(), Some("region"));
        assert!(!d.message.zh.is_empty() && !d.message.en.is_empty());
    }

    #[test]
    fn internal_errors_do_not_leak_their_cause() {
        let d = ApiError::Internal("secret path /etc/x".to_owned()).detail();
        assert!(!d.message.en.contains("secret"));
        assert_eq!(d.code, "internal");
    }
}
