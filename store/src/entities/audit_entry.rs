//! One entry of the append-only audit log. Each entry's hash covers its own fields and the
//! previous entry's hash, so editing or removing any entry breaks the chain from there on.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// Who acted (an account id or a system actor such as `system:seed`).
    pub actor: String,
    /// What happened, e.g. `dossier.submit` or `dossier.read`.
    pub action: String,
    /// The kind and id of what it happened to, e.g. `dossier` / `42`.
    pub subject_kind: String,
    pub subject_id: String,
    pub from_state: Option<String>,
    pub to_state: Option<String>,
    /// Extra facts as JSON text (reasons, fields returned...).
    #[sea_orm(column_type = "Text")]
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
