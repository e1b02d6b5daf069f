//! The meeting record (会议记录, 40号令 Art. 23) archived with its session when the chair signs
//! the count: attendees, applicants, opinions and results as JSON, so the record reads the same
//! later whatever changes in the pool or the dossiers.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ReviewSession {
    Table,
    Record,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReviewSession::Table)
                    .add_column(text_null(ReviewSession::Record))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ReviewSession::Table)
                    .drop_column(ReviewSession::Record)
                    .to_owned(),
            )
            .await
    }
}
