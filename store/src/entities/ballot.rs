//! One ballot, written at close in a shuffled order: the session, the applicant and the choice
//! (`agree`, `disagree`, `abstain`); no account, no time. `slot` is its place in the shuffle.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub slot: i32,
    pub choice: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
