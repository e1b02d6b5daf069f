//! A session's review group (`general`, or the separate `high_skill` group, 单设评审组): its
//! size rules as planned under the rules in force on the session's day, and its draw once made:
//! the constraints and the pool snapshot as JSON, the outcome (seed, pool hash, members,
//! reserves), who ran it and who witnessed it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_group")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub kind: String,
    pub members: i32,
    pub min_high_skill: i32,
    pub reserves: i32,
    #[sea_orm(column_type = "Text", nullable)]
    pub constraints: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub pool: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub drawn: Option<String>,
    pub drawn_by: Option<String>,
    pub witness: Option<String>,
    pub drawn_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
