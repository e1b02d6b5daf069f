//! Ending the unit publicity periods (用人单位公示) that have run. The server runs this at
//! start-up and then every minute; reading a dossier never moves it. Each move is written by
//! `store::dossiers::transition` with its audit entry (actor `system`) in one transaction, and
//! a dossier that changed meanwhile (another instance got there first) is left alone.

use chrono::NaiveDate;
use store::dossiers::{self, DossierError};
use store::workflow::{Action, Actor, Procedure, State};

/// The audit log's label for moves the server makes by itself.
pub const SYSTEM: &str = "system";

/// What one run did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ended {
    /// Dossiers moved on to the formal check.
    pub moved: Vec<i64>,
    /// Dossiers whose period is still running.
    pub running: usize,
    /// Dossiers another writer changed first (left for the next run).
    pub skipped: usize,
}

/// Whether a dossier in `state` has a publicity period that is over on `today` (it ends at
/// the end of its last day).
pub fn is_due(state: &State, today: NaiveDate) -> bool {
    matches!(state, State::UnitPublicity { ends_on } if today > *ends_on)
}

/// Moves every dossier whose unit publicity is over on `today` on to the formal check.
pub async fn end_due(
    db: &store::Db,
    calendar: &rules::WorkCalendar,
    today: NaiveDate,
) -> Result<Ended, DossierError> {
    let mut ended = Ended::default();
    for model in dossiers::in_unit_publicity(db).await? {
        let state = match dossiers::state_of(&model) {
            Ok(state) => state,
            Err(e) => {
                tracing::error!(id = model.id, error = %e, "a dossier's stored state does not read");
                continue;
            }
        };
        if !is_due(&state, today) {
            ended.running += 1;
            continue;
        }
        // The procedure's length matters only when a period starts, not when it ends.
        let procedure = Procedure {
            unit_publicity_working_days: 1,
            result_publicity_working_days: 5,
            fraud_bar_years: 0,
        };
        match dossiers::transition(
            db,
            model.id,
            model.version,
            Actor::System,
            SYSTEM,
            Action::EndPublicity,
            today,
            procedure,
            calendar,
            None,
        )
        .await
        {
            Ok(_) => ended.moved.push(model.id),
            Err(DossierError::Conflict { .. } | DossierError::Workflow(_)) => ended.skipped += 1,
            Err(e) => return Err(e),
        }
    }
    if !ended.moved.is_empty() {
        tracing::info!(moved = ended.moved.len(), "publicity periods ended");
    }
    Ok(ended)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_is_due_the_day_after_its_last_day() {
        let s = State::UnitPublicity {
            ends_on: d("2026-10-09"),
        };
        for (today, due) in [
            ("2026-10-08", false),
            ("2026-10-09", false),
            ("2026-10-10", true),
        ] {
            assert_eq!(is_due(&s, d(today)), due, "{today}");
        }
        assert!(!is_due(&State::FormalCheck, d("2030-01-01")));
        assert!(!is_due(&State::Submitted, d("2030-01-01")));
    }
}
