//! Creates `dossier`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    Id,
    OwnerId,
    Org,
    Committee,
    State,
    StateDetail,
    Version,
    FullName,
    IdNumber,
    Occupation,
    CurrentPost,
    Target,
    Answers,
    Achievements,
    Receipt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Dossier::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Dossier::Id))
                    .col(big_integer(Dossier::OwnerId))
                    .col(string_len(Dossier::Org, 64))
                    .col(string_len(Dossier::Committee, 64))
                    .col(string_len(Dossier::State, 32))
                    .col(text(Dossier::StateDetail))
                    .col(integer(Dossier::Version))
                    .col(string_len(Dossier::FullName, 128))
                    .col(string_len(Dossier::IdNumber, 18))
                    .col(string_len(Dossier::Occupation, 32))
                    .col(string_len(Dossier::CurrentPost, 128))
                    .col(string_len_null(Dossier::Target, 128))
                    .col(text(Dossier::Answers))
                    .col(text(Dossier::Achievements))
                    .col(text_null(Dossier::Receipt))
                    .col(timestamp_with_time_zone(Dossier::CreatedAt))
                    .col(timestamp_with_time_zone(Dossier::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_dossier_owner")
                            .from(Dossier::Table, Dossier::OwnerId)
                            .to(Account::Table, Account::Id),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("ix_dossier_org_state", (Dossier::Org, Dossier::State)),
            (
                "ix_dossier_committee_state",
                (Dossier::Committee, Dossier::State),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Dossier::Table)
                        .col(column.0)
                        .col(column.1)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_dossier_owner")
                    .table(Dossier::Table)
                    .col(Dossier::OwnerId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Dossier::Table).to_owned())
            .await
    }
}
