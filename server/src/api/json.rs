//! The JSON boundary of the API: content type, body size and decoding, each failure mapped to
//! an [`ApiError`] that names the field (`person.skill_levels[0].obtained_on`) when there is one.
//! We read the body ourselves instead of using axum's `Json` so the errors keep our JSON shape
//! and wrong types are reported with their path (`serde_path_to_error`).

use axum::{
    body::Body,
    http::{header, HeaderMap},
};
use serde::de::DeserializeOwned;

use super::error::ApiError;

/// Body limit of `POST /eligibility`.
pub const SINGLE_LIMIT: usize = 64 * 1024;
/// Body limit of `POST /eligibility/batch`: room for 10,000 realistic people (~400 bytes each).
pub const BATCH_LIMIT: usize = 16 * 1024 * 1024;

/// Deepest nesting of arrays and objects accepted. A person is 4 levels deep, a batch 5; serde_json
/// alone only limits the parts it decodes into types, and skips ignored fields at any depth.
pub const MAX_DEPTH: usize = 32;

/// Accepts `application/json` (with parameters such as `charset=utf-8`) and `application/*+json`.
pub fn require_json(headers: &HeaderMap) -> Result<(), ApiError> {
    let value = headers.get(header::CONTENT_TYPE);
    let text = value.and_then(|v| v.to_str().ok());
    let ok = text.is_some_and(|t| {
        let essence = t
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        essence == "application/json"
            || (essence.starts_with("application/") && essence.ends_with("+json"))
    });
    if ok {
        Ok(())
    } else {
        Err(ApiError::UnsupportedMediaType(value.map(|v| {
            String::from_utf8_lossy(v.as_bytes()).into_owned()
        })))
    }
}

/// Reads the whole body, refusing it as soon as it exceeds `limit` (declared or actual length).
pub async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit as u64) {
        return Err(ApiError::BodyTooLarge { limit });
    }
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes.to_vec()),
        Err(e) => {
            if is_length_limit(&e) {
                Err(ApiError::BodyTooLarge { limit })
            } else {
                Err(ApiError::BodyUnreadable(e.to_string()))
            }
        }
    }
}

fn is_length_limit(error: &axum::Error) -> bool {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(error);
    while let Some(e) = cause {
        if e.is::<http_body_util::LengthLimitError>() {
            return true;
        }
        cause = e.source();
    }
    false
}

/// Decodes `bytes` as `T`, naming the path of a wrong value. `prefix` is prepended to paths
/// (the CLI decodes a bare person object whose fields live under `person`).
pub fn decode<T: DeserializeOwned>(bytes: &[u8], prefix: &str) -> Result<T, ApiError> {
    if too_deep(bytes, MAX_DEPTH) {
        return Err(ApiError::TooDeep);
    }
    // Tracking the path costs time on every value of a large batch, and only an error needs it:
    // decode plainly first, and again with the path only when that fails.
    // A body is an object: serde alone would also read a struct from an array.
    if let Ok(rules::strict::Object(value)) =
        serde_json::from_slice::<rules::strict::Object<T>>(bytes)
    {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let rules::strict::Object(value) = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = join(prefix, &e.path().to_string());
        classify(e.into_inner(), path)
    })?;
    de.end().map_err(|e| classify(e, String::new()))?;
    Ok(value)
}

/// Whether brackets outside strings nest deeper than `max` (one pass, no allocation).
fn too_deep(bytes: &[u8], max: usize) -> bool {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &b in bytes {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    false
}

fn join(prefix: &str, path: &str) -> String {
    let path = if path == "." { "" } else { path };
    match (prefix.is_empty(), path.is_empty()) {
        (true, _) => path.to_owned(),
        (false, true) => prefix.to_owned(),
        (false, false) if path.starts_with('[') => format!("{prefix}{path}"),
        (false, false) => format!("{prefix}.{path}"),
    }
}

fn classify(e: serde_json::Error, path: String) -> ApiError {
    use serde_json::error::Category;
    let message = e.to_string();
    match e.classify() {
        _ if message.starts_with("recursion limit exceeded") => ApiError::TooDeep,
        Category::Io | Category::Syntax | Category::Eof => ApiError::MalformedJson(message),
        Category::Data => {
            // serde's own wording: "missing field `person`" (the path is the enclosing object).
            if let Some(name) = message
                .strip_prefix("missing field `")
                .and_then(|rest| rest.split('`').next())
            {
                return ApiError::MissingField(join(&path, name));
            }
            let detail = strip_position(&message);
            let field = if path.is_empty() {
                "body".to_owned()
            } else {
                path
            };
            ApiError::WrongType { field, detail }
        }
    }
}

/// serde_json appends " at line 1 column 42": useful for syntax errors, noise once the field is named.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    struct Req {
        #[allow(dead_code)]
        person: rules::PersonInput,
    }

    fn field_of(e: &ApiError) -> Option<String> {
        e.detail().field
    }

    #[test]
    fn wrong_type_names_the_nested_field() {
        let e = decode::<Req>(
            br#"{"person": {"skill_levels": [{"level": "technician", "obtained_on": 20240630}]}}"#,
            "",
        )
        .unwrap_err();
        assert!(matches!(e, ApiError::WrongType { .. }), "{e:?}");
        assert_eq!(
            field_of(&e).as_deref(),
            Some("person.skill_levels[0].obtained_on")
        );
    }

    #[test]
    fn missing_person_names_person() {
        let e = decode::<Req>(br#"{"as_of": "2026-11-21"}"#, "").unwrap_err();
        assert_eq!(field_of(&e).as_deref(), Some("person"));
        assert_eq!(e.detail().code, "missing_field");
    }

    #[test]
    fn prefix_is_prepended_for_a_bare_person() {
        let e = decode::<rules::PersonInput>(br#"{"honours": [1]}"#, "person").unwrap_err();
        assert_eq!(field_of(&e).as_deref(), Some("person.honours[0]"));
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut body = String::from(r#"{"person": {}, "extra": "#);
        body.push_str(&"[".repeat(10_000));
        body.push_str(&"]".repeat(10_000));
        body.push('}');
        let e = decode::<Req>(body.as_bytes(), "").unwrap_err();
        assert!(matches!(e, ApiError::TooDeep), "{e:?}");
    }

    #[test]
    fn brackets_inside_strings_do_not_count_as_nesting() {
        let deep_text = format!(
            r#"{{"person": {{"posts": ["{}\\\"{}"]}}}}"#,
            "[".repeat(100),
            "{".repeat(100)
        );
        assert!(!too_deep(deep_text.as_bytes(), MAX_DEPTH));
        assert!(too_deep(&b"[".repeat(MAX_DEPTH + 1), MAX_DEPTH));
        assert!(!too_deep(&b"[".repeat(MAX_DEPTH), MAX_DEPTH));
    }

    #[test]
    fn trailing_garbage_is_malformed() {
        let e = decode::<Req>(br#"{"person": {}} x"#, "").unwrap_err();
        assert!(matches!(e, ApiError::MalformedJson(_)), "{e:?}");
    }

    #[test]
    fn json_content_types_are_accepted_with_parameters() {
        let mut h = HeaderMap::new();
        assert!(require_json(&h).is_err());
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json; charset=utf-8"),
        );
        assert!(require_json(&h).is_ok());
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        assert!(matches!(
            require_json(&h),
            Err(ApiError::UnsupportedMediaType(Some(_)))
        ));
    }
}
