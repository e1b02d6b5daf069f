//! `POST /api/v1/eligibility` and `POST /api/v1/eligibility/batch`: pre-screening one person or
//! a whole workforce against the rule set in force for a region on a day (API.md).

use std::time::Instant;

use axum::{
    body::Body,
    extract::State,
    http::{header, HeaderMap, HeaderValue},
    response::{IntoResponse, Response},
    Json,
};
use chrono::NaiveDate;
use futures_util::StreamExt as _;
use std::sync::Arc;

use casework::rulebook::RuleBook;
use rules::{evaluate, Evaluation, InForce, Outcome, Person, PersonInput, Report};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, ErrorBody};
use super::json::{decode, read_body, require_json, BATCH_LIMIT, SINGLE_LIMIT};
use crate::state::AppState;

/// Most people one batch may screen.
pub const MAX_PEOPLE: usize = 10_000;

/// Body of `POST /api/v1/eligibility`. Unknown fields are ignored (forward compatibility).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct EligibilityRequest {
    /// The day the check is for, `YYYY-MM-DD` (default, also for `null`: today in Asia/Shanghai).
    #[serde(default)]
    #[schema(example = "2026-11-21", format = Date)]
    pub as_of: Option<String>,
    /// `national` (default, also for `null`) or a two-digit province code such as `53`.
    #[serde(default)]
    #[schema(example = "53", pattern = "^(national|[0-9]{2})$")]
    pub region: Option<String>,
    /// The person: an object (an array is refused).
    #[serde(deserialize_with = "rules::strict::object")]
    pub person: PersonInput,
}

/// Body of `POST /api/v1/eligibility/batch`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchRequest {
    /// The day the check is for, `YYYY-MM-DD` (default, also for `null`: today in Asia/Shanghai).
    #[serde(default)]
    #[schema(format = Date)]
    pub as_of: Option<String>,
    /// `national` (default, also for `null`) or a two-digit province code.
    #[serde(default)]
    #[schema(pattern = "^(national|[0-9]{2})$")]
    pub region: Option<String>,
    /// At most 10,000 people, each an object.
    #[serde(deserialize_with = "rules::strict::objects")]
    pub people: Vec<PersonInput>,
    /// `full` (default): each outcome with its conditions and bilingual reasons, as the single
    /// check answers. `summary`: each outcome's target, route, status, first day and the codes
    /// of its unmet and unknown conditions, without reason texts (a small fraction of the size,
    /// for screening a whole workforce).
    #[serde(default)]
    pub detail: Detail,
}

/// How much each batch result says.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Detail {
    #[default]
    Full,
    Summary,
}

/// Answer of the batch endpoint with `"detail": "summary"`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchSummaryResponse {
    pub results: Vec<BatchSummaryResult>,
}

/// One person's outcomes without reasons.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchSummaryResult {
    pub outcomes: Vec<rules::BriefOutcome>,
}

/// Answer of the batch endpoint: one entry per person, in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchResponse {
    pub results: Vec<BatchResult>,
}

/// One person's outcomes in a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct BatchResult {
    pub outcomes: Vec<Outcome>,
}

/// Parses `as_of` (default `today`, the server's clock) and resolves the rule set for `region`
/// (default national).
pub fn resolve(
    book: &RuleBook,
    as_of: Option<&str>,
    region: Option<&str>,
    today: NaiveDate,
) -> Result<(NaiveDate, Arc<InForce>), ApiError> {
    let as_of = match as_of {
        None => today,
        Some(text) => {
            rules::parse_date(text).ok_or_else(|| ApiError::InvalidAsOf(text.to_owned()))?
        }
    };
    let region = region.unwrap_or("national");
    let rules = book.resolve(region, as_of).map_err(ApiError::Resolve)?;
    Ok((as_of, rules))
}

/// Checks one person: the whole logic of `POST /eligibility` (`today` is the default `as_of`).
pub fn check(
    book: &RuleBook,
    request: EligibilityRequest,
    today: NaiveDate,
) -> Result<Report, ApiError> {
    check_with_rules(book, request, today).map(|(_, report)| report)
}

/// [`check`], also handing back the rule set it used (`server check` names things with its
/// catalogue).
pub fn check_with_rules(
    book: &RuleBook,
    request: EligibilityRequest,
    today: NaiveDate,
) -> Result<(Arc<InForce>, Report), ApiError> {
    let (as_of, in_force) = resolve(
        book,
        request.as_of.as_deref(),
        request.region.as_deref(),
        today,
    )?;
    let rules = &in_force.rules;
    let person = Person::parse(request.person, as_of, rules).map_err(ApiError::Input)?;
    let report = evaluate(rules, &person, as_of).report();
    Ok((in_force, report))
}

