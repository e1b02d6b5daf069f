//! `POST /test/clock`: the end-to-end tests' way to move the server's one clock.

use axum::{
    body::Bytes,
    extract::State,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use chrono::NaiveDate;

use app::portal::{FieldProblem, P};

use super::extract::WebError;
use super::{field, form_pairs};
use crate::state::AppState;

/// `POST /test/clock` (only with `GUANTONG_TEST_CLOCK=true`): `date=YYYY-MM-DD` pins the
/// server's day, `days=N` moves it (a publicity period can run out), `reset=1` goes back to the
/// real day. Answers the server's day.
pub async fn advance_clock(
    State(state): State<AppState>,
    body: Bytes,
) -> Result<Response, WebError> {
    let pairs = form_pairs(&body);
    let date = field(&pairs, "date");
    let clock = state.book.clock();
    let today = if field(&pairs, "reset") == "1" {
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
        let days: i64 = field(&pairs, "days").parse().unwrap_or(0);
        clock.advance(days.clamp(-3660, 3660))
    };
    // What the background task would do at its next tick, at once, so tests need not wait.
    casework::publicity::end_due(&state.db, &state.calendar, today)
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok((StatusCode::OK, today.to_string()).into_response())
}
