//! The working-day calendar's years entered by administrators (`calendar_year`): one row per
//! year with the notice it comes from, its holidays and make-up working days (JSON lists of ISO
//! dates), who entered it and when. Together with `rules/data/calendar.toml` it makes the
//! calendar in force, so a new year reaches a deployment without a release.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CalendarYear {
    Table,
    Id,
    Year,
    Source,
    Holidays,
    MakeupWorkdays,
    EnteredBy,
    EnteredAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CalendarYear::Table)
                    .if_not_exists()
                    .col(big_pk_auto(CalendarYear::Id))
                    .col(integer_uniq(CalendarYear::Year))
                    .col(text(CalendarYear::Source))
                    .col(text(CalendarYear::Holidays))
                    .col(text(CalendarYear::MakeupWorkdays))
                    .col(big_integer(CalendarYear::EnteredBy))
                    .col(timestamp_with_time_zone(CalendarYear::EnteredAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(CalendarYear::Table).to_owned())
            .await
    }
}
