//! The secret ballot's rows: attendance, who has voted, the sealed ballot boxes while the ballot
//! is open, the ballots and results written at close, and the session's ballot marks. Plain
//! reads and writes in the caller's transaction; what may happen when is `casework::ballot`'s.
//! No function here reads or writes a ballot together with the expert who cast it: the two are
//! kept in different tables, and a ballot row holds no account and no time.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{
    attendance, ballot, ballot_result, ballot_urn, ballot_voter, review_session,
};
use crate::StoreError;

/// The experts recorded as attending a session.
pub async fn attendance<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<i64>, StoreError> {
    Ok(attendance::Entity::find()
        .filter(attendance::Column::SessionId.eq(session_id))
        .order_by_asc(attendance::Column::ExpertId)
        .all(conn)
        .await?
        .into_iter()
        .map(|a| a.expert_id)
        .collect())
}

/// Replaces the session's attendance by `experts`.
pub async fn set_attendance<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    experts: &[i64],
) -> Result<(), StoreError> {
    attendance::Entity::delete_many()
        .filter(attendance::Column::SessionId.eq(session_id))
        .exec(conn)
        .await?;
    if !experts.is_empty() {
        attendance::Entity::insert_many(experts.iter().map(|e| attendance::ActiveModel {
            session_id: Set(session_id),
            expert_id: Set(*e),
        }))
        .exec(conn)
        .await?;
    }
    Ok(())
}

/// Which mark of the session's ballot to set.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// Opened (only if not yet).
    Opened,
    /// Closed (only if open and not yet closed).
    Closed,
}

/// Sets the session's ballot mark at `now` if it is not set yet (and, for closing, the ballot is
/// open): one statement, so of two offices at once only one succeeds. Answers whether it was set.
pub async fn mark<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    mark: Mark,
    now: DateTime<Utc>,
) -> Result<bool, StoreError> {
    use review_session::Column as S;
    let update = review_session::Entity::update_many().filter(S::Id.eq(session_id));
    let update = match mark {
        Mark::Opened => update
            .col_expr(S::BallotOpenedAt, Expr::value(Some(now)))
            .filter(S::BallotOpenedAt.is_null()),
        Mark::Closed => update
            .col_expr(S::BallotClosedAt, Expr::value(Some(now)))
            .filter(S::BallotOpenedAt.is_not_null())
            .filter(S::BallotClosedAt.is_null()),
    };
    Ok(update.exec(conn).await?.rows_affected == 1)
}

/// What the chair's signature writes on the session.
pub struct Seal<'a> {
    pub by: &'a str,
    pub hash: &'a str,
    /// The meeting record, archived with it (JSON).
    pub record: String,
    pub at: DateTime<Utc>,
}

/// Writes the chair's signature, the result's hash and the meeting record on a closed, unsealed
/// session. Answers whether it was written (not if sealed already, or not closed).
pub async fn seal<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    seal: Seal<'_>,
) -> Result<bool, StoreError> {
    use review_session::Column as S;
    Ok(review_session::Entity::update_many()
        .col_expr(S::SealedBy, Expr::value(Some(seal.by.to_owned())))
        .col_expr(S::SealedHash, Expr::value(Some(seal.hash.to_owned())))
        .col_expr(S::SealedAt, Expr::value(Some(seal.at)))
        .col_expr(S::Record, Expr::value(Some(seal.record)))
        .filter(S::Id.eq(session_id))
        .filter(S::BallotClosedAt.is_not_null())
        .filter(S::SealedAt.is_null())
        .exec(conn)
        .await?
        .rows_affected
        == 1)
}

/// Puts an empty sealed ballot box for each applicant.
pub async fn insert_urns<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    urns: Vec<(i64, String)>,
) -> Result<(), StoreError> {
    if urns.is_empty() {
        return Ok(());
    }
    ballot_urn::Entity::insert_many(urns.into_iter().map(|(dossier_id, sealed)| {
        ballot_urn::ActiveModel {
            session_id: Set(session_id),
            dossier_id: Set(dossier_id),
            sealed: Set(sealed),
        }
    }))
    .exec(conn)
    .await?;
    Ok(())
}

/// Takes the ballot box's row for this transaction (a write lock on SQLite, a row lock on
/// PostgreSQL), so two votes on one applicant count each other's. Answers the box's sealed
/// counts, or `None` when there is no box (the ballot is not open, or closed).
pub async fn take_urn<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
) -> Result<Option<String>, StoreError> {
    let locked = ballot_urn::Entity::update_many()
        .col_expr(
            ballot_urn::Column::Sealed,
            Expr::col(ballot_urn::Column::Sealed),
        )
        .filter(ballot_urn::Column::SessionId.eq(session_id))
        .filter(ballot_urn::Column::DossierId.eq(dossier_id))
        .exec(conn)
        .await?
        .rows_affected;
    if locked == 0 {
        return Ok(None);
    }
    Ok(ballot_urn::Entity::find_by_id((session_id, dossier_id))
        .one(conn)
        .await?
        .map(|u| u.sealed))
}

