//! A published version of a rule set: its TOML source and content hash, kept forever so any
//! past decision can be replayed against the version that was in force.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rule_set_version")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The rule set's stable id (e.g. `yunnan-2021`).
    pub rule_set_id: String,
    pub version: String,
    /// `national` or a GB/T 2260 province code.
    pub region: String,
    pub effective_from: Date,
    pub effective_to: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    pub content_hash: String,
    pub published_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
