//! A review session (评审会议): one sitting of a committee for accepted dossiers of one series
//! and tier range, on a day.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "review_session")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee: String,
    pub series: String,
    /// The tiers reviewed, comma-separated codes.
    pub tiers: String,
    pub sits_on: Date,
    pub name: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