/// People rendered per piece of a streamed batch answer.
const PIECE: usize = 1024;

/// Screens a batch into one buffer (see [`screen_batch_to`]).
pub fn screen_batch(
    book: &RuleBook,
    request: BatchRequest,
    today: NaiveDate,
) -> Result<Vec<u8>, ApiError> {
    let mut json = Vec::new();
    screen_batch_to(book, request, today, |piece| {
        json.extend_from_slice(&piece);
        true
    })?;
    Ok(json)
}

/// Screens a batch and hands the JSON answer to `sink` piece by piece (`sink` returns `false`
/// when nobody listens any more, which stops the work). The rule set is resolved once; every
/// person is parsed and evaluated before the first piece, so an invalid person (named
/// `people[i]`, the first in order) is an error, never a half-sent answer. Parsing, evaluating
/// and rendering run on every core, one contiguous chunk of people per worker, so the order
/// is kept.
pub fn screen_batch_to(
    book: &RuleBook,
    request: BatchRequest,
    today: NaiveDate,
    mut sink: impl FnMut(Vec<u8>) -> bool,
) -> Result<(), ApiError> {
    let count = request.people.len();
    if count > MAX_PEOPLE {
        return Err(ApiError::TooManyPeople {
            count,
            max: MAX_PEOPLE,
        });
    }
    let started = Instant::now();
    let detail = request.detail;
    let (as_of, in_force) = resolve(
        book,
        request.as_of.as_deref(),
        request.region.as_deref(),
        today,
    )?;
    let rules = &in_force.rules;
    let threads = workers(count);
    let size = count.div_ceil(threads).max(1);
    let mut inputs = request.people;
    let chunks: Vec<(usize, &mut [PersonInput])> = inputs
        .chunks_mut(size)
        .enumerate()
        .map(|(c, chunk)| (c * size, chunk))
        .collect();
    let parsed = in_parallel(chunks, |(first, chunk)| {
        chunk
            .iter_mut()
            .enumerate()
            .map(|(i, input)| {
                Person::parse(std::mem::take(input), as_of, rules)
                    .map_err(|e| ApiError::Input(e).in_batch(first + i))
            })
            .collect::<Result<Vec<_>, _>>()
    })?;
    // Chunks are in order and each stops at its own first error: the first error met here is
    // the batch's first.
    let people = parsed.into_iter().collect::<Result<Vec<_>, _>>()?;
    let evaluations: Vec<Evaluation<'_>> =
        in_parallel(people.iter().collect(), |chunk: &Vec<Person>| {
            chunk
                .iter()
                .map(|person| evaluate(rules, person, as_of))
                .collect::<Vec<_>>()
        })?
        .into_iter()
        .flatten()
        .collect();
    let evaluated = started.elapsed();
    let mut bytes = 0;
    let mut send = |piece: Vec<u8>| {
        bytes += piece.len();
        sink(piece)
    };
    if !send(b"{\"results\":[".to_vec()) {
        return Ok(());
    }
    let mut first = true;
    for group in evaluations.chunks(PIECE) {
        let parts = in_parallel(
            group.chunks(group.len().div_ceil(threads).max(1)).collect(),
            |chunk| encode_results(chunk, detail),
        )?;
        let mut piece = Vec::with_capacity(
            parts
                .iter()
                .map(|p| p.as_ref().map_or(0, Vec::len) + 1)
                .sum(),
        );
        for part in parts {
            let part = part.map_err(|e| ApiError::Internal(e.to_string()))?;
            if !first {
                piece.push(b',');
            }
            first = false;
            piece.extend_from_slice(&part);
        }
        if !send(piece) {
            return Ok(());
        }
    }
    send(b"]}".to_vec());
    tracing::debug!(
        people = count,
        evaluate_ms = evaluated.as_secs_f64() * 1e3,
        encode_ms = (started.elapsed() - evaluated).as_secs_f64() * 1e3,
        bytes,
        "batch evaluated"
    );
    Ok(())
}

/// Small batches stay on one thread; large ones use every core (at most 8).
fn workers(count: usize) -> usize {
    const MIN_CHUNK: usize = 256;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.clamp(1, 8).min(count.div_ceil(MIN_CHUNK)).max(1)
}

