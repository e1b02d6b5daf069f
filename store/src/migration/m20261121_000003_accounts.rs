//! Creates `account`, `role_grant`, `session` and `password_reset`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    PasswordHash,
    FailedLogins,
    LockedUntil,
    CreatedAt,
}

#[derive(DeriveIden)]
enum RoleGrant {
    Table,
    Id,
    AccountId,
    Role,
    ScopeOrg,
    ScopeCommittee,
    ScopeRegion,
    ScopeSector,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    TokenHash,
    AccountId,
    CreatedAt,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum PasswordReset {
    Table,
    TokenHash,
    AccountId,
    IssuedBy,
    ExpiresAt,
    UsedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Account::Id))
                    .col(string_len_uniq(Account::Username, 64))
                    .col(string_len(Account::DisplayName, 128))
                    .col(text(Account::PasswordHash))
                    .col(integer(Account::FailedLogins).default(0))
                    .col(timestamp_with_time_zone_null(Account::LockedUntil))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(RoleGrant::Table)
                    .if_not_exists()
                    .col(big_pk_auto(RoleGrant::Id))
                    .col(big_integer(RoleGrant::AccountId))
                    .col(string_len(RoleGrant::Role, 32))
                    .col(string_len_null(RoleGrant::ScopeOrg, 64))
                    .col(string_len_null(RoleGrant::ScopeCommittee, 64))
                    .col(string_len_null(RoleGrant::ScopeRegion, 16))
                    .col(string_len_null(RoleGrant::ScopeSector, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_role_grant_account")
                            .from(RoleGrant::Table, RoleGrant::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .if_not_exists()
                    .col(string_len(Session::TokenHash, 64).primary_key())
                    .col(big_integer(Session::AccountId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_account")
                            .from(Session::Table, Session::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(PasswordReset::Table)
                    .if_not_exists()
                    .col(string_len(PasswordReset::TokenHash, 64).primary_key())
                    .col(big_integer(PasswordReset::AccountId))
                    .col(big_integer(PasswordReset::IssuedBy))
                    .col(timestamp_with_time_zone(PasswordReset::ExpiresAt))
                    .col(timestamp_with_time_zone_null(PasswordReset::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_password_reset_account")
                            .from(PasswordReset::Table, PasswordReset::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            PasswordReset::Table.into_iden(),
            Session::Table.into_iden(),
            RoleGrant::Table.into_iden(),
            Account::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
