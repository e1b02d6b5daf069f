//! Creates `audit_entry`, the hash-chained append-only audit log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Id,
    At,
    Actor,
    Action,
    SubjectKind,
    SubjectId,
    FromState,
    ToState,
    Detail,
    PrevHash,
    Hash,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .if_not_exists()
                    .col(big_pk_auto(AuditEntry::Id))
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(string_len(AuditEntry::Actor, 128))
                    .col(string_len(AuditEntry::Action, 64))
                    .col(string_len(AuditEntry::SubjectKind, 32))
                    .col(string_len(AuditEntry::SubjectId, 64))
                    .col(string_len_null(AuditEntry::FromState, 32))
                    .col(string_len_null(AuditEntry::ToState, 32))
                    .col(text(AuditEntry::Detail))
                    .col(string_len_uniq(AuditEntry::PrevHash, 64))
                    .col(string_len_uniq(AuditEntry::Hash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_audit_entry_subject")
                    .table(AuditEntry::Table)
                    .col(AuditEntry::SubjectKind)
                    .col(AuditEntry::SubjectId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AuditEntry::Table).to_owned())
            .await
    }
}
