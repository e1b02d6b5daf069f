//! Organisations: employers (whose HR reviews their staff's dossiers) and committees (whose
//! office runs the formal check). A dossier's province is its employer's.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::organisation::{self, Entity as Organisation};
use crate::StoreError;

/// Every organisation of a kind (`employer` or `committee`), by code.
pub async fn of_kind(
    db: &DatabaseConnection,
    kind: &str,
) -> Result<Vec<organisation::Model>, StoreError> {
    Ok(Organisation::find()
        .filter(organisation::Column::Kind.eq(kind))
        .order_by_asc(organisation::Column::Code)
        .all(db)
        .await?)
}

/// One organisation.
pub async fn get(
    db: &DatabaseConnection,
    code: &str,
) -> Result<Option<organisation::Model>, StoreError> {
    Ok(Organisation::find_by_id(code.to_owned()).one(db).await?)
}

/// The committee that takes dossiers from a region: the first by code (one per region today).
pub async fn committee_for(
    db: &DatabaseConnection,
    region: &str,
) -> Result<Option<organisation::Model>, StoreError> {
    Ok(Organisation::find()
        .filter(organisation::Column::Kind.eq("committee"))
        .filter(organisation::Column::Region.eq(region))
        .order_by_asc(organisation::Column::Code)
        .one(db)
        .await?)
}
