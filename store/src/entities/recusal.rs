//! A recusal (回避, 40号令 Art. 25): an expert steps out of one applicant's review and vote. Its
//! ground (`same_unit`, `relative`, `superior`, `collaborator`, `other`), who raised it
//! (`automatic`, `expert`, `office`, `applicant`), the reason given, and its status (`in_force`,
//! or for an applicant's request `requested` until the office decides, then `in_force` or
//! `refused`).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recusal")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub session_id: i64,
    pub expert_id: i64,
    pub dossier_id: i64,
    pub ground: String,
    pub source: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub status: String,
    pub declared_by: String,
    pub declared_at: DateTimeUtc,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
