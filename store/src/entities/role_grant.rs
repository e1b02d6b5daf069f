//! A role an account holds, with the scope it holds it in (an organisation, a committee, a
//! region, a region and sector). One account may hold several.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "role_grant")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    /// `applicant`, `employer_hr`, `committee_office`, `expert`, `provincial_admin`, `industry_authority`.
    pub role: String,
    pub scope_org: Option<String>,
    pub scope_committee: Option<String>,
    pub scope_region: Option<String>,
    pub scope_sector: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
