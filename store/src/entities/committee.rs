//! A review committee (评审委员会, 40号令 Art. 6–9): its organising unit, region, series, the
//! tiers it reviews, whether it covers a whole series or one specialty, whether it is an
//! enterprise's self-review committee, the units that entrust it with their dossiers, and its
//! filing (核准备案). Keyed by the committee's organisation code, which scopes its office's
//! grants and its dossiers.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "committee")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    /// The organising unit (组建单位), an organisation code.
    pub organiser: String,
    pub region: String,
    pub series: String,
    /// The tiers reviewed, comma-separated codes (`senior,intermediate`).
    pub tiers: String,
    /// The specialty of a committee formed per specialty; `None` for a whole series.
    pub specialty: Option<String>,
    /// An enterprise's self-review committee (自主评审, 云人社通28号 三).
    pub self_review: bool,
    /// Units without a committee that entrust this one (委托评审, Art. 28), comma-separated.
    #[sea_orm(column_type = "Text")]
    pub entrusting: String,
    pub filing_number: Option<String>,
    pub filed_on: Option<Date>,
    pub filing_expires_on: Option<Date>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
