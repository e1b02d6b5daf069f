//! An objection (异议) to a result in publicity: its reason, the objector's contact (sealed, as
//! `store::pii` seals an ID number), and the organising unit's finding and outcome (`open`,
//! `dismissed`, `suspended`: upheld and the result held, `revoked`: upheld and the result
//! revoked).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "objection")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dossier_id: i64,
    pub session_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    #[sea_orm(column_type = "Text")]
    pub contact: String,
    pub lodged_at: DateTimeUtc,
    pub status: String,
    #[sea_orm(column_type = "Text", nullable)]
    pub finding: Option<String>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