/// Rewrites a ballot box's sealed counts.
pub async fn put_urn<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
    sealed: String,
) -> Result<(), StoreError> {
    ballot_urn::Entity::update_many()
        .col_expr(ballot_urn::Column::Sealed, Expr::value(sealed))
        .filter(ballot_urn::Column::SessionId.eq(session_id))
        .filter(ballot_urn::Column::DossierId.eq(dossier_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Takes every ballot box of the session for this transaction (the close): a vote being cast
/// holds its box until it commits, so the close waits for it and then reads its count; a vote
/// after this finds no box.
pub async fn lock_urns<C: ConnectionTrait>(conn: &C, session_id: i64) -> Result<(), StoreError> {
    ballot_urn::Entity::update_many()
        .col_expr(
            ballot_urn::Column::Sealed,
            Expr::col(ballot_urn::Column::Sealed),
        )
        .filter(ballot_urn::Column::SessionId.eq(session_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Every ballot box of a session, by applicant.
pub async fn urns<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<ballot_urn::Model>, StoreError> {
    Ok(ballot_urn::Entity::find()
        .filter(ballot_urn::Column::SessionId.eq(session_id))
        .order_by_asc(ballot_urn::Column::DossierId)
        .all(conn)
        .await?)
}

/// Empties the session's ballot boxes (at close, once their ballots are written).
pub async fn delete_urns<C: ConnectionTrait>(conn: &C, session_id: i64) -> Result<(), StoreError> {
    ballot_urn::Entity::delete_many()
        .filter(ballot_urn::Column::SessionId.eq(session_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// Whether the expert has voted on the applicant.
pub async fn has_voted<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
    expert_id: i64,
) -> Result<bool, StoreError> {
    Ok(
        ballot_voter::Entity::find_by_id((session_id, dossier_id, expert_id))
            .one(conn)
            .await?
            .is_some(),
    )
}

/// Records that the expert has voted on the applicant (no choice, no time).
pub async fn insert_voter<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    dossier_id: i64,
    expert_id: i64,
) -> Result<(), StoreError> {
    ballot_voter::ActiveModel {
        session_id: Set(session_id),
        dossier_id: Set(dossier_id),
        expert_id: Set(expert_id),
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Who has voted on what in a session: (dossier, expert).
pub async fn voters<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<(i64, i64)>, StoreError> {
    Ok(ballot_voter::Entity::find()
        .filter(ballot_voter::Column::SessionId.eq(session_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|v| (v.dossier_id, v.expert_id))
        .collect())
}

/// The most rows one insert carries (PostgreSQL takes at most 65,535 bound values).
const CHUNK: usize = 1_000;

/// Writes ballots in the order given (the caller shuffles them).
pub async fn insert_ballots<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
    ballots: Vec<(i64, &'static str)>,
) -> Result<(), StoreError> {
    let rows: Vec<ballot::ActiveModel> = ballots
        .into_iter()
        .enumerate()
        .map(|(slot, (dossier_id, choice))| ballot::ActiveModel {
            session_id: Set(session_id),
            dossier_id: Set(dossier_id),
            slot: Set(slot as i32),
            choice: Set(choice.to_owned()),
        })
        .collect();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK).collect();
        ballot::Entity::insert_many(chunk).exec(conn).await?;
    }
    Ok(())
}

/// The ballots of a session (after close), in their stored order.
pub async fn ballots<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<ballot::Model>, StoreError> {
    Ok(ballot::Entity::find()
        .filter(ballot::Column::SessionId.eq(session_id))
        .order_by_asc(ballot::Column::Slot)
        .all(conn)
        .await?)
}

/// Writes the applicants' results.
pub async fn insert_results<C: ConnectionTrait>(
    conn: &C,
    results: Vec<ballot_result::Model>,
) -> Result<(), StoreError> {
    let mut rows = results
        .into_iter()
        .map(ballot_result::ActiveModel::from)
        .peekable();
    while rows.peek().is_some() {
        let chunk: Vec<_> = rows.by_ref().take(CHUNK / 10).collect();
        ballot_result::Entity::insert_many(chunk).exec(conn).await?;
    }
    Ok(())
}

/// The applicants' results of a session, by applicant.
pub async fn results<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<ballot_result::Model>, StoreError> {
    Ok(ballot_result::Entity::find()
        .filter(ballot_result::Column::SessionId.eq(session_id))
        .order_by_asc(ballot_result::Column::DossierId)
        .all(conn)
        .await?)
}

/// The results of one dossier in every session that voted on it, newest first.
pub async fn results_of_dossier<C: ConnectionTrait>(
    conn: &C,
    dossier_id: i64,
) -> Result<Vec<ballot_result::Model>, StoreError> {
    Ok(ballot_result::Entity::find()
        .filter(ballot_result::Column::DossierId.eq(dossier_id))
        .order_by_desc(ballot_result::Column::SessionId)
        .all(conn)
        .await?)
}
