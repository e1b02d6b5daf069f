//! An electronic title certificate: its number and verification code, the dossier and session
//! it comes from, what it certifies as issued (holder, employer code, target key, committee),
//! the day, and its status (`valid`, `revoked` with the day and reason).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "certificate")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub number: String,
    pub code: String,
    pub dossier_id: i64,
    pub session_id: i64,
    pub holder: String,
    pub org: String,
    pub target: String,
    pub committee: String,
    pub issued_on: Date,
    pub status: String,
    pub revoked_on: Option<Date>,
    #[sea_orm(column_type = "Text", nullable)]
    pub revoked_reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
