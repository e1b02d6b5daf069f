//! Migrations, written with the schema builder only so one set runs on SQLite and PostgreSQL.

use sea_orm_migration::prelude::*;

mod m20261121_000001_rule_set_version;
mod m20261121_000002_audit_entry;
mod m20261121_000003_accounts;
mod m20261121_000004_dossier;
mod m20261121_000005_organisation;
mod m20261121_000006_attachment;
mod m20261201_000007_session_last_seen;
mod m20261202_000008_dossier_target_columns;
mod m20261202_000009_committees;
mod m20261203_000001_shared_limits;
mod m20261203_000002_id_number_sealed;
mod m20261203_000003_lookup_indexes;
mod m20261204_000001_ballots;
mod m20261204_000002_meeting_record;
mod m20261204_000003_objections;
mod m20261204_000004_certificates;
mod m20261205_000001_application_bars;
mod m20261206_000001_calendar_years;

/// Every migration in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_rule_set_version::Migration),
            Box::new(m20261121_000002_audit_entry::Migration),
            Box::new(m20261121_000003_accounts::Migration),
            Box::new(m20261121_000004_dossier::Migration),
            Box::new(m20261121_000005_organisation::Migration),
            Box::new(m20261121_000006_attachment::Migration),
            Box::new(m20261201_000007_session_last_seen::Migration),
            Box::new(m20261202_000008_dossier_target_columns::Migration),
            Box::new(m20261202_000009_committees::Migration),
            Box::new(m20261203_000001_shared_limits::Migration),
            Box::new(m20261203_000002_id_number_sealed::Migration),
            Box::new(m20261203_000003_lookup_indexes::Migration),
            Box::new(m20261204_000001_ballots::Migration),
            Box::new(m20261204_000002_meeting_record::Migration),
            Box::new(m20261204_000003_objections::Migration),
            Box::new(m20261204_000004_certificates::Migration),
            Box::new(m20261205_000001_application_bars::Migration),
            Box::new(m20261206_000001_calendar_years::Migration),
        ]
    }
}
