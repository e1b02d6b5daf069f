//! Bars on applying (40号令: a title obtained by fraud is revoked and the person may not apply
//! for `review_fraud_bar_years`): one row per revocation, naming the person by account and by
//! the keyed hash of their ID number (so a new account with the same number is barred too),
//! the certificate revoked, why, and the first day the person may apply again.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ApplicationBar {
    Table,
    Id,
    OwnerId,
    IdNumberIndex,
    CertificateId,
    DossierId,
    Reason,
    StartsOn,
    Until,
}

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ApplicationBar::Table)
                    .if_not_exists()
                    .col(big_pk_auto(ApplicationBar::Id))
                    .col(big_integer(ApplicationBar::OwnerId))
                    .col(string_len_null(ApplicationBar::IdNumberIndex, 64))
                    .col(big_integer_uniq(ApplicationBar::CertificateId))
                    .col(big_integer(ApplicationBar::DossierId))
                    .col(text(ApplicationBar::Reason))
                    .col(date(ApplicationBar::StartsOn))
                    .col(date(ApplicationBar::Until))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_bar_certificate")
                            .from(ApplicationBar::Table, ApplicationBar::CertificateId)
                            .to(Certificate::Table, Certificate::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, column) in [
            ("idx_application_bar_owner", ApplicationBar::OwnerId),
            (
                "idx_application_bar_id_number",
                ApplicationBar::IdNumberIndex,
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(ApplicationBar::Table)
                        .col(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ApplicationBar::Table).to_owned())
            .await
    }
}
