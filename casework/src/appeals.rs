//! Appeals (复查, 40号令 Art. 27): an applicant whose result did not pass asks for a review with a
//! reason, within `review_appeal_days` of the day the chair signed the result (the text sets no
//! limit: a marked product default the province changes); the committee's office records its
//! decision and grounds. An upheld appeal takes the dossier out of its session and back to
//! "accepted", to be put to a new vote in a later session; a dismissed one leaves it not passed.
//! Each step is a move in the one table with its audit entry in the same transaction.

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait};
use store::audit::{self, NewEntry};
use store::entities::{committee as committee_row, dossier, review_session};
use store::workflow::{Action, Actor, Stage, State};

use crate::commands::Desk;
use crate::dossier::Who;
use crate::results::step;
use crate::sessions::is_office;
use crate::CaseError;

#[derive(Debug, thiserror::Error)]
pub enum AppealError {
    /// Not the applicant's own, or not the office's; not a result that may be appealed.
    #[error("not found")]
    NotYours,
    #[error("an appeal needs a reason")]
    ReasonMissing,
    #[error("the time to appeal ended on {0}")]
    TooLate(NaiveDate),
    #[error("the decision needs its grounds")]
    FindingMissing,
    #[error(transparent)]
    Case(#[from] CaseError),
}

case_error_from!(AppealError);

struct Found {
    row: dossier::Model,
    state: State,
    session: review_session::Model,
    region: String,
}

async fn found(db: &store::Db, dossier_id: i64) -> Result<Found, AppealError> {
    let row = dossier::Entity::find_by_id(dossier_id)
        .one(db)
        .await?
        .ok_or(AppealError::NotYours)?;
    let state: State =
        serde_json::from_str(&row.state_detail).map_err(|_| AppealError::NotYours)?;
    let session_id = state.session_id().ok_or(AppealError::NotYours)?;
    let session = store::sessions::session(db, session_id)
        .await?
        .ok_or(AppealError::NotYours)?;
    let region = committee_row::Entity::find_by_id(session.committee.clone())
        .one(db)
        .await?
        .map(|c| c.region)
        .unwrap_or_default();
    Ok(Found {
        row,
        state,
        session,
        region,
    })
}

/// The last day to appeal a result signed on the session: the signature's day in Beijing plus
/// `review_appeal_days` in force in the committee's region that day. `None` before the
/// signature or without the parameter.
pub fn last_day(
    desk: &Desk<'_>,
    session: &review_session::Model,
    region: &str,
) -> Option<NaiveDate> {
    let beijing = chrono::FixedOffset::east_opt(8 * 3600)?;
    let signed = session.sealed_at?.with_timezone(&beijing).date_naive();
    let days = desk
        .book
        .in_force(region, signed)?
        .rules
        .param_int("review_appeal_days")?;
    Some(signed + Duration::days(days))
}

/// Until when this dossier's owner may appeal it now (`None`: not a result open to appeal).
pub async fn open_until(
    desk: &Desk<'_>,
    dossier_id: i64,
) -> Result<Option<NaiveDate>, AppealError> {
    let Ok(f) = found(desk.db, dossier_id).await else {
        return Ok(None);
    };
    if !matches!(f.state, State::NotPassed { .. }) {
        return Ok(None);
    }
    Ok(last_day(desk, &f.session, &f.region).filter(|last| desk.book.today() <= *last))
}

/// The owner asks for a review of a result that did not pass, within the time.
pub async fn appeal(
    desk: &Desk<'_>,
    who: &Who,
    dossier_id: i64,
    reason: &str,
) -> Result<(), AppealError> {
    let f = found(desk.db, dossier_id).await?;
    if f.row.owner_id != who.account_id || !matches!(f.state, State::NotPassed { .. }) {
        return Err(AppealError::NotYours);
    }
    let reason: String = reason
        .trim()
        .chars()
        .take(rules::limits::MAX_REASON_CHARS)
        .collect();
    if reason.is_empty() {
        return Err(AppealError::ReasonMissing);
    }
    let last = last_day(desk, &f.session, &f.region).ok_or(AppealError::NotYours)?;
    if desk.book.today() > last {
        return Err(AppealError::TooLate(last));
    }
    let txn = desk.db.begin().await?;
    let action = Action::Appeal { reason };
    step(desk, &txn, &f.row, Actor::Applicant, who, action, &f.region).await?;
    txn.commit().await?;
    Ok(())
}

/// The appeals waiting in a session, for its office: (dossier, applicant, reason, lodged on).
pub async fn waiting(
    db: &store::Db,
    who: &Who,
    session_id: i64,
) -> Result<Vec<(i64, String, String, NaiveDate)>, AppealError> {
    let session = store::sessions::session(db, session_id)
        .await?
        .filter(|s| is_office(who, &s.committee))
        .ok_or(AppealError::NotYours)?;
    let ids: Vec<i64> = store::ballots::results(db, session.id)
        .await?
        .into_iter()
        .map(|r| r.dossier_id)
        .collect();
    let appealed = dossier::Entity::find()
        .filter(dossier::Column::Id.is_in(ids))
        .filter(dossier::Column::State.eq(Stage::Appealed.code()))
        .order_by_asc(dossier::Column::Id)
        .all(db)
        .await?;
    Ok(appealed
        .into_iter()
        .filter_map(
            |row| match serde_json::from_str::<State>(&row.state_detail) {
                Ok(State::Appealed {
                    reason, lodged_on, ..
                }) => Some((row.id, row.full_name, reason, lodged_on)),
                _ => None,
            },
        )
        .collect())
}

/// The office decides an appeal, giving its grounds: upheld, the dossier leaves its session and
/// waits for a new vote in a later one; dismissed, it stays not passed.
pub async fn decide(
    desk: &Desk<'_>,
    who: &Who,
    dossier_id: i64,
    uphold: bool,
    finding: &str,
) -> Result<(), AppealError> {
    let f = found(desk.db, dossier_id).await?;
    if !is_office(who, &f.session.committee) || !matches!(f.state, State::Appealed { .. }) {
        return Err(AppealError::NotYours);
    }
    let finding: String = finding
        .trim()
        .chars()
        .take(rules::limits::MAX_REASON_CHARS)
        .collect();
    if finding.is_empty() {
        return Err(AppealError::FindingMissing);
    }
    let action = if uphold {
        Action::UpholdAppeal
    } else {
        Action::DismissAppeal
    };
    let txn = desk.db.begin().await?;
    let office = Actor::CommitteeOffice;
    step(desk, &txn, &f.row, office, who, action, &f.region).await?;
    if uphold {
        store::sessions::remove_placement(&txn, f.session.id, f.row.id).await?;
    }
    audit::append(
        &txn,
        NewEntry {
            actor: who.label.clone(),
            action: "appeal.decide".into(),
            subject_kind: "dossier".into(),
            subject_id: f.row.id.to_string(),
            from_state: None,
            to_state: None,
            detail: serde_json::json!({ "uphold": uphold, "finding": finding, "session": f.session.id }),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
