//! Persistence: sea-orm entities, migrations (schema builder only, so SQLite and PostgreSQL run
//! the same ones) and the queries the server needs. Server only; nothing here reaches the browser.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod authz;
pub mod backup;
pub mod ballots;
pub mod bars;
pub mod calendar;
pub mod certificates;
pub mod committees;
pub mod demo;
pub mod dossiers;
pub mod entities;
pub mod migration;
pub mod objections;
pub mod organisations;
pub mod pii;
pub mod rule_sets;
pub mod sessions;
pub mod shared;
pub mod testing;
pub mod workflow;

use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};
use sea_orm_migration::MigratorTrait;

pub use sea_orm::{ConnectionTrait, DatabaseConnection as Db};

/// Errors of the storage layer.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database could not be reached or refused the operation.
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    /// A sealed value that does not open with the configured keys.
    #[error("personal information: {0}")]
    Sealed(#[from] pii::PiiError),
    /// The URL names a database this build does not support.
    #[error("unsupported database URL scheme in {0:?}: use sqlite:// or postgres://")]
    UnsupportedUrl(String),
}

/// Opens a connection pool. SQLite files are created when the URL asks for it (`mode=rwc`),
/// and their parent directory is created too so `make run` works on a fresh clone.
#[tracing::instrument(skip_all)]
pub async fn connect(url: &str) -> Result<DatabaseConnection, StoreError> {
    if url.starts_with("sqlite://") {
        // A file database's folder is made first (an in-memory one has none).
        if let Ok(path) = backup::sqlite_path(url) {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| DbErr::Custom(format!("cannot create {parent:?}: {e}")))?;
            }
        }
    } else if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
        return Err(StoreError::UnsupportedUrl(redact(url)));
    }
    let mut options = ConnectOptions::new(url.to_owned());
    options.sqlx_logging(false);
    // SQLite: write-ahead logging (readers never wait for the writer) with `synchronous=FULL`,
    // so a save that was answered survives a crash of the process and of the machine; a writer
    // waits up to 10 s for another one instead of failing at once.
    // A read-only connection (`mode=ro`, e.g. checking a backup) cannot change the journal mode.
    let read_only = url.contains("mode=ro");
    options.map_sqlx_sqlite_opts(move |o| {
        let o = o.busy_timeout(std::time::Duration::from_secs(10));
        if read_only {
            o.read_only(true)
        } else {
            o.journal_mode(sqlx_sqlite::SqliteJournalMode::Wal)
                .synchronous(sqlx_sqlite::SqliteSynchronous::Full)
        }
    });
    Ok(Database::connect(options).await?)
}

/// Applies every pending migration.
#[tracing::instrument(skip_all)]
pub async fn migrate(db: &DatabaseConnection) -> Result<(), StoreError> {
    use sea_orm::TransactionTrait;
    if db.get_database_backend() != sea_orm::DbBackend::Postgres {
        // One SQLite file has one server process: nothing to race.
        migration::Migrator::up(db, None).await?;
        return Ok(());
    }
    // Instances starting together on one PostgreSQL migrate one after the other: the first
    // takes the lock and migrates; the others wait for its commit and find nothing pending.
    let txn = db.begin().await?;
    txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
        .await?;
    migration::Migrator::up(&txn, None).await?;
    txn.commit().await?;
    Ok(())
}

/// The PostgreSQL advisory lock the migrations are run under (any constant the application
/// uses for nothing else).
const MIGRATION_LOCK: i64 = 0x6775_616e_746f_6e67; // "guantong"

/// Checks that the database answers.
pub async fn ping(db: &DatabaseConnection) -> bool {
    db.ping().await.is_ok()
}

/// The backend's name, for health reports.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        sea_orm::DbBackend::Sqlite => "sqlite",
        sea_orm::DbBackend::Postgres => "postgres",
        _ => "other",
    }
}

/// Hides a password in a database URL before it reaches a log or an error.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme_end + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn password_is_hidden_in_database_urls() {
        assert_eq!(
            redact("postgres://u:secret@h:5432/db"),
            "postgres://u:***@h:5432/db"
        );
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
        assert_eq!(redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
