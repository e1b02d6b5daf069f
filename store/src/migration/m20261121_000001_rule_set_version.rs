//! Creates `rule_set_version`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RuleSetVersion {
    Table,
    Id,
    RuleSetId,
    Version,
    Region,
    EffectiveFrom,
    EffectiveTo,
    Source,
    ContentHash,
    PublishedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RuleSetVersion::Table)
                    .if_not_exists()
                    .col(big_pk_auto(RuleSetVersion::Id))
                    .col(string_len(RuleSetVersion::RuleSetId, 64))
                    .col(string_len(RuleSetVersion::Version, 32))
                    .col(string_len(RuleSetVersion::Region, 16))
                    .col(date(RuleSetVersion::EffectiveFrom))
                    .col(date_null(RuleSetVersion::EffectiveTo))
                    .col(text(RuleSetVersion::Source))
                    .col(string_len(RuleSetVersion::ContentHash, 64))
                    .col(timestamp_with_time_zone(RuleSetVersion::PublishedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_rule_set_version_id_version")
                    .table(RuleSetVersion::Table)
                    .col(RuleSetVersion::RuleSetId)
                    .col(RuleSetVersion::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RuleSetVersion::Table).to_owned())
            .await
    }
}
