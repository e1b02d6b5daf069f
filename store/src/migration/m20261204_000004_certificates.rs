//! Electronic title certificates (电子证书, the same effect as paper): issued when a result is
//! confirmed, each with its number and a verification code that the public page
//! `/certificates/{code}` answers; revoked with a day and a reason.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Certificate {
    Table,
    Id,
    Number,
    Code,
    DossierId,
    SessionId,
    Holder,
    Org,
    Target,
    Committee,
    IssuedOn,
    Status,
    RevokedOn,
    RevokedReason,
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
                    .table(Certificate::Table)
                    .if_not_exists()
                    .col(big_pk_auto(Certificate::Id))
                    .col(string_len_uniq(Certificate::Number, 32))
                    .col(string_len_uniq(Certificate::Code, 32))
                    .col(big_integer(Certificate::DossierId))
                    .col(big_integer(Certificate::SessionId))
                    .col(string_len(Certificate::Holder, 128))
                    .col(string_len(Certificate::Org, 64))
                    .col(string_len(Certificate::Target, 128))
                    .col(string_len(Certificate::Committee, 64))
                    .col(date(Certificate::IssuedOn))
                    .col(string_len(Certificate::Status, 16))
                    .col(date_null(Certificate::RevokedOn))
                    .col(text_null(Certificate::RevokedReason))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_certificate_dossier")
                            .from(Certificate::Table, Certificate::DossierId)
                            .to(Dossier::Table, Dossier::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Certificate::Table).to_owned())
            .await
    }
}
