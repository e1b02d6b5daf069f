//! Two instances starting together on one empty PostgreSQL both migrate: the advisory lock makes
//! one wait for the other, so both succeed and each migration is recorded once. (Without it
//! the second records a migration the first already did, and fails.)

use sea_orm::{ConnectionTrait, Statement};
use store::testing::{Backend, TestDatabase};

#[tokio::test]
async fn two_instances_migrating_at_once_both_succeed() {
    let Some(test_db) = TestDatabase::create(Backend::Postgres).await else {
        return;
    };
    let a = store::connect(&test_db.url).await.unwrap();
    let b = store::connect(&test_db.url).await.unwrap();
    let (ra, rb) = tokio::join!(store::migrate(&a), store::migrate(&b));
    ra.unwrap();
    rb.unwrap();
    let rows = a
        .query_all_raw(Statement::from_string(
            a.get_database_backend(),
            "SELECT version, COUNT(*) AS n FROM seaql_migrations GROUP BY version HAVING COUNT(*) > 1",
        ))
        .await
        .unwrap();
    assert!(rows.is_empty(), "each migration recorded once");
    // And once more, with nothing pending.
    store::migrate(&b).await.unwrap();
}
