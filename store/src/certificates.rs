//! Certificates' rows: plain reads and writes in the caller's transaction (`casework::results`
//! issues them in the confirmation's transaction).

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::certificate;
use crate::StoreError;

/// What a new certificate says.
pub struct NewCertificate<'a> {
    pub number: &'a str,
    pub code: &'a str,
    pub dossier_id: i64,
    pub session_id: i64,
    pub holder: &'a str,
    pub org: &'a str,
    pub target: &'a str,
    pub committee: &'a str,
    pub issued_on: chrono::NaiveDate,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewCertificate<'_>,
) -> Result<certificate::Model, StoreError> {
    Ok(certificate::ActiveModel {
        number: Set(new.number.to_owned()),
        code: Set(new.code.to_owned()),
        dossier_id: Set(new.dossier_id),
        session_id: Set(new.session_id),
        holder: Set(new.holder.to_owned()),
        org: Set(new.org.to_owned()),
        target: Set(new.target.to_owned()),
        committee: Set(new.committee.to_owned()),
        issued_on: Set(new.issued_on),
        status: Set("valid".into()),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// The certificate of a verification code.
pub async fn by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> Result<Option<certificate::Model>, StoreError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::Code.eq(code))
        .one(conn)
        .await?)
}

/// A dossier's certificate, if one was issued.
pub async fn of_dossier<C: ConnectionTrait>(
    conn: &C,
    dossier_id: i64,
) -> Result<Option<certificate::Model>, StoreError> {
    Ok(certificate::Entity::find()
        .filter(certificate::Column::DossierId.eq(dossier_id))
        .one(conn)
        .await?)
}

/// A certificate by its id.
pub async fn by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<certificate::Model>, StoreError> {
    Ok(certificate::Entity::find_by_id(id).one(conn).await?)
}

/// Marks a valid certificate revoked on `day` for `reason`; `false` if it was not valid (revoked
/// already, perhaps by a revocation that committed first).
pub async fn revoke<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    day: chrono::NaiveDate,
    reason: &str,
) -> Result<bool, StoreError> {
    use sea_orm::sea_query::Expr;
    let done = certificate::Entity::update_many()
        .col_expr(certificate::Column::Status, Expr::value("revoked"))
        .col_expr(certificate::Column::RevokedOn, Expr::value(day))
        .col_expr(certificate::Column::RevokedReason, Expr::value(reason))
        .filter(certificate::Column::Id.eq(id))
        .filter(certificate::Column::Status.eq("valid"))
        .exec(conn)
        .await?;
    Ok(done.rows_affected == 1)
}

/// The most a search of certificates lists.
pub const LIST_LIMIT: u64 = 100;

/// The certificates of these committees, newest first, at most [`LIST_LIMIT`]; with `query`,
/// those whose number, verification code or holder's name contains it.
pub async fn of_committees<C: ConnectionTrait>(
    conn: &C,
    committees: &[String],
    query: &str,
) -> Result<Vec<certificate::Model>, StoreError> {
    use sea_orm::{Condition, QueryOrder, QuerySelect};
    let mut find = certificate::Entity::find()
        .filter(certificate::Column::Committee.is_in(committees.to_vec()));
    let query = query.trim();
    if !query.is_empty() {
        find = find.filter(
            Condition::any()
                .add(certificate::Column::Number.contains(query))
                .add(certificate::Column::Code.contains(query.to_ascii_uppercase()))
                .add(certificate::Column::Holder.contains(query)),
        );
    }
    Ok(find
        .order_by_desc(certificate::Column::Id)
        .limit(LIST_LIMIT)
        .all(conn)
        .await?)
}
