//! Fresh databases for tests: a temporary SQLite file, or a PostgreSQL database created on the
//! server named by `TEST_POSTGRES_URL` and dropped afterwards (even when the test panics).
//!
//! Without `TEST_POSTGRES_URL` PostgreSQL tests are skipped with a message, except when
//! `CI=true`: there an unreachable PostgreSQL fails the run instead of silently skipping.

use sea_orm::{ConnectionTrait, Database, Statement};

/// Which database a test runs against.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A database that exists for one test.
#[derive(Debug)]
pub struct TestDatabase {
    /// Connection URL of the fresh database.
    pub url: String,
    cleanup: Cleanup,
}

#[derive(Debug)]
enum Cleanup {
    File(std::path::PathBuf),
    Postgres { admin_url: String, name: String },
}

fn in_ci() -> bool {
    std::env::var("CI")
        .map(|v| v == "true" || v == "1")
        .unwrap_or(false)
}

impl TestDatabase {
    /// Creates a fresh, empty database, or returns `None` when PostgreSQL is not configured
    /// outside CI. Panics (failing the test) when PostgreSQL is configured but unreachable.
    pub async fn create(backend: Backend) -> Option<TestDatabase> {
        let id = uuid::Uuid::new_v4().simple().to_string();
        match backend {
            Backend::Sqlite => {
                let path = std::env::temp_dir().join(format!("guantong-test-{id}.db"));
                Some(TestDatabase {
                    url: format!("sqlite://{}?mode=rwc", path.display()),
                    cleanup: Cleanup::File(path),
                })
            }
            Backend::Postgres => {
                let admin_url = match std::env::var("TEST_POSTGRES_URL") {
                    Ok(url) if !url.is_empty() => url,
                    _ if in_ci() => panic!("CI=true but TEST_POSTGRES_URL is not set"),
                    _ => {
                        eprintln!("skipping PostgreSQL test: TEST_POSTGRES_URL is not set");
                        return None;
                    }
                };
                let name = format!("guantong_test_{id}");
                let admin = Database::connect(admin_url.as_str())
                    .await
                    .unwrap_or_else(|e| {
                        panic!("PostgreSQL at TEST_POSTGRES_URL is unreachable: {e}")
                    });
                admin
                    .execute_raw(Statement::from_string(
                        admin.get_database_backend(),
                        format!("CREATE DATABASE \"{name}\""),
                    ))
                    .await
                    .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
                let _ = admin.close().await;
                Some(TestDatabase {
                    url: with_database(&admin_url, &name),
                    cleanup: Cleanup::Postgres { admin_url, name },
                })
            }
        }
    }
}

/// Tests only: moves the session of cookie `token` into the past, so a server test can see its
/// lifetimes end without waiting: its opening (and so its absolute end) by `opened_by`, its last
/// use by `used_by`.
pub async fn age_session<C: ConnectionTrait>(
    conn: &C,
    token: &str,
    opened_by: chrono::Duration,
    used_by: chrono::Duration,
) -> Result<(), crate::StoreError> {
    use crate::entities::session;
    use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
    let Some(found) = session::Entity::find_by_id(crate::accounts::token_hash(token))
        .one(conn)
        .await?
    else {
        return Ok(());
    };
    let last_seen = found.last_seen_at.unwrap_or(found.created_at) - used_by;
    let (created, expires) = (found.created_at - opened_by, found.expires_at - opened_by);
    let mut aged = found.into_active_model();
    aged.created_at = Set(created);
    aged.expires_at = Set(expires);
    aged.last_seen_at = Set(Some(last_seen));
    aged.update(conn).await?;
    Ok(())
}

/// Replaces the database name in a PostgreSQL URL, keeping any query string.
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let authority_start = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[authority_start..].find('/') {
        Some(slash) => &base[..authority_start + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Postgres { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside a test's runtime, which cannot be blocked on: use a thread
                // with its own small runtime.
                let done = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread()
                        .enable_all()
                        .build()
                        .ok()?;
                    rt.block_on(async {
                        let admin = Database::connect(admin_url.as_str()).await.ok()?;
                        admin
                            .execute_raw(Statement::from_string(
                                admin.get_database_backend(),
                                format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"),
                            ))
                            .await
                            .ok()?;
                        admin.close().await.ok()
                    })
                });
                let _ = done.join();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn database_name_is_replaced_in_postgres_urls() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "x"),
            "postgres://postgres@127.0.0.1:5432/x"
        );
        assert_eq!(
            with_database("postgres://u@h/db?sslmode=disable", "x"),
            "postgres://u@h/x?sslmode=disable"
        );
        assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
    }
}