/// Runs `work` on each item in its own scoped thread; results keep the items' order. A worker
/// that panicked becomes an internal error instead of taking the request down with it.
fn in_parallel<T: Send, R: Send>(
    items: Vec<T>,
    work: impl Fn(T) -> R + Sync,
) -> Result<Vec<R>, ApiError> {
    let work = &work;
    std::thread::scope(|scope| {
        let handles: Vec<_> = items
            .into_iter()
            .map(|item| scope.spawn(move || work(item)))
            .collect();
        handles
            .into_iter()
            .map(|h| {
                h.join()
                    .map_err(|_| ApiError::Internal("batch worker panicked".to_owned()))
            })
            .collect()
    })
}

/// `{"outcomes": [...]}` for each evaluation, comma-separated (a fragment of the results array).
fn encode_results(
    evaluations: &[Evaluation<'_>],
    detail: Detail,
) -> Result<Vec<u8>, serde_json::Error> {
    let per_person = match detail {
        Detail::Full => 8 * 1024,
        Detail::Summary => 1024,
    };
    let mut out = Vec::with_capacity(evaluations.len() * per_person);
    for (i, evaluation) in evaluations.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        match detail {
            Detail::Full => serde_json::to_writer(
                &mut out,
                &BatchResult {
                    outcomes: evaluation.report().outcomes,
                },
            )?,
            Detail::Summary => {
                // Written straight from the evaluation: the same JSON as `BatchSummaryResult`
                // without building its owned strings.
                out.extend_from_slice(b"{\"outcomes\":");
                serde_json::to_writer(&mut out, &evaluation.brief_view())?;
                out.push(b'}');
            }
        }
    }
    Ok(out)
}

