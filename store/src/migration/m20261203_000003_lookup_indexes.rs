//! Indexes for the lookups every signed-in request or expert page makes by account or expert:
//! an account's role grants and sessions, an account's pool entries, an expert's group seats.
//! Without them each of these scanned its whole table.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, column)
const INDEXES: [(&str, &str, &str); 4] = [
    ("ix_role_grant_account", "role_grant", "account_id"),
    ("ix_session_account", "session", "account_id"),
    ("ix_expert_account", "expert", "account_id"),
    ("ix_group_member_expert", "group_member", "expert_id"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, column) in INDEXES {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Alias::new(table))
                        .col(Alias::new(column))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            manager
                .drop_index(Index::drop().name(name).table(Alias::new(table)).to_owned())
                .await?;
        }
        Ok(())
    }
}
