//! Objections' rows and the results in publicity: plain reads and writes in the caller's
//! transaction; what may happen when is `casework::results`'. The objector's contact is sealed
//! on write and opened on read (`pii`), like an ID number.

use chrono::{DateTime, Utc};
use sea_orm::{
    sea_query::Expr, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::{dossier, objection};
use crate::StoreError;

/// A new objection.
pub struct NewObjection<'a> {
    pub dossier_id: i64,
    pub session_id: i64,
    pub reason: &'a str,
    pub contact: &'a str,
    pub at: DateTime<Utc>,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewObjection<'_>,
) -> Result<objection::Model, StoreError> {
    Ok(objection::ActiveModel {
        dossier_id: Set(new.dossier_id),
        session_id: Set(new.session_id),
        reason: Set(new.reason.to_owned()),
        contact: Set(crate::pii::keys().seal(new.contact)),
        lodged_at: Set(new.at),
        status: Set("open".into()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map(opened)?)
}

/// The row with its contact opened (a contact that does not open reads as empty).
fn opened(mut o: objection::Model) -> objection::Model {
    o.contact = crate::pii::keys().open(&o.contact).unwrap_or_default();
    o
}

/// A session's objections, oldest first.
pub async fn of_session<C: ConnectionTrait>(
    conn: &C,
    session_id: i64,
) -> Result<Vec<objection::Model>, StoreError> {
    Ok(objection::Entity::find()
        .filter(objection::Column::SessionId.eq(session_id))
        .order_by_asc(objection::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(opened)
        .collect())
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<objection::Model>, StoreError> {
    Ok(objection::Entity::find_by_id(id)
        .one(conn)
        .await?
        .map(opened))
}

/// Records the outcome of an open objection; answers whether it was still open.
pub async fn decide<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    status: &str,
    finding: &str,
    by: &str,
    at: DateTime<Utc>,
) -> Result<bool, StoreError> {
    Ok(objection::Entity::update_many()
        .col_expr(objection::Column::Status, Expr::value(status))
        .col_expr(
            objection::Column::Finding,
            Expr::value(Some(finding.to_owned())),
        )
        .col_expr(
            objection::Column::DecidedBy,
            Expr::value(Some(by.to_owned())),
        )
        .col_expr(objection::Column::DecidedAt, Expr::value(Some(at)))
        .filter(objection::Column::Id.eq(id))
        .filter(objection::Column::Status.eq("open"))
        .exec(conn)
        .await?
        .rows_affected
        == 1)
}

/// The dossiers of `ids` with an objection still open.
pub async fn open_for<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<i64>, StoreError> {
    Ok(objection::Entity::find()
        .filter(objection::Column::DossierId.is_in(ids.iter().copied()))
        .filter(objection::Column::Status.eq("open"))
        .all(conn)
        .await?
        .into_iter()
        .map(|o| o.dossier_id)
        .collect())
}

/// Every dossier whose passed result is in publicity, by dossier.
pub async fn publicised<C: ConnectionTrait>(conn: &C) -> Result<Vec<dossier::Model>, StoreError> {
    Ok(dossier::Entity::find()
        .filter(dossier::Column::State.eq(crate::workflow::Stage::ResultPublicity.code()))
        .order_by_asc(dossier::Column::Id)
        .all(conn)
        .await?)
}
