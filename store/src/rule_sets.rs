//! Queries on published rule set versions.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::entities::rule_set_version::{self, Entity as RuleSetVersion};
use crate::StoreError;

/// What a new published version carries.
#[derive(Clone, Debug)]
pub struct NewRuleSetVersion {
    pub rule_set_id: String,
    pub version: String,
    pub region: String,
    pub effective_from: chrono::NaiveDate,
    pub effective_to: Option<chrono::NaiveDate>,
    pub source: String,
    pub content_hash: String,
}

/// Stores a published version.
pub async fn insert(
    db: &DatabaseConnection,
    new: NewRuleSetVersion,
) -> Result<rule_set_version::Model, StoreError> {
    let model = rule_set_version::ActiveModel {
        rule_set_id: Set(new.rule_set_id),
        version: Set(new.version),
        region: Set(new.region),
        effective_from: Set(new.effective_from),
        effective_to: Set(new.effective_to),
        source: Set(new.source),
        content_hash: Set(new.content_hash),
        published_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    Ok(model.insert(db).await?)
}

/// Every stored version of a rule set, oldest first.
pub async fn versions_of(
    db: &DatabaseConnection,
    rule_set_id: &str,
) -> Result<Vec<rule_set_version::Model>, StoreError> {
    Ok(RuleSetVersion::find()
        .filter(rule_set_version::Column::RuleSetId.eq(rule_set_id))
        .order_by_asc(rule_set_version::Column::Id)
        .all(db)
        .await?)
}

/// The stored version of `region` with this content hash, if any (the first stored).
pub async fn find(
    db: &DatabaseConnection,
    region: &str,
    content_hash: &str,
) -> Result<Option<rule_set_version::Model>, StoreError> {
    Ok(RuleSetVersion::find()
        .filter(rule_set_version::Column::Region.eq(region))
        .filter(rule_set_version::Column::ContentHash.eq(content_hash))
        .order_by_asc(rule_set_version::Column::Id)
        .one(db)
        .await?)
}
