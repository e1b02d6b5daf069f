//! A year of the working-day calendar entered by an administrator: the notice, the holidays and
//! make-up working days (JSON lists of ISO dates), who entered it and when.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "calendar_year")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub year: i32,
    #[sea_orm(column_type = "Text")]
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub holidays: String,
    #[sea_orm(column_type = "Text")]
    pub makeup_workdays: String,
    pub entered_by: i64,
    pub entered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
