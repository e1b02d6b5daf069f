//! Adds the dossier's target as columns: `target_route` (the rule set's route key),
//! `target_series` (the title series, for a title) and `target_level` (the level the route leads
//! to, as the rules in force named it when the dossier was saved). The old `target` key
//! (`{route}:{series}`) stays, as the value of the queue's target filter; rows saved before are
//! filled from it here (their level is filled at their next save).

use sea_orm::{ConnectionTrait, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Dossier {
    Table,
    TargetRoute,
    TargetSeries,
    TargetLevel,
}

/// The three columns, added and dropped together.
const COLUMNS: [Dossier; 3] = [
    Dossier::TargetRoute,
    Dossier::TargetSeries,
    Dossier::TargetLevel,
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite alters one thing at a time.
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Dossier::Table)
                        .add_column(string_null(column))
                        .to_owned(),
                )
                .await?;
        }
        let db = manager.get_connection();
        let backend = db.get_database_backend();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                "SELECT id, target FROM dossier WHERE target IS NOT NULL AND target <> ''",
            ))
            .await?;
        for row in rows {
            let id: i64 = row.try_get("", "id")?;
            let key: String = row.try_get("", "target")?;
            let (route, series) = match key.split_once(':') {
                Some((route, series)) if !series.is_empty() => (route, Some(series)),
                Some((route, _)) => (route, None),
                None => (key.as_str(), None),
            };
            let sql = match backend {
                sea_orm::DatabaseBackend::Postgres => {
                    "UPDATE dossier SET target_route = $1, target_series = $2 WHERE id = $3"
                }
                _ => "UPDATE dossier SET target_route = ?, target_series = ? WHERE id = ?",
            };
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [route.into(), series.map(str::to_owned).into(), id.into()],
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in COLUMNS {
            manager
                .alter_table(
                    Table::alter()
                        .table(Dossier::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
