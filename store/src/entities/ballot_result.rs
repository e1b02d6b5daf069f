//! An applicant's result, counted at close (POLICY §9): the group's members, those recused, those
//! attending and not recused (the base), the votes, the numbers quorum and passing needed, and
//! the outcome (`passed`, `not_passed`, or `no_quorum`: too few attending who are not recused).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ballot_result")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub session_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub dossier_id: i64,
    pub grp: String,
    pub members: i32,
    pub recused: i32,
    pub attending: i32,
    pub agree: i32,
    pub disagree: i32,
    pub abstain: i32,
    pub base: i32,
    pub quorum_needed: i32,
    pub pass_needed: i32,
    pub outcome: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
