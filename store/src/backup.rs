//! Backups of the embedded SQLite database: an online copy (`VACUUM INTO`, consistent while the
//! server keeps serving) and a restore that checks the copy's audit chain before it replaces
//! anything. PostgreSQL is backed up with its own tools (`pg_dump`, `pg_restore`; README).

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

use crate::audit::{self, Verification};
use crate::StoreError;

/// Why a backup or a restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this is a PostgreSQL database: back it up with `pg_dump --format=custom --file=FILE URL` and restore it with `pg_restore --clean --if-exists --dbname=URL FILE` (README, Backups) / PostgreSQL 数据库请用 pg_dump 备份、pg_restore 恢复")]
    Postgres,
    #[error("{0} is not a SQLite database URL (sqlite://path) / 不是 SQLite 数据库地址")]
    NotSqlite(String),
    #[error("{0} exists already: a backup never overwrites a file / 文件已存在，备份不会覆盖")]
    Exists(PathBuf),
    #[error("{0} does not exist / 文件不存在")]
    Missing(PathBuf),
    #[error("the database at {0} holds data: restore over it only with --force, with the server stopped / 目标数据库已有数据，须加 --force 且先停止服务")]
    TargetNotEmpty(PathBuf),
    #[error("the backup's audit log is broken ({0}); nothing was restored / 备份的审计日志不完整，未恢复")]
    BrokenChain(String),
    #[error("file: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sea_orm::DbErr> for BackupError {
    fn from(e: sea_orm::DbErr) -> Self {
        BackupError::Store(StoreError::Db(e))
    }
}

/// The file of a `sqlite://path?…` URL.
pub fn sqlite_path(url: &str) -> Result<PathBuf, BackupError> {
    let rest = url
        .strip_prefix("sqlite://")
        .ok_or_else(|| BackupError::NotSqlite(crate::redact(url)))?;
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Err(BackupError::NotSqlite(url.to_owned()));
    }
    Ok(PathBuf::from(path))
}

/// Copies the database into `file` (which must not exist), consistently, while it is in use.
/// Answers the number of audit entries the copy holds, its chain checked.
pub async fn backup(db: &DatabaseConnection, file: &Path) -> Result<u64, BackupError> {
    if db.get_database_backend() != DbBackend::Sqlite {
        return Err(BackupError::Postgres);
    }
    if file.exists() {
        return Err(BackupError::Exists(file.to_owned()));
    }
    if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    db.execute_raw(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "VACUUM INTO ?",
        [file.to_string_lossy().into_owned().into()],
    ))
    .await?;
    check(file).await
}

/// Opens a backup read-only and checks its audit chain: the entries it holds.
async fn check(file: &Path) -> Result<u64, BackupError> {
    if !file.exists() {
        return Err(BackupError::Missing(file.to_owned()));
    }
    let copy = crate::connect(&format!("sqlite://{}?mode=ro", file.display())).await?;
    let verdict = audit::verify(&copy).await;
    copy.close().await?;
    match verdict? {
        Verification::Intact { entries } => Ok(entries),
        Verification::Broken(broken) => Err(BackupError::BrokenChain(broken.to_string())),
    }
}

/// Replaces the SQLite database of `target_url` by the backup `file`, after checking the
/// backup's audit chain. A target that holds accounts is replaced only with `force` (the server
/// must be stopped). Answers the number of audit entries restored.
pub async fn restore(file: &Path, target_url: &str, force: bool) -> Result<u64, BackupError> {
    if !target_url.starts_with("sqlite://") {
        return Err(if target_url.starts_with("postgres") {
            BackupError::Postgres
        } else {
            BackupError::NotSqlite(crate::redact(target_url))
        });
    }
    let target = sqlite_path(target_url)?;
    let entries = check(file).await?;
    if target.exists() && !force {
        let db = crate::connect(target_url).await?;
        let holds = db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'account'",
            ))
            .await?
            .is_some();
        let accounts = if holds {
            db.query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                "SELECT COUNT(*) AS n FROM account",
            ))
            .await?
            .and_then(|row| row.try_get::<i64>("", "n").ok())
            .unwrap_or(0)
        } else {
            0
        };
        db.close().await?;
        if accounts > 0 {
            return Err(BackupError::TargetNotEmpty(target));
        }
    }
    if let Some(parent) = target.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    // Copy beside the target, then rename over it, so a crash leaves the old or the new whole;
    // the old database's write-ahead log would belong to the old content: it goes too.
    let staging = target.with_extension("restoring");
    std::fs::copy(file, &staging)?;
    std::fs::File::open(&staging)?.sync_all()?;
    for suffix in ["-wal", "-shm"] {
        let side = PathBuf::from(format!("{}{suffix}", target.display()));
        if side.exists() {
            std::fs::remove_file(side)?;
        }
    }
    std::fs::rename(&staging, &target)?;
    Ok(entries)
}
