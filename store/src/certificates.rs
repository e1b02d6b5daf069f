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
