//! What several instances on one database must share beyond sessions and lockouts:
//! `login_attempt`, the per-address count of sign-in attempts in its current window, and
//! `task_lease`, which instance runs a background task for the time being.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LoginAttempt {
    Table,
    Address,
    /// Unix seconds: when the address's current window opened.
    WindowStart,
    Attempts,
}

#[derive(DeriveIden)]
enum TaskLease {
    Table,
    Name,
    Holder,
    /// Unix seconds: the lease is the holder's until then.
    HeldUntil,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(LoginAttempt::Table)
                    .if_not_exists()
                    .col(string(LoginAttempt::Address).primary_key())
                    .col(big_integer(LoginAttempt::WindowStart))
                    .col(integer(LoginAttempt::Attempts))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TaskLease::Table)
                    .if_not_exists()
                    .col(string(TaskLease::Name).primary_key())
                    .col(string(TaskLease::Holder))
                    .col(big_integer(TaskLease::HeldUntil))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TaskLease::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LoginAttempt::Table).to_owned())
            .await
    }
}
