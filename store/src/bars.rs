//! Bars on applying (`crate::entities::application_bar`): written in the revocation's
//! transaction (`casework::revocation`), read wherever a person is about to apply.

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, Set,
};

use crate::entities::application_bar;
use crate::StoreError;

/// What a new bar says.
pub struct NewBar<'a> {
    pub owner_id: i64,
    pub id_number_index: Option<&'a str>,
    pub certificate_id: i64,
    pub dossier_id: i64,
    pub reason: &'a str,
    pub starts_on: NaiveDate,
    pub until: NaiveDate,
}

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    new: NewBar<'_>,
) -> Result<application_bar::Model, StoreError> {
    Ok(application_bar::ActiveModel {
        owner_id: Set(new.owner_id),
        id_number_index: Set(new.id_number_index.map(str::to_owned)),
        certificate_id: Set(new.certificate_id),
        dossier_id: Set(new.dossier_id),
        reason: Set(new.reason.to_owned()),
        starts_on: Set(new.starts_on),
        until: Set(new.until),
        ..Default::default()
    }
    .insert(conn)
    .await?)
}

/// The bar still running on `today` for the person of this account or of any of these ID-number
/// hashes, the one that ends last; `None` when they may apply.
pub async fn active<C: ConnectionTrait>(
    conn: &C,
    owner_id: i64,
    id_number_indexes: &[String],
    today: NaiveDate,
) -> Result<Option<application_bar::Model>, StoreError> {
    let mut person = Condition::any().add(application_bar::Column::OwnerId.eq(owner_id));
    if !id_number_indexes.is_empty() {
        person =
            person.add(application_bar::Column::IdNumberIndex.is_in(id_number_indexes.to_vec()));
    }
    Ok(application_bar::Entity::find()
        .filter(person)
        .filter(application_bar::Column::Until.gt(today))
        .order_by_desc(application_bar::Column::Until)
        .one(conn)
        .await?)
}
