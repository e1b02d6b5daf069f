//! ID numbers sealed at rest (`crate::pii`): `dossier.id_number` holds the sealed value, longer
//! than 18 characters (PostgreSQL: `text`; SQLite does not enforce a `varchar` length), and
//! `dossier.id_number_index` the keyed hash that finds it, indexed. Rows written before are
//! sealed at the server's start-up (`crate::pii::reseal_dossiers`), where the keys are known.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    IdNumber,
    IdNumberIndex,
}

const INDEX: &str = "idx_dossier_id_number_index";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        if manager.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            manager
                .alter_table(
                    Table::alter()
                        .table(Dossier::Table)
                        .modify_column(ColumnDef::new(Dossier::IdNumber).text().not_null())
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .add_column(string_null(Dossier::IdNumberIndex))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name(INDEX)
                    .table(Dossier::Table)
                    .col(Dossier::IdNumberIndex)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(Index::drop().name(INDEX).table(Dossier::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Dossier::Table)
                    .drop_column(Dossier::IdNumberIndex)
                    .to_owned(),
            )
            .await
    }
}
