//! `POST /test/clock`: the end-to-end tests' way to move the server's one clock.

use axum::{
    body::Body,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;

use app::portal::{FieldProblem, P};

use super::extract::{TypedForm, WebError};
use crate::state::AppState;

/// The clock's form: one of `date`, `days` or `reset`.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ClockForm {
    date: String,
    days: String,
    reset: String,
}

/// `POST /test/clock` (only with `GUANTONG_TEST_CLOCK=true`): `date=YYYY-MM-DD` pins the
/// server's day, `days=N` moves it (a publicity period can run out), `reset=1` goes back to the
/// real day. Answers the server's day.
pub async fn advance_clock(
    State(state): State<AppState>,
    body: Body,
) -> Result<Response, WebError> {
    let TypedForm(form) = TypedForm::<ClockForm>::read(body, 1024).await?;
    let date = form.date.trim();
    let clock = state.book.clock();
    let today = if form.reset.trim() == "1" {
        clock.set(casework::clock::real_today())
    } else if !date.is_empty() {
        match NaiveDate::parse_from_str(date, "%Y-%m-%d") {
            Ok(day) => clock.set(day),
            Err(_) => {
                let text = FieldProblem::new("date", P::ErrDateFormat);
                let body = format!("date: {} / {}", text.zh, text.en);
                return Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response());
            }
        }
    } else {
        let days: i64 = form.days.trim().parse().unwrap_or(0);
        clock.advance(days.clamp(-3660, 3660))
    };
    // What the background task would do at its next tick, at once, so tests need not wait.
    casework::publicity::end_due(&state.db, &state.book.calendar(), today)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((StatusCode::OK, today.to_string()).into_response())
}
