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
    /// When the office opened the ballot (attendance is fixed from then on).
    pub ballot_opened_at: Option<DateTimeUtc>,
    /// When the office closed it: no ballot is taken after this, and the results are counted.
    pub ballot_closed_at: Option<DateTimeUtc>,
    /// Who signed the counted result (签字确认, 40号令 Art. 22), when, and its hash (also in
    /// the audit chain).
    pub sealed_by: Option<String>,
    pub sealed_at: Option<DateTimeUtc>,
    pub sealed_hash: Option<String>,
    /// The meeting record (会议记录, Art. 23) as JSON, archived at the signature.
    #[sea_orm(column_type = "Text", nullable)]
    pub record: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
