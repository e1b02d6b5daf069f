//! A bar on applying for a title after a certificate was revoked for fraud: the person (account
//! and keyed ID-number hash), the certificate and dossier, the reason, the day it started and
//! `until`, the first day the person may apply again.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_bar")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub owner_id: i64,
    pub id_number_index: Option<String>,
    pub certificate_id: i64,
    pub dossier_id: i64,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub starts_on: Date,
    pub until: Date,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
