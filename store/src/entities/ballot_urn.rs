//! An applicant's ballot box while the ballot is open: the running counts, sealed under the
//! server's key (a fresh nonce each vote), so the row shows neither a tally nor the order of
//! the votes. Emptied into `ballot` at close.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_urn")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i64,
    #[sea_orm(column_type = "Text")]
    pub sealed: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
