//! An expert of a committee's pool (专家库): an account, with the unit, series, specialty and
//! title level held, whether a high-skill talent (高技能人才评委), the duty on the committee
//! (member, chair, vice-chair), the term, and whether active.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "expert")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub committee: String,
    pub account_id: i64,
    pub name: String,
    /// The expert's organisation code.
    pub unit: String,
    pub series: String,
    pub specialty: String,
    /// A `rules::TitleLevel` code.
    pub title_level: String,
    pub high_skill: bool,
    /// `member`, `chair` or `vice_chair`.
    pub duty: String,
    pub term_from: Date,
    pub term_to: Date,
    pub active: bool,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