/// `POST /api/v1/eligibility`: which targets one person can aim at, by which route, and why.
#[utoipa::path(
    post,
    path = "/api/v1/eligibility",
    tag = "eligibility",
    request_body(content = EligibilityRequest, content_type = "application/json",
        description = "A person's facts; every field is optional except `person`. Body limit 64 KiB."),
    responses(
        (status = 200, description = "Outcomes, nearest first", body = Report),
        (status = 400, description = "Malformed JSON or nesting too deep", body = ErrorBody),
        (status = 413, description = "Body over 64 KiB", body = ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
        (status = 422, description = "A field is invalid; `field` names it", body = ErrorBody),
    )
)]
pub async fn eligibility(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Report>, ApiError> {
    require_json(&headers)?;
    let bytes = read_body(&headers, body, SINGLE_LIMIT).await?;
    let request: EligibilityRequest = decode(&bytes, "")?;
    let report = check(&state.book, request, state.book.today())?;
    state.metrics.evaluated("single", 1);
    Ok(Json(report))
}

/// `POST /api/v1/eligibility/batch`: screens up to 10,000 people in one request.
#[utoipa::path(
    post,
    path = "/api/v1/eligibility/batch",
    tag = "eligibility",
    request_body(content = BatchRequest, content_type = "application/json",
        description = "At most 10,000 people; body limit 16 MiB. The rule set is resolved once for the batch."),
    responses(
        (status = 200, description = "One result per person, in the order given (with `\"detail\": \"summary\"` the results are `BatchSummaryResponse`)", body = BatchResponse),
        (status = 400, description = "Malformed JSON or nesting too deep", body = ErrorBody),
        (status = 413, description = "Body over 16 MiB", body = ErrorBody),
        (status = 415, description = "Content-Type is not application/json", body = ErrorBody),
        (status = 422, description = "Too many people, or a field is invalid (`people[3].skill_levels[0].level`)", body = ErrorBody),
    )
)]
pub async fn eligibility_batch(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_json(&headers)?;
    let bytes = read_body(&headers, body, BATCH_LIMIT).await?;
    let book = state.book.clone();
    let today = state.book.today();
    let metrics = state.metrics.clone();
    // Decoding, evaluating and rendering thousands of people is CPU work: keep it off the async
    // workers. The answer streams out as it is rendered, so the first bytes leave once everyone
    // is evaluated and the whole answer is never held in memory at once.
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, ApiError>>(4);
    let task = tokio::task::spawn_blocking(move || {
        let started = Instant::now();
        let result = decode::<BatchRequest>(&bytes, "").and_then(|request| {
            tracing::debug!(
                decode_ms = started.elapsed().as_secs_f64() * 1e3,
                "batch decoded"
            );
            let people = request.people.len() as u64;
            screen_batch_to(&book, request, today, |piece| {
                tx.blocking_send(Ok(piece)).is_ok()
            })
            .inspect(|()| metrics.evaluated("batch", people))
        });
        if let Err(e) = result {
            let _ = tx.blocking_send(Err(e));
        }
    });
    let first = match rx.recv().await {
        Some(Ok(first)) => first,
        Some(Err(e)) => return Err(e),
        None => {
            let why = match task.await {
                Err(e) => format!("batch task failed: {e}"),
                Ok(()) => "batch task ended without an answer".to_owned(),
            };
            return Err(ApiError::Internal(why));
        }
    };
    // `poll_recv` keeps answering `None` once the channel is closed and empty, so this stream may
    // be polled after its end (the compression layer does), unlike `unfold`, which panics.
    let rest = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)).inspect(|piece| {
        if let Err(e) = piece {
            // Too late for an error answer: cutting the body short tells the client.
            tracing::error!(error = %e, "batch failed while streaming");
        }
    });
    let stream = futures_util::stream::once(async move { Ok::<_, ApiError>(first) })
        .chain(rest)
        .fuse();
    Ok((
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        )],
        Body::from_stream(stream),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> RuleBook {
        RuleBook::new(
            rules::Registry::builtin().expect("built-in rule sets load"),
            Default::default(),
        )
    }

    fn request(json: serde_json::Value) -> EligibilityRequest {
        serde_json::from_value(json).expect("request")
    }

    #[test]
    fn region_and_as_of_default_to_national_today() {
        let report = check(
            &registry(),
            request(serde_json::json!({"person": {}})),
            casework::clock::real_today(),
        )
        .unwrap();
        assert_eq!(report.region, "national");
        assert_eq!(report.as_of, casework::clock::real_today());
    }

    #[test]
    fn impossible_as_of_names_as_of() {
        let e = check(
            &registry(),
            request(serde_json::json!({"as_of": "2026-02-30", "person": {}})),
            casework::clock::real_today(),
        )
        .unwrap_err();
        assert_eq!(e.detail().field.as_deref(), Some("as_of"));
    }

    #[test]
    fn day_before_the_policy_has_no_rules_in_force() {
        let e = check(
            &registry(),
            request(serde_json::json!({"as_of": "2019-01-01", "person": {}})),
            casework::clock::real_today(),
        )
        .unwrap_err();
        assert_eq!(e.detail().code, "not_in_force");
        assert_eq!(e.status(), axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    }

    #[test]
    fn batch_answers_in_order_like_single_checks() {
        let people: Vec<PersonInput> = [
            serde_json::json!({"skill_levels": [{"level": "technician", "obtained_on": "2024-06-30"}]}),
            serde_json::json!({}),
        ]
        .into_iter()
        .map(|p| serde_json::from_value(p).unwrap())
        .collect();
        let json = screen_batch(
            &registry(),
            BatchRequest {
                as_of: Some("2026-11-21".into()),
                region: Some("53".into()),
                people: people.clone(),
                detail: Detail::Full,
            },
            casework::clock::real_today(),
        )
        .unwrap();
        let batch: serde_json::Value = serde_json::from_slice(&json).unwrap();
        let results = batch["results"].as_array().unwrap();
        assert_eq!(results.len(), 2);
        for (person, result) in people.into_iter().zip(results) {
            let single = check(
                &registry(),
                EligibilityRequest {
                    as_of: Some("2026-11-21".into()),
                    region: Some("53".into()),
                    person,
                },
                casework::clock::real_today(),
            )
            .unwrap();
            assert_eq!(
                serde_json::to_value(&single.outcomes).unwrap(),
                result["outcomes"]
            );
        }
    }

    #[test]
    fn first_invalid_person_is_named_even_in_a_later_chunk() {
        let mut people = vec![PersonInput::default(); 2_000];
        for i in [1_500, 1_999] {
            people[i].honours = Some(vec!["nobel_prize".to_owned()]);
        }
        let e = screen_batch(
            &registry(),
            BatchRequest {
                as_of: Some("2026-11-21".into()),
                region: None,
                people,
                detail: Detail::Full,
            },
            casework::clock::real_today(),
        )
        .unwrap_err();
        assert_eq!(e.detail().field.as_deref(), Some("people[1500].honours[0]"));
    }

    #[test]
    fn too_many_people_is_refused_before_any_work() {
        let people = vec![PersonInput::default(); MAX_PEOPLE + 1];
        let e = screen_batch(
            &registry(),
            BatchRequest {
                as_of: None,
                region: None,
                people,
                detail: Detail::Full,
            },
            casework::clock::real_today(),
        )
        .unwrap_err();
        assert_eq!(e.detail().field.as_deref(), Some("people"));
    }
}
