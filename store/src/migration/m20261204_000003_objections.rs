//! Objections (异议) to a result in publicity (40号令 Art. 26): anyone lodges one with a reason
//! and a contact (sealed like an ID number: it is the objector's personal information) during
//! the period; the organising unit records its investigation and outcome.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Objection {
    Table,
    Id,
    DossierId,
    SessionId,
    Reason,
    Contact,
    LodgedAt,
    Status,
    Finding,
    DecidedBy,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Dossier {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Objection::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Objection::Id))
                    .col(big_integer(Objection::DossierId))
                    .col(big_integer(Objection::SessionId))
                    .col(text(Objection::Reason))
                    .col(text(Objection::Contact))
                    .col(timestamp_with_time_zone(Objection::LodgedAt))
                    .col(string_len(Objection::Status, 16))
                    .col(text_null(Objection::Finding))
                    .col(string_len_null(Objection::DecidedBy, 128))
                    .col(timestamp_with_time_zone_null(Objection::DecidedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_objection_dossier")
                            .from(Objection::Table, Objection::DossierId)
                            .to(Dossier::Table, Dossier::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_objection_session")
                    .table(Objection::Table)
                    .col(Objection::SessionId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Objection::Table).to_owned())
            .await
    }
}
